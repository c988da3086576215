//! Problems and warnings as data: each has a kind to match on, beside the
//! words of its `Display`, and the same accessors.
#![allow(dead_code)] // the structs exist to be loaded, not read

use std::collections::HashMap;

use credenv::{
    Check, Credentials, InvalidKind, MissingKind, Origin, ResolveFailure, SecretString, Vars,
    WarningKind,
};

#[allow(clippy::ptr_arg)] // a validator takes &T, here &String
fn is_https(url: &String) -> Result<(), &'static str> {
    match url.starts_with("https://") {
        true => Ok(()),
        false => Err("use https"),
    }
}

#[derive(Credentials)]
struct Creds {
    port: u16,
    #[credential(starts_with = "sk-")]
    api_key: SecretString,
    #[credential(validate = is_https)]
    base_url: String,
    db_password: SecretString,
    cert: Option<String>,
    token: SecretString,
    vault_key: SecretString,
    aws_key: Option<SecretString>,
    /// Where to report
    required: String,
    /// Slack token
    slack: Option<SecretString>,
}

fn kinds(vars: &HashMap<String, String>) -> Vec<(String, InvalidKind)> {
    let err = Creds::from_source(vars).unwrap_err();
    err.invalid()
        .map(|i| (i.var().to_owned(), *i.kind()))
        .collect()
}

#[test]
fn each_invalid_value_has_its_kind() {
    let dir = std::env::temp_dir().join(format!("credenv-problems-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty");
    std::fs::write(&empty, "").unwrap();
    let vars: HashMap<String, String> = [
        ("PORT", "eighty".to_owned()),
        ("API_KEY", "pk-1".to_owned()),
        ("BASE_URL", "http://x".to_owned()),
        ("DB_PASSWORD", "p".to_owned()),
        ("DB_PASSWORD_FILE", "/nonexistent".to_owned()),
        ("CERT_FILE", empty.display().to_string()),
        ("TOKEN", "vault://secret".to_owned()),
        // No VAULT_ADDR: a setting is missing.
        ("VAULT_KEY", "vault://secret/app#key".to_owned()),
        ("AWS_KEY", "aws-sm://app".to_owned()),
        ("AWS_REGION", "not a region".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let found = kinds(&vars);
    let expected = [
        ("PORT", InvalidKind::Unparsable),
        ("API_KEY", InvalidKind::Check(Check::StartsWith("sk-"))),
        ("BASE_URL", InvalidKind::Validator),
        ("DB_PASSWORD", InvalidKind::BothSet),
        ("CERT", InvalidKind::File),
        ("TOKEN", InvalidKind::MalformedReference),
        ("VAULT_KEY", InvalidKind::Reference(ResolveFailure::Setting)),
        ("AWS_KEY", InvalidKind::Reference(ResolveFailure::Setting)),
    ];
    let expected: Vec<(String, InvalidKind)> = expected
        .iter()
        .map(|(var, kind)| (var.to_string(), *kind))
        .collect();
    assert_eq!(found, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bundle_value_that_looks_like_a_reference_is_refused_by_kind() {
    #[derive(Credentials)]
    struct Inner {
        api_key: SecretString,
    }
    let mut bundle = Vars::with_origin(Origin::Bundle("vault://secret/app".into()));
    bundle.insert("API_KEY", "vault://secret/other#key");
    let err = Inner::from_source(&bundle).unwrap_err();
    let invalid = err.invalid().next().unwrap();
    assert_eq!(
        invalid.kind(),
        &InvalidKind::Reference(ResolveFailure::Refused)
    );
    assert_eq!(
        invalid.origin(),
        None,
        "the lookup failed before a value was read"
    );
}

#[test]
fn missing_and_warnings_share_the_accessors() {
    let mut vars = vec![
        ("PORT", "1"),
        ("API_KEY", "sk-1"),
        ("BASE_URL", "https://x"),
        ("DB_PASSWORD", "p"),
        ("TOKEN", "t"),
        ("VAULT_KEY", "v"),
    ];
    let err = Creds::from_source(&vars).unwrap_err();
    let missing = err.missing().next().unwrap();
    assert_eq!(
        (missing.var(), missing.description(), missing.kind()),
        ("REQUIRED", "Where to report", &MissingKind::Unset)
    );
    assert_eq!(missing.spec().name(), "REQUIRED");

    vars.push(("REQUIRED", "r"));
    let loaded = Creds::load(&vars).unwrap();
    let kinds: Vec<(&str, &WarningKind)> = loaded
        .warnings()
        .iter()
        .map(|w| (w.var(), w.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("CERT", &WarningKind::Unset),
            ("AWS_KEY", &WarningKind::Unset),
            ("SLACK", &WarningKind::Unset)
        ]
    );
    assert_eq!(
        loaded.warnings()[2].to_string(),
        "optional SLACK is not set: Slack token"
    );
}

#[test]
fn an_unknown_profile_is_its_own_kind() {
    #[derive(Credentials)]
    #[credentials(profiles(select = "APP_ENV", default = "dev", dev, prod))]
    struct Profiled {
        #[credential(default = 1)]
        level: u8,
    }
    let err = Profiled::from_source(&[("APP_ENV", "staging")]).unwrap_err();
    let invalid = err.invalid().next().unwrap();
    assert_eq!(invalid.kind(), &InvalidKind::UnknownProfile);
    assert_eq!(invalid.var(), "APP_ENV");
}

#[test]
fn debug_shows_the_kind_and_never_a_value() {
    let err = Creds::from_source(&[("API_KEY", "canary-value-1234")]).unwrap_err();
    let debug = format!("{err:?}");
    assert!(
        debug.contains("kind: Check(StartsWith(\"sk-\"))"),
        "{debug}"
    );
    assert!(!debug.contains("canary-value"), "{debug}");
}
