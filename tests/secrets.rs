//! The canary suite: a unique secret goes in through every kind of secret
//! field and every way of supplying it, and is searched for in everything that
//! comes out. (Process output is covered by tests/process.rs, freed memory by
//! tests/zeroize.rs.)

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::sync::Mutex;

#[path = "support/common.rs"]
mod common;
use common::Captured;

use credenv::{Credentials, Error, SecretBox, SecretString};

const CANARY: &str = "canary-5e1f0c27d9b4-secret";

/// Fails unless `text` is free of the canary and of any 8-character run of it.
fn assert_clean(what: &str, text: &str) {
    let runs = CANARY
        .as_bytes()
        .windows(8)
        .map(|w| std::str::from_utf8(w).unwrap());
    for run in runs.filter(|run| !"canary-".contains(*run)) {
        assert!(!text.contains(run), "{what} leaks {run:?}:\n{text}");
    }
}

fn echo_whole(key: &SecretString) -> Result<(), String> {
    use credenv::ExposeSecret;
    Err(format!("key {} is revoked", key.expose_secret()))
}

fn echo_prefix(key: &SecretString) -> Result<(), String> {
    use credenv::ExposeSecret;
    Err(format!(
        "key starting {} is revoked",
        &key.expose_secret()[..16]
    ))
}

fn parse_echo(text: &str) -> Result<String, String> {
    Err(format!("cannot parse {text}"))
}

#[derive(Credentials)]
struct Secrets {
    /// API key
    api_key: SecretString,
    /// Database URL
    #[credential(secret)]
    database_url: String,
    slack: Option<SecretString>,
    #[credential(split = ",")]
    keys: Option<Vec<SecretString>>,
    #[credential(secret, split = ",")]
    tokens: Vec<String>,
    pin: SecretBox<u32>,
    #[credential(secret)]
    port: Option<u16>,
    #[credential(validate = echo_whole)]
    signing: Option<SecretString>,
    #[credential(validate = echo_prefix)]
    signing2: Option<SecretString>,
    #[credential(secret, parse_with = parse_echo)]
    custom: Option<String>,
    /// Not a secret: its value may be quoted.
    region: Option<u8>,
}

fn canary_everywhere() -> Vec<(&'static str, String)> {
    [
        "API_KEY",
        "DATABASE_URL",
        "SLACK",
        "KEYS",
        "TOKENS",
        "PIN",
        "PORT",
        "SIGNING",
        "SIGNING2",
        "CUSTOM",
    ]
    .into_iter()
    .map(|name| (name, CANARY.to_owned()))
    .collect()
}

fn failed_load() -> Error {
    let mut vars = canary_everywhere();
    vars.push(("REGION", "not-a-number".into()));
    Secrets::from_source(&vars).unwrap_err()
}

#[test]
fn errors_name_every_problem_and_quote_no_secret() {
    let err = failed_load();
    let reasons: Vec<_> = err.invalid().map(|i| format!("{i}")).collect();
    assert_eq!(
        reasons,
        [
            "PIN: expected SecretBox<u32> (value hidden: secret)",
            "PORT: expected u16 (value hidden: secret)",
            "SIGNING: rejected by its validator (message hidden: secret)",
            "SIGNING2: rejected by its validator (message hidden: secret)",
            "CUSTOM: expected String (value hidden: secret)",
            "REGION: expected u8: invalid digit found in string (got \"not-a-number\")",
        ]
    );
    assert_clean("Error Display", &err.to_string());
    assert_clean("Error Debug", &format!("{err:?}"));
    assert_clean("Error {:#?}", &format!("{err:#?}"));
    for item in err.invalid() {
        assert_clean("Invalid Debug", &format!("{item:?}"));
        assert_clean("Invalid reason", item.reason());
    }
    for item in err.missing() {
        assert_clean("Missing", &format!("{item} {item:?}"));
    }
}

#[test]
fn a_secret_given_twice_or_by_file_is_never_quoted() {
    let dir = std::env::temp_dir().join(format!("credenv-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pin = dir.join("pin");
    std::fs::write(&pin, CANARY).unwrap();
    let binary = dir.join("binary");
    std::fs::write(&binary, [CANARY.as_bytes(), b"\xff"].concat()).unwrap();
    let err = Secrets::from_source(&[
        ("API_KEY", CANARY),
        ("API_KEY_FILE", pin.to_str().unwrap()),
        ("PIN_FILE", pin.to_str().unwrap()),
        ("DATABASE_URL_FILE", binary.to_str().unwrap()),
    ])
    .unwrap_err();
    assert_eq!(err.invalid().len(), 3, "{err}");
    assert_eq!(
        err.missing().map(|m| m.var()).collect::<Vec<_>>(),
        ["TOKENS"]
    );
    assert_clean("Error Display", &err.to_string());
    assert_clean("Error Debug", &format!("{err:#?}"));
}

#[test]
fn loaded_secrets_stay_out_of_every_output() {
    let vars = [
        ("API_KEY", CANARY),
        ("DATABASE_URL", CANARY),
        ("SLACK", CANARY),
        ("KEYS", CANARY),
        ("TOKENS", CANARY),
        ("PIN", "1234"),
        ("PORT", "443"),
    ];
    let loaded = Secrets::load(&vars).unwrap();
    assert_eq!(loaded.warnings().len(), 4);
    assert_clean("Debug", &format!("{:?}", *loaded));
    assert_clean("{:#?}", &format!("{:#?}", *loaded));
    assert_clean("Loaded Debug", &format!("{loaded:#?}"));
    for warning in loaded.warnings() {
        assert_clean("Warning", &format!("{warning} {warning:?}"));
    }
    for (spec, origin) in loaded.origins() {
        assert_clean("origin", &format!("{spec:?} {origin} {origin:?}"));
    }
    // The PIN and PORT values are secrets too, though short.
    let debug = format!("{:?}", *loaded);
    assert!(!debug.contains("1234") && !debug.contains("443"), "{debug}");
    assert_clean("vars()", &format!("{:?}", Secrets::vars()));
}

#[test]
fn a_panicking_unwrap_prints_no_secret() {
    static MESSAGE: Mutex<String> = Mutex::new(String::new());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| *MESSAGE.lock().unwrap() = info.to_string()));
    let result = std::panic::catch_unwind(|| {
        Secrets::from_source(&canary_everywhere()).unwrap();
    });
    std::panic::set_hook(previous);
    assert!(result.is_err());
    let message = MESSAGE.lock().unwrap().clone();
    assert!(
        message.contains(
            r#"Diagnostic { var: "PIN", kind: Unparsable, reason: "expected SecretBox<u32> (value hidden: secret)" }"#
        ),
        "{message}"
    );
    assert_clean("panic message", &message);
}

#[test]
fn logged_warnings_carry_no_secret() {
    let log = Captured::logs(|| {
        Secrets::from_source(&[
            ("API_KEY", CANARY),
            ("DATABASE_URL", CANARY),
            ("TOKENS", CANARY),
            ("PIN", "1"),
        ])
        .unwrap();
    });
    assert_eq!(log.matches(" WARN credenv: optional ").count(), 7, "{log}");
    assert_clean("tracing output", &log);
}
