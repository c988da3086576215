//! The single-key server: one API key, required, from the environment that
//! the MCP client (Claude Desktop, say) starts the server with.
//!
//! ```sh
//! cargo run -p credenv --features url --example single_key                               # exits 1, says what is missing
//! MY_SERVICE_API_KEY=sk-demo cargo run -p credenv --features url --example single_key    # starts
//! ```
//!
//! Claude Desktop passes the key in the server's `env` block:
//!
//! ```json
//! { "mcpServers": { "my-service": {
//!     "command": "/path/to/server",
//!     "env": { "MY_SERVICE_API_KEY": "sk-your-api-key-here" } } } }
//! ```

use credenv::{Credentials, ExposeSecret, SecretString};

#[derive(Credentials)]
struct Creds {
    /// API key of My Service
    my_service_api_key: SecretString,
    /// Base URL of My Service's API
    #[credential(default = "https://api.example.com")]
    api_base_url: credenv::Url,
}

/// The request a `fetch_data` tool would send: the key leaves its secret
/// wrapper only here, where the header is built.
fn fetch_data_request(creds: &Creds, query: &str) -> (String, String) {
    let url = format!("{}data?q={query}", creds.api_base_url);
    let authorization = format!("Bearer {}", creds.my_service_api_key.expose_secret());
    (url, authorization)
}

fn main() {
    // Fails fast: the report goes to stderr and the process exits with 1,
    // which the MCP client shows in its server log.
    let creds = Creds::from_env_or_exit();
    let (url, authorization) = fetch_data_request(&creds, "rust");
    // stdout is the protocol's; a server logs to stderr.
    eprintln!(
        "ready: fetch_data would GET {url} with a {}-byte Authorization header",
        authorization.len()
    );
}
