//! Generated code names everything by absolute path: it compiles without the
//! prelude, without warnings, beside user items that shadow common names.
#![no_implicit_prelude]
#![deny(warnings)]

use ::credenv::{Credentials, SecretString};

// Items a careless expansion would pick up instead of std's.
#[allow(dead_code)]
struct Option;
#[allow(dead_code)]
struct Result;
#[allow(dead_code)]
struct Vec;
#[allow(dead_code)]
mod core {}
#[allow(dead_code)]
mod std {}

fn check(port: &u16) -> ::core::result::Result<(), &'static str> {
    if *port > 0 { ::core::result::Result::Ok(()) } else { ::core::result::Result::Err("zero") }
}

fn parse_upper(text: &str) -> ::core::result::Result<::std::string::String, ::std::convert::Infallible> {
    ::core::result::Result::Ok(::std::string::ToString::to_string(text))
}

#[derive(Credentials)]
struct Inner {
    /// A nested value.
    host: ::std::string::String,
}

/// Every kind of field.
#[derive(Credentials)]
#[credentials(prefix = "APP_")]
struct Creds {
    /// A secret.
    token: SecretString,
    #[credential(secret, env = "DATABASE_URL")]
    database_url: ::std::string::String,
    /// Optional.
    slack: ::core::option::Option<SecretString>,
    #[credential(default = 8080, validate = check)]
    port: u16,
    #[credential(split = ",")]
    scopes: ::std::vec::Vec<::std::string::String>,
    #[credential(split = ",")]
    hosts: ::core::option::Option<::std::vec::Vec<u16>>,
    #[credential(parse_with = parse_upper, allow_empty)]
    suffix: ::std::string::String,
    timeout: ::std::time::Duration,
    #[credential(flatten, prefix = "X_")]
    inner: Inner,
}

/// Profiles too.
#[derive(Credentials)]
#[credentials(profiles(select = "APP_ENV", default = "dev", dev(prefix = "DEV_", non_production), prod(prefix = "PROD_")))]
struct Profiled {
    #[credential(profile)]
    profile: ::std::string::String,
    #[credential(profiles(dev(default = "dev-key")))]
    key: SecretString,
    #[credential(profiles(prod(required)))]
    hook: ::core::option::Option<::std::string::String>,
    #[credential(flatten)]
    inner: Inner,
}

fn main() {
    let profiled = ::core::result::Result::unwrap(Profiled::from_source(&[("DEV_HOST", "h")]));
    let _ = (&profiled.profile, &profiled.key, &profiled.hook, &profiled.inner);
    let _ = <Profiled as Credentials>::vars_for_profile("prod");
    let vars = [("APP_TOKEN", "t"), ("DATABASE_URL", "pg"), ("APP_SCOPES", "a"), ("APP_SUFFIX", ""), ("APP_TIMEOUT", "1s"), ("APP_X_HOST", "h")];
    let creds = Creds::from_source(&vars);
    let creds = ::core::result::Result::unwrap(creds);
    let _ = (&creds.token, &creds.database_url, &creds.slack, creds.port, &creds.scopes, &creds.hosts, &creds.suffix, creds.timeout, &creds.inner.host);
    let _ = ::std::format!("{creds:?}");
    let _ = <Creds as Credentials>::vars();
}
