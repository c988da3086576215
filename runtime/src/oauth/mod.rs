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

mod http;
mod login;
pub(crate) mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicTokenResponse};
use oauth2::{
    AuthUrl, ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, RefreshToken,
    RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use crate::{Credentials, Url};
use http::{HttpClient, HttpError};
use store::{TokenFile, Tokens};

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
    /// Scopes to request, space-separated: only those the server uses
    #[credential(env = "OAUTH_SCOPES", split = " ")]
    pub scopes: Option<Vec<String>>,
    /// Where tokens are kept between runs (created with mode 0600)
    #[credential(env = "OAUTH_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// How to get access tokens: refresh_token (after a login) or client_credentials
    #[credential(env = "OAUTH_GRANT", default = "refresh_token")]
    pub grant: Grant,
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

/// Why no access token could be had. Never holds a token or a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthError {
    /// There is no refresh token: log in first ([`TokenManager::authorize`]).
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
    /// The first login failed.
    Login(String),
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
            OAuthError::Login(reason) => write!(f, "login failed: {reason}"),
            OAuthError::Config(reason) => write!(f, "OAuth is not configured for this: {reason}"),
        }
    }
}

impl std::error::Error for OAuthError {}

type Client =
    BasicClient<EndpointMaybeSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Gets access tokens and keeps them fresh. Cheap to clone; clones share the
/// tokens.
#[derive(Clone)]
pub struct TokenManager {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    http_client: HttpClient,
    scopes: Vec<String>,
    grant: Grant,
    leeway: Duration,
    attempts: u32,
    backoff: Duration,
    file: Option<TokenFile>,
    /// Held across a refresh: the first caller to find the token stale
    /// refreshes it, and every other caller waits and then reuses it.
    tokens: tokio::sync::Mutex<Option<Tokens>>,
    /// New tokens whose save failed (only touched under `tokens`' lock).
    unsaved: std::sync::Mutex<Option<Tokens>>,
}

/// Configures a [`TokenManager`].
#[must_use]
pub struct TokenManagerBuilder {
    client_id: String,
    client_secret: Option<SecretString>,
    token_url: Url,
    auth_url: Option<Url>,
    scopes: Vec<String>,
    token_file: Option<PathBuf>,
    grant: Grant,
    leeway: Duration,
    timeout: Duration,
    attempts: u32,
    backoff: Duration,
}

impl TokenManager {
    /// A manager for the client `client_id` of the token endpoint `token_url`.
    pub fn builder(client_id: impl Into<String>, token_url: Url) -> TokenManagerBuilder {
        TokenManagerBuilder {
            client_id: client_id.into(),
            client_secret: None,
            token_url,
            auth_url: None,
            scopes: Vec::new(),
            token_file: None,
            grant: Grant::RefreshToken,
            leeway: Duration::from_secs(5 * 60),
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_millis(200),
        }
    }

