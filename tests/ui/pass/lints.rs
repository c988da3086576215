//! Generated code passes the lints a strict crate denies: fully qualified
//! paths (`::core::…`, `::credenv::…`) are how a derive stays hygienic, and
//! must not trip `unused_qualifications` where the user imported the names.

#![deny(unused_qualifications, missing_docs, unused_imports)]

use credenv::{Credentials, SecretString};

fn not_blank(text: &String) -> Result<(), &'static str> {
    if text.trim().is_empty() { Err("blank") } else { Ok(()) }
}

/// Nested.
#[derive(Credentials)]
pub struct Db {
    /// Password
    pub password: SecretString,
}

/// Every kind of field.
#[derive(Credentials)]
#[credentials(prefix = "APP_", profiles(select = "APP_ENV", default = "dev", dev(non_production), prod))]
pub struct Creds {
    /// Port
    #[credential(default = 8080, min = 1)]
    pub port: u16,
    /// Name
    #[credential(validate = not_blank)]
    pub name: Option<String>,
    /// Hosts
    #[credential(split = ",")]
    pub hosts: Option<Vec<String>>,
    /// The database
    #[credential(flatten, prefix = "DB_")]
    pub db: Db,
    /// The profile
    #[credential(profile)]
    pub profile: String,
}

fn main() {
    let creds = Creds::from_source(&[("APP_DB_PASSWORD", "p")]).unwrap();
    assert_eq!(creds.port, 8080);
    assert_eq!(creds.profile, "dev");
}
