//! One struct for development, staging and production, selected by `MCP_ENV`,
//! as in the MCP authentication guide's multi-environment configuration:
//!
//! | `MCP_ENV` | API key | API base URL | debug |
//! |---|---|---|---|
//! | `development` (the default) | `DEV_API_KEY`, default `dev-key-for-testing` | `http://localhost:8000` | true |
//! | `staging` | `STAGING_API_KEY`, required | `https://staging-api.example.com` | true |
//! | `production` | `PROD_API_KEY`, required | `https://api.example.com` | false |
//!
//! ```sh
//! cargo run -p credenv --features url --example multi_env                                   # development
//! MCP_ENV=production cargo run -p credenv --features url --example multi_env                # exits 1: PROD_API_KEY is missing
//! MCP_ENV=production PROD_API_KEY=sk-live cargo run -p credenv --features url --example multi_env
//! ```
//!
//! The base URL and debug flag are per-profile defaults, so each profile can
//! still override them (`PROD_API_BASE_URL`, `STAGING_DEBUG`). A production
//! profile cannot give a secret a default: that is a compile error.

use credenv::{Credentials, SecretString, Url};

/// Which environment the server runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Environment {
    Development,
    Staging,
    Production,
}

impl std::str::FromStr for Environment {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "development" => Ok(Environment::Development),
            "staging" => Ok(Environment::Staging),
            "production" => Ok(Environment::Production),
            other => Err(format!("no environment {other}")),
        }
    }
}

#[derive(Credentials)]
#[credentials(profiles(
    select = "MCP_ENV",
    default = "development",
    development(prefix = "DEV_", non_production),
    staging(prefix = "STAGING_"),
    production(prefix = "PROD_"),
))]
struct Config {
    /// The active environment
    #[credential(profile)]
    environment: Environment,
    /// API key for the environment
    #[credential(profiles(development(default = "dev-key-for-testing")))]
    api_key: SecretString,
    /// Base URL of the API
    #[credential(profiles(
        development(default = "http://localhost:8000"),
        staging(default = "https://staging-api.example.com"),
        production(default = "https://api.example.com"),
    ))]
    api_base_url: Url,
    /// Verbose logging
    #[credential(default = true, profiles(production(default = false)))]
    debug: bool,
}

fn main() {
    let config = Config::from_env_or_exit();
    println!("{config:?}");
    println!(
        "my-server-{} calls {} (debug {})",
        format!("{:?}", config.environment).to_lowercase(),
        config.api_base_url,
        config.debug
    );
    let _ = &config.api_key;
}
