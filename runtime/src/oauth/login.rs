//! The first login: the authorization code flow with PKCE and a loopback
//! redirect (RFC 8252), for a server's operator to run once. Afterwards the
//! manager refreshes on its own.

use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zeroize::Zeroize;

use super::error::token_error;
use super::manager::{keep, tokens_from};
use super::{AccessToken, OAuthError, TokenManager};
use crate::Url;

impl TokenManager {
    /// Logs in: listens on `127.0.0.1:<port>` (`0`: any free port), gives
    /// `open` the authorization URL to open in a browser, waits up to
    /// `wait` for the browser's redirect, and exchanges the code (with its
    /// PKCE verifier) for tokens, which it keeps and saves.
    pub async fn authorize(
        &self,
        port: u16,
        wait: Duration,
        open: impl FnOnce(&Url),
    ) -> Result<AccessToken, OAuthError> {
        let login = |reason: String| OAuthError::Login(reason);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| login(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| login(e.to_string()))?
            .port();
        let redirect = format!("http://127.0.0.1:{port}/callback");
        let client = self
            .inner
            .client
            .current()
            .oauth2
            .clone()
            .set_redirect_uri(RedirectUrl::new(redirect).map_err(|e| login(e.to_string()))?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let request = client
            .authorize_url(CsrfToken::new_random)
            .map_err(|_| {
                OAuthError::Config("no authorization endpoint (OAUTH_AUTH_URL)".to_owned())
            })?
            .set_pkce_challenge(challenge)
            .add_scopes(self.inner.scopes.iter().cloned().map(Scope::new));
        let (url, state) = request.url();
        open(&url);

        let mut code = tokio::time::timeout(wait, redirect_query(&listener, state.secret()))
            .await
            .map_err(|_| {
                login(format!(
                    "no redirect came back within {}",
                    humantime::format_duration(wait)
                ))
            })??;
        let exchange = client
            .exchange_code(AuthorizationCode::new(std::mem::take(&mut code)))
            .set_pkce_verifier(verifier)
            .request_async(&self.inner.http_client)
            .await
            .map_err(token_error)?;
        let fresh = tokens_from(&exchange);
        let mut tokens = self.inner.tokens.lock().await;
        if let Some(store) = &self.inner.store {
            let lock = store.lock().await?;
            store.save(&lock, &fresh).await?;
        }
        Ok(keep(&mut tokens, fresh))
    }
}

/// How long one connection may take to send its request: a browser's idle
/// pre-connection must not hold up the redirect behind it.
const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// Accepts connections until one is this login's redirect (`/callback?…`
/// with `state`), answers it, and returns its `code`; its `error` is the
/// login's failure. Anything else, a redirect with another state among them,
/// is answered and ignored: it is not this login's to end.
async fn redirect_query(
    listener: &tokio::net::TcpListener,
    state: &str,
) -> Result<String, OAuthError> {
    loop {
        let (mut stream, _) = listener
            .accept()
            .await
            .map_err(|e| OAuthError::Login(e.to_string()))?;
        let mut request = vec![0; 8192];
        let read = tokio::time::timeout(READ_TIMEOUT, stream.read(&mut request))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or(0);
        // It holds the authorization code: zeroized when dropped.
        let head = zeroize::Zeroizing::new(String::from_utf8_lossy(&request[..read]).into_owned());
        request.zeroize();
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let mut pairs: Vec<(String, String)> = target
            .strip_prefix("/callback?")
            .map(|query| {
                url::form_urlencoded::parse(query.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        drop(head);
        let field = |pairs: &[(String, String)], name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let ours = field(&pairs, "state").is_some_and(|s| s == state);
        let (status, message, result) = match (ours, field(&pairs, "code"), field(&pairs, "error"))
        {
            (false, ..) => ("404 Not Found", "Not this login's redirect.", None),
            (true, Some(code), None) => (
                "200 OK",
                "Logged in. You can close this window.",
                Some(Ok(code)),
            ),
            (true, _, Some(error)) => {
                let description = field(&pairs, "error_description")
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default();
                (
                    "400 Bad Request",
                    "The login failed. See the server's log.",
                    Some(Err(OAuthError::Login(format!("{error}{description}")))),
                )
            }
            (true, None, None) => (
                "400 Bad Request",
                "No code in the redirect.",
                Some(Err(OAuthError::Login(
                    "the redirect has no code".to_owned(),
                ))),
            ),
        };
        for (_, value) in &mut pairs {
            value.zeroize();
        }
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{message}",
            message.len()
        );
        let _ = tokio::time::timeout(READ_TIMEOUT, stream.write_all(response.as_bytes())).await;
        if let Some(result) = result {
            return result;
        }
    }
}
