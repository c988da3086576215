//! What a newcomer met (issue "As a newcomer meets it"): declared checks, an
//! empty list, fixed names for a flattened group, reports that say where a
//! value came from, client configs in declaration order, `.env` beside the
//! executable. The compile-time half is in tests/ui/fail (misplaced
//! attributes, defaults that cannot parse, misused checks, flattening a
//! struct that is not a credentials struct).

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use credenv::{Check, Credentials, DotEnv, ExposeSecret, SecretString};

const CANARY: &str = "sk-canary-newcomer-77d1";

#[derive(Credentials)]
struct Checked {
    /// OpenAI API key
    #[credential(starts_with = "sk-", min_len = 20, max_len = 200)]
    openai_api_key: SecretString,
    /// Log level
    #[credential(one_of = ["debug", "info", "warn"], default = "info")]
    log_level: String,
    /// Port
    #[credential(min = 1024, max = 65535, default = 8080)]
    port: u16,
    /// Sampling ratio
    #[credential(min = 0.0, max = 1.0, default = 0.5)]
    ratio: f64,
    /// Allowed hosts
    #[credential(split = ",", min_items = 1, max_items = 3, max_len = 20)]
    hosts: Option<Vec<String>>,
}

fn invalid(err: &credenv::Error) -> Vec<String> {
    err.invalid().map(ToString::to_string).collect()
}

#[test]
fn declared_checks_pass_good_values() {
    let vars = [
        ("OPENAI_API_KEY", CANARY),
        ("LOG_LEVEL", "warn"),
        ("PORT", "65535"),
        ("RATIO", "1"),
        ("HOSTS", "a.example.com, b.example.com"),
    ];
    let creds = Checked::from_source(&vars).unwrap();
    assert_eq!(creds.openai_api_key.expose_secret(), CANARY);
    assert_eq!((creds.log_level.as_str(), creds.port), ("warn", 65535));
    assert_eq!(creds.hosts.unwrap().len(), 2);
}

#[test]
fn declared_checks_name_the_variable_and_never_a_secret() {
    let short = "sk-canary";
    let vars = [
        ("OPENAI_API_KEY", short),
        ("LOG_LEVEL", "loud"),
        ("PORT", "80"),
        ("RATIO", "1.5"),
        ("HOSTS", "a,b,c,d"),
    ];
    let err = Checked::from_source(&vars).unwrap_err();
    assert_eq!(
        invalid(&err),
        [
            "OPENAI_API_KEY: expected at least 20 characters, got 9",
            "LOG_LEVEL: expected one of debug, info, warn (got \"loud\")",
            "PORT: expected u16, at least 1024, at most 65535 (got \"80\")",
            "RATIO: expected f64, at least 0.0, at most 1.0 (got \"1.5\")",
            "HOSTS: expected at most 3 items, got 4",
        ]
    );
    let vars = [
        ("OPENAI_API_KEY", "pk-canary-newcomer-77d1-long"),
        ("HOSTS", "a,this-host-name-is-too-long"),
    ];
    let err = Checked::from_source(&vars).unwrap_err();
    assert_eq!(
        invalid(&err),
        [
            "OPENAI_API_KEY: expected a value starting with \"sk-\"",
            "HOSTS: item 2: expected at most 20 characters, got 26 (got \"this-host-name-is-too-long\")",
        ]
    );
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("canary"), "{shown}");
    // A parse error keeps its own message beside the bounds.
    let err = Checked::from_source(&[("OPENAI_API_KEY", CANARY), ("PORT", "http")]).unwrap_err();
    assert_eq!(
        invalid(&err),
        [
            "PORT: expected u16, at least 1024, at most 65535: invalid digit found in string (got \"http\")"
        ]
    );
}

#[test]
fn declared_checks_appear_in_vars_and_templates() {
    let vars = Checked::vars();
    assert_eq!(
        vars[0].checks(),
        [
            Check::StartsWith("sk-"),
            Check::MinLen(20),
            Check::MaxLen(200)
        ]
    );
    assert_eq!(vars[2].checks(), [Check::Min("1024"), Check::Max("65535")]);
    let template = credenv::template::env_example(vars);
    assert!(
        template.contains(
            "# OpenAI API key (required, secret, a value starting with \"sk-\", at least 20 characters, at most 200 characters)\n"
        ),
        "{template}"
    );
    assert!(
        template.contains("# Log level (default info, one of debug, info, warn)\n"),
        "{template}"
    );
}

