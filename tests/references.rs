//! Secret references in values, resolved at load time: `op://` through a
//! stand-in `op` CLI (tests/support/op) that follows `op read`'s contract.
//! Vault and AWS Secrets Manager, against real servers: tests/vault.rs and
//! tests/aws.rs.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use credenv::{Credentials, ExposeSecret, Origin, SecretString};

const CANARY: &str = "canary-op-51c8e0";

/// A directory holding the stand-in `op` and its items; `PATH` for a load.
struct Op {
    dir: PathBuf,
    path: String,
}

impl Op {
    fn new(name: &str, items: &[(&str, &str)]) -> Op {
        let dir = std::env::temp_dir().join(format!("credenv-op-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(Path::new("tests/support/op"), dir.join("op")).unwrap();
        let items: String = items.iter().map(|(r, v)| format!("{r}={v}\n")).collect();
        std::fs::write(dir.join("items.txt"), items).unwrap();
        let path = format!(
            "{}:{}",
            dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Op { dir, path }
    }

    fn calls(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.join("calls.log")).unwrap_or_default();
        log.lines().map(str::to_owned).collect()
    }
}

#[derive(Credentials)]
struct Creds {
    /// GitHub token
    github_token: SecretString,
    /// OpenAI key
    openai_key: Option<SecretString>,
    #[credential(default = 8080)]
    port: u16,
}

#[test]
fn op_references_resolve_through_op_read() {
    let op = Op::new(
        "ok",
        &[
            ("op://Private/github/token", CANARY),
            ("op://Private/openai/key", "sk-1"),
        ],
    );
    let vars = [
        ("PATH", op.path.as_str()),
        ("GITHUB_TOKEN", "op://Private/github/token"),
        ("OPENAI_KEY", "op://Private/openai/key"),
        ("PORT", "9000"),
    ];
    let loaded = Creds::load(&vars).unwrap();
    assert_eq!(loaded.github_token.expose_secret(), CANARY);
    assert_eq!(loaded.openai_key.as_ref().unwrap().expose_secret(), "sk-1");
    assert_eq!(
        loaded.origin("GITHUB_TOKEN"),
        Some(&Origin::Reference("op://Private/github/token".into()))
    );
    assert_eq!(
        loaded.origin("GITHUB_TOKEN").unwrap().to_string(),
        "reference op://Private/github/token"
    );
    assert_eq!(loaded.origin("PORT"), Some(&Origin::Env));
    assert!(!format!("{:?} {:?}", *loaded, loaded.warnings()).contains("canary"));
}

#[test]
fn references_resolve_concurrently() {
    let op = Op::new("concurrent", &[]);
    let vars = [
        ("PATH", op.path.as_str()),
        ("GITHUB_TOKEN", "op://Private/a/slow"),
        ("OPENAI_KEY", "op://Private/b/slow"),
    ];
    let _ = Creds::from_source(&vars);
    let calls = op.calls();
    // Both calls started before either ended.
    let first_end = calls.iter().position(|c| c.starts_with("end")).unwrap();
    assert_eq!(
        calls.iter().filter(|c| c.starts_with("start")).count(),
        2,
        "{calls:?}"
    );
    assert!(
        calls[..first_end].iter().all(|c| c.starts_with("start")) && first_end == 2,
        "{calls:?}"
    );
}

#[test]
fn every_reference_fault_is_an_invalid_variable_beside_the_other_problems() {
    let op = Op::new("faults", &[]);
    let vars = [
        ("PATH", op.path.as_str()),
        ("CREDENV_RESOLVE_TIMEOUT", "1s"),
        ("GITHUB_TOKEN", "op://Private/github/token"),
        ("OPENAI_KEY", "op://Private/openai/slow"),
        ("PORT", "not-a-port"),
    ];
    let err = Creds::from_source(&vars).unwrap_err();
    let invalid: Vec<String> = err.invalid().map(ToString::to_string).collect();
    assert_eq!(
        invalid,
        [
            "GITHUB_TOKEN: op://Private/github/token: op read failed (exit status: 1): [ERROR] 2026/11/26 12:00:00 \
             could not read secret 'op://Private/github/token': \"Private/github/token\" isn't an item in any vault",
            "OPENAI_KEY: op://Private/openai/slow: op read did not finish within 1s",
            "PORT: expected u16: invalid digit found in string (got \"not-a-port\")",
        ]
    );
}

#[test]
fn a_missing_op_a_bad_answer_and_a_malformed_reference_are_reported() {
    let empty = std::env::temp_dir().join(format!("credenv-op-none-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let op = Op::new("bad", &[]);
    let vars = [
        ("PATH", empty.to_str().unwrap()),
        ("GITHUB_TOKEN", "op://Private/github/token"),
        ("OPENAI_KEY", "op://Private"),
    ];
    let invalid: Vec<String> = Creds::from_source(&vars)
        .unwrap_err()
        .invalid()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        invalid,
        [
            "GITHUB_TOKEN: op://Private/github/token: the 1Password CLI (op) is not installed or not on PATH",
            // A secret's value is not quoted, even a malformed reference.
            "OPENAI_KEY: malformed reference (value hidden: secret): write op://<vault>/<item>/[<section>/]<field>",
        ]
    );
    let vars = [
        ("PATH", op.path.as_str()),
        ("GITHUB_TOKEN", "op://Private/x/binary"),
    ];
    let err = Creds::from_source(&vars).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid variables:\n  - GITHUB_TOKEN: op://Private/x/binary: op read printed a value that is not valid UTF-8"
    );
    let vars = [
        ("CREDENV_RESOLVE_TIMEOUT", "soon"),
        ("GITHUB_TOKEN", "op://Private/github/token"),
    ];
    let err = Creds::from_source(&vars).unwrap_err();
    assert_eq!(
        err.invalid().next().unwrap().reason(),
        "op://Private/github/token: CREDENV_RESOLVE_TIMEOUT is not a duration (got \"soon\")"
    );
}

#[test]
fn references_work_from_any_source_and_inside_an_async_runtime() {
    let op = Op::new("runtime", &[("op://Private/github/token", "t-1")]);
    let dir = op.dir.join("secrets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("GITHUB_TOKEN"), "op://Private/github/token\n").unwrap();
    let path = [("PATH", op.path.clone())];
    let load = || Creds::load(&(path.clone(), credenv::SecretsDir::new(&dir))).unwrap();
    assert_eq!(load().github_token.expose_secret(), "t-1");
    for runtime in [
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap(),
    ] {
        // As an rmcp server would load, from inside its runtime.
        let token = runtime.block_on(async { load().github_token.expose_secret().to_owned() });
        assert_eq!(token, "t-1");
    }
}

#[test]
fn a_service_account_token_is_passed_to_op_and_never_shown() {
    let op = Op::new("service-account", &[("op://CI/github/token", CANARY)]);
    let token = "ops_canary-service-account-token";
    let vars = [
        ("PATH", op.path.as_str()),
        ("OP_SERVICE_ACCOUNT_TOKEN", token),
        ("GITHUB_TOKEN", "op://CI/github/token"),
    ];
    let loaded = Creds::load(&vars).unwrap();
    assert_eq!(loaded.github_token.expose_secret(), CANARY);
    assert!(
        op.calls()
            .contains(&"service-account op://CI/github/token".to_owned()),
        "{:?}",
        op.calls()
    );

    let wrong = [
        ("PATH", op.path.as_str()),
        ("OP_SERVICE_ACCOUNT_TOKEN", "canary-not-a-token"),
        ("GITHUB_TOKEN", "op://CI/github/token"),
    ];
    let err = Creds::from_source(&wrong).unwrap_err();
    let report = format!("{err} {err:?}");
    assert!(!report.contains("canary"), "{report}");
    assert!(report.contains("invalid service account token"), "{report}");
}
