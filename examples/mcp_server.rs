//! An MCP stdio server on the official Rust SDK (rmcp) whose credentials are
//! a `#[derive(Credentials)]` struct.
//!
//! ```sh
//! cargo run --example mcp_server                        # exits 1: the report on stderr
//! cargo run --example mcp_server -- --print-config      # Claude Desktop's mcpServers entry
//! cargo run --example mcp_server -- --print-config vscode   # or claude-code, cursor, mcpb, server-json
//! cargo run --example mcp_server -- --print-1password-config
//! cargo run --example mcp_server -- --print-env-example
//! cargo run --example mcp_server -- --print-vars        # a markdown table
//! cargo run --example mcp_server -- --check             # would it start? (no value shown)
//! EXAMPLE_API_TOKEN=... cargo run --example mcp_server  # serves MCP on stdin/stdout
//! ```
//!
//! It loads its credentials before it serves, and stops with the whole report
//! (exit 1) when one is missing. They stay live: when `EXAMPLE_API_TOKEN_FILE`
//! names a file (a Kubernetes Secret volume, a Docker secret) and it changes,
//! the next tool calls use the new token, with no restart; a change to an
//! empty or invalid value keeps the old one and logs an error naming the
//! variable. Its tools:
//!
//! - `fetch_data`: `GET {EXAMPLE_API_BASE_URL}/data?q=…` with
//!   `Authorization: Bearer {EXAMPLE_API_TOKEN}`; a failure (401, 500, a
//!   timeout) is a tool error that names the problem, never the token.
//! - `send_notification`: `POST {base}/notify` with the optional
//!   `EXAMPLE_NOTIFY_TOKEN`; without it, a tool error says notifications are
//!   off.
//! - `credentials_status`: which credentials are set, defaulted or unset, and
//!   from where, and the live handle's generation and last reload error;
//!   never a value.
//!
//! stdout carries only JSON-RPC; every log and warning goes to stderr.

use std::sync::Arc;
use std::time::Duration;

use credenv::mcp::{Cli, ServerEntry};
use credenv::scrub::{ScrubWriter, Scrubber, install_panic_hook};
use credenv::{Credentials, ExposeSecret, Live, Loaded, SecretString, Url};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router};

