//! Scrubbing (credenv::scrub): every secret a load holds, in the forms it
//! takes in transit, replaced in what a server sends on; in log lines, after
//! a rotation, and for random secrets in random text.

#[path = "support/common.rs"]
mod common;

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;
use credenv::scrub::{ScrubWriter, Scrubber};
use credenv::{Credentials, Live, SecretString};
use proptest::prelude::*;

const TOKEN: &str = "canary-scrub-token-1b7e";
const FROM_FILE: &str = "canary-scrub-file-55c0";

#[derive(Credentials)]
#[allow(dead_code)] // loaded for its scrubber
struct Creds {
    /// API token
    api_token: SecretString,
    /// A plain setting, secret because it came from a file
    region: String,
    /// Port
    #[credential(default = 8080)]
    port: u16,
    /// Too short to scrub
    pin: Option<SecretString>,
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("credenv-scrub-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_load_scrubs_its_secrets_and_what_came_from_files() {
    let dir = temp("load");
    let region = dir.join("region");
    std::fs::write(&region, FROM_FILE).unwrap();
    let vars = HashMap::from([
        ("API_TOKEN".to_owned(), TOKEN.to_owned()),
        ("REGION_FILE".to_owned(), region.display().to_string()),
        ("PIN".to_owned(), "1234".to_owned()),
    ]);
    let loaded = Creds::load(&vars).unwrap();
    let scrubber = loaded.scrubber();
    assert_eq!(scrubber.names(), ["API_TOKEN", "REGION"]);
    assert_eq!(scrubber.too_short(), ["PIN"]);
    let b64 = base64::engine::general_purpose::URL_SAFE;
    let text = format!(
        "token={TOKEN} region={FROM_FILE} basic={} json={} port=8080",
        b64.encode(format!("me:{TOKEN}")),
        serde_json::to_string(FROM_FILE).unwrap()
    );
    let scrubbed = scrubber.scrub(&text);
    assert!(!scrubbed.contains("canary"), "{scrubbed}");
    assert!(
        scrubbed.starts_with("token=[REDACTED:API_TOKEN] region=[REDACTED:REGION]"),
        "{scrubbed}"
    );
    assert!(scrubbed.ends_with("port=8080"), "{scrubbed}");
    assert!(!format!("{scrubber:?}").contains("canary"));
}

#[test]
fn log_lines_are_scrubbed() {
    let scrubber = Arc::new(Scrubber::new([("API_TOKEN", TOKEN)]));
    let captured = common::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || ScrubWriter::new(writer.clone(), Arc::clone(&scrubber)))
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tracing::callsite::rebuild_interest_cache();
        tracing::warn!(header = %format!("Bearer {TOKEN}"), "upstream said: invalid key {TOKEN}");
    });
    let logged = captured.text();
    assert!(
        logged.contains("upstream said: invalid key [REDACTED:API_TOKEN]"),
        "{logged}"
    );
    assert!(
        logged.contains("header=Bearer [REDACTED:API_TOKEN]"),
        "{logged}"
    );
    assert!(!logged.contains("canary"), "{logged}");
}

#[test]
fn after_a_rotation_the_new_secret_is_scrubbed() {
    #[derive(Credentials)]
    #[allow(dead_code)]
    struct One {
        /// API token
        api_token: SecretString,
    }
    let dir = temp("rotation");
    let path = dir.join("api_token");
    std::fs::write(&path, "canary-scrub-old-9d1f").unwrap();
    let vars = HashMap::from([("API_TOKEN_FILE".to_owned(), path.display().to_string())]);
    let live: Live<One> = One::watch(vars).unwrap();
    assert_eq!(
        live.scrubber().scrub("canary-scrub-old-9d1f"),
        "[REDACTED:API_TOKEN]"
    );
    std::fs::write(&path, "canary-scrub-new-2e8a").unwrap();
    live.reload().unwrap();
    assert_eq!(
        live.scrubber().scrub("x canary-scrub-new-2e8a"),
        "x [REDACTED:API_TOKEN]"
    );
}

proptest! {
    #[test]
    fn no_secret_survives_and_other_text_is_unchanged(
        secrets in proptest::collection::vec("[ -~]{8,40}", 1..6),
        before in "[ -~\u{e9}\u{4e2d}]{0,60}",
        after in "[ -~\u{e9}\u{4e2d}]{0,60}",
        plain in "[0-9 ,;()\u{e9}\u{4e2d}]{0,200}",
    ) {
        let scrubber = Scrubber::new(secrets.iter().enumerate().map(|(i, s)| (format!("S{i}"), s.as_str())));
        for secret in &secrets {
            let text = format!("{before}{secret}{after}");
            let scrubbed = scrubber.scrub(&text);
            prop_assert!(!scrubbed.contains(secret.as_str()), "{:?} in {:?}", secret, scrubbed);
        }
        // Secrets of printable ASCII with a letter or a symbol never match
        // digits and punctuation alone, nor their encodings.
        if secrets.iter().all(|s| s.bytes().any(|b| !b" 0123456789,;()".contains(&b))) {
            prop_assert_eq!(scrubber.scrub(&plain), plain.as_str());
        }
    }
}
