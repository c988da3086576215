//! The manager: a fresh access token for every caller, one refresh for any
//! number of them, and tokens saved before they are used.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicTokenResponse};
use oauth2::{
    EndpointMaybeSet, EndpointNotSet, EndpointSet, RefreshToken, RequestTokenError, Scope,
    TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use super::error::token_error;
use super::revoke::Revocation;
use super::store::{Store, Tokens};
use super::{AccessToken, Grant, OAuthError};
use crate::http::oauth2::{HttpClient, HttpError};

pub(super) type Client =
    BasicClient<EndpointMaybeSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// A client of the provider: oauth2's, for the token and authorization
/// endpoints, and the revocation endpoint, if it has one.
pub(super) struct OAuthClient {
    pub(super) oauth2: Client,
    pub(super) revocation: Option<Revocation>,
}

/// Gets access tokens and keeps them fresh. Cheap to clone; clones share the
/// tokens.
#[derive(Clone)]
pub struct TokenManager {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) client: Clients,
    pub(super) http_client: HttpClient,
    pub(super) scopes: Vec<String>,
    pub(super) grant: Grant,
    pub(super) leeway: Duration,
    pub(super) attempts: u32,
    pub(super) backoff: Duration,
    pub(super) store: Option<Store>,
    /// Held across a refresh: the first caller to find the token stale
    /// refreshes it, and every other caller waits and then reuses it.
    pub(super) tokens: tokio::sync::Mutex<Option<Tokens>>,
    /// New tokens whose save failed (only touched under `tokens`' lock).
    pub(super) unsaved: std::sync::Mutex<Option<Tokens>>,
}

/// The oauth2 client: the one built, or (feature `live`) the one of a live
/// handle's current generation.
pub(super) struct Clients {
    /// The client, and the generation it was built from.
    current: std::sync::Mutex<(Option<Generation>, Arc<OAuthClient>)>,
    /// The handle followed, and its generation the manager was built from.
    #[cfg(feature = "live")]
    live: Option<(crate::Live<super::OAuthCredentials>, Generation)>,
}

#[cfg(feature = "live")]
type Generation = Arc<crate::Loaded<super::OAuthCredentials>>;
#[cfg(not(feature = "live"))]
type Generation = std::convert::Infallible;

impl Clients {
    /// `client`, built from `live`'s generation `first` when it follows one.
    pub(super) fn new(
        client: OAuthClient,
        #[cfg(feature = "live")] live: Option<(crate::Live<super::OAuthCredentials>, Generation)>,
    ) -> Self {
        #[cfg(feature = "live")]
        let first = live.as_ref().map(|(_, first)| Arc::clone(first));
        #[cfg(not(feature = "live"))]
        let first = None;
        Clients {
            current: std::sync::Mutex::new((first, Arc::new(client))),
            #[cfg(feature = "live")]
            live,
        }
    }

    /// The client to use now: rebuilt when the live handle has a new
    /// generation that passes the checks.
    pub(super) fn current(&self) -> Arc<OAuthClient> {
        #[cfg_attr(not(feature = "live"), allow(unused_mut))]
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        #[cfg(feature = "live")]
        if let Some((live, first)) = &self.live {
            let now = live.current();
            let seen = current
                .0
                .as_ref()
                .is_some_and(|seen| Arc::ptr_eq(seen, &now));
            if !seen {
                match rebuilt(first, &now) {
                    Ok(client) => current.1 = Arc::new(client),
                    Err(e) => {
                        tracing::error!(target: "credenv", error = %e, "the new OAuth client credentials are not used");
                    }
                }
                // Once per generation: a refused one is not tried again.
                current.0 = Some(now);
            }
        }
        Arc::clone(&current.1)
    }
}

/// The client of the generation `now`, checked as `from_loaded` checks a
/// load, and against the `first` generation: the same token endpoint, from
/// the same layer (the tokens held were issued there).
#[cfg(feature = "live")]
fn rebuilt(first: &Generation, now: &Generation) -> Result<OAuthClient, OAuthError> {
    super::builder::one_layer(now)?;
    let layer = |loaded: &Generation| loaded.layer_of("OAUTH_TOKEN_URL");
    if now.token_url != first.token_url || layer(now) != layer(first) {
        return Err(OAuthError::Config(
            "OAUTH_TOKEN_URL changed: the tokens held were issued by the first; restart to use another"
                .to_owned(),
        ));
    }
    super::builder::client(
        now.client_id.clone(),
        now.client_secret.as_ref(),
        now.token_url.clone(),
        now.auth_url.clone(),
        now.revocation_url.clone(),
    )
}