#[derive(Credentials)]
struct Lists {
    /// Scopes
    #[credential(split = ",")]
    scopes: Vec<String>,
    /// Tags
    #[credential(split = ",")]
    tags: Option<Vec<String>>,
}

#[test]
fn a_list_with_no_items_is_unset() {
    let err = Lists::from_source(&[("SCOPES", ",,,"), ("TAGS", " , ")]).unwrap_err();
    assert_eq!(
        err.missing().map(|m| m.var()).collect::<Vec<_>>(),
        ["SCOPES"]
    );
    let loaded = Lists::load(&[("SCOPES", "read"), ("TAGS", ",")]).unwrap();
    assert_eq!(loaded.tags, None);
    assert_eq!(loaded.origin("TAGS"), Some(&credenv::Origin::Unset));
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["optional TAGS is not set: Tags"]);
}

#[derive(Credentials)]
struct Cache {
    /// Cache URL
    url: String,
}

#[derive(Credentials)]
#[credentials(prefix = "MYAPP_")]
struct App {
    /// Token
    token: String,
    /// The cache, whose variables have names of their own (`REDIS_URL`)
    #[credential(flatten, exact_prefix = "REDIS_")]
    cache: Cache,
    /// Under the struct's prefix, as usual
    #[credential(flatten, prefix = "DB_")]
    db: Cache,
}

#[test]
fn a_flattened_group_can_keep_names_of_its_own() {
    let names: Vec<&str> = App::vars().iter().map(|v| v.name()).collect();
    assert_eq!(names, ["MYAPP_TOKEN", "REDIS_URL", "MYAPP_DB_URL"]);
    let app = App::from_source(&[
        ("MYAPP_TOKEN", "t"),
        ("REDIS_URL", "redis://cache"),
        ("MYAPP_DB_URL", "postgres://db"),
    ])
    .unwrap();
    assert_eq!(app.cache.url, "redis://cache");
}

#[test]
fn a_report_names_where_a_bad_value_came_from() {
    let dotenv = DotEnv::from_reader(&b"PORT=eighty\n"[..], "app/.env").unwrap();
    #[derive(Credentials)]
    struct Port {
        /// Port
        port: u16,
    }
    let err = Port::from_source(&dotenv).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid variables:\n  - PORT (from .env file app/.env): expected u16 (value hidden: read from a file)"
    );
}

#[test]
fn client_configs_keep_declaration_order() {
    #[derive(Credentials)]
    struct Ordered {
        /// Zeta
        zeta_token: SecretString,
        /// Alpha
        alpha_token: SecretString,
        #[credential(default = 1)]
        middle: u8,
    }
    let config = credenv::mcp::ServerEntry::new("srv", "/bin/srv").claude_desktop(Ordered::vars());
    let text = config.to_string();
    let keys = [
        "\"command\"",
        "\"args\"",
        "\"env\"",
        "ZETA_TOKEN",
        "ALPHA_TOKEN",
        "MIDDLE",
    ];
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn dotenv_can_be_found_where_mcp_clients_do_not_look() {
    // MCP clients often start servers in `/`: a `.env` beside the executable,
    // or named by a variable, is found whatever the working directory.
    let beside = DotEnv::beside_executable(".env-credenv-test-absent").unwrap();
    assert_eq!(beside.vars().len(), 0);
    let dir = std::env::temp_dir().join(format!("credenv-newcomer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("server.env");
    std::fs::write(&path, "API_KEY=k-1\n").unwrap();
    let path_text = path.display().to_string();
    let named = DotEnv::from_path_in(&[("APP_DOTENV", path_text.as_str())], "APP_DOTENV").unwrap();
    assert_eq!(named.vars().len(), 1);
    let unset = DotEnv::from_path_in(&[("OTHER", "x")], "APP_DOTENV").unwrap();
    assert_eq!(unset.vars().len(), 0);
    let missing = DotEnv::from_path_in(&[("APP_DOTENV", "/nonexistent/x.env")], "APP_DOTENV");
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("/nonexistent/x.env")
    );
}