    /// A manager configured from [`OAuthCredentials`], loaded with their
    /// origins: the endpoints (`OAUTH_TOKEN_URL`, `OAUTH_AUTH_URL`) and what
    /// is sent to them or kept for them (`OAUTH_CLIENT_SECRET`,
    /// `OAUTH_TOKEN_FILE`) must come from one source layer, else a
    /// repository's `.env` naming a token URL would receive the shell's
    /// client secret and refresh token. Prefer it to
    /// [`from_credentials`](TokenManager::from_credentials) whenever the
    /// source layers more than one place.
    ///
    /// ```
    /// use credenv::{Credentials, DotEnv};
    /// use credenv::oauth::{OAuthCredentials, TokenManager};
    ///
    /// let shell = [("OAUTH_CLIENT_ID", "app"), ("OAUTH_CLIENT_SECRET", "s-1")];
    /// let repo = DotEnv::from_reader(&b"OAUTH_TOKEN_URL=https://evil.example/token\n"[..], ".env")?;
    /// let loaded = OAuthCredentials::load(&(shell, repo))?;
    /// let err = TokenManager::from_loaded(&loaded).err().unwrap();
    /// assert!(err.to_string().contains("must come from the same place"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_loaded(
        loaded: &crate::Loaded<OAuthCredentials>,
    ) -> Result<TokenManagerBuilder, OAuthError> {
        let layer = |name: &str| loaded.origin(name).cloned().map(crate::Origin::layer);
        let endpoint = layer("OAUTH_TOKEN_URL");
        for name in ["OAUTH_AUTH_URL", "OAUTH_CLIENT_SECRET", "OAUTH_TOKEN_FILE"] {
            match layer(name) {
                Some(crate::Origin::Unset | crate::Origin::Default) | None => {}
                Some(other) if Some(&other) == endpoint.as_ref() => {}
                Some(other) => {
                    let endpoint = endpoint.map(|e| e.to_string()).unwrap_or_default();
                    return Err(OAuthError::Config(format!(
                        "OAUTH_TOKEN_URL comes from the {endpoint} but {name} from the {other}: an endpoint and what is sent to it must come from the same place"
                    )));
                }
            }
        }
        Ok(TokenManager::from_credentials(loaded))
    }

    /// A manager configured from [`OAuthCredentials`], as they are: whoever
    /// loaded them vouches that the endpoints and the secrets came from one
    /// place (see [`from_loaded`](TokenManager::from_loaded)).
    pub fn from_credentials(creds: &OAuthCredentials) -> TokenManagerBuilder {
        let mut builder = TokenManager::builder(&creds.client_id, creds.token_url.clone());
        builder.client_secret = creds.client_secret.clone();
        builder.auth_url = creds.auth_url.clone();
        builder.scopes = creds.scopes.clone().unwrap_or_default();
        builder.token_file = creds.token_file.clone();
        builder.grant = creds.grant;
        builder
    }

    /// A fresh access token: the current one, or, when it expires within the
    /// leeway, a new one. Concurrent callers share one refresh.
    pub async fn access_token(&self) -> Result<AccessToken, OAuthError> {
        let mut tokens = self.inner.tokens.lock().await;
        if let Some(current) = tokens.as_ref().filter(|t| t.fresh(self.inner.leeway)) {
            return Ok(access(current));
        }
        let fresh = self.renew_and_save(tokens.as_ref(), false).await?;
        Ok(keep(&mut tokens, fresh))
    }

    /// A new access token now, whatever the current one's expiry.
    pub async fn refresh(&self) -> Result<AccessToken, OAuthError> {
        let mut tokens = self.inner.tokens.lock().await;
        let fresh = self.renew_and_save(tokens.as_ref(), true).await?;
        Ok(keep(&mut tokens, fresh))
    }

    /// New tokens, saved before they are used.
    ///
    /// With a token file, another process may share it: the refresh holds
    /// the file's lock, and first re-reads the file. Tokens another process
    /// refreshed meanwhile are taken as they are (unless `force`), and a
    /// newer refresh token is the one spent, so a rotating provider never
    /// sees one refresh token twice. Tokens that cannot be saved are not
    /// used (a rotated refresh token kept only in memory would be lost at
    /// exit), but kept aside: the next call saves them before anything
    /// else, and never spends the refresh token they replaced.
    async fn renew_and_save(
        &self,
        current: Option<&Tokens>,
        force: bool,
    ) -> Result<Tokens, OAuthError> {
        let Some(file) = &self.inner.file else {
            return self.renew(current).await;
        };
        let _lock = file.lock().await?;
        let on_disk = file.load()?;
        let changed = |disk: &&Tokens| current.is_none_or(|current| !current.same(disk));
        let unsaved = self.take_unsaved();
        // Unless another process has moved on since (its tokens are newer).
        if let Some(unsaved) = unsaved
            && on_disk.as_ref().filter(changed).is_none()
        {
            return match file.save(&unsaved) {
                Ok(()) => Ok(unsaved),
                Err(e) => Err(self.set_aside(unsaved, e)),
            };
        }
        if let Some(disk) = on_disk.as_ref().filter(changed)
            && !force
            && disk.fresh(self.inner.leeway)
        {
            return Ok(disk.clone());
        }
        let fresh = self.renew(on_disk.as_ref().or(current)).await?;
        match self.inner.grant {
            Grant::RefreshToken => {
                if let Err(e) = file.save(&fresh) {
                    return Err(self.set_aside(fresh, e));
                }
            }
            // Nothing rotates: the tokens stay usable if the file cannot be
            // written, and the next request tries again.
            Grant::ClientCredentials => {
                if let Err(e) = file.save(&fresh) {
                    tracing::error!(target: "credenv", error = %e, "cannot save the OAuth tokens");
                }
            }
        }
        Ok(fresh)
    }

    fn take_unsaved(&self) -> Option<Tokens> {
        match self.inner.unsaved.lock() {
            Ok(mut slot) => slot.take(),
            Err(_) => None,
        }
    }

    /// Keeps tokens that could not be saved for the next call, and returns
    /// why.
    fn set_aside(&self, tokens: Tokens, error: OAuthError) -> OAuthError {
        if let Ok(mut slot) = self.inner.unsaved.lock() {
            *slot = Some(tokens);
        }
        error
    }

    /// For tests of a crash: a refresh whose save stops after the new file is
    /// written and synced, before the rename. Not part of the API.
    #[doc(hidden)]
    pub async fn __refresh_and_stage(&self) -> Result<PathBuf, OAuthError> {
        let tokens = self.inner.tokens.lock().await;
        let fresh = self.renew(tokens.as_ref()).await?;
        let file = self
            .inner
            .file
            .as_ref()
            .ok_or_else(|| OAuthError::Config("no token file".to_owned()))?;
        file.stage(&fresh)
    }

    /// The token file, if the manager keeps one.
    pub fn token_file(&self) -> Option<&std::path::Path> {
        self.inner.file.as_ref().map(TokenFile::path)
    }

    async fn renew(&self, current: Option<&Tokens>) -> Result<Tokens, OAuthError> {
        let grant = self.inner.grant;
        let refresh_token = current.and_then(|t| t.refresh_token.clone());
        let result = match grant {
            Grant::ClientCredentials => {
                self.with_retries(|http| {
                    let request = self
                        .inner
                        .client
                        .exchange_client_credentials()
                        .add_scopes(self.inner.scopes.iter().cloned().map(Scope::new));
                    request.request_async(http)
                })
                .await
            }
            Grant::RefreshToken => {
                let Some(refresh_token) = refresh_token.as_ref() else {
                    return Err(OAuthError::AuthorizationRequired);
                };
                let refresh_token = RefreshToken::new(refresh_token.expose_secret().to_owned());
                let result = self
                    .with_retries(|http| {
                        let request = self
                            .inner
                            .client
                            .exchange_refresh_token(&refresh_token)
                            .add_scopes(self.inner.scopes.iter().cloned().map(Scope::new));
                        request.request_async(http)
                    })
                    .await;
                zeroize_refresh_token(refresh_token);
                result
            }
        };
        let response = result.inspect_err(|e| {
            tracing::warn!(target: "credenv", grant = ?grant, error = %e, "OAuth token request failed");
        })?;
        let mut fresh = tokens_from(&response);
        // A server that does not rotate refresh tokens answers without one:
        // the current one stays good.
        if fresh.refresh_token.is_none() {
            fresh.refresh_token = current.and_then(|t| t.refresh_token.clone());
        }
        Ok(fresh)
    }

    /// Sends a token request, again after a transport error or a 5xx, with
    /// doubling backoff; any other answer is final.
    async fn with_retries<'a, F, Fut>(
        &'a self,
        request: F,
    ) -> Result<BasicTokenResponse, OAuthError>
    where
        F: Fn(&'a HttpClient) -> Fut,
        Fut: Future<
            Output = Result<BasicTokenResponse, RequestTokenError<HttpError, BasicErrorResponse>>,
        >,
    {
        let http: &'a HttpClient = &self.inner.http_client;
        let mut delay = self.inner.backoff;
        for attempt in 1.. {
            match request(http).await {
                Ok(response) => return Ok(response),
                Err(RequestTokenError::Request(error)) if attempt < self.inner.attempts => {
                    tracing::warn!(target: "credenv", attempt, error = %error, "OAuth token request failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                Err(error) => return Err(token_error(error)),
            }
        }
        unreachable!("the loop returns")
    }
}

impl TokenManagerBuilder {
    /// The client secret (a confidential client).
    pub fn client_secret(mut self, secret: SecretString) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// The authorization endpoint, for [`TokenManager::authorize`].
    pub fn auth_url(mut self, url: Url) -> Self {
        self.auth_url = Some(url);
        self
    }

    /// The scopes to request: only those the server uses.
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Keep tokens in this file between runs.
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    /// How to get access tokens (by default, [`Grant::RefreshToken`]).
    pub fn grant(mut self, grant: Grant) -> Self {
        self.grant = grant;
        self
    }

    /// Renew an access token that expires within this (default 5 minutes).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Give up on one request to the token endpoint after this (default 10s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Try a request this many times in all when the endpoint cannot be
    /// reached or fails with a 5xx (default 3), waiting `backoff` (default
    /// 200 ms) before the second, twice that before the third, and so on.
    pub fn retries(mut self, attempts: u32, backoff: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.backoff = backoff;
        self
    }

    /// The manager, with the tokens of the token file if there is one. A token
    /// file that others can read, or that is not a token file, is an error.
    pub fn build(self) -> Result<TokenManager, OAuthError> {
        crate::http::check("the token endpoint (OAUTH_TOKEN_URL)", &self.token_url)
            .map_err(OAuthError::Config)?;
        if let Some(auth_url) = &self.auth_url {
            crate::http::check("the authorization endpoint (OAUTH_AUTH_URL)", auth_url)
                .map_err(OAuthError::Config)?;
        }
        let mut client = BasicClient::new(ClientId::new(self.client_id))
            .set_token_uri(TokenUrl::from_url(self.token_url))
            .set_auth_uri_option(self.auth_url.map(AuthUrl::from_url));
        if let Some(secret) = &self.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        // No redirects: a token endpoint that redirects is misconfigured, and
        // following one would send the client's credentials elsewhere.
        let http = crate::http::client(self.timeout).map_err(OAuthError::Config)?;
        let file = self.token_file.map(TokenFile::new);
        let tokens = match &file {
            Some(file) => file.load()?,
            None => None,
        };
        Ok(TokenManager {
            inner: Arc::new(Inner {
                client,
                http_client: HttpClient(http),
                scopes: self.scopes,
                grant: self.grant,
                leeway: self.leeway,
                attempts: self.attempts,
                backoff: self.backoff,
                file,
                tokens: tokio::sync::Mutex::new(tokens),
                unsaved: std::sync::Mutex::new(None),
            }),
        })
    }
}

/// Keeps tokens (already saved) in memory, and hands out the access token.
fn keep(slot: &mut Option<Tokens>, fresh: Tokens) -> AccessToken {
    let token = access(&fresh);
    *slot = Some(fresh);
    token
}

fn access(tokens: &Tokens) -> AccessToken {
    AccessToken {
        secret: tokens.access_token.clone(),
        expires_at: tokens.expires_at,
    }
}

fn tokens_from(response: &BasicTokenResponse) -> Tokens {
    Tokens {
        access_token: SecretString::from(response.access_token().secret().as_str()),
        refresh_token: response
            .refresh_token()
            .map(|t| SecretString::from(t.secret().as_str())),
        // A huge `expires_in` from the server is "never", not a panic.
        expires_at: response
            .expires_in()
            .and_then(|d| SystemTime::now().checked_add(d)),
        scopes: response
            .scopes()
            .map(|s| s.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

fn zeroize_refresh_token(token: RefreshToken) {
    token.into_secret().zeroize();
}

/// A failed request: what RFC 6749 and the transport say, never a token.
/// (oauth2's parse error carries the answer's body, which may hold tokens:
/// it is zeroized, and only the place in the JSON is kept.)
fn token_error(error: RequestTokenError<HttpError, BasicErrorResponse>) -> OAuthError {
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
