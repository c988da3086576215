//! Every MCP client's configuration from one struct (credenv::mcp), checked
//! field by field against each client's documented format; MCPB's own
//! validator (`mcpb validate`, npm) on the bundle manifest; the MCP
//! Inspector starting the example server from each generated configuration;
//! unexpanded client placeholders caught at load time; and the `--check`
//! command line, with canaries set.

#[path = "support/common.rs"]
mod common;
#[path = "support/servers.rs"]
mod servers;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use credenv::mcp::{Cli, Client, ServerEntry};

use credenv::{Credentials, InvalidKind, SecretString};
use serde_json::{Value, json};

const TOKEN: &str = "canary-clients-token-5e3a";

#[derive(Credentials)]
#[allow(dead_code)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// Slack Bot Token (for notifications)
    slack_bot_token: Option<SecretString>,
    /// Port of the upstream API
    #[credential(default = 8080)]
    port: u16,
    /// Organization to act for
    org: String,
    /// Verbose logs
    #[credential(default = false)]
    verbose: bool,
    /// Where the cache lives
    cache_dir: Option<PathBuf>,
}

#[derive(Credentials)]
#[credentials(profiles(
    select = "APP_ENV",
    default = "dev",
    dev(prefix = "DEV_", non_production),
    prod(prefix = "PROD_")
))]
#[allow(dead_code)]
struct Profiled {
    /// API key
    #[credential(profiles(dev(default = "canary-dev-default-key")))]
    api_key: SecretString,
}

fn entry() -> ServerEntry {
    ServerEntry::new("github", "/usr/local/bin/github-mcp")
        .args(["--stdio"])
        .version("1.2.3")
        .description("GitHub tools")
        .author("Octo Cat")
        .registry("io.github.octocat/github-mcp", "npm", "@octocat/github-mcp")
}

fn example() -> PathBuf {
    common::example("mcp_server")
}

#[test]
fn claude_desktop_and_claude_code_configs_follow_their_formats() {
    let config = entry().claude_desktop(Creds::vars());
    let server = &config["mcpServers"]["github"];
    assert_eq!(server["command"], "/usr/local/bin/github-mcp");
    assert_eq!(server["args"], json!(["--stdio"]));
    assert_eq!(
        server["env"],
        json!({
            "GITHUB_TOKEN": "<GitHub Personal Access Token>",
            "SLACK_BOT_TOKEN": "",
            "PORT": "8080",
            "ORG": "<Organization to act for>",
            "VERBOSE": "false",
            "CACHE_DIR": "",
        })
    );

    let config = entry().claude_code(Creds::vars());
    let server = &config["mcpServers"]["github"];
    assert_eq!(server["type"], "stdio");
    assert_eq!(server["command"], "/usr/local/bin/github-mcp");
    assert_eq!(
        server["env"],
        json!({
            "GITHUB_TOKEN": "${GITHUB_TOKEN:-}",
            "SLACK_BOT_TOKEN": "${SLACK_BOT_TOKEN:-}",
            "PORT": "${PORT:-8080}",
            "ORG": "${ORG:-}",
            "VERBOSE": "${VERBOSE:-false}",
            "CACHE_DIR": "${CACHE_DIR:-}",
        })
    );
    let add = entry().claude_code_add(Creds::vars());
    assert!(
        add.starts_with(
            "claude mcp add --scope project --transport stdio github --env 'GITHUB_TOKEN=${GITHUB_TOKEN:-}' "
        ),
        "{add}"
    );
    assert!(
        add.ends_with(" -- /usr/local/bin/github-mcp --stdio"),
        "{add}"
    );
    assert_eq!(add, entry().config(Client::ClaudeCodeAdd, Creds::vars()));
}

