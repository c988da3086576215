//! Profiles: per-environment names, defaults and requiredness from one
//! struct, the active profile selected by a variable.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::collections::HashMap;

use credenv::{Credentials, Error, ExposeSecret, InvalidKind, Origin, SecretString};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Environment {
    Development,
    Staging,
    Production,
}

impl std::str::FromStr for Environment {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "development" => Ok(Environment::Development),
            "staging" => Ok(Environment::Staging),
            "production" => Ok(Environment::Production),
            other => Err(format!("no environment {other}")),
        }
    }
}

/// The guide's multi-environment config, declared.
#[derive(Credentials)]
#[credentials(profiles(
    select = "MCP_ENV",
    default = "development",
    development(prefix = "DEV_", non_production),
    staging(prefix = "STAGING_"),
    production(prefix = "PROD_"),
))]
struct Config {
    #[credential(profile)]
    environment: Environment,
    /// API key
    #[credential(profiles(development(default = "dev-key-for-testing")))]
    api_key: SecretString,
    /// Base URL of the API
    #[credential(profiles(
        development(default = "http://localhost:8000"),
        staging(default = "https://staging-api.example.com"),
        production(default = "https://api.example.com"),
    ))]
    api_base_url: String,
    #[credential(default = true, profiles(production(default = false)))]
    debug: bool,
}

fn problems(err: &Error) -> (Vec<&str>, Vec<String>) {
    (
        err.missing().map(|m| m.var()).collect(),
        err.invalid().map(ToString::to_string).collect(),
    )
}

#[test]
fn unset_selects_the_default_profile_with_its_defaults() {
    let loaded = Config::load(&[("UNRELATED", "x")]).unwrap();
    assert_eq!(loaded.profile().unwrap().name(), "development");
    assert!(!loaded.profile().unwrap().production());
    assert_eq!(loaded.environment, Environment::Development);
    assert_eq!(loaded.api_key.expose_secret(), "dev-key-for-testing");
    assert_eq!(loaded.api_base_url, "http://localhost:8000");
    assert!(loaded.debug);
    assert_eq!(loaded.origin("MCP_ENV"), Some(&Origin::Default));
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["DEV_API_KEY is not set: using the development profile's development-only default"]
    );
    assert_eq!(
        format!("{:?}", *loaded),
        "Config { environment: Development, api_key: [REDACTED], api_base_url: \"http://localhost:8000\", debug: true }"
    );
}

#[test]
fn production_reads_its_own_names_and_requires_its_key() {
    let err = Config::from_source(&[("MCP_ENV", "production")]).unwrap_err();
    assert_eq!(problems(&err), (vec!["PROD_API_KEY"], vec![]));
    assert_eq!(
        err.to_string(),
        "missing required variables (profile production):\n  - PROD_API_KEY: API key"
    );

    let loaded = Config::load(&[("MCP_ENV", "production"), ("PROD_API_KEY", "sk-live")]).unwrap();
    assert_eq!(loaded.environment, Environment::Production);
    assert_eq!(loaded.api_key.expose_secret(), "sk-live");
    assert_eq!(loaded.api_base_url, "https://api.example.com");
    assert!(!loaded.debug);
    assert!(loaded.warnings().is_empty());
    assert_eq!(loaded.origin("MCP_ENV"), Some(&Origin::Env));
    assert_eq!(loaded.origin("DEV_API_KEY"), None, "not read in production");
}

#[test]
fn staging_has_its_own_values_and_overrides() {
    let config = Config::from_source(&[
        ("MCP_ENV", "staging"),
        ("STAGING_API_KEY", "sk-stage"),
        ("STAGING_DEBUG", "false"),
    ])
    .unwrap();
    assert_eq!(config.environment, Environment::Staging);
    assert_eq!(config.api_base_url, "https://staging-api.example.com");
    assert!(!config.debug, "a profile's default can be overridden");
}

#[test]
fn the_selector_matches_in_any_case() {
    let config = Config::from_source(&[("MCP_ENV", "PRODUCTION"), ("PROD_API_KEY", "k")]).unwrap();
    assert_eq!(config.environment, Environment::Production);
}

