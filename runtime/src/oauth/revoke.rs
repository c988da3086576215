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
    /// Any 2xx is success (RFC 7009 answers 200, whatever the token was);
    /// anything else is the endpoint's error, never a token.
    pub(super) async fn revoke(&self, http: &HttpClient, tokens: &Tokens) -> Result<(), String> {
        let (token, hint) = match &tokens.refresh_token {
            Some(refresh) => (refresh, "refresh_token"),
            None => (&tokens.access_token, "access_token"),
        };
        let token = token.expose_secret();
        // credenv's buffers are sized up front (none grows and leaves a
        // copy behind) and zeroized; the HTTP layer's own copies of the
        // body and the header are not, as with oauth2's token requests.
        let room = 3 * (token.len() + self.client_id.len()) + 64;
        let mut form = Serializer::new(String::with_capacity(room));
        form.append_pair("token", token)
            .append_pair("token_type_hint", hint);
        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(self.url.as_str())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        match &self.client_secret {
            Some(secret) => {
                let value = basic(&self.client_id, secret.expose_secret())
                    .map_err(|_| "the client secret cannot be sent in a header".to_owned())?;
                request = request.header(header::AUTHORIZATION, value);
            }
            None => {
                form.append_pair("client_id", &self.client_id);
            }
        }
        let mut body = Zeroizing::new(form.finish());
        let endpoint = crate::http::without_query(&self.url);
        let request: HttpRequest = request
            // Moved, not copied.
            .body(std::mem::take(&mut *body).into_bytes())
            .map_err(|_| format!("{endpoint}: not a request URL"))?;
        let answer = http.call(request).await.map_err(|e| e.to_string())?;
        if answer.status().is_success() {
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
        Err(format!("{endpoint}: it answered {}{code}", answer.status()))
    }
}

/// HTTP Basic as RFC 6749 (2.3.1) has a client send it: the id and the
/// secret each form-encoded, then joined and base64-encoded.
fn basic(
    client_id: &str,
    secret: &str,
) -> Result<http::HeaderValue, http::header::InvalidHeaderValue> {
    let mut pair = Zeroizing::new(String::with_capacity(
        3 * (client_id.len() + secret.len()) + 1,
    ));
    pair.extend(byte_serialize(client_id.as_bytes()));
    pair.push(':');
    pair.extend(byte_serialize(secret.as_bytes()));
    // Encoded straight into a zeroized buffer (base64's string encoding
    // goes through a stack buffer of its own, not zeroized).
    let mut header = Zeroizing::new(vec![0; 6 + pair.len().div_ceil(3) * 4]);
    header[..6].copy_from_slice(b"Basic ");
    let written = base64::engine::general_purpose::STANDARD
        .encode_slice(pair.as_bytes(), &mut header[6..])
        .expect("sized for the padded encoding");
    debug_assert_eq!(written, header.len() - 6);
    let mut value = http::HeaderValue::from_bytes(&header)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    #[test]
    fn basic_encodes_each_part_as_a_form_then_base64() {
        let value = super::basic("app:1", "s%é").unwrap();
        let encoded = value.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(decoded, b"app%3A1:s%25%C3%A9");
        assert!(value.is_sensitive());
    }
}