#[test]
fn vscode_asks_for_secrets_as_password_inputs() {
    let config = entry().vscode(Creds::vars());
    let server = &config["servers"]["github"];
    assert_eq!(server["type"], "stdio");
    assert_eq!(server["args"], json!(["--stdio"]));
    assert_eq!(
        config["inputs"],
        json!([
            {"type": "promptString", "id": "github-token", "description": "GitHub Personal Access Token", "password": true},
            {"type": "promptString", "id": "slack-bot-token", "description": "Slack Bot Token (for notifications)", "password": true},
            {"type": "promptString", "id": "org", "description": "Organization to act for", "password": false},
        ])
    );
    assert_eq!(
        server["env"],
        json!({
            "GITHUB_TOKEN": "${input:github-token}",
            "SLACK_BOT_TOKEN": "${input:slack-bot-token}",
            "PORT": "8080",
            "ORG": "${input:org}",
            "VERBOSE": "false",
            "CACHE_DIR": "",
        })
    );
}

#[test]
fn cursor_reads_the_variables_from_the_environment() {
    let config = entry().cursor(Creds::vars());
    let server = &config["mcpServers"]["github"];
    assert_eq!(server["command"], "/usr/local/bin/github-mcp");
    assert_eq!(
        server["env"],
        json!({
            "GITHUB_TOKEN": "${env:GITHUB_TOKEN}",
            "SLACK_BOT_TOKEN": "${env:SLACK_BOT_TOKEN}",
            "PORT": "8080",
            "ORG": "${env:ORG}",
            "VERBOSE": "false",
            "CACHE_DIR": "${env:CACHE_DIR}",
        })
    );
    // A profile's file selects that profile.
    let config = entry().cursor(Profiled::vars_for_profile("prod").unwrap());
    assert_eq!(config["mcpServers"]["github"]["env"]["APP_ENV"], "prod");
}

#[test]
fn the_bundle_manifest_has_a_user_config_entry_per_variable() {
    let manifest = entry().mcpb_manifest(Creds::vars());
    assert_eq!(manifest["manifest_version"], "0.3");
    assert_eq!(manifest["name"], "github");
    assert_eq!(manifest["version"], "1.2.3");
    assert_eq!(manifest["description"], "GitHub tools");
    assert_eq!(manifest["author"], json!({"name": "Octo Cat"}));
    assert_eq!(manifest["server"]["type"], "binary");
    assert_eq!(manifest["server"]["entry_point"], "server/github-mcp");
    let config = &manifest["server"]["mcp_config"];
    assert_eq!(config["command"], "${__dirname}/server/github-mcp");
    assert_eq!(config["env"]["GITHUB_TOKEN"], "${user_config.github_token}");
    let user = &manifest["user_config"];
    assert_eq!(
        user["github_token"],
        json!({"type": "string", "title": "GITHUB_TOKEN", "description": "GitHub Personal Access Token", "required": true, "sensitive": true})
    );
    assert_eq!(user["port"]["type"], "number");
    assert_eq!(user["port"]["default"], 8080);
    assert_eq!(user["verbose"]["type"], "boolean");
    assert_eq!(user["verbose"]["default"], false);
    assert_eq!(user["cache_dir"]["type"], "file");
    assert_eq!(user["org"].get("sensitive"), None);
    assert_eq!(user["slack_bot_token"]["required"], false);
    // Left blank, an optional one reaches the server empty.
    assert_eq!(user["slack_bot_token"]["default"], "");
    assert_eq!(user["github_token"].get("default"), None);
}

