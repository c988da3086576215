//! Configuring a [`TokenManager`]: by hand, or from loaded
//! [`OAuthCredentials`], whose endpoints and secrets must share a layer.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, ClientSecret, TokenUrl};
use secrecy::{ExposeSecret, SecretString};

use super::manager::{Clients, Inner, OAuthClient};
use super::revoke::Revocation;
use super::store::{Store, TokenFile};
use super::{Grant, OAuthCredentials, OAuthError, TokenManager, TokenStore};
use crate::Url;
use crate::http::oauth2::HttpClient;

/// Configures a [`TokenManager`].
#[must_use]
pub struct TokenManagerBuilder {
    client_id: String,
    client_secret: Option<SecretString>,
    token_url: Url,
    auth_url: Option<Url>,
    revocation_url: Option<Url>,
    scopes: Vec<String>,
    token_file: Option<PathBuf>,
    grant: Grant,
    leeway: Duration,
    timeout: Duration,
    attempts: u32,
    backoff: Duration,
    store: TokenStore,
    /// The keyring entry's service and account, when not the default.
    keyring_entry: Option<(String, String)>,
    /// How long one keyring call may take.
    keyring_timeout: Duration,
    /// The handle whose generations the client follows, and the one the
    /// builder was made from.
    #[cfg(feature = "live")]
    live: Option<(
        crate::Live<OAuthCredentials>,
        std::sync::Arc<crate::Loaded<OAuthCredentials>>,
    )>,
}

impl TokenManager {
    /// A manager for the client `client_id` of the token endpoint `token_url`.
    pub fn builder(client_id: impl Into<String>, token_url: Url) -> TokenManagerBuilder {
        TokenManagerBuilder {
            client_id: client_id.into(),
            client_secret: None,
            token_url,
            auth_url: None,
            revocation_url: None,
            scopes: Vec::new(),
            token_file: None,
            grant: Grant::RefreshToken,
            leeway: Duration::from_secs(5 * 60),
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_millis(200),
            store: TokenStore::File,
            keyring_entry: None,
            keyring_timeout: Duration::from_secs(60),
            #[cfg(feature = "live")]
            live: None,
        }
    }

