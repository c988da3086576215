//! `vault://` references against a real OpenBao server (dev mode) on
//! loopback, started by the test from the `bao` that ./scripts/test installs.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/servers.rs"]
mod servers;

use credenv::{Credentials, ExposeSecret, Origin, SecretString};
use servers::Bao;

const CANARY: &str = "canary-vault-6f01d3";

#[derive(Credentials)]
struct Creds {
    /// API key
    api_key: SecretString,
    /// Webhook secret
    webhook_secret: Option<SecretString>,
    #[credential(default = 8080)]
    port: u16,
}

#[test]
fn vault_references_resolve_against_openbao() {
    let bao = Bao::start();
    bao.put("apps/web", &[("api_key", CANARY), ("port", "8443")]);
    bao.put("apps/hooks", &[("secret", "whsec-1")]);
    let vars = [
        ("VAULT_ADDR", bao.server.address.as_str()),
        ("VAULT_TOKEN", bao.token),
        ("API_KEY", "vault://secret/apps/web#api_key"),
        ("WEBHOOK_SECRET", "vault://secret/apps/hooks#secret"),
        ("PORT", "vault://secret/apps/web#port"),
    ];
    let loaded = Creds::load(&vars).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(
        loaded.webhook_secret.as_ref().unwrap().expose_secret(),
        "whsec-1"
    );
    assert_eq!(loaded.port, 8443);
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::Reference("vault://secret/apps/web#api_key".into()))
    );
    let out = format!(
        "{:?} {:?} {:?}",
        *loaded,
        loaded.warnings(),
        loaded.origins().collect::<Vec<_>>()
    );
    assert!(!out.contains("canary"), "{out}");

    // From inside an async runtime, as an rmcp server loads.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let port = runtime.block_on(async { Creds::from_source(&vars).unwrap().port });
    assert_eq!(port, 8443);

    // OpenBao's own names work too.
    let vars = [
        ("BAO_ADDR", bao.server.address.as_str()),
        ("BAO_TOKEN", bao.token),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    assert_eq!(
        Creds::from_source(&vars).unwrap().api_key.expose_secret(),
        CANARY
    );
}

