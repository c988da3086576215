//! The credential validation pattern: required credentials stop the server
//! at startup with one report; optional ones only warn.
//!
//! ```sh
//! cargo run -p credenv --example validation                          # the report, exit 1
//! GITHUB_TOKEN=ghp-1 OPENAI_API_KEY=sk-1 cargo run -p credenv --example validation
//! ```
//!
//! With nothing set, stderr shows:
//!
//! ```text
//! error: missing required variables:
//!   - GITHUB_TOKEN: GitHub Personal Access Token
//!   - OPENAI_API_KEY: OpenAI API Key
//! ```
//!
//! With the two required ones set:
//!
//! ```text
//! warning: optional SLACK_BOT_TOKEN is not set: Slack Bot Token (for notifications)
//! all required credentials validated; Slack notifications off
//! ```

use credenv::{Credentials, SecretString};

#[derive(Credentials)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// OpenAI API Key
    openai_api_key: SecretString,
    /// Slack Bot Token (for notifications)
    slack_bot_token: Option<SecretString>,
}

fn main() {
    let creds = Creds::from_env_or_exit();
    let slack = if creds.slack_bot_token.is_some() {
        "on"
    } else {
        "off"
    };
    eprintln!("all required credentials validated; Slack notifications {slack}");
    let _ = (&creds.github_token, &creds.openai_api_key);
}
