//! Loads a struct of every kind of field from fuzzed values: each line of the
//! input is one variable's value. Exercises the value parsers, lists,
//! validators, secret hiding and the reference parser (values starting with
//! `op://`, `vault://`, `aws-sm://`). A load must never panic, and its report
//! must never quote a secret, unless it is a reference, which is named by
//! design (where the secret lives, not the secret).

#![no_main]

use std::collections::HashMap;
use std::time::Duration;

use credenv::{Credentials, SecretBox, SecretString, Url};
use libfuzzer_sys::fuzz_target;

fn not_blank(text: &str) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        Err("blank")
    } else {
        Ok(())
    }
}

#[derive(Credentials)]
#[allow(dead_code)]
struct Creds {
    name: String,
    port: u16,
    ratio: f64,
    debug: bool,
    timeout: Duration,
    url: Url,
    #[credential(split = ",")]
    ports: Vec<u16>,
    limit: Option<i64>,
    #[credential(validate = not_blank)]
    label: Option<String>,
    token: SecretString,
    pin: SecretBox<u32>,
    c: char,
    addr: Option<std::net::SocketAddr>,
}

const NAMES: [&str; 13] = [
    "NAME", "PORT", "RATIO", "DEBUG", "TIMEOUT", "URL", "PORTS", "LIMIT", "LABEL", "TOKEN", "PIN",
    "C", "ADDR",
];

/// The report of a load's error, without the forms a malformed reference's
/// message teaches (fixed text, which can contain a short value such as
/// `op://`).
fn report(err: &credenv::Error) -> String {
    let mut report = format!("{err} {err:?}");
    for form in [
        "op://<vault>/<item>/[<section>/]<field>",
        "vault://<mount>/<path>#<key>",
        "aws-sm://<name-or-arn>[#<json-key>]",
    ] {
        report = report.replace(form, "");
    }
    report
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let values: Vec<&str> = text.split('\n').collect();
    let vars: HashMap<&str, &str> = NAMES.iter().copied().zip(values.iter().copied()).collect();
    let Err(err) = Creds::from_source(&vars) else {
        return;
    };
    let actual = report(&err);
    // A secret leaks when its value shows more often than when the secret is
    // something else: fixed text (hints) shows as often either way.
    for secret in ["TOKEN", "PIN"] {
        let Some(value) = vars.get(secret).copied().filter(|v| v.len() >= 8) else {
            continue;
        };
        let own = err
            .invalid()
            .find(|i| i.var() == secret)
            .map(|i| i.reason().to_owned());
        let is_reference = ["op://", "vault://", "aws-sm://"]
            .iter()
            .any(|scheme| value.starts_with(scheme))
            && own
                .as_deref()
                .is_some_and(|reason| !reason.starts_with("malformed reference"));
        if is_reference {
            continue; // a well-formed reference is named by design: where the secret lives
        }
        let mut other = vars.clone();
        other.insert(secret, "\u{1}");
        let without = Creds::from_source(&other)
            .err()
            .map(|e| report(&e))
            .unwrap_or_default();
        assert!(
            actual.matches(value).count() <= without.matches(value).count(),
            "the report quotes {secret}"
        );
    }
});
