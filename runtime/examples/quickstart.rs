//! What credenv does, in one run that needs no credentials:
//!
//! ```sh
//! cargo run -p credenv --example quickstart
//! ```
//!
//! 1. loads from this process's environment, where nothing is set: one
//!    report lists every missing variable;
//! 2. loads values with mistakes in them: every problem at once, secrets never
//!    quoted;
//! 3. loads good values (as an MCP client would pass them): the struct, its
//!    `Debug` with secrets redacted, the warnings, and where each value came
//!    from;
//! 4. lists the variables, as documentation and config generators see them.

use std::time::Duration;

use credenv::{Credentials, ExposeSecret, SecretString};

/// The credentials of a server that talks to GitHub, OpenAI and Postgres.
#[derive(Credentials)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// OpenAI API Key
    #[credential(env = "OPENAI_API_KEY")]
    openai_key: SecretString,
    /// Postgres connection string
    #[credential(secret)]
    database_url: String,
    /// Slack Bot Token (for notifications)
    slack_bot_token: Option<SecretString>,
    /// Port of the upstream API
    #[credential(default = 8080)]
    port: u16,
    /// How long to wait for the upstream API
    #[credential(default = "30s")]
    timeout: Duration,
}

fn main() {
    println!("1. From this process's environment:\n");
    match Creds::from_env() {
        Ok(creds) => println!("{creds:?} (your environment has them all)"),
        Err(report) => println!("{report}"),
    }

    println!("\n2. From values with mistakes in them (the secrets are never quoted):\n");
    let token_file = std::env::temp_dir().join("credenv-quickstart-token");
    std::fs::write(&token_file, "ghp-from-a-file\n").expect("a temporary file");
    let token_file = token_file.to_str().expect("a UTF-8 path");
    let mistakes = [
        ("GITHUB_TOKEN_FILE", token_file),
        ("OPENAI_API_KEY", "sk-demo"),
        ("DATABASE_URL", ""),
        ("PORT", "eighty"),
        ("TIMEOUT", "30"),
    ];
    if let Err(report) = Creds::from_source(&mistakes) {
        println!("{report}");
    }

    println!("\n3. From good values, as an MCP client passes them:\n");
    let good = [
        ("GITHUB_TOKEN_FILE", token_file),
        ("OPENAI_API_KEY", "sk-demo"),
        ("DATABASE_URL", "postgres://app:pw@localhost/app"),
        ("TIMEOUT", "5s"),
    ];
    let loaded = Creds::load(&good).expect("every required value is set");
    println!("{:?}", *loaded);
    for warning in loaded.warnings() {
        println!("warning: {warning}");
    }
    println!("\n  {:<18} origin", "variable");
    for (spec, origin) in loaded.origins() {
        println!("  {:<18} {origin}", spec.name());
    }
    let creds = loaded.into_inner();
    println!(
        "\n  and code that asks gets the values: port {}, timeout {:?}, a {}-character \
         GitHub token, a {}-character OpenAI key, a database URL that is {}, Slack notifications {}",
        creds.port,
        creds.timeout,
        creds.github_token.expose_secret().len(),
        creds.openai_key.expose_secret().len(),
        if creds.database_url.is_empty() {
            "missing"
        } else {
            "set"
        },
        if creds.slack_bot_token.is_some() {
            "on"
        } else {
            "off"
        },
    );

    println!("\n4. The variables (`Creds::vars()`):\n");
    println!(
        "  {:<18} {:<9} {:<7} {:<8} description",
        "name", "required", "secret", "default"
    );
    for var in Creds::vars() {
        println!(
            "  {:<18} {:<9} {:<7} {:<8} {}",
            var.name(),
            var.required(),
            var.secret(),
            var.default().unwrap_or("-"),
            var.description()
        );
    }
}