#[derive(Credentials)]
#[credentials(prefix = "EXAMPLE_")]
struct Creds {
    /// Bearer token for the upstream API
    api_token: SecretString,
    /// Bearer token for notifications (optional: notifications are off without it)
    notify_token: Option<SecretString>,
    /// Base URL of the upstream API
    #[credential(default = "https://api.example.com")]
    api_base_url: Url,
    /// How long to wait for the upstream API
    #[credential(default = "10s")]
    timeout: Duration,
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct FetchData {
    /// What to search the upstream API for
    query: String,
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct SendNotification {
    /// The notification's text
    message: String,
}

#[derive(Clone)]
struct Server {
    creds: Live<Creds>,
    http: reqwest::Client,
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl Server {
    fn new(creds: Live<Creds>) -> Result<Self, reqwest::Error> {
        Ok(Server {
            creds,
            http: reqwest::Client::builder().build()?,
            tool_router: Self::tool_router(),
        })
    }

    #[tool(description = "Search the upstream API")]
    async fn fetch_data(
        &self,
        Parameters(FetchData { query }): Parameters<FetchData>,
    ) -> Result<String, String> {
        // One generation for the whole call: token, URL and timeout agree.
        let creds = self.creds.current();
        let mut url = endpoint(&creds.api_base_url, "data")?;
        url.query_pairs_mut().append_pair("q", &query);
        let request = self
            .http
            .get(url)
            .bearer_auth(creds.api_token.expose_secret());
        // The upstream's answer goes to the model as it is, but for any
        // secret the server loaded (upstreams echo tokens).
        scrubbed(&creds, send(request, &creds, "EXAMPLE_API_TOKEN").await)
    }

    #[tool(description = "Post a notification (needs EXAMPLE_NOTIFY_TOKEN)")]
    async fn send_notification(
        &self,
        Parameters(SendNotification { message }): Parameters<SendNotification>,
    ) -> Result<String, String> {
        let creds = self.creds.current();
        let Some(token) = &creds.notify_token else {
            return Err("notifications are off: EXAMPLE_NOTIFY_TOKEN is not set".to_owned());
        };
        let body = serde_json::json!({ "message": message }).to_string();
        let request = self
            .http
            .post(endpoint(&creds.api_base_url, "notify")?)
            .bearer_auth(token.expose_secret())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        scrubbed(&creds, send(request, &creds, "EXAMPLE_NOTIFY_TOKEN").await)
    }

    #[tool(
        description = "Which credentials are set, defaulted or unset, and from where (never their values)"
    )]
    async fn credentials_status(&self) -> String {
        let status = credenv::mcp::live_status(&self.creds);
        let status = serde_json::to_string_pretty(&status).unwrap_or_default();
        // It holds no value; scrubbing it costs nothing.
        self.creds.scrubber().scrub(&status).into_owned()
    }
}

/// A tool's result or error, every secret of `creds`' load replaced by
/// `[REDACTED:NAME]` (an error then cut: a secret is never cut in two
/// before it is scrubbed).
fn scrubbed(creds: &Loaded<Creds>, result: Result<String, String>) -> Result<String, String> {
    let scrubber = creds.scrubber();
    let scrub = |text: String| scrubber.scrub(&text).into_owned();
    result
        .map(scrub)
        .map_err(|error| scrub(error).chars().take(700).collect())
}

fn endpoint(base: &Url, path: &str) -> Result<Url, String> {
    let base = base.as_str().trim_end_matches('/');
    Url::parse(&format!("{base}/{path}")).map_err(|e| format!("bad EXAMPLE_API_BASE_URL: {e}"))
}

/// Sends the request; a failure becomes a message that names the problem
/// and the variable to check, never the token.
async fn send(
    request: reqwest::RequestBuilder,
    creds: &Creds,
    token_var: &str,
) -> Result<String, String> {
    let response = request.timeout(creds.timeout).send().await.map_err(|e| {
        let what = if e.is_timeout() {
            format!("did not answer within {}", humantime(creds.timeout))
        } else if e.is_connect() {
            "cannot be reached".to_owned()
        } else {
            "failed".to_owned()
        };
        tracing::warn!(error = %e.without_url(), "upstream request failed");
        format!("the upstream API at {} {what}", creds.api_base_url)
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        tracing::warn!(%status, "upstream rejected the credentials");
        // What the upstream said helps; the caller scrubs it, then cuts it.
        let said = read_at_most(response, 4096).await.unwrap_or_default();
        return Err(format!(
            "the upstream API rejected {token_var} ({status}): check the token; it said: {said}"
        ));
    }
    if !status.is_success() {
        return Err(format!("the upstream API failed: {status}"));
    }
    read_at_most(response, MAX_ANSWER).await
}

/// An upstream answer larger than this is cut (a tool result is for a model).
const MAX_ANSWER: usize = 1024 * 1024;

/// The answer's text, at most `max` bytes of it.
async fn read_at_most(mut response: reqwest::Response, max: usize) -> Result<String, String> {
    let mut body = Vec::new();
    while body.len() < max {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(max - body.len())]),
            Ok(None) => break,
            Err(e) => return Err(format!("the upstream API's answer could not be read: {e}")),
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

fn humantime(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "credenv-example",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions("An example server whose credentials credenv loads")
    }
}

/// credenv's command line (`--print-config [CLIENT]`, `--check`...), from
/// `Creds` and how clients start this server.
fn cli() -> Result<Cli, std::io::Error> {
    let command = std::env::current_exe()?;
    let entry = ServerEntry::new("credenv-example", command.to_string_lossy())
        .version(env!("CARGO_PKG_VERSION"))
        .description("An example MCP server whose credentials credenv loads")
        .author("credenv")
        .registry(
            "io.github.credenv/example",
            "oci",
            "ghcr.io/credenv/example",
        );
    Ok(Cli::new(entry).one_password("Private", "credenv-example"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The server prints what credenv answers (credenv never writes to
    // stdout), and exits.
    if let Some(answer) = cli()?.run::<Creds>() {
        print!("{}", answer.stdout);
        eprint!("{}", answer.stderr);
        std::process::exit(answer.code);
    }
    // stdout is the protocol's: logs go to stderr, scrubbed of every secret
    // loaded (as are panics' messages), once there is a load.
    static LIVE: std::sync::OnceLock<Live<Creds>> = std::sync::OnceLock::new();
    let scrubber = || {
        LIVE.get()
            .map_or_else(Arc::<Scrubber>::default, Live::scrubber)
    };
    tracing_subscriber::fmt()
        .with_writer(move || ScrubWriter::new(std::io::stderr(), scrubber()))
        .with_ansi(false)
        .init();
    install_panic_hook(scrubber);
    let creds = LIVE.get_or_init(Creds::watch_env_or_exit).clone();
    for name in creds.scrubber().too_short() {
        tracing::warn!("{name} is too short to scrub from tool results (under 8 bytes)");
    }
    let server = Server::new(creds)?;
    let service = server.serve(rmcp::transport::stdio()).await?;
    service.waiting().await?;
    Ok(())
}
