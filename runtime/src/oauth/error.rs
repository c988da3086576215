//! Why no access token could be had: data, and words that never hold a
//! token or a secret.

use std::path::PathBuf;

use oauth2::RequestTokenError;
use oauth2::basic::BasicErrorResponse;
use zeroize::Zeroize;

use crate::http::oauth2::HttpError;

/// Why no access token could be had. Never holds a token or a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthError {
    /// There is no refresh token: log in first ([`TokenManager::authorize`](super::TokenManager::authorize)).
    AuthorizationRequired,
    /// The token endpoint refused, with an RFC 6749 error such as
    /// `invalid_grant` (the refresh token is expired, revoked or reused) or
    /// `invalid_client` (check the client ID and secret).
    Rejected {
        /// The error code, e.g. `invalid_grant`.
        error: String,
        /// The server's description, if any.
        description: Option<String>,
    },
    /// The token endpoint could not be reached, timed out, or failed (5xx),
    /// after retries.
    Unavailable(String),
    /// The token endpoint's answer is not a token response.
    InvalidResponse(String),
    /// The token file cannot be used.
    TokenFile {
        /// Its path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The OS keyring's entry cannot be used (feature `keyring`).
    Keyring {
        /// The entry's service.
        service: String,
        /// The entry's account.
        account: String,
        /// What is wrong.
        reason: String,
    },
    /// The first login failed.
    Login(String),
    /// Signed out here (the tokens are deleted), but the revocation
    /// endpoint did not revoke them.
    NotRevoked(String),
    /// The manager is not configured for what was asked.
    Config(String),
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OAuthError::AuthorizationRequired => {
                f.write_str("authorization required: there is no refresh token yet; log in first")
            }
            OAuthError::Rejected {
                error,
                description: None,
            } => write!(f, "the token endpoint refused: {error}"),
            OAuthError::Rejected {
                error,
                description: Some(description),
            } => {
                write!(f, "the token endpoint refused: {error}: {description}")
            }
            OAuthError::Unavailable(reason) => {
                write!(f, "the token endpoint is unavailable: {reason}")
            }
            OAuthError::InvalidResponse(reason) => {
                write!(f, "the token endpoint's answer is invalid: {reason}")
            }
            OAuthError::TokenFile { path, reason } => {
                write!(f, "token file {}: {reason}", path.display())
            }
            OAuthError::Keyring {
                service,
                account,
                reason,
            } => write!(f, "keyring entry {service}/{account}: {reason}"),
            OAuthError::Login(reason) => write!(f, "login failed: {reason}"),
            OAuthError::NotRevoked(reason) => write!(
                f,
                "signed out here, but the provider did not revoke the tokens: {reason}"
            ),
            OAuthError::Config(reason) => write!(f, "OAuth is not configured for this: {reason}"),
        }
    }
}

impl std::error::Error for OAuthError {}

/// A failed request: what RFC 6749 and the transport say, never a token.
/// (oauth2's parse error carries the answer's body, which may hold tokens:
/// it is zeroized, and only the place in the JSON is kept.)
pub(super) fn token_error(error: RequestTokenError<HttpError, BasicErrorResponse>) -> OAuthError {
    match error {
        RequestTokenError::ServerResponse(response) => OAuthError::Rejected {
            error: response.error().to_string(),
            description: response.error_description().cloned(),
        },
        RequestTokenError::Request(error) => OAuthError::Unavailable(error.to_string()),
        RequestTokenError::Parse(error, mut body) => {
            body.zeroize();
            let place = match error.path().to_string() {
                place if place == "." => String::new(),
                place => format!(" (at {place})"),
            };
            let broken = !error.inner().is_data();
            OAuthError::InvalidResponse(match broken {
                true => format!("not valid JSON{place}"),
                false => format!("not a token response{place}"),
            })
        }
        RequestTokenError::Other(reason) => OAuthError::InvalidResponse(reason),
    }
}
