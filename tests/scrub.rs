//! Scrubbing (credenv::scrub): every secret a load holds, in the forms it
//! takes in transit, replaced in what a server sends on; in log lines, after
//! a rotation, and for random secrets in random text.

#[path = "support/common.rs"]
mod common;
#[path = "support/servers.rs"]
mod servers;

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
    common::fresh_dir("scrub", name)
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
    // A call in flight may still echo the old one.
    assert_eq!(
        live.scrubber().scrub("canary-scrub-old-9d1f"),
        "[REDACTED:API_TOKEN]"
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

#[test]
fn list_items_and_the_resolvers_secrets_are_scrubbed_too() {
    #[derive(Credentials)]
    #[allow(dead_code)]
    struct Keys {
        /// API keys
        #[credential(secret, split = ",")]
        api_keys: Vec<String>,
    }
    let loaded = Keys::load(&[("API_KEYS", "canary-key-one-aa11, canary-key-two-bb22")]).unwrap();
    let scrubber = loaded.scrubber();
    assert_eq!(scrubber.scrub("canary-key-two-bb22"), "[REDACTED:API_KEYS]");
    assert_eq!(scrubber.scrub("canary-key-one-aa11"), "[REDACTED:API_KEYS]");
}

#[test]
fn a_long_lived_writer_passes_on_each_line_scrubbed() {
    use std::io::Write;
    let scrubber = Arc::new(Scrubber::new([("API_TOKEN", TOKEN)]));
    let captured = common::Captured::default();
    let mut writer = ScrubWriter::new(captured.clone(), scrubber);
    write!(writer, "first {}", &TOKEN[..6]).unwrap();
    assert_eq!(captured.text(), "", "a line is kept until it ends");
    writeln!(writer, "{} done", &TOKEN[6..]).unwrap();
    assert_eq!(captured.text(), "first [REDACTED:API_TOKEN] done\n");
    write!(writer, "tail {TOKEN}").unwrap();
    drop(writer);
    assert_eq!(
        captured.text(),
        "first [REDACTED:API_TOKEN] done\ntail [REDACTED:API_TOKEN]"
    );
}

#[test]
fn the_forms_encoders_write_are_caught() {
    let secret = "ab~cd-é*f'g/h(i)";
    let scrubber = Scrubber::new([("S", secret)]);
    let forms = [
        r"ab%7Ecd-%C3%A9*f%27g%2Fh%28i%29", // a WHATWG form (the url crate's)
        r"ab~cd-%C3%A9*f'g%2Fh(i)",         // encodeURIComponent
        r"ab~cd-%C3%A9%2Af%27g/h%28i%29",   // Python's quote
        r"ab~cd-\u00e9*f'g/h(i)",           // Python's json.dumps
        r"ab~cd-é*f'g\/h(i)",               // PHP's json_encode
    ];
    for form in forms {
        assert_eq!(scrubber.scrub(form), "[REDACTED:S]", "{form}");
    }
}

#[test]
fn a_reference_s_secret_and_the_token_that_fetched_it_are_scrubbed() {
    #[derive(Credentials)]
    #[allow(dead_code)]
    struct FromVault {
        /// A plain setting, secret because a reference gave it
        region: String,
    }
    let bao = servers::Bao::start();
    bao.put("apps/scrub", &[("region", "canary-vault-region-7a")]);
    let vars = HashMap::from([
        ("VAULT_ADDR".to_owned(), bao.server.address.clone()),
        ("VAULT_TOKEN".to_owned(), bao.token.to_owned()),
        (
            "REGION".to_owned(),
            "vault://secret/apps/scrub#region".to_owned(),
        ),
    ]);
    let loaded = FromVault::load(&vars).unwrap();
    let scrubber = loaded.scrubber();
    let echoed = format!("region canary-vault-region-7a, token {}", bao.token);
    assert_eq!(
        scrubber.scrub(&echoed),
        "region [REDACTED:REGION], token [REDACTED:VAULT_TOKEN]"
    );
}
