//! The MCP server example, end to end: started as a child process with its
//! credentials in its environment, as Claude Desktop starts it, and driven by
//! real MCP clients (rmcp's, and the official MCP Inspector's CLI), against a
//! real HTTP upstream on loopback.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

const TOKEN: &str = "canary-api-token-4d1e9b";
const NOTIFY_TOKEN: &str = "canary-notify-token-77a2";

#[path = "support/common.rs"]
mod common;

fn server_path() -> PathBuf {
    common::example("mcp_server")
}

/// A real HTTP/1.1 server on loopback standing in for the upstream API. It
/// records the `Authorization` header of each request, and answers by query:
/// `deny` with 401, `boom` with 500, `slow` after 3 s, anything else 200.
struct Upstream {
    addr: SocketAddr,
    authorizations: Arc<Mutex<Vec<String>>>,
}

impl Upstream {
    fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let authorizations = Arc::new(Mutex::new(Vec::new()));
        let seen = authorizations.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || Upstream::answer(stream, &seen));
            }
        });
        Upstream {
            addr,
            authorizations,
        }
    }

    fn answer(stream: TcpStream, seen: &Mutex<Vec<String>>) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length: usize = headers
            .get("content-length")
            .map_or(0, |l| l.parse().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        seen.lock()
            .unwrap()
            .push(headers.get("authorization").cloned().unwrap_or_default());

        let target = request_line.split_whitespace().nth(1).unwrap_or("");
        // Upstreams that echo the credentials they were sent.
        let auth = headers.get("authorization").cloned().unwrap_or_default();
        let token = auth.strip_prefix("Bearer ").unwrap_or_default().to_owned();
        let (status, text) = match target {
            t if t.ends_with("q=echo") => ("200 OK", format!("you sent: {auth}")),
            t if t.ends_with("q=echo401") => ("401 Unauthorized", format!("invalid key {token}")),
            t if t.ends_with("q=echourl") => {
                let encoded: String = token
                    .bytes()
                    .map(|b| match b.is_ascii_alphanumeric() {
                        true => (b as char).to_string(),
                        false => format!("%{b:02X}"),
                    })
                    .collect();
                (
                    "200 OK",
                    format!("see https://example.com/?api_key={encoded}"),
                )
            }
            t if t.ends_with("q=echob64") => {
                use base64::Engine;
                let b64 = base64::engine::general_purpose::STANDARD;
                let basic = b64.encode(format!("user:{token}"));
                let bearer = b64.encode(&auth);
                (
                    "200 OK",
                    format!("{{\"basic\": \"{basic}\", \"header\": \"{bearer}\"}}"),
                )
            }
            t if t.ends_with("q=deny") => ("401 Unauthorized", "bad token".to_owned()),
            t if t.ends_with("q=boom") => ("500 Internal Server Error", "oops".to_owned()),
            t if t.ends_with("q=slow") => {
                std::thread::sleep(Duration::from_secs(3));
                ("200 OK", "late".to_owned())
            }
            t if t.starts_with("/data?q=") => ("200 OK", format!("results for {}", &t[8..])),
            "/notify" => (
                "200 OK",
                format!("notified: {}", String::from_utf8_lossy(&body)),
            ),
            _ => ("404 Not Found", String::new()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        );
        let _ = (&stream).write_all(response.as_bytes());
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// The example started by rmcp's client, and its stderr as it comes.
async fn connect(
    vars: &[(&str, &str)],
) -> (
    RunningService<RoleClient, ()>,
    tokio::task::JoinHandle<String>,
) {
    let command = tokio::process::Command::new(server_path()).configure(|cmd| {
        cmd.env_clear().envs(vars.iter().copied());
    });
    let (transport, stderr) = TokioChildProcess::builder(command)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = stderr.unwrap();
    let stderr = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let client = ().serve(transport).await.expect("the server initializes");
    (client, stderr)
}

async fn call(client: &RunningService<RoleClient, ()>, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(args))
        .await
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text())
        .map(|t| t.text.as_str())
        .collect()
}

