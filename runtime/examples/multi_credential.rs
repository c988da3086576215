//! The multi-credential server: GitHub, OpenAI and Postgres credentials in one
//! struct, every missing one reported at once instead of one per restart.
//!
//! ```sh
//! cargo run -p credenv --example multi_credential
//! GITHUB_TOKEN=ghp-1 OPENAI_API_KEY=sk-1 DATABASE_URL=postgres://localhost/app \
//!     cargo run -p credenv --example multi_credential
//! ```
//!
//! Each value may also come from a file, as Docker and Kubernetes mount
//! secrets: `DATABASE_URL_FILE=/run/secrets/database_url`.

use credenv::{Credentials, ExposeSecret, SecretString};

#[derive(Credentials)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// OpenAI API Key
    #[credential(env = "OPENAI_API_KEY")]
    openai_key: SecretString,
    /// Postgres connection string (it holds a password)
    #[credential(secret)]
    database_url: String,
}

/// The header of a `github_search` tool's request.
fn github_authorization(creds: &Creds) -> String {
    format!("token {}", creds.github_token.expose_secret())
}

/// The header of an `ai_summarize` tool's request.
fn openai_authorization(creds: &Creds) -> String {
    format!("Bearer {}", creds.openai_key.expose_secret())
}

fn main() {
    let creds = Creds::from_env_or_exit();
    let headers = [github_authorization(&creds), openai_authorization(&creds)];
    eprintln!(
        "ready: {} API credentials and a database URL of {} bytes",
        headers.len(),
        creds.database_url.len()
    );
    eprintln!("loaded: {creds:?}");
}
