//! Loading from a real process environment, and what the process prints:
//! the probe binary runs with exactly the variables each test gives it, and
//! again with them among 1,000 others: a load reads it in one pass both
//! times, for a struct of one variable (`probe one`) as for several.

use std::ffi::OsStr;
use std::process::{Command, Output};

const CANARY: &str = "canary-7f3a9c-process";

/// Runs the probe twice, with the same result: with only `vars`, and padded
/// with 1,000 unrelated variables.
fn probe(mode: &str, vars: &[(&OsStr, &OsStr)]) -> Output {
    let run = |padding: usize| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_probe"));
        command.arg(mode).env_clear();
        command.envs((0..padding).map(|i| (format!("PAD_{i}_SERVICE_PORT"), "tcp://10.0.0.1:80")));
        for (name, value) in vars {
            command.env(name, value);
        }
        command.output().expect("the probe binary runs")
    };
    let alone = run(0);
    let padded = run(1000);
    assert_eq!(
        (alone.status, &alone.stdout, &alone.stderr),
        (padded.status, &padded.stdout, &padded.stderr),
        "a large environment reads as a small one"
    );
    alone
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn os(vars: &[(&'static str, &'static str)]) -> Vec<(&'static OsStr, &'static OsStr)> {
    vars.iter()
        .map(|(k, v)| (OsStr::new(*k), OsStr::new(*v)))
        .collect()
}

#[test]
fn from_env_or_exit_reports_to_stderr_and_exits_1_writing_nothing_to_stdout() {
    let out = probe("exit", &os(&[("PORT", "http"), ("WEBHOOK_KEY", CANARY)]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "", "stdout is the MCP protocol's");
    assert_eq!(
        text(&out.stderr),
        "error: missing required variables:\n  \
         - GITHUB_TOKEN: GitHub Personal Access Token\n\
         invalid variables:\n  \
         - WEBHOOK_KEY: expected u32 (value hidden: secret)\n  \
         - PORT: expected u16: invalid digit found in string (got \"http\")\n"
    );
}

#[test]
fn from_env_or_exit_prints_warnings_to_stderr_and_returns() {
    let out = probe("exit", &os(&[("GITHUB_TOKEN", CANARY)]));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "warning: optional SLACK_BOT_TOKEN is not set: Slack Bot Token (for notifications)\n\
         warning: optional WEBHOOK_KEY is not set: Webhook signing key\n"
    );
    assert_eq!(
        text(&out.stdout),
        "Creds { github_token: [REDACTED], slack_bot_token: None, webhook_key: None, port: 8080 }\n"
    );
}

#[test]
fn from_env_logs_warnings_through_tracing_at_warn_with_target_credenv() {
    let out = probe(
        "from-env",
        &os(&[
            ("GITHUB_TOKEN", CANARY),
            ("SLACK_BOT_TOKEN", CANARY),
            ("PORT", "9"),
        ]),
    );
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "WARN credenv: optional WEBHOOK_KEY is not set: Webhook signing key var=\"WEBHOOK_KEY\"",
        "{stderr}"
    );
    assert_eq!(
        text(&out.stdout),
        "Creds { github_token: [REDACTED], slack_bot_token: Some([REDACTED]), webhook_key: None, port: 9 }\n"
    );
}

#[cfg(unix)]
#[test]
fn a_non_utf8_value_is_reported_never_converted() {
    use std::os::unix::ffi::OsStrExt;
    let raw = OsStr::from_bytes(b"ghp-\xff-token");
    let out = probe(
        "from-env",
        &[
            (OsStr::new("GITHUB_TOKEN"), raw),
            (OsStr::new("PORT"), OsStr::from_bytes(b"80\xfe")),
        ],
    );
    assert_eq!(
        text(&out.stdout),
        "invalid variables:\n  - GITHUB_TOKEN: not valid UTF-8\n  - PORT: not valid UTF-8\n"
    );
    // A struct of one variable, in both environments.
    let out = probe("one", &[(OsStr::new("API_KEY"), raw)]);
    assert_eq!(
        text(&out.stdout),
        "invalid variables:\n  - API_KEY: not valid UTF-8\n"
    );
}