impl TokenManager {
    /// A fresh access token: the current one, or, when it expires within the
    /// leeway, a new one. Concurrent callers share one refresh.
    pub async fn access_token(&self) -> Result<AccessToken, OAuthError> {
        let mut tokens = self.inner.tokens.lock().await;
        if let Some(current) = tokens.as_ref().filter(|t| t.fresh(self.inner.leeway)) {
            return Ok(access(current));
        }
        self.renew_and_save(&mut tokens, false).await
    }

    /// A new access token now, whatever the current one's expiry.
    pub async fn refresh(&self) -> Result<AccessToken, OAuthError> {
        let mut tokens = self.inner.tokens.lock().await;
        self.renew_and_save(&mut tokens, true).await
    }

    /// New tokens, saved before they are used, kept in `slot`.
    ///
    /// With a store, another process may share it: the refresh holds the
    /// store's lock, and first re-reads the store. Tokens another process
    /// refreshed meanwhile are taken as they are (unless `force`), and a
    /// newer refresh token is the one spent, so a rotating provider never
    /// sees one refresh token twice. A store found empty was emptied since
    /// the tokens held were read or saved (a sign-out elsewhere, or by
    /// hand): they are forgotten too, and a login is needed. Tokens that
    /// cannot be saved are not used (a rotated refresh token kept only in
    /// memory would be lost at exit), but kept aside: the next call saves
    /// them before anything else, and never spends the refresh token they
    /// replaced.
    async fn renew_and_save(
        &self,
        slot: &mut Option<Tokens>,
        force: bool,
    ) -> Result<AccessToken, OAuthError> {
        let Some(store) = &self.inner.store else {
            let fresh = self.renew(slot.as_ref()).await?;
            return Ok(keep(slot, fresh));
        };
        let lock = store.lock().await?;
        let stored = store.load().await?;
        let mut unsaved = self.take_unsaved();
        if stored.is_none() {
            *slot = None;
            unsaved = None;
        }
        let newer = stored
            .as_ref()
            .filter(|stored| slot.as_ref().is_none_or(|held| !held.same(stored)));
        // Unless another process has moved on since (its tokens are newer).
        if let Some(unsaved) = unsaved
            && newer.is_none()
        {
            return match store.save(&lock, &unsaved).await {
                Ok(()) => Ok(keep(slot, unsaved)),
                Err(e) => Err(self.set_aside(unsaved, e)),
            };
        }
        if let Some(newer) = newer
            && !force
            && newer.fresh(self.inner.leeway)
        {
            let newer = newer.clone();
            return Ok(keep(slot, newer));
        }
        let fresh = self.renew(stored.as_ref().or(slot.as_ref())).await?;
        match self.inner.grant {
            Grant::RefreshToken => {
                if let Err(e) = store.save(&lock, &fresh).await {
                    return Err(self.set_aside(fresh, e));
                }
            }
            // Nothing rotates: the tokens stay usable if the store cannot be
            // written, and the next request tries again.
            Grant::ClientCredentials => {
                if let Err(e) = store.save(&lock, &fresh).await {
                    tracing::error!(target: "credenv", error = %e, "cannot save the OAuth tokens");
                }
            }
        }
        Ok(keep(slot, fresh))
    }

    pub(super) fn take_unsaved(&self) -> Option<Tokens> {
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
        let store = self.inner.store.as_ref();
        let file = store
            .and_then(Store::token_file)
            .ok_or_else(|| OAuthError::Config("no token file".to_owned()))?;
        file.stage(&store.map(|s| s.json(&fresh)).unwrap_or_default())
    }

    /// The token file, if the manager keeps its tokens in one.
    pub fn token_file(&self) -> Option<&std::path::Path> {
        self.inner.store.as_ref().and_then(Store::path)
    }

    async fn renew(&self, current: Option<&Tokens>) -> Result<Tokens, OAuthError> {
        let grant = self.inner.grant;
        let client = self.inner.client.current();
        let refresh_token = current.and_then(|t| t.refresh_token.clone());
        let result = match grant {
            Grant::ClientCredentials => {
                self.with_retries(|http| {
                    let request = client
                        .oauth2
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
                        let request = client
                            .oauth2
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

/// Keeps tokens (already saved) in memory, and hands out the access token.
pub(super) fn keep(slot: &mut Option<Tokens>, fresh: Tokens) -> AccessToken {
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

pub(super) fn tokens_from(response: &BasicTokenResponse) -> Tokens {
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
