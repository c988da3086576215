//! An OAuth 2 token manager (feature `oauth`): access tokens that are always
//! fresh, refreshed once however many tasks ask, kept safely on disk, and
//! never shown.
//!
//! Protocol work is the [`oauth2`] crate's: request building, client
//! authentication, PKCE and the RFC 6749 error responses are well-kept code
//! there, and credenv adds what a server needs around it: the refresh
//! schedule, single flight, retries, the token file and redaction.
//!
//! ```no_run
//! use credenv::Credentials;
//! use credenv::oauth::{OAuthCredentials, TokenManager};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_TOKEN_URL, OAUTH_SCOPES, OAUTH_TOKEN_FILE...
//! let creds = OAuthCredentials::load(&credenv::Env)?;
//! let tokens = TokenManager::from_loaded(&creds)?.build()?;
//! let token = tokens.access_token().await?; // refreshed when it expires within 5 minutes
//! # let _ = token;
//! # Ok(()) }
//! ```

mod builder;
mod error;
mod login;
mod manager;
mod revoke;
mod sign_out;
pub(crate) mod store;

use std::path::PathBuf;
use std::time::SystemTime;

use secrecy::SecretString;

use crate::{Credentials, Url};

pub use builder::TokenManagerBuilder;
pub use error::OAuthError;
pub use manager::TokenManager;

/// An OAuth client's credentials, from the environment. Flatten it, under a
/// prefix, into a struct of your own: `#[credential(flatten, prefix = "GOOGLE_")]`
/// reads `GOOGLE_OAUTH_CLIENT_ID`, and so on.
#[derive(Credentials)]
#[credentials(crate = "crate")]
pub struct OAuthCredentials {
    /// OAuth client ID
    #[credential(env = "OAUTH_CLIENT_ID")]
    pub client_id: String,
    /// OAuth client secret (unset for a public client, which relies on PKCE)
    #[credential(env = "OAUTH_CLIENT_SECRET")]
    pub client_secret: Option<SecretString>,
    /// Token endpoint
    #[credential(env = "OAUTH_TOKEN_URL")]
    pub token_url: Url,
    /// Authorization endpoint, for the first login (authorization code with PKCE)
    #[credential(env = "OAUTH_AUTH_URL")]
    pub auth_url: Option<Url>,
    /// Revocation endpoint (RFC 7009), where signing out revokes the tokens
    #[credential(env = "OAUTH_REVOCATION_URL")]
    pub revocation_url: Option<Url>,
    /// Scopes to request, space-separated: only those the server uses
    #[credential(env = "OAUTH_SCOPES", split = " ")]
    pub scopes: Option<Vec<String>>,
    /// Where tokens are kept between runs (created with mode 0600)
    #[credential(env = "OAUTH_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// How to get access tokens: refresh_token (after a login) or client_credentials
    #[credential(env = "OAUTH_GRANT", default = "refresh_token")]
    pub grant: Grant,
    /// Where tokens are kept: file (OAUTH_TOKEN_FILE), keyring, or keyring-or-file
    #[credential(env = "OAUTH_TOKEN_STORE", default = "file")]
    pub token_store: TokenStore,
}

/// Where a token manager keeps its tokens between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenStore {
    /// The token file (`OAUTH_TOKEN_FILE`), mode 0600; none without one.
    File,
    /// The OS keyring (feature `keyring`): the Secret Service, the
    /// Keychain, the Credential Manager. A keyring that cannot be reached
    /// is an error.
    Keyring,
    /// The keyring when one can be reached, else the token file, with a
    /// warning that says why.
    KeyringOrFile,
}

/// `file`, `keyring` or `keyring-or-file`.
impl crate::FromValue for TokenStore {
    fn from_value(text: &str) -> Result<Self, crate::ValueError> {
        match text {
            "file" => Ok(TokenStore::File),
            "keyring" => Ok(TokenStore::Keyring),
            "keyring-or-file" => Ok(TokenStore::KeyringOrFile),
            _ => Err(crate::ValueError::new(
                "use file, keyring or keyring-or-file",
            )),
        }
    }
}

/// How the manager gets a new access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Grant {
    /// With the refresh token from an earlier login (or the token file).
    RefreshToken,
    /// With the client's own credentials (`client_credentials`).
    ClientCredentials,
}

/// `refresh_token` or `client_credentials`, as in RFC 6749.
impl crate::FromValue for Grant {
    fn from_value(text: &str) -> Result<Self, crate::ValueError> {
        match text {
            "refresh_token" => Ok(Grant::RefreshToken),
            "client_credentials" => Ok(Grant::ClientCredentials),
            _ => Err(crate::ValueError::new(
                "use refresh_token or client_credentials",
            )),
        }
    }
}

/// A fresh access token. Its `Debug` is redacted.
#[derive(Debug, Clone)]
pub struct AccessToken {
    secret: SecretString,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// The token, for an `Authorization: Bearer` header.
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// When it expires, if the server said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}
