//! Templates and client configs generated from `vars()`: they parse, they
//! list every variable, and no secret (not even a development default)
//! reaches them.

// Read only through templates and `Debug`.
#![allow(dead_code)]

use credenv::mcp::ServerEntry;
use credenv::{Credentials, SecretString};

const CANARY: &str = "canary-3c7e0d-dev-default";

#[derive(Credentials)]
#[credentials(profiles(
    select = "APP_ENV",
    dev(prefix = "DEV_", non_production),
    prod(prefix = "PROD_")
))]
struct Creds {
    /// API key
    #[credential(profiles(dev(default = "canary-3c7e0d-dev-default")))]
    api_key: SecretString,
    /// A greeting, with "quotes", a # and spaces
    #[credential(default = "hello \"you\" # there")]
    greeting: String,
    /// Allowed hosts
    #[credential(split = ",", default = "a.example.com,b.example.com")]
    hosts: Vec<String>,
    /// Webhook | optional
    webhook: Option<String>,
}

#[test]
fn env_example_round_trips_through_the_dotenv_parser_for_every_profile() {
    for profile in ["dev", "prod"] {
        let vars = Creds::vars_for_profile(profile).unwrap();
        let text = credenv::template::env_example(vars);
        let parsed: Vec<(String, String)> = dotenvy::from_read_iter(text.as_bytes())
            .map(Result::unwrap)
            .collect();
        let expected: Vec<(String, String)> = vars
            .iter()
            .map(|v| (v.name().to_owned(), v.default().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(parsed, expected, "{text}");
        assert!(!text.contains("canary"), "{text}");
    }
    let text = credenv::template::env_example(Creds::vars_for_profile("prod").unwrap());
    assert!(
        text.contains(
            "# The profile to load: dev, prod (set to prod for this profile)\nAPP_ENV=prod\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("# API key (required, secret)\nPROD_API_KEY=\n"),
        "{text}"
    );
    assert!(
        text.contains("PROD_GREETING=\"hello \\\"you\\\" # there\"\n"),
        "{text}"
    );
    assert!(
        text.contains("(default a.example.com,b.example.com, a \",\"-separated list)"),
        "{text}"
    );
}

#[test]
fn configs_and_tables_list_every_variable_and_no_secret() {
    let vars = Creds::vars();
    let entry = ServerEntry::new("demo", "/bin/demo").args(["--stdio"]);
    let plain = entry.claude_desktop(vars);
    let op = entry.claude_desktop_1password(vars, "Vault", "demo");
    let table = credenv::template::markdown_table(vars);
    for text in [plain.to_string(), op.to_string(), table.clone()] {
        assert!(!text.contains("canary"), "{text}");
        for var in vars {
            assert!(
                text.contains(var.name()),
                "{} missing from {text}",
                var.name()
            );
        }
        let reparsed: serde_json::Value = serde_json::from_str(&plain.to_string()).unwrap();
        assert_eq!(reparsed, plain);
    }
    let server = &plain["mcpServers"]["demo"];
    assert_eq!(server["args"], serde_json::json!(["--stdio"]));
    assert_eq!(
        server["env"]["DEV_API_KEY"], "",
        "a dev secret default is not written: it is optional and empty"
    );
    assert_eq!(server["env"]["DEV_WEBHOOK"], "");
    assert_eq!(server["env"]["DEV_GREETING"], "hello \"you\" # there");
    assert_eq!(
        op["mcpServers"]["demo"]["args"],
        serde_json::json!(["run", "--", "/bin/demo", "--stdio"])
    );
    assert_eq!(
        op["mcpServers"]["demo"]["env"]["DEV_API_KEY"],
        "op://Vault/demo/DEV_API_KEY"
    );
    assert!(
        table.contains("| `DEV_WEBHOOK` | no | no |  | Webhook \\| optional |"),
        "{table}"
    );
}

#[test]
fn the_status_report_holds_no_value() {
    let loaded = Creds::load(&[
        ("APP_ENV", "prod"),
        ("PROD_API_KEY", CANARY),
        ("WEBHOOK", CANARY),
    ])
    .unwrap();
    let status = credenv::mcp::status(&loaded);
    assert_eq!(status["profile"], "prod");
    assert_eq!(status["credentials"][1]["status"], "set");
    assert_eq!(status["credentials"][2]["status"], "default");
    assert!(!status.to_string().contains("canary"), "{status}");
}