#[test]
fn an_unknown_profile_is_the_only_problem_reported() {
    let err = Config::from_source(&[("MCP_ENV", "prod")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid variables:\n  - MCP_ENV: unknown profile \"prod\"; use development, staging or production"
    );
}

#[test]
fn another_profiles_variable_that_is_set_is_a_warning() {
    let loaded = Config::load(&[
        ("MCP_ENV", "staging"),
        ("STAGING_API_KEY", "sk-stage"),
        ("PROD_API_KEY", "sk-live"),
        ("DEV_DEBUG", "true"),
    ])
    .unwrap();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "DEV_DEBUG is set but not read: it belongs to another profile than staging",
            "PROD_API_KEY is set but not read: it belongs to another profile than staging",
        ]
    );
}

#[test]
fn vars_and_profiles_describe_each_profile() {
    let names =
        |vars: &[credenv::VarSpec]| vars.iter().map(|v| v.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(
        names(Config::vars()),
        ["MCP_ENV", "DEV_API_KEY", "DEV_API_BASE_URL", "DEV_DEBUG"]
    );
    let production = Config::vars_for_profile("production").unwrap();
    assert_eq!(
        names(production),
        ["MCP_ENV", "PROD_API_KEY", "PROD_API_BASE_URL", "PROD_DEBUG"]
    );
    assert!(production[1].required() && production[1].secret());
    // A profile's list selects that profile: a template or client config
    // made from it starts the server in that profile.
    assert_eq!(production[0].default(), Some("production"));
    assert!(
        credenv::template::env_example(production).contains("\nMCP_ENV=production\n"),
        "{}",
        credenv::template::env_example(production)
    );
    let config = credenv::mcp::ServerEntry::new("srv", "/bin/srv").claude_desktop(production);
    assert_eq!(config["mcpServers"]["srv"]["env"]["MCP_ENV"], "production");
    assert_eq!(production[2].default(), Some("https://api.example.com"));
    assert_eq!(production[3].default(), Some("false"));
    let development = Config::vars_for_profile("Development").unwrap();
    assert!(!development[1].required(), "a default makes it optional");
    assert_eq!(
        development[1].default(),
        None,
        "a secret's default is never shown"
    );
    assert_eq!(development[0].default(), Some("development"));
    assert_eq!(
        development[0].description(),
        "The profile to load: development, staging, production"
    );
    assert!(Config::vars_for_profile("qa").is_none());
    let profiles: Vec<_> = Config::profiles()
        .iter()
        .map(|p| (p.name(), p.production()))
        .collect();
    assert_eq!(
        profiles,
        [
            ("development", false),
            ("staging", true),
            ("production", true)
        ]
    );
}

#[test]
fn structs_without_profiles_have_none() {
    #[derive(Credentials)]
    struct Plain {
        port: Option<u16>,
    }
    assert!(Plain::profiles().is_empty());
    assert!(Plain::vars_for_profile("production").is_none());
    assert!(Plain::load(&[("X", "")]).unwrap().profile().is_none());
}

/// Requiredness, exact names and flattening under profiles.
#[derive(Credentials)]
#[credentials(prefix = "SVC_")]
struct Db {
    /// Database URL
    url: SecretString,
}

#[derive(Credentials)]
#[credentials(profiles(
    select = "APP_ENV",
    dev(prefix = "DEV_", non_production),
    live(prefix = "LIVE_")
))]
struct Service {
    #[credential(profile)]
    profile: String,
    /// Alerts go here; required in live only.
    #[credential(profiles(live(required)))]
    alert_webhook: Option<String>,
    /// Shared by every profile.
    #[credential(env = "LOG_LEVEL", default = "info")]
    log_level: String,
    /// A name of its own in one profile.
    #[credential(profiles(live(env = "PRIMARY_REGION")))]
    region: Option<String>,
    #[credential(flatten)]
    db: Db,
}

#[test]
fn a_field_can_be_required_in_some_profiles_only() {
    let dev = Service::load(&[("DEV_SVC_URL", "pg-dev")]).unwrap();
    assert_eq!(dev.profile, "dev", "the first profile is the default");
    assert!(
        dev.warnings()
            .iter()
            .any(|w| w.var() == "DEV_ALERT_WEBHOOK")
    );
    let err = Service::from_source(&[("APP_ENV", "live"), ("LIVE_SVC_URL", "pg")]).unwrap_err();
    assert_eq!(problems(&err).0, ["LIVE_ALERT_WEBHOOK"]);
}