#[test]
fn every_vault_fault_is_an_invalid_variable_naming_the_reference() {
    let bao = Bao::start();
    bao.put("apps/web", &[("api_key", CANARY)]);
    let address = bao.server.address.as_str();

    let wrong_token = [
        ("VAULT_ADDR", address),
        ("VAULT_TOKEN", "wrong-canary-token"),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let faults = [
        ("VAULT_ADDR", address),
        ("VAULT_TOKEN", bao.token),
        ("API_KEY", "vault://secret/apps/missing#api_key"),
        ("WEBHOOK_SECRET", "vault://secret/apps/web#no_such_key"),
        ("PORT", "vault://secret"),
    ];
    let down = format!("http://127.0.0.1:{}", servers::free_port());
    let unreachable = [
        ("VAULT_ADDR", down.as_str()),
        ("VAULT_TOKEN", bao.token),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let silent = format!("http://127.0.0.1:{}", servers::silent_port());
    let slow = [
        ("VAULT_ADDR", silent.as_str()),
        ("VAULT_TOKEN", bao.token),
        ("CREDENV_RESOLVE_TIMEOUT", "1s"),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let unconfigured = [("API_KEY", "vault://secret/apps/web#api_key")];
    let no_token = [
        ("VAULT_ADDR", address),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];

    let reasons = |vars: &[(&str, &str)]| -> Vec<String> {
        let err = Creds::from_source(vars).unwrap_err();
        let report = format!("{err} {err:?}");
        assert!(!report.contains("canary"), "{report}");
        err.invalid().map(ToString::to_string).collect()
    };
    assert_eq!(
        reasons(&wrong_token),
        [
            "API_KEY: vault://secret/apps/web#api_key: Vault denied access to secret/apps/web (403 Forbidden): check VAULT_TOKEN and its policy"
        ]
    );
    assert_eq!(
        reasons(&faults),
        [
            "API_KEY: vault://secret/apps/missing#api_key: no secret at secret/apps/missing (404 Not Found)".to_owned(),
            "WEBHOOK_SECRET: vault://secret/apps/web#no_such_key: no key \"no_such_key\" in secret/apps/web".to_owned(),
            "PORT: malformed reference \"vault://secret\": write vault://<mount>/<path>#<key>".to_owned(),
        ]
    );
    assert_eq!(
        reasons(&unreachable),
        [format!(
            "API_KEY: vault://secret/apps/web#api_key: cannot reach Vault at {down}"
        )]
    );
    assert_eq!(
        reasons(&slow),
        [format!(
            "API_KEY: vault://secret/apps/web#api_key: Vault at {silent} did not answer within 1s"
        )]
    );
    assert_eq!(
        reasons(&unconfigured),
        ["API_KEY: vault://secret/apps/web#api_key: VAULT_ADDR (or BAO_ADDR) is not set"]
    );
    assert_eq!(
        reasons(&no_token),
        [
            "API_KEY: vault://secret/apps/web#api_key: VAULT_TOKEN (or BAO_TOKEN) is not set, nor VAULT_AUTH_METHOD to log in with"
        ]
    );
}

/// A whole KV path as a bundle: its keys supply the struct's variables.
#[derive(Credentials)]
#[credentials(bundle = "APP_SECRETS")]
struct Bundled {
    /// API key
    api_key: SecretString,
    /// Database URL
    #[credential(secret)]
    database_url: String,
    #[credential(default = 8080)]
    port: u16,
    region: Option<String>,
}

#[test]
fn a_vault_path_is_a_bundle_under_the_environment() {
    let bao = Bao::start();
    bao.put(
        "apps/web",
        &[
            ("api_key", CANARY),
            ("database_url", "postgres://db"),
            ("port", "9443"),
            ("unused", "x"),
        ],
    );
    let address = bao.server.address.as_str();
    let vars = [
        ("VAULT_ADDR", address),
        ("VAULT_TOKEN", bao.token),
        ("APP_SECRETS", "vault://secret/apps/web"),
        ("PORT", "7000"),
    ];
    let loaded = Bundled::load(&vars).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(loaded.database_url, "postgres://db");
    assert_eq!(loaded.port, 7000, "the environment wins over the bundle");
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::Bundle("vault://secret/apps/web".into()))
    );
    assert_eq!(loaded.origin("APP_SECRETS"), Some(&Origin::Env));
    assert_eq!(
        loaded
            .warnings()
            .iter()
            .map(|w| w.var())
            .collect::<Vec<_>>(),
        ["REGION"]
    );
    assert_eq!(Bundled::vars()[0].role(), credenv::Role::Bundle);

    // Without the bundle variable, the variables come from the source alone.
    let err = Bundled::from_source(&[("VAULT_ADDR", address)]).unwrap_err();
    assert_eq!(
        err.missing().map(|m| m.var()).collect::<Vec<_>>(),
        ["API_KEY", "DATABASE_URL"]
    );
}

#[test]
fn bundle_faults_are_the_bundle_variables_problem_beside_the_others() {
    let bao = Bao::start();
    bao.put("apps/partial", &[("api_key", "k")]);
    let address = bao.server.address.as_str();
    let problems = |bundle: &str, token: &str| {
        let vars = [
            ("VAULT_ADDR", address),
            ("VAULT_TOKEN", token),
            ("APP_SECRETS", bundle),
            ("PORT", "x"),
        ];
        let err = Bundled::from_source(&vars).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("canary"));
        let missing: Vec<String> = err.missing().map(|m| m.var().to_owned()).collect();
        let invalid: Vec<String> = err.invalid().map(ToString::to_string).collect();
        (missing, invalid)
    };
    // A key absent from the bundle: that variable is missing.
    let (missing, invalid) = problems("vault://secret/apps/partial", bao.token);
    assert_eq!(missing, ["DATABASE_URL"]);
    let err = Bundled::from_source(&[
        ("VAULT_ADDR", address),
        ("VAULT_TOKEN", bao.token),
        ("APP_SECRETS", "vault://secret/apps/partial"),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing required variables:\n  - DATABASE_URL: Database URL (not in the bundle \
         vault://secret/apps/partial either)"
    );
    assert_eq!(
        invalid,
        ["PORT: expected u16: invalid digit found in string (got \"x\")"]
    );
    let (missing, invalid) = problems("vault://secret/apps/none", bao.token);
    assert_eq!(missing, ["API_KEY", "DATABASE_URL"]);
    assert_eq!(
        invalid[0],
        "APP_SECRETS: vault://secret/apps/none: no secret at secret/apps/none (404 Not Found)"
    );
    let (_, invalid) = problems("vault://secret/apps/partial", "canary-wrong-token");
    assert!(
        invalid[0].starts_with("APP_SECRETS: vault://secret/apps/partial: Vault denied access"),
        "{invalid:?}"
    );
    let (_, invalid) = problems("vault://secret/apps/partial#api_key", bao.token);
    assert_eq!(
        invalid[0],
        "APP_SECRETS: \"vault://secret/apps/partial#api_key\" is not a bundle: write vault://<mount>/<path> or \
         aws-sm://<name-or-arn>, without a #key"
    );
}

#[test]
fn the_cli_token_file_is_read_when_no_token_is_set_and_keeps_its_layer() {
    let bao = Bao::start();
    bao.put("apps/web", &[("api_key", CANARY)]);
    let address = bao.server.address.as_str();
    let home = std::env::temp_dir().join(format!(
        "credenv-vault-home-{}-{}",
        std::process::id(),
        bao.server.port
    ));
    std::fs::create_dir_all(&home).unwrap();
    // `vault login` and `bao login` leave the token there, with a newline.
    std::fs::write(home.join(".vault-token"), format!("{}\n", bao.token)).unwrap();
    let home = home.to_str().unwrap();
    let vars = [
        ("HOME", home),
        ("VAULT_ADDR", address),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    assert_eq!(
        Creds::from_source(&vars).unwrap().api_key.expose_secret(),
        CANARY
    );

    // A repository's `.env` naming the address never receives the file's
    // token, which counts as the environment's.
    let dotenv = credenv::DotEnv::from_reader(
        format!("VAULT_ADDR={address}\nAPI_KEY=vault://secret/apps/web#api_key\n").as_bytes(),
        "repo/.env",
    )
    .unwrap();
    let err = Creds::from_source(&([("HOME", home)], dotenv)).unwrap_err();
    assert!(
        err.to_string().contains(
            "the reference comes from the .env file repo/.env but VAULT_TOKEN from the environment"
        ),
        "{err}"
    );
    let dotenv =
        credenv::DotEnv::from_reader(format!("VAULT_ADDR={address}\n").as_bytes(), "repo/.env")
            .unwrap();
    let env = [
        ("HOME", home),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let err = Creds::from_source(&(env, dotenv)).unwrap_err();
    assert!(
        err.to_string().contains(
            "VAULT_ADDR comes from the .env file repo/.env but VAULT_TOKEN from the environment"
        ),
        "{err}"
    );

    // A login method set: the file is not read.
    let login = [
        ("HOME", home),
        ("VAULT_ADDR", address),
        ("VAULT_AUTH_METHOD", "approle"),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let err = Creds::from_source(&login).unwrap_err();
    assert!(
        err.to_string()
            .contains("VAULT_ROLE_ID (the AppRole's role id) is not set"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(bao.token));
}

#[cfg(unix)]
#[test]
fn a_token_file_that_is_a_fifo_is_a_named_error_not_a_hang() {
    let home = std::env::temp_dir().join(format!("credenv-vault-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let fifo = home.join(".vault-token");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let vars = [
        ("HOME", home.to_str().unwrap()),
        ("VAULT_ADDR", "http://127.0.0.1:1"),
        ("API_KEY", "vault://secret/apps/web#api_key"),
    ];
    let err = Creds::from_source(&vars).unwrap_err();
    assert_eq!(
        err.invalid().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "API_KEY: vault://secret/apps/web#api_key: VAULT_TOKEN: cannot read {}: not a regular file (a FIFO)",
            fifo.display()
        )]
    );
}