fn assert_no_canary(what: &str, text: &str) {
    assert!(!text.contains("canary"), "{what} leaks a token:\n{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_client_initializes_lists_and_calls_every_tool() {
    let upstream = Upstream::start();
    let base = upstream.url();
    let (client, stderr) = connect(&[
        ("EXAMPLE_API_TOKEN", TOKEN),
        ("EXAMPLE_API_BASE_URL", &base),
        ("EXAMPLE_TIMEOUT", "1s"),
    ])
    .await;

    let info = client.peer_info().expect("initialize answered");
    let info = serde_json::to_value(&*info).unwrap();
    assert!(info["capabilities"]["tools"].is_object(), "{info}");

    let mut tools: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.into())
        .collect();
    tools.sort();
    assert_eq!(
        tools,
        ["credentials_status", "fetch_data", "send_notification"]
    );

    let mut outputs = Vec::new();
    let result = call(&client, "fetch_data", json!({ "query": "rust" })).await;
    assert_ne!(result.is_error, Some(true));
    assert_eq!(text(&result), "results for rust");
    assert_eq!(
        upstream.authorizations.lock().unwrap()[0],
        format!("Bearer {TOKEN}"),
        "the token reaches the API"
    );
    outputs.push(text(&result));

    let result = call(&client, "send_notification", json!({ "message": "hi" })).await;
    assert_eq!(result.is_error, Some(true));
    assert_eq!(
        text(&result),
        "notifications are off: EXAMPLE_NOTIFY_TOKEN is not set"
    );

    let result = call(&client, "credentials_status", json!({})).await;
    let status: Value = serde_json::from_str(&text(&result)).unwrap();
    let by_name: HashMap<&str, (&str, &str)> = status["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                (c["status"].as_str().unwrap(), c["origin"].as_str().unwrap()),
            )
        })
        .collect();
    assert_eq!(by_name["EXAMPLE_API_TOKEN"], ("set", "environment"));
    assert_eq!(by_name["EXAMPLE_NOTIFY_TOKEN"], ("unset", "unset"));
    assert_eq!(by_name["EXAMPLE_API_BASE_URL"], ("set", "environment"));
    assert_eq!(by_name["EXAMPLE_TIMEOUT"], ("set", "environment"));
    outputs.push(text(&result));

    client.cancel().await.unwrap();
    let stderr = stderr.await.unwrap();
    assert!(
        stderr.contains("warning: optional EXAMPLE_NOTIFY_TOKEN is not set"),
        "{stderr}"
    );
    for output in outputs.iter().chain([&stderr]) {
        assert_no_canary("a tool result or stderr", output);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_failures_are_tool_errors_without_the_token_and_the_server_survives() {
    let upstream = Upstream::start();
    let base = upstream.url();
    let (client, stderr) = connect(&[
        ("EXAMPLE_API_TOKEN", TOKEN),
        ("EXAMPLE_NOTIFY_TOKEN", NOTIFY_TOKEN),
        ("EXAMPLE_API_BASE_URL", &base),
        ("EXAMPLE_TIMEOUT", "1s"),
    ])
    .await;
    let cases = [
        (
            "deny",
            "the upstream API rejected EXAMPLE_API_TOKEN (401 Unauthorized): check the token; it said: bad token"
                .to_owned(),
        ),
        (
            "boom",
            "the upstream API failed: 500 Internal Server Error".to_owned(),
        ),
        (
            "slow",
            format!("the upstream API at {base} did not answer within 1s"),
        ),
    ];
    let mut outputs = Vec::new();
    for (query, expected) in cases {
        let result = call(&client, "fetch_data", json!({ "query": query })).await;
        assert_eq!(result.is_error, Some(true), "{query}");
        assert_eq!(text(&result), expected);
        outputs.push(text(&result));
    }

    // Unknown tools and bad arguments are MCP errors, not crashes.
    let unknown = client
        .call_tool(CallToolRequestParams::new("delete_everything"))
        .await;
    let unknown = format!("{:?}", unknown.expect_err("an unknown tool is an error"));
    assert!(unknown.to_lowercase().contains("tool"), "{unknown}");
    let Value::Object(bad) = json!({ "query": 42 }) else {
        unreachable!()
    };
    let bad = client
        .call_tool(CallToolRequestParams::new("fetch_data").with_arguments(bad))
        .await;
    match bad {
        Err(e) => outputs.push(format!("{e:?}")),
        Ok(result) => {
            assert_eq!(result.is_error, Some(true));
            outputs.push(text(&result));
        }
    }

    // Still serving, with the optional token now set.
    let result = call(
        &client,
        "send_notification",
        json!({ "message": "deploy done" }),
    )
    .await;
    assert_eq!(text(&result), "notified: {\"message\":\"deploy done\"}");
    assert!(
        upstream
            .authorizations
            .lock()
            .unwrap()
            .contains(&format!("Bearer {NOTIFY_TOKEN}"))
    );
    let result = call(&client, "fetch_data", json!({ "query": "again" })).await;
    assert_eq!(text(&result), "results for again");

    client.cancel().await.unwrap();
    let stderr = stderr.await.unwrap();
    assert!(
        stderr.contains("upstream rejected the credentials"),
        "failures are logged: {stderr}"
    );
    for output in outputs.iter().chain([&stderr]) {
        assert_no_canary("an error or log", output);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_upstream_is_a_tool_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/");
    let (client, _stderr) = connect(&[
        ("EXAMPLE_API_TOKEN", TOKEN),
        ("EXAMPLE_API_BASE_URL", &base),
    ])
    .await;
    let result = call(&client, "fetch_data", json!({ "query": "x" })).await;
    assert_eq!(result.is_error, Some(true));
    assert_eq!(
        text(&result),
        format!("the upstream API at {base} cannot be reached")
    );
    client.cancel().await.unwrap();
}

#[test]
fn the_server_fails_fast_with_the_report_on_stderr_and_nothing_on_stdout() {
    let out = Command::new(server_path())
        .env_clear()
        .env("EXAMPLE_TIMEOUT", "soon")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: missing required variables:\n  - EXAMPLE_API_TOKEN: Bearer token for the upstream API\n\
         invalid variables:\n  - EXAMPLE_TIMEOUT: expected Duration: expected number at 0; \
         write a duration such as 30s, 5m or 250ms (got \"soon\")\n"
    );
}

#[test]
fn stdout_carries_only_json_rpc() {
    let mut server = Command::new(server_path())
        .env_clear()
        .env("EXAMPLE_API_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "raw-test", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "credentials_status", "arguments": {}}}),
    ];
    let mut stdin = server.stdin.take().unwrap();
    for message in &messages {
        writeln!(stdin, "{message}").unwrap();
    }
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    // Answers to concurrent requests may come in any order: key them by id.
    let mut answers = HashMap::new();
    while answers.len() < 3 {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "stdout closed early"
        );
        let message: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC: {line:?}: {e}"));
        assert_eq!(message["jsonrpc"], "2.0", "{line}");
        assert_no_canary("stdout", &line);
        if let Some(id) = message["id"].as_u64() {
            answers.insert(id, message);
        }
    }
    assert_eq!(
        answers[&1]["result"]["serverInfo"]["name"],
        "credenv-example"
    );
    assert_eq!(answers[&2]["result"]["tools"].as_array().unwrap().len(), 3);
    assert!(
        answers[&3]["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("EXAMPLE_API_TOKEN")
    );
    drop(stdin);
    server.wait().unwrap();
    let mut stderr = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_no_canary("stderr", &stderr);
}

#[test]
fn generated_configs_parse_and_list_every_variable() {
    let print = |arg: &str| {
        let out = Command::new(server_path())
            .arg(arg)
            .env_clear()
            .output()
            .unwrap();
        assert!(out.status.success(), "{arg}");
        String::from_utf8(out.stdout).unwrap()
    };
    let names = [
        "EXAMPLE_API_TOKEN",
        "EXAMPLE_NOTIFY_TOKEN",
        "EXAMPLE_API_BASE_URL",
        "EXAMPLE_TIMEOUT",
    ];

    let config: Value = serde_json::from_str(&print("--print-config")).expect("JSON");
    let server = &config["mcpServers"]["credenv-example"];
    assert_eq!(server["command"], server_path().to_str().unwrap());
    let env = server["env"].as_object().unwrap();
    assert_eq!(env.len(), names.len());
    assert_eq!(
        env["EXAMPLE_API_TOKEN"],
        "<Bearer token for the upstream API>"
    );
    assert_eq!(env["EXAMPLE_API_BASE_URL"], "https://api.example.com");

    let config: Value = serde_json::from_str(&print("--print-1password-config")).expect("JSON");
    let server = &config["mcpServers"]["credenv-example"];
    assert_eq!(server["command"], "op");
    assert_eq!(
        server["args"],
        json!(["run", "--", server_path().to_str().unwrap()])
    );
    assert_eq!(
        server["env"]["EXAMPLE_API_TOKEN"],
        "op://Private/credenv-example/EXAMPLE_API_TOKEN"
    );
    assert_eq!(server["env"]["EXAMPLE_TIMEOUT"], "10s");

    let table = print("--print-vars");
    for name in names {
        assert!(table.contains(&format!("| `{name}` |")), "{table}");
    }
    // .env.example round-trips through a real .env parser.
    let example = print("--print-env-example");
    let parsed: Vec<(String, String)> = dotenvy::from_read_iter(example.as_bytes())
        .map(Result::unwrap)
        .collect();
    let parsed_names: Vec<&str> = parsed.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(parsed_names, names);
    assert_eq!(parsed[2].1, "https://api.example.com");
    assert_eq!(parsed[0].1, "", "a secret is left empty");
}

/// The official MCP Inspector's CLI (npm), which ./scripts/test installs and
/// names in CREDENV_MCP_INSPECTOR.
#[test]
fn the_mcp_inspector_lists_and_calls_the_tools() {
    let inspector = std::env::var("CREDENV_MCP_INSPECTOR").expect(
        "CREDENV_MCP_INSPECTOR is not set: run ./scripts/test, which installs the MCP Inspector from npm and sets it",
    );
    let upstream = Upstream::start();
    let base = upstream.url();
    let inspect = |extra: &[&str]| {
        let mut command = Command::new(&inspector);
        command
            .arg("--cli")
            .arg(server_path())
            .args([
                "-e",
                &format!("EXAMPLE_API_TOKEN={TOKEN}"),
                "-e",
                &format!("EXAMPLE_API_BASE_URL={base}"),
            ])
            .args(extra);
        let out = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str::<Value>(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    };
    let tools = inspect(&["--method", "tools/list"]);
    let names: Vec<&str> = tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["credentials_status", "fetch_data", "send_notification"]
    );
    let result = inspect(&[
        "--method",
        "tools/call",
        "--tool-name",
        "fetch_data",
        "--tool-arg",
        "query=inspector",
    ]);
    assert_eq!(result["content"][0]["text"], "results for inspector");
    let status = inspect(&[
        "--method",
        "tools/call",
        "--tool-name",
        "credentials_status",
    ]);
    assert_no_canary("the Inspector's output", &status.to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upstream_that_echoes_the_token_reaches_the_model_scrubbed() {
    let upstream = Upstream::start();
    let base = upstream.url();
    let (client, stderr) = connect(&[
        ("EXAMPLE_API_TOKEN", TOKEN),
        ("EXAMPLE_API_BASE_URL", &base),
    ])
    .await;
    let redacted = "[REDACTED:EXAMPLE_API_TOKEN]";
    let cases = [
        ("echo", false, format!("you sent: Bearer {redacted}")),
        (
            "echo401",
            true,
            format!(
                "the upstream API rejected EXAMPLE_API_TOKEN (401 Unauthorized): check the token; it said: invalid key {redacted}"
            ),
        ),
        (
            "echourl",
            false,
            format!("see https://example.com/?api_key={redacted}"),
        ),
    ];
    let mut outputs = Vec::new();
    for (query, error, expected) in cases {
        let result = call(&client, "fetch_data", json!({ "query": query })).await;
        assert_eq!(result.is_error.unwrap_or(false), error, "{query}");
        assert_eq!(text(&result), expected, "{query}");
        outputs.push(text(&result));
    }
    // Base64, inside a Basic pair and a whole header: what is left of the
    // encodings holds no more than the characters mixed with their
    // neighbours.
    let result = call(&client, "fetch_data", json!({ "query": "echob64" })).await;
    let answer = text(&result);
    assert_eq!(answer.matches(redacted).count(), 2, "{answer}");
    for value in serde_json::from_str::<Value>(&answer)
        .unwrap()
        .as_object()
        .unwrap()
        .values()
    {
        let value = value.as_str().unwrap();
        let kept = value.split(redacted).map(str::len).sum::<usize>();
        assert!(kept <= 16, "{value}");
    }
    outputs.push(answer);
    drop(client);
    outputs.push(stderr.await.unwrap());
    for output in &outputs {
        assert_no_canary("a scrubbed result or stderr", output);
    }
}

/// The credentials_status tool's answer.
async fn status(client: &RunningService<RoleClient, ()>) -> Value {
    let result = call(client, "credentials_status", json!({})).await;
    serde_json::from_str(&text(&result)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_token_file_is_used_without_a_restart() {
    const NEW_TOKEN: &str = "canary-api-token-rotated-7c20";
    let upstream = Upstream::start();
    let base = upstream.url();
    let mount = std::env::temp_dir().join(format!("credenv-mcp-rotation-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&mount);
    std::fs::create_dir_all(&mount).unwrap();
    common::kubelet_publish(&mount, "2026_12_03_01_00_00.1", &[("api_token", TOKEN)]);
    let token_file = mount.join("api_token").display().to_string();
    let (client, stderr) = connect(&[
        ("EXAMPLE_API_TOKEN_FILE", &token_file),
        ("EXAMPLE_API_BASE_URL", &base),
    ])
    .await;
    let bearer = |n: usize| upstream.authorizations.lock().unwrap()[n].clone();
    let mut outputs = Vec::new();
    let fetch = async || {
        let result = call(&client, "fetch_data", json!({ "query": "rust" })).await;
        assert_ne!(result.is_error, Some(true), "{}", text(&result));
        text(&result)
    };
    outputs.push(fetch().await);
    assert_eq!(bearer(0), format!("Bearer {TOKEN}"));

    // The kubelet swaps the volume: the next calls carry the new token.
    common::kubelet_publish(&mount, "2026_12_03_01_05_00.2", &[("api_token", NEW_TOKEN)]);
    let start = std::time::Instant::now();
    loop {
        let now = status(&client).await;
        if now["live"]["generation"] == 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not reloaded within 5 s: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    outputs.push(fetch().await);
    assert_eq!(bearer(1), format!("Bearer {NEW_TOKEN}"));

    // A swap to an empty file: the token stays, the error is reported.
    common::kubelet_publish(&mount, "2026_12_03_01_10_00.3", &[("api_token", "")]);
    let start = std::time::Instant::now();
    let stale = loop {
        let status = status(&client).await;
        if status["live"]["stale"] == true {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no error within 5 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let error = stale["live"]["last_error"].as_str().unwrap();
    assert!(error.contains("EXAMPLE_API_TOKEN"), "{error}");
    assert_eq!(stale["live"]["generation"], 2);
    outputs.push(stale.to_string());
    outputs.push(fetch().await);
    assert_eq!(bearer(2), format!("Bearer {NEW_TOKEN}"));

    client.cancel().await.unwrap();
    let stderr = stderr.await.unwrap();
    assert!(
        stderr.contains("ERROR") && stderr.contains("EXAMPLE_API_TOKEN"),
        "the failed reload is logged: {stderr}"
    );
    for output in outputs.iter().chain([&stderr]) {
        assert_no_canary("a tool result or stderr", output);
    }
}
