//! docs/SECURITY.md's tables of bad inputs are this test's output: each row
//! is run here, and the document must show exactly what happens. After a
//! deliberate change, regenerate them with `CREDENV_BLESS=1 cargo test --test
//! security` and read the diff.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use credenv::{Credentials, SecretBox, SecretString, Source, Value};

const CANARY: &str = "canary-security-table";

#[derive(Credentials)]
#[credentials(profiles(
    select = "APP_ENV",
    dev(prefix = "DEV_", non_production),
    prod(prefix = "PROD_")
))]
struct Creds {
    /// API key
    #[credential(profiles(dev(default = "dev-key")))]
    api_key: SecretString,
    /// Port
    #[credential(default = 8080)]
    port: u16,
    #[credential(default = false)]
    debug: bool,
    #[credential(default = "30s")]
    timeout: std::time::Duration,
    #[credential(split = ",", default = "80")]
    ports: Vec<u16>,
    #[credential(validate = at_least_8)]
    name: Option<String>,
    #[credential(validate = quotes_it)]
    token: Option<SecretString>,
    pin: Option<SecretBox<u32>>,
    /// Optional webhook
    webhook: Option<String>,
}

fn at_least_8(name: &str) -> Result<(), String> {
    if name.len() >= 8 {
        Ok(())
    } else {
        Err(format!("{name:?} is shorter than 8 characters"))
    }
}

fn quotes_it(token: &SecretString) -> Result<(), String> {
    use credenv::ExposeSecret;
    Err(format!("{} is revoked", token.expose_secret()))
}

/// A source that answers one variable with bytes that are not UTF-8.
struct NotUnicode(&'static str);

impl Source for NotUnicode {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        (name == self.0).then(Value::not_unicode)
    }
}

