//! A tiny server stand-in that the process tests start with a controlled
//! environment (changing a process's own environment is `unsafe`; giving a
//! child one is not).
//!
//! `probe exit`: `from_env_or_exit`, then the loaded `Debug` on stdout.
//! `probe from-env`: `from_env` with a tracing subscriber on stderr, then the
//! `Debug` or the error on stdout. `probe profiled`: the same for a struct
//! with profiles; `probe one`, for a struct of one variable.

use credenv::{Credentials, SecretString};

// Read only through `Debug`, which (like std's) does not count as a read.
#[allow(dead_code)]
#[derive(Credentials)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// Slack Bot Token (for notifications)
    slack_bot_token: Option<SecretString>,
    /// Webhook signing key
    #[credential(secret)]
    webhook_key: Option<u32>,
    /// Port of the upstream API
    #[credential(default = 8080)]
    port: u16,
}

/// Per-environment names: `PROD_API_KEY` under `MCP_ENV=production`.
#[allow(dead_code)]
#[derive(Credentials)]
#[credentials(profiles(
    select = "MCP_ENV",
    default = "development",
    development(prefix = "DEV_", non_production),
    production(prefix = "PROD_"),
))]
struct Profiled {
    /// API key
    api_key: SecretString,
    // Enough variables that a padded environment is read in one pass.
    /// Region
    region: Option<String>,
    /// Timeout in seconds
    timeout: Option<u32>,
}

/// One variable, the smallest struct the environment's one pass serves.
#[allow(dead_code)]
#[derive(Credentials)]
struct One {
    /// API key
    api_key: SecretString,
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("one") => match One::from_env() {
            Ok(one) => println!("{one:?}"),
            Err(error) => println!("{error}"),
        },
        Some("profiled") => match Profiled::from_env() {
            Ok(creds) => println!("{creds:?}"),
            Err(error) => println!("{error}"),
        },
        Some("exit") => {
            let creds = Creds::from_env_or_exit();
            println!("{creds:?}");
        }
        Some("from-env") => {
            tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .without_time()
                .init();
            match Creds::from_env() {
                Ok(creds) => println!("{creds:?}"),
                Err(error) => println!("{error}"),
            }
        }
        _ => {
            eprintln!("usage: probe exit|from-env|profiled|one");
            std::process::exit(2);
        }
    }
}
