//! Gets a valid OAuth access token, refreshing it when needed, and prints
//! only its expiry (never a token).
//!
//! ```sh
//! OAUTH_CLIENT_ID=... OAUTH_CLIENT_SECRET=... OAUTH_TOKEN_URL=https://.../token \
//! OAUTH_TOKEN_FILE=~/.config/my-server/tokens.json \
//! OAUTH_AUTH_URL=https://.../authorize OAUTH_SCOPES="read:repo" \
//!     cargo run --example oauth_token
//! ```
//!
//! The first run, with no token file yet, logs in: it prints the URL to open
//! on stderr, waits for the browser's redirect to a loopback port
//! (`OAUTH_REDIRECT_PORT`, any free port by default), and saves the tokens
//! (mode 0600). Later runs refresh from the file. With
//! `OAUTH_GRANT=client_credentials`, no login is needed. With
//! `OAUTH_TOKEN_STORE=keyring` (feature `keyring`), the tokens are kept in
//! the OS keyring instead (`keyring-or-file`: there when one can be
//! reached; `OAUTH_KEYRING_TIMEOUT` bounds each keyring call). `--sign-out`
//! forgets them, and revokes them at `OAUTH_REVOCATION_URL` when it is set.

use std::time::{Duration, SystemTime};

use credenv::Credentials;
use credenv::oauth::{OAuthCredentials, OAuthError, TokenManager};

#[derive(Credentials)]
struct Login {
    /// The loopback port the browser is redirected to (0: any free port)
    #[credential(env = "OAUTH_REDIRECT_PORT", default = 0)]
    redirect_port: u16,
    /// How long to wait for the browser
    #[credential(env = "OAUTH_LOGIN_TIMEOUT", default = "5m")]
    login_timeout: Duration,
    /// How long one keyring call may take (an unlock prompt)
    #[credential(env = "OAUTH_KEYRING_TIMEOUT", default = "1m")]
    keyring_timeout: Duration,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let creds = OAuthCredentials::load_env_or_exit();
    let login = Login::from_env_or_exit();
    let builder = match TokenManager::from_loaded(&creds) {
        Ok(builder) => builder.keyring_timeout(login.keyring_timeout),
        Err(e) => fail(&e),
    };
    // Signing out reads nothing first: a corrupt store is deleted too.
    if std::env::args().nth(1).as_deref() == Some("--sign-out") {
        match builder.sign_out().await {
            Ok(()) => println!("signed out"),
            Err(e) => fail(&e),
        }
        return;
    }
    let tokens = match builder.build() {
        Ok(tokens) => tokens,
        Err(e) => fail(&e),
    };
    let token = match tokens.access_token().await {
        Err(OAuthError::AuthorizationRequired) => {
            let open = |url: &credenv::Url| {
                eprintln!("Open this URL in a browser to log in:\n\n  {url}\n")
            };
            tokens
                .authorize(login.redirect_port, login.login_timeout, open)
                .await
        }
        other => other,
    };
    match token {
        Ok(token) => match token
            .expires_at()
            .and_then(|at| at.duration_since(SystemTime::now()).ok())
        {
            Some(left) => println!(
                "access token valid for {}",
                humantime::format_duration(Duration::from_secs(left.as_secs()))
            ),
            None => println!("access token valid (no expiry given)"),
        },
        Err(e) => fail(&e),
    }
}

fn fail(error: &OAuthError) -> ! {
    eprintln!("error: {error}");
    std::process::exit(1)
}