/// Relative to the package, where tests run, so the table reads the same on
/// every machine.
fn dir() -> PathBuf {
    let dir = PathBuf::from("target/security-table");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file(name: &str, contents: &[u8]) -> String {
    let path = dir().join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// One bad input: what is given, and every message the load produces for it.
struct Case {
    input: String,
    result: String,
}

fn outcome(source: &dyn Source) -> String {
    match Creds::load(&source) {
        Err(err) => {
            let lines: Vec<String> = err
                .missing()
                .map(|m| format!("missing: {m}"))
                .chain(err.invalid().map(|i| format!("invalid: {i}")))
                .collect();
            lines.join("<br>")
        }
        Ok(loaded) => {
            let lines: Vec<String> = loaded
                .warnings()
                .iter()
                .map(|w| format!("warning: {w}"))
                .collect();
            lines.join("<br>")
        }
    }
}

fn cases() -> Vec<Case> {
    let big = file("big", &vec![b'x'; 64 * 1024 + 1]);
    let binary = file("binary", b"canary-\xff");
    let empty = file("empty", b"");
    let key = file("key", CANARY.as_bytes());
    let dir = dir().display().to_string();
    let long = "x".repeat(100);
    let env = |vars: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut all = vec![("DEV_API_KEY".to_owned(), "k".to_owned())];
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        all
    };
    let rows: Vec<(String, Box<dyn Source>)> = vec![
        (
            "`APP_ENV=prod`, `PROD_API_KEY` unset".into(),
            Box::new(vec![("APP_ENV", "prod")]),
        ),
        (
            "`APP_ENV=prod`, `PROD_API_KEY=` (empty)".into(),
            Box::new(vec![("APP_ENV", "prod"), ("PROD_API_KEY", "")]),
        ),
        ("`APP_ENV=qa`".into(), Box::new(vec![("APP_ENV", "qa")])),
        (
            "`DEV_PORT=http`".into(),
            Box::new(env(&[("DEV_PORT", "http")])),
        ),
        (
            "`DEV_PORT=70000`".into(),
            Box::new(env(&[("DEV_PORT", "70000")])),
        ),
        (
            "`DEV_PORT=` a 100-character value".into(),
            Box::new(env(&[("DEV_PORT", &long)])),
        ),
        (
            "`DEV_PORT=` a value with a newline and a quote".into(),
            Box::new(env(&[("DEV_PORT", "80\n\"")])),
        ),
        (
            "`DEV_DEBUG=maybe`".into(),
            Box::new(env(&[("DEV_DEBUG", "maybe")])),
        ),
        (
            "`DEV_TIMEOUT=30`".into(),
            Box::new(env(&[("DEV_TIMEOUT", "30")])),
        ),
        (
            "`DEV_PORTS=80,http`".into(),
            Box::new(env(&[("DEV_PORTS", "80,http")])),
        ),
        (
            "`DEV_NAME=short` (a validator)".into(),
            Box::new(env(&[("DEV_NAME", "short")])),
        ),
        (
            "`DEV_TOKEN=<secret>`, a validator quoting it".into(),
            Box::new(env(&[("DEV_TOKEN", CANARY)])),
        ),
        (
            "`DEV_PIN=<secret, not a number>`".into(),
            Box::new(env(&[("DEV_PIN", CANARY)])),
        ),
        (
            "`DEV_PORT` not UTF-8 (process environment)".into(),
            Box::new((NotUnicode("DEV_PORT"), env(&[]))),
        ),
        (
            "`DEV_API_KEY` and `DEV_API_KEY_FILE` both set".into(),
            Box::new(env(&[("DEV_API_KEY_FILE", &key)])),
        ),
        (
            "`DEV_WEBHOOK_FILE=` a missing file".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", "/nonexistent/webhook")])),
        ),
        (
            "`DEV_WEBHOOK_FILE=` a directory".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", &dir)])),
        ),
        (
            "`DEV_WEBHOOK_FILE=/dev/null` (a device; a FIFO, `/dev/stdin` alike)".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", "/dev/null")])),
        ),
        (
            "`DEV_PORT_FILE=` a file holding a secret, not a port".into(),
            Box::new(env(&[("DEV_PORT_FILE", &key)])),
        ),
        (
            "`DEV_WEBHOOK=vault://secret/app#k`, `VAULT_ADDR=http://vault.example.com`".into(),
            Box::new(env(&[
                ("DEV_WEBHOOK", "vault://secret/app#k"),
                ("VAULT_ADDR", "http://vault.example.com"),
                ("VAULT_TOKEN", CANARY),
            ])),
        ),
        (
            "`DEV_WEBHOOK_FILE=` a file over 64 KiB".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", &big)])),
        ),
        (
            "`DEV_WEBHOOK_FILE=` a file that is not UTF-8".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", &binary)])),
        ),
        (
            "`DEV_WEBHOOK_FILE=` an empty file".into(),
            Box::new(env(&[("DEV_WEBHOOK_FILE", &empty)])),
        ),
        (
            "`DEV_WEBHOOK=vault://secret` (malformed)".into(),
            Box::new(env(&[("DEV_WEBHOOK", "vault://secret")])),
        ),
        (
            "`DEV_TOKEN=op://<secret>`: a secret that looks like a malformed reference".into(),
            Box::new(env(&[("DEV_TOKEN", "op://canary-security-table")])),
        ),
        (
            "`DEV_WEBHOOK=op://v/i/f`, no `op` on `PATH`".into(),
            Box::new(env(&[
                ("PATH", "/nonexistent"),
                ("DEV_WEBHOOK", "op://v/i/f"),
            ])),
        ),
        (
            "`DEV_WEBHOOK=op://v/i/f`, `CREDENV_RESOLVE_TIMEOUT=soon`".into(),
            Box::new(env(&[
                ("CREDENV_RESOLVE_TIMEOUT", "soon"),
                ("DEV_WEBHOOK", "op://v/i/f"),
            ])),
        ),
        (
            "`PROD_API_KEY=k` while `APP_ENV` is unset (dev)".into(),
            Box::new(env(&[("PROD_API_KEY", "k")])),
        ),
        (
            "`DEV_API_KEY` unset in dev, which has a default".into(),
            Box::new(Vec::<(String, String)>::new()),
        ),
    ];
    rows.into_iter()
        .map(|(input, source)| {
            let result = outcome(&*source);
            assert!(!result.contains("canary"), "{input} leaks: {result}");
            Case {
                input,
                result: result.replace('|', "\\|"),
            }
        })
        .collect()
}

fn table() -> String {
    let mut out = String::from("| input | result |\n|---|---|\n");
    for case in cases() {
        out.push_str(&format!("| {} | {} |\n", case.input, case.result));
    }
    out
}

/// The compile-time cases: one trybuild file per mistake.
fn compile_table() -> String {
    let mut names: Vec<String> = std::fs::read_dir("tests/ui/fail")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
        .collect();
    names.sort();
    let mut out = String::from("| mistake | error (first line) |\n|---|---|\n");
    for name in names {
        let stderr = std::fs::read_to_string(format!("tests/ui/fail/{name}.stderr")).unwrap();
        let first = stderr.lines().next().unwrap_or("").replace('|', "\\|");
        out.push_str(&format!(
            "| [`{name}`](../tests/ui/fail/{name}.rs) | {first} |\n"
        ));
    }
    out
}

fn replace_between(doc: &str, marker: &str, body: &str) -> String {
    let start = format!("<!-- {marker}:start -->\n");
    let end = format!("<!-- {marker}:end -->");
    let a = doc
        .find(&start)
        .unwrap_or_else(|| panic!("docs/SECURITY.md lacks {start:?}"))
        + start.len();
    let b = doc
        .find(&end)
        .unwrap_or_else(|| panic!("docs/SECURITY.md lacks {end:?}"));
    format!("{}{body}{}", &doc[..a], &doc[b..])
}

#[test]
fn the_security_document_shows_what_each_bad_input_does() {
    let path = Path::new("docs/SECURITY.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let expected = replace_between(
        &replace_between(&doc, "bad-inputs", &table()),
        "compile-errors",
        &compile_table(),
    );
    if std::env::var_os("CREDENV_BLESS").is_some() {
        std::fs::write(path, &expected).unwrap();
    } else if expected != doc {
        let diff: Vec<_> = expected
            .lines()
            .zip(doc.lines())
            .filter(|(a, b)| a != b)
            .take(3)
            .collect();
        panic!(
            "docs/SECURITY.md is out of date (first differences: {diff:#?}); regenerate with CREDENV_BLESS=1 cargo test --test security"
        );
    }
}