#[test]
fn server_json_lists_the_environment_variables() {
    let server = entry().server_json(Creds::vars());
    assert_eq!(
        server["$schema"],
        "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
    );
    assert_eq!(server["name"], "io.github.octocat/github-mcp");
    assert_eq!(server["version"], "1.2.3");
    let package = &server["packages"][0];
    assert_eq!(package["registryType"], "npm");
    assert_eq!(package["identifier"], "@octocat/github-mcp");
    assert_eq!(package["version"], "1.2.3");
    assert_eq!(package["transport"], json!({"type": "stdio"}));
    let vars = package["environmentVariables"].as_array().unwrap();
    assert_eq!(
        vars[0],
        json!({"name": "GITHUB_TOKEN", "description": "GitHub Personal Access Token", "isRequired": true, "isSecret": true, "format": "string"})
    );
    assert_eq!(vars[2]["default"], "8080");
    assert_eq!(vars[2]["format"], "number");
    assert_eq!(vars[5]["format"], "filepath");
    assert_eq!(vars.len(), Creds::vars().len());

    // An image's version is its tag.
    let image = entry().registry(
        "io.github.octocat/github-mcp",
        "oci",
        "ghcr.io/octocat/github-mcp",
    );
    let package = &image.server_json(Creds::vars())["packages"][0];
    assert_eq!(package["identifier"], "ghcr.io/octocat/github-mcp:1.2.3");
    assert_eq!(package.get("version"), None);
}

#[test]
fn a_profile_s_configs_hold_only_its_variables_and_never_a_secret_default() {
    let prod = Profiled::vars_for_profile("prod").unwrap();
    let dev = Profiled::vars_for_profile("dev").unwrap();
    for client in Client::ALL {
        let text = entry().config(client, prod);
        assert!(text.contains("PROD_API_KEY"), "{client}: {text}");
        assert!(!text.contains("DEV_API_KEY"), "{client}: {text}");
        let text = entry().config(client, dev);
        assert!(text.contains("DEV_API_KEY"), "{client}: {text}");
        assert!(!text.contains("canary-dev-default-key"), "{client}: {text}");
        if client != Client::ClaudeCodeAdd {
            serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{client}: {e}"));
        }
    }
    let cli = Cli::new(entry());
    let answer = cli
        .answer::<Profiled>(["--print-config", "cursor", "--profile", "prod"])
        .unwrap();
    assert!(
        answer.stdout.contains("${env:PROD_API_KEY}"),
        "{}",
        answer.stdout
    );
    let answer = cli
        .answer::<Profiled>(["--print-vars", "--profile", "nope"])
        .unwrap();
    assert_eq!(answer.code, 2);
    assert!(
        answer.stderr.contains("no profile \"nope\""),
        "{}",
        answer.stderr
    );
}