    /// A manager configured from [`OAuthCredentials`], loaded with their
    /// origins: the endpoints (`OAUTH_TOKEN_URL`, `OAUTH_AUTH_URL`,
    /// `OAUTH_REVOCATION_URL`) and what is sent to them or kept for them (`OAUTH_CLIENT_SECRET`,
    /// `OAUTH_TOKEN_FILE`) must come from one source layer, else a
    /// repository's `.env` naming a token URL would receive the shell's
    /// client secret and refresh token. A secret read from a file
    /// (`OAUTH_CLIENT_SECRET_FILE`, a mounted Secret) counts as coming from
    /// the layer that set `OAUTH_CLIENT_SECRET_FILE`. Prefer it to
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
        one_layer(loaded)?;
        Ok(TokenManager::from_credentials(loaded))
    }

    /// A manager whose client follows a live handle (feature `live`): each
    /// token request uses the current generation's client id, client
    /// secret and endpoints, so a rotated client secret is used without a
    /// restart. Each generation must pass [`from_loaded`]'s check and keep
    /// the first generation's token endpoint (from the same layer: the
    /// tokens held were issued there); one that does not is logged (ERROR,
    /// target `credenv`) and the last good client stays. The scopes, grant
    /// and token file are the first generation's.
    ///
    /// [`from_loaded`]: TokenManager::from_loaded
    #[cfg(feature = "live")]
    pub fn from_live(
        live: &crate::Live<OAuthCredentials>,
    ) -> Result<TokenManagerBuilder, OAuthError> {
        let first = live.current();
        let mut builder = TokenManager::from_loaded(&first)?;
        builder.live = Some((live.clone(), first));
        Ok(builder)
    }

    /// A manager configured from [`OAuthCredentials`], as they are: whoever
    /// loaded them vouches that the endpoints and the secrets came from one
    /// place (see [`from_loaded`](TokenManager::from_loaded)).
    pub fn from_credentials(creds: &OAuthCredentials) -> TokenManagerBuilder {
        let mut builder = TokenManager::builder(&creds.client_id, creds.token_url.clone());
        builder.client_secret = creds.client_secret.clone();
        builder.auth_url = creds.auth_url.clone();
        builder.revocation_url = creds.revocation_url.clone();
        builder.scopes = creds.scopes.clone().unwrap_or_default();
        builder.token_file = creds.token_file.clone();
        builder.store = creds.token_store;
        builder.grant = creds.grant;
        builder
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

    /// The revocation endpoint (RFC 7009), where
    /// [`sign_out`](TokenManager::sign_out) revokes the tokens.
    pub fn revocation_url(mut self, url: Url) -> Self {
        self.revocation_url = Some(url);
        self
    }

    /// Where the tokens are kept between runs: the token file (the
    /// default), the OS keyring, or the keyring when one can be reached and
    /// else the file (`OAUTH_TOKEN_STORE`: `file`, `keyring`,
    /// `keyring-or-file`).
    pub fn token_store(mut self, store: TokenStore) -> Self {
        self.store = store;
        self
    }

    /// The keyring entry's service and account (by default `credenv` and
    /// `<client id>@<token endpoint's URL>`), as the keyring's own tools
    /// (Seahorse, `secret-tool`, Keychain Access) show them.
    pub fn keyring_entry(mut self, service: impl Into<String>, account: impl Into<String>) -> Self {
        self.keyring_entry = Some((service.into(), account.into()));
        self
    }

    /// How long one keyring call may take (default a minute: time to answer
    /// an unlock prompt). One that takes longer is an error; a save that
    /// takes longer counts as not saved, and keeps the store's lock until it
    /// returns.
    pub fn keyring_timeout(mut self, timeout: Duration) -> Self {
        self.keyring_timeout = timeout;
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

    /// The manager, with the tokens of its store if there are any. Stored
    /// tokens that cannot be used are an error: a token file that others
    /// can read, JSON that is not a store's, or tokens issued by another
    /// token endpoint.
    pub fn build(self) -> Result<TokenManager, OAuthError> {
        let manager = self.build_unloaded()?;
        if let Some(store) = &manager.inner.store {
            let stored = store.load_blocking()?;
            *manager.inner.tokens.try_lock().expect("not shared yet") = stored;
        }
        Ok(manager)
    }

    /// Signs out without a manager to keep: builds one without reading its
    /// store (a corrupt entry or file is deleted all the same), then
    /// [`TokenManager::sign_out`].
    pub async fn sign_out(self) -> Result<(), OAuthError> {
        // Opening a keyring may block (up to its timeout): not on a worker.
        let built = tokio::task::spawn_blocking(move || self.build_unloaded()).await;
        let manager =
            built.map_err(|_| OAuthError::Config("the sign-out panicked".to_owned()))??;
        manager.sign_out().await
    }

    /// The manager, its store opened but not read.
    fn build_unloaded(self) -> Result<TokenManager, OAuthError> {
        let client = client(
            self.client_id.clone(),
            self.client_secret.as_ref(),
            self.token_url.clone(),
            self.auth_url.clone(),
            self.revocation_url.clone(),
        )?;
        // No redirects: a token endpoint that redirects is misconfigured, and
        // following one would send the client's credentials elsewhere.
        let http = crate::http::client(self.timeout).map_err(OAuthError::Config)?;
        let store = self.store()?;
        Ok(TokenManager {
            inner: Arc::new(Inner {
                client: Clients::new(
                    client,
                    #[cfg(feature = "live")]
                    self.live,
                ),
                http_client: HttpClient(http),
                scopes: self.scopes,
                grant: self.grant,
                leeway: self.leeway,
                attempts: self.attempts,
                backoff: self.backoff,
                store,
                tokens: tokio::sync::Mutex::new(None),
                unsaved: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The store chosen: the token file, the keyring's entry, or for
    /// `keyring-or-file` the entry when a keyring can be reached (the file
    /// being read until the next save moves its tokens into the entry), and
    /// else the file. Only a keyring that cannot be reached at all falls
    /// back: one that is locked, refuses or does not answer is an error.
    fn store(&self) -> Result<Option<Store>, OAuthError> {
        let issuer = self.token_url.as_str();
        let file = self.token_file.clone().map(TokenFile::new);
        let fallback = match self.store {
            TokenStore::File => return Ok(file.map(|file| Store::file(file, issuer))),
            TokenStore::Keyring => false,
            TokenStore::KeyringOrFile => true,
        };
        #[cfg(feature = "keyring")]
        {
            let (service, account) = self.keyring_entry.clone().unwrap_or_else(|| {
                let url = crate::http::without_query(&self.token_url);
                ("credenv".to_owned(), format!("{}@{url}", self.client_id))
            });
            use super::store::{KeyringEntry, Opened};
            match KeyringEntry::open(&service, &account, self.keyring_timeout)? {
                Opened::Entry(entry) => {
                    let left_behind = if fallback { file } else { None };
                    Ok(Some(Store::keyring(entry, left_behind, issuer)))
                }
                // Without a file to fall back to, the tokens would be kept
                // nowhere: a failed store, not a fallback.
                Opened::Unreachable(e) if !fallback || file.is_none() => Err(e),
                Opened::Unreachable(e) => {
                    tracing::warn!(target: "credenv", "{e}: the OAuth tokens are kept in the token file instead");
                    Ok(file.map(|file| Store::file(file, issuer)))
                }
            }
        }
        #[cfg(not(feature = "keyring"))]
        {
            let _ = (fallback, file);
            Err(OAuthError::Config(
                "OAUTH_TOKEN_STORE asks for the keyring, and this build has no feature keyring"
                    .to_owned(),
            ))
        }
    }
}

/// The endpoints (`OAUTH_TOKEN_URL`, `OAUTH_AUTH_URL`,
/// `OAUTH_REVOCATION_URL`) and what is sent to them or kept for them come
/// from one source layer.
pub(super) fn one_layer(loaded: &crate::Loaded<OAuthCredentials>) -> Result<(), OAuthError> {
    let layer = |name: &str| loaded.layer_of(name);
    let endpoint = layer("OAUTH_TOKEN_URL");
    for name in [
        "OAUTH_AUTH_URL",
        "OAUTH_REVOCATION_URL",
        "OAUTH_CLIENT_SECRET",
        "OAUTH_TOKEN_FILE",
    ] {
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
    Ok(())
}

/// The client of these settings, its endpoints checked (https, or http on
/// loopback).
pub(super) fn client(
    client_id: String,
    client_secret: Option<&SecretString>,
    token_url: Url,
    auth_url: Option<Url>,
    revocation_url: Option<Url>,
) -> Result<OAuthClient, OAuthError> {
    crate::http::check("the token endpoint (OAUTH_TOKEN_URL)", &token_url)
        .map_err(OAuthError::Config)?;
    if let Some(auth_url) = &auth_url {
        crate::http::check("the authorization endpoint (OAUTH_AUTH_URL)", auth_url)
            .map_err(OAuthError::Config)?;
    }
    if let Some(revocation_url) = &revocation_url {
        crate::http::check(
            "the revocation endpoint (OAUTH_REVOCATION_URL)",
            revocation_url,
        )
        .map_err(OAuthError::Config)?;
    }
    let revocation = revocation_url.map(|url| Revocation {
        url,
        client_id: client_id.clone(),
        client_secret: client_secret.cloned(),
    });
    let mut oauth2 = BasicClient::new(ClientId::new(client_id))
        .set_token_uri(TokenUrl::from_url(token_url))
        .set_auth_uri_option(auth_url.map(AuthUrl::from_url));
    if let Some(secret) = client_secret {
        oauth2 = oauth2.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
    }
    Ok(OAuthClient { oauth2, revocation })
}
