//! Signing out at the provider: RFC 7009 token revocation, sent through
//! oauth2's HTTP client on credenv's policy (no redirects, a timeout, a
//! capped answer, errors naming the endpoint). The request is built here:
//! oauth2 5 refuses a revocation endpoint that is not https even on a
//! loopback host, which credenv's endpoint rule allows (a local provider,
//! the tests against oidc-provider).

use base64::Engine;
use oauth2::http::{self, header};
use oauth2::{AsyncHttpClient, HttpRequest};
use secrecy::{ExposeSecret, SecretString};
use url::form_urlencoded::{Serializer, byte_serialize};
use zeroize::Zeroizing;

use super::store::Tokens;
use crate::Url;
use crate::http::oauth2::HttpClient;

/// A client's revocation endpoint, and how the client authenticates there
/// (as at the token endpoint: HTTP Basic with a secret, else its id alone).
pub(super) struct Revocation {
    pub(super) url: Url,
    pub(super) client_id: String,
    pub(super) client_secret: Option<SecretString>,
}

impl Revocation {
    /// Revokes `tokens`' refresh token (which, per RFC 7009, ends the access
    /// tokens of its grant too), or its access token when there is none.
    /// A 200 is success, whatever the token was; anything else is the
    /// endpoint's error, never a token.
    pub(super) async fn revoke(&self, http: &HttpClient, tokens: &Tokens) -> Result<(), String> {
        let (token, hint) = match &tokens.refresh_token {
            Some(refresh) => (refresh, "refresh_token"),
            None => (&tokens.access_token, "access_token"),
        };
        let mut form = Serializer::new(String::new());
        form.append_pair("token", token.expose_secret())
            .append_pair("token_type_hint", hint);
        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(self.url.as_str())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        match &self.client_secret {
            // RFC 6749, 2.3.1: each part form-encoded, then Basic.
            Some(secret) => {
                let pair = Zeroizing::new(format!(
                    "{}:{}",
                    byte_serialize(self.client_id.as_bytes()).collect::<String>(),
                    Zeroizing::new(
                        byte_serialize(secret.expose_secret().as_bytes()).collect::<String>()
                    )
                    .as_str()
                ));
                let basic = Zeroizing::new(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair.as_bytes())
                ));
                let mut value = http::HeaderValue::from_str(&basic)
                    .map_err(|_| "the client secret cannot be sent in a header".to_owned())?;
                value.set_sensitive(true);
                request = request.header(header::AUTHORIZATION, value);
            }
            None => {
                form.append_pair("client_id", &self.client_id);
            }
        }
        let body = Zeroizing::new(form.finish());
        let request: HttpRequest = request
            .body(body.as_bytes().to_vec())
            .map_err(|_| format!("{}: not a request URL", self.url))?;
        let answer = http.call(request).await.map_err(|e| e.to_string())?;
        if answer.status() == http::StatusCode::OK {
            return Ok(());
        }
        // RFC 7009's error answer is RFC 6749's: only its code is shown,
        // when it looks like one.
        let code = crate::http::json::Object::parse(answer.body(), "the answer")
            .ok()
            .and_then(|json| json.text("error", "the answer").ok())
            .filter(|code| {
                code.len() <= 64 && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            })
            .map(|code| format!(": {}", code.as_str()))
            .unwrap_or_default();
        Err(format!(
            "{}: it answered {}{code}",
            self.url,
            answer.status()
        ))
    }
}