#[test]
fn mcpb_validate_accepts_the_generated_manifests() {
    let mcpb = servers::tool("CREDENV_MCPB", "@anthropic-ai/mcpb (npm)");
    let dir = std::env::temp_dir().join(format!("credenv-mcpb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let from_example = Command::new(example())
        .args(["--print-config", "mcpb"])
        .env_clear()
        .output()
        .unwrap();
    assert!(from_example.status.success());
    let manifests = [
        (
            "example.json",
            String::from_utf8(from_example.stdout).unwrap(),
        ),
        ("creds.json", entry().config(Client::Mcpb, Creds::vars())),
        (
            "profiled.json",
            entry().config(Client::Mcpb, Profiled::vars_for_profile("prod").unwrap()),
        ),
    ];
    for (name, manifest) in manifests {
        let path = dir.join(name);
        std::fs::write(&path, &manifest).unwrap();
        let out = Command::new(&mcpb)
            .arg("validate")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mcpb validate {name}: {}{}\n{manifest}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And it does refuse a manifest that breaks the format.
    let broken = entry()
        .mcpb_manifest(Creds::vars())
        .to_string()
        .replace("\"sensitive\":true", "\"sensitive\":\"yes\"");
    let path = dir.join("broken.json");
    std::fs::write(&path, broken).unwrap();
    let out = Command::new(&mcpb)
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// What a client does with a generated `env` block: replace each of its
/// placeholders with what the user gave it.
fn expand(env: &Value, given: &HashMap<&str, &str>) -> HashMap<String, String> {
    let lookup = |name: &str| given.get(name).copied().unwrap_or_default().to_owned();
    env.as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| {
            let text = value.as_str().unwrap();
            let inner = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'));
            let value = match inner {
                None if text.starts_with('<') => lookup(name),
                None => text.to_owned(),
                Some(inner) => {
                    if let Some(var) = inner.strip_prefix("env:") {
                        lookup(var)
                    } else if inner.starts_with("input:") || inner.starts_with("user_config.") {
                        lookup(name)
                    } else {
                        let (var, default) = inner.split_once(":-").unwrap_or((inner, ""));
                        given
                            .get(var)
                            .map_or(default.to_owned(), |v| (*v).to_owned())
                    }
                }
            };
            (name.clone(), value)
        })
        .collect()
}

#[test]
fn the_mcp_inspector_starts_the_example_from_each_generated_config() {
    let inspector = servers::tool("CREDENV_MCP_INSPECTOR", "the MCP Inspector (npm)");
    let given = HashMap::from([("EXAMPLE_API_TOKEN", TOKEN), ("EXAMPLE_TIMEOUT", "5s")]);
    let dir = std::env::temp_dir().join(format!("credenv-clients-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for client in ["claude-desktop", "claude-code", "vscode", "cursor", "mcpb"] {
        let out = Command::new(example())
            .args(["--print-config", client])
            .env_clear()
            .output()
            .unwrap();
        assert!(out.status.success(), "{client}");
        let config: Value = serde_json::from_slice(&out.stdout).unwrap();
        let env = match client {
            "vscode" => &config["servers"]["credenv-example"]["env"],
            "mcpb" => &config["server"]["mcp_config"]["env"],
            _ => &config["mcpServers"]["credenv-example"]["env"],
        };
        let env = expand(env, &given);
        // The Inspector starts the server from a config file, as a client does.
        let file = dir.join(format!("{client}.json"));
        let started = json!({ "mcpServers": { "credenv-example": {
            "command": example(),
            "args": [],
            "env": env,
        } } });
        std::fs::write(&file, started.to_string()).unwrap();
        let out = Command::new(&inspector)
            .arg("--cli")
            .arg("--config")
            .arg(&file)
            .args(["--server", "credenv-example"])
            .args([
                "--method",
                "tools/call",
                "--tool-name",
                "credentials_status",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{client}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.contains(TOKEN), "{client}: {stdout}");
        let result: Value = serde_json::from_str(&stdout).unwrap();
        let status: Value =
            serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
        let token = &status["credentials"][0];
        assert_eq!(token["name"], "EXAMPLE_API_TOKEN", "{client}");
        assert_eq!(token["status"], "set", "{client}");
        assert_eq!(
            status["credentials"][3]["origin"], "environment",
            "{client}"
        );
    }
}

#[test]
fn a_placeholder_left_in_place_stops_the_server_and_is_named() {
    for placeholder in [
        "${EXAMPLE_API_TOKEN}",
        "${env:EXAMPLE_API_TOKEN}",
        "${input:example-api-token}",
        "${user_config.example_api_token}",
        "<Bearer token for the upstream API>",
    ] {
        let out = Command::new(example())
            .env_clear()
            .env("EXAMPLE_API_TOKEN", placeholder)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{placeholder}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("EXAMPLE_API_TOKEN") && stderr.contains(placeholder),
            "{stderr}"
        );
    }
}

#[derive(Credentials)]
#[allow(dead_code)] // loaded to see its problems
struct One {
    /// API token
    api_token: SecretString,
}

#[test]
fn placeholders_are_invalid_variables_of_their_own_kind() {
    for text in [
        "${API_TOKEN}",
        "${API_TOKEN:-}",
        "${env:API_TOKEN}",
        "${input:api-token}",
        "${user_config.api_token}",
        "<API token>",
    ] {
        let err = One::load(&[("API_TOKEN", text)]).err().unwrap();
        let invalid = err.invalid().next().unwrap();
        assert_eq!(invalid.kind(), &InvalidKind::Placeholder, "{text}");
        assert!(err.to_string().contains(text), "{err}");
    }
    // Anything else of that shape may be a secret: named, never quoted.
    let canary = "${input:canary-secret-9f1}";
    let err = One::load(&[("API_TOKEN", canary)]).err().unwrap();
    assert_eq!(
        err.invalid().next().unwrap().kind(),
        &InvalidKind::Placeholder
    );
    assert!(!err.to_string().contains("canary-secret-9f1"), "{err}");
    let path = "${input:token-file}";
    let err = One::load(&[("API_TOKEN_FILE", path)]).err().unwrap();
    assert_eq!(
        err.invalid().next().unwrap().kind(),
        &InvalidKind::Placeholder
    );
    // A value that merely contains one is a value.
    assert!(One::load(&[("API_TOKEN", "tok-${x}")]).is_ok());
}

fn write_mode(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn check_reports_every_variable_without_a_value_and_warns_of_readable_files() {
    let dir = std::env::temp_dir().join(format!("credenv-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token = dir.join("token");
    write_mode(&token, TOKEN, 0o644);
    let check = |env: &[(&str, &str)]| {
        let out = Command::new(example())
            .arg("--check")
            .env_clear()
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(!stdout.contains(TOKEN), "{stdout}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains(TOKEN));
        (out.status.code(), stdout)
    };
    let (code, report) = check(&[("EXAMPLE_API_TOKEN_FILE", token.to_str().unwrap())]);
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains(&format!(
            "EXAMPLE_API_TOKEN     set       from file {}",
            token.display()
        )),
        "{report}"
    );
    assert!(
        report.contains("EXAMPLE_API_BASE_URL  defaulted"),
        "{report}"
    );
    assert!(report.contains("EXAMPLE_NOTIFY_TOKEN  unset"), "{report}");
    assert!(
        report.contains(&format!(
            "warning: {} is readable by its group or others (mode 0644)",
            token.display()
        )),
        "{report}"
    );
    assert!(report.ends_with("the server would start\n"), "{report}");

    write_mode(&token, TOKEN, 0o600);
    let (code, report) = check(&[("EXAMPLE_API_TOKEN", TOKEN), ("EXAMPLE_TIMEOUT", "soon")]);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("EXAMPLE_TIMEOUT       invalid"), "{report}");
    assert!(!report.contains("readable by"), "{report}");
    assert!(
        report.ends_with("the server would not start: 1 problem\n"),
        "{report}"
    );

    let (code, report) = check(&[]);
    assert_eq!(code, Some(1));
    assert!(report.contains("EXAMPLE_API_TOKEN     missing"), "{report}");
}

#[test]
fn the_cli_answers_its_flags_and_leaves_the_others() {
    let cli = Cli::new(entry());
    assert!(cli.answer::<Creds>(["--port", "80"]).is_none());
    assert!(cli.answer::<Creds>(Vec::<String>::new()).is_none());
    // A typo, or a flag not configured, is a usage error, not a server's flag.
    for flag in ["--print-1password-config", "--print-confg", "--check=now"] {
        let answer = cli.answer::<Creds>([flag]).unwrap();
        assert_eq!(answer.code, 2, "{flag}");
        assert!(answer.stderr.contains("unknown flag"), "{}", answer.stderr);
    }
    let answer = cli.answer::<Creds>(["--print-config", "emacs"]).unwrap();
    assert_eq!(answer.code, 2);
    assert!(answer.stdout.is_empty());
    assert!(
        answer.stderr.contains("unknown client \"emacs\""),
        "{}",
        answer.stderr
    );
    let answer = cli.answer::<Creds>(["--check", "now"]).unwrap();
    assert_eq!(answer.code, 2);
    for client in Client::ALL {
        let answer = cli
            .answer::<Creds>(["--print-config", client.name()])
            .unwrap();
        assert_eq!(answer.code, 0);
        assert_eq!(answer.stdout, entry().config(client, Creds::vars()) + "\n");
    }
    let answer = cli.answer::<Creds>(["--print-env-example"]).unwrap();
    assert_eq!(answer.stdout, credenv::template::env_example(Creds::vars()));
}
