//! `#[credentials(crate = "...")]` for a crate that re-exports credenv.

mod facade {
    pub use ::credenv as creds;
}

#[derive(facade::creds::Credentials)]
#[credentials(crate = "facade::creds")]
struct Creds {
    port: u16,
}

fn main() {
    let creds = Creds::from_source(&[("PORT", "1")]).unwrap();
    assert_eq!(creds.port, 1);
}