#[test]
fn exact_names_are_shared_and_profile_names_are_per_profile() {
    let live = Service::from_source(&[
        ("APP_ENV", "live"),
        ("LIVE_ALERT_WEBHOOK", "https://hooks"),
        ("LOG_LEVEL", "debug"),
        ("PRIMARY_REGION", "eu"),
        ("LIVE_SVC_URL", "pg-live"),
    ])
    .unwrap();
    assert_eq!(live.log_level, "debug");
    assert_eq!(live.region.as_deref(), Some("eu"));
    assert_eq!(
        live.db.url.expose_secret(),
        "pg-live",
        "flattened names get the profile's prefix"
    );
    let names: Vec<&str> = Service::vars_for_profile("live")
        .unwrap()
        .iter()
        .map(|v| v.name())
        .collect();
    assert_eq!(
        names,
        [
            "APP_ENV",
            "LIVE_ALERT_WEBHOOK",
            "LOG_LEVEL",
            "PRIMARY_REGION",
            "LIVE_SVC_URL"
        ]
    );
    let names: Vec<&str> = Service::vars().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        [
            "APP_ENV",
            "DEV_ALERT_WEBHOOK",
            "LOG_LEVEL",
            "DEV_REGION",
            "DEV_SVC_URL"
        ]
    );
}

#[test]
fn a_profile_field_that_cannot_hold_the_profile_is_an_invalid_selector() {
    #[derive(Debug)]
    struct OnlyProduction;
    impl std::str::FromStr for OnlyProduction {
        type Err = &'static str;
        fn from_str(s: &str) -> Result<Self, Self::Err> {
            if s == "production" {
                Ok(OnlyProduction)
            } else {
                Err("only production")
            }
        }
    }
    #[derive(Credentials)]
    #[credentials(profiles(select = "ENV", staging, production))]
    struct Narrow {
        #[credential(profile)]
        env: OnlyProduction,
    }
    let err = Narrow::from_source(&[("ENV", "staging")]).unwrap_err();
    assert_eq!(
        problems(&err).1,
        ["ENV: profile \"staging\" does not parse into the profile field: only production"]
    );
}

#[test]
fn no_warning_or_error_quotes_another_profiles_secret() {
    const CANARY: &str = "canary-0b6f2a91-profiles";
    let loaded = Config::load(&[
        ("MCP_ENV", "staging"),
        ("STAGING_API_KEY", CANARY),
        ("PROD_API_KEY", CANARY),
    ])
    .unwrap();
    let out = format!("{loaded:?} {:?}", loaded.warnings());
    assert!(
        !out.contains("canary") && out.contains("PROD_API_KEY"),
        "{out}"
    );
    let err = Config::from_source(&[("MCP_ENV", CANARY)]).unwrap_err();
    // The selector is not a secret: an unknown profile is quoted to help.
    assert!(err.to_string().contains("unknown profile"));
}

/// The selector is read as it is, never resolved: one that looks like a
/// reference is an unknown profile. A reference among the active
/// profile's values is found as the load reads it (a map is not asked
/// ahead), with that profile's names, not the default's.
#[test]
fn references_and_the_selector_across_profiles() {
    let map = HashMap::from([
        ("MCP_ENV", "op://ops/deploy/env"),
        ("DEV_API_KEY", "dev-k"),
        ("PROD_API_KEY", "prod-k"),
    ]);
    let err = Config::from_source(&map).unwrap_err();
    assert_eq!(
        err.invalid().map(|i| *i.kind()).collect::<Vec<_>>(),
        [InvalidKind::UnknownProfile]
    );
    let map = HashMap::from([
        ("MCP_ENV", "production"),
        ("DEV_API_KEY", "dev-k"),
        ("PROD_API_KEY", "prod-k"),
        ("DEV_API_BASE_URL", "http://dev"),
        ("PROD_API_BASE_URL", "op://vault/item"),
    ]);
    let err = Config::from_source(&map).unwrap_err();
    let invalid: Vec<_> = err.invalid().map(|i| (i.var(), *i.kind())).collect();
    assert_eq!(
        invalid,
        [("PROD_API_BASE_URL", InvalidKind::MalformedReference)]
    );
    let map = HashMap::from([
        ("MCP_ENV", "production"),
        ("DEV_API_KEY", "dev-k"),
        ("PROD_API_KEY", "prod-k"),
    ]);
    let loaded = Config::load(&map).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "prod-k");
}