/// A value that starts like a reference is one, for a struct of several
/// variables and of one, in small and large environments: here a malformed
/// one is reported.
#[test]
fn a_reference_in_the_process_environment_is_seen() {
    let out = probe("from-env", &os(&[("GITHUB_TOKEN", "op://only-a-vault")]));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("GITHUB_TOKEN: malformed reference (value hidden: secret)"),
        "{stdout}"
    );
    let out = probe("one", &os(&[("API_KEY", "op://only-a-vault")]));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("API_KEY: malformed reference (value hidden: secret)"),
        "{stdout}"
    );
}

/// A struct of one variable, in both environments: a value, a `NAME_FILE`,
/// and both set.
#[test]
fn one_variable_loads_from_small_and_large_environments() {
    let out = probe("one", &os(&[("API_KEY", CANARY)]));
    assert_eq!(text(&out.stdout), "One { api_key: [REDACTED] }\n");
    let dir = std::env::temp_dir().join(format!("credenv-process-one-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("api_key");
    std::fs::write(&key, format!("{CANARY}\n")).unwrap();
    let out = probe("one", &[(OsStr::new("API_KEY_FILE"), key.as_os_str())]);
    assert_eq!(text(&out.stdout), "One { api_key: [REDACTED] }\n");
    let out = probe(
        "one",
        &os(&[("API_KEY", CANARY), ("API_KEY_FILE", "/nonexistent")]),
    );
    assert!(
        text(&out.stdout).contains("both API_KEY and API_KEY_FILE are set"),
        "{out:?}"
    );
}

#[test]
fn name_file_works_from_the_process_environment() {
    let dir = std::env::temp_dir().join(format!("credenv-process-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token = dir.join("github_token");
    std::fs::write(&token, format!("{CANARY}\n")).unwrap();
    let out = probe(
        "exit",
        &[(OsStr::new("GITHUB_TOKEN_FILE"), token.as_os_str())],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stdout).starts_with("Creds { github_token: [REDACTED],"));
}

/// A profile's own `NAME_FILE` (a name the default profile does not read)
/// is read in a small environment and in a large one.
#[test]
fn a_profile_s_name_file_works_from_the_process_environment() {
    let dir = std::env::temp_dir().join(format!("credenv-process-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("api_key");
    std::fs::write(&key, format!("{CANARY}\n")).unwrap();
    let out = probe(
        "profiled",
        &[
            (OsStr::new("MCP_ENV"), OsStr::new("production")),
            (OsStr::new("PROD_API_KEY_FILE"), key.as_os_str()),
        ],
    );
    assert!(
        text(&out.stdout).starts_with("Profiled { api_key: [REDACTED]"),
        "{}",
        text(&out.stdout)
    );
    // And set beside it, the variable itself is the both-set error.
    let out = probe(
        "profiled",
        &[
            (OsStr::new("MCP_ENV"), OsStr::new("production")),
            (OsStr::new("PROD_API_KEY"), OsStr::new(CANARY)),
            (OsStr::new("PROD_API_KEY_FILE"), key.as_os_str()),
        ],
    );
    assert!(text(&out.stdout).contains("both PROD_API_KEY and PROD_API_KEY_FILE are set"));
    assert!(!text(&out.stdout).contains("canary"));
}

#[test]
fn no_output_of_any_run_contains_a_secret() {
    let runs = [
        probe(
            "exit",
            &os(&[
                ("GITHUB_TOKEN", CANARY),
                ("SLACK_BOT_TOKEN", CANARY),
                ("WEBHOOK_KEY", CANARY),
            ]),
        ),
        probe(
            "from-env",
            &os(&[("GITHUB_TOKEN", CANARY), ("WEBHOOK_KEY", CANARY)]),
        ),
        probe(
            "exit",
            &os(&[
                ("GITHUB_TOKEN", CANARY),
                ("GITHUB_TOKEN_FILE", "/nonexistent"),
            ]),
        ),
    ];
    for out in runs {
        for stream in [&out.stdout, &out.stderr] {
            assert!(!text(stream).contains("canary"), "{}", text(stream));
        }
    }
}
