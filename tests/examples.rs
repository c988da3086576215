//! The examples do what their documentation says. `cargo test` builds them
//! beside this test (in `target/<profile>/examples/`); run through
//! `./scripts/test`, or build them first.

use std::process::{Command, Output};

#[path = "support/common.rs"]
mod common;

fn example(name: &str, vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(common::example(name));
    command.env_clear();
    command.envs(vars.iter().copied());
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn quickstart_runs_with_no_credentials_and_shows_the_report_and_the_redaction() {
    let out = example("quickstart", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "missing required variables:\n  - GITHUB_TOKEN: GitHub Personal Access Token"
        )
    );
    assert!(stdout.contains(
        "Creds { github_token: [REDACTED], openai_key: [REDACTED], database_url: [REDACTED]"
    ));
    assert!(
        !stdout.contains("ghp-from-a-file")
            && !stdout.contains("sk-demo")
            && !stdout.contains("app:pw")
    );
}

#[test]
fn multi_env_loads_each_profile_and_fails_fast() {
    let dev = example("multi_env", &[]);
    assert!(dev.status.success());
    assert!(
        text(&dev.stdout)
            .contains("my-server-development calls http://localhost:8000/ (debug true)")
    );
    assert!(text(&dev.stderr).contains(
        "DEV_API_KEY is not set: using the development profile's development-only default"
    ));

    let prod = example(
        "multi_env",
        &[
            ("MCP_ENV", "production"),
            ("PROD_API_KEY", "sk-live-canary"),
        ],
    );
    assert!(prod.status.success());
    let stdout = text(&prod.stdout);
    assert!(stdout.contains("my-server-production calls https://api.example.com/ (debug false)"));
    assert!(stdout.contains("api_key: [REDACTED]") && !stdout.contains("canary"));

    let staging = example(
        "multi_env",
        &[("MCP_ENV", "staging"), ("STAGING_API_KEY", "s")],
    );
    assert!(
        text(&staging.stdout)
            .contains("my-server-staging calls https://staging-api.example.com/ (debug true)")
    );

    let missing = example("multi_env", &[("MCP_ENV", "production")]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(text(&missing.stdout), "");
    assert_eq!(
        text(&missing.stderr),
        "error: missing required variables (profile production):\n  - PROD_API_KEY: API key for the environment\n"
    );
}

#[test]
fn validation_stops_on_required_and_warns_on_optional() {
    let out = example("validation", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: missing required variables:\n  - GITHUB_TOKEN: GitHub Personal Access Token\n  - OPENAI_API_KEY: OpenAI API Key\n"
    );
    let out = example(
        "validation",
        &[("GITHUB_TOKEN", "g"), ("OPENAI_API_KEY", "o")],
    );
    assert!(out.status.success());
    assert_eq!(
        text(&out.stderr),
        "warning: optional SLACK_BOT_TOKEN is not set: Slack Bot Token (for notifications)\n\
         all required credentials validated; Slack notifications off\n"
    );
}

#[test]
fn single_key_and_multi_credential_fail_fast_then_start() {
    let out = example("single_key", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("MY_SERVICE_API_KEY: API key of My Service"));
    let out = example("single_key", &[("MY_SERVICE_API_KEY", "sk-canary")]);
    assert!(out.status.success());
    assert!(
        text(&out.stderr)
            .starts_with("ready: fetch_data would GET https://api.example.com/data?q=rust")
    );
    assert!(!text(&out.stderr).contains("canary") && text(&out.stdout).is_empty());

    let out = example("multi_credential", &[("GITHUB_TOKEN", "g")]);
    assert_eq!(out.status.code(), Some(1));
    let out = example(
        "multi_credential",
        &[
            ("GITHUB_TOKEN", "g"),
            ("OPENAI_API_KEY", "o"),
            ("DATABASE_URL", "pg"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}
