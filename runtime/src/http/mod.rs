//! The one HTTP policy, for the secret managers and OAuth alike: https
//! unless the host is loopback, no redirects (a redirect would carry a
//! token to whatever `Location` says), a timeout, a cap on every body, and
//! errors that name the endpoint and never a token. With it, the JSON that
//! holds secrets (`json`) and oauth2's client on this policy (`oauth2`).

pub(crate) mod json;
#[cfg(feature = "oauth")]
pub(crate) mod oauth2;

use reqwest::Url;
use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use crate::ResolveFailure;
use crate::buffer::SecretBuf;

/// The most any answer may hold: a secret manager's or token endpoint's
/// answer is a few KiB.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The endpoint that the variable `var` names: `https://`, or `http://` on a
/// loopback host (a local dev server, a test); without user info, which
/// would be a credential in a URL.
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) fn endpoint(var: &str, text: &str) -> Result<Url, String> {
    let url =
        Url::parse(text.trim_end_matches('/')).map_err(|e| format!("{var} is not a URL: {e}"))?;
    check(var, &url)?;
    Ok(url)
}

/// `url` as messages and names show it: without its query or fragment,
/// which may hold a key.
#[cfg_attr(not(feature = "oauth"), allow(dead_code))]
pub(crate) fn without_query(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// The rule of [`endpoint`], for a URL already parsed.
pub(crate) fn check(what: &str, url: &Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what} holds a user name or password: give credentials in their own variables"
        ));
    }
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "https" if !host.is_empty() => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "{what} is http:// to {host}: https is required, except on a loopback host"
        )),
        scheme => Err(format!("{what} is a {scheme}: URL, not https://")),
    }
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A client that follows no redirect and gives up after `timeout`.
pub(crate) fn client(timeout: std::time::Duration) -> Result<reqwest::Client, String> {
    client_trusting(timeout, None)
}

/// The same, also trusting the certificates of `roots` (PEM: a private CA).
pub(crate) fn client_trusting(
    timeout: std::time::Duration,
    roots: Option<&[u8]>,
) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout);
    if let Some(pem) = roots {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| format!("holds no PEM certificate: {e}"))?;
        if certificates.is_empty() {
            return Err("holds no PEM certificate".to_owned());
        }
        for certificate in certificates {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|e| format!("cannot start an HTTP client: {e}"))
}

/// A header value holding a credential: marked sensitive, so the HTTP stack
/// never prints it (in `Debug`, logs) and HTTP/2 never indexes it.
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) fn secret_header(value: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| "a credential holds characters a header cannot".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The answer's body, at most [`MAX_BODY`], in a buffer zeroized on drop and
/// as it grows.
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) async fn body(
    mut response: reqwest::Response,
    service: &str,
    address: &str,
) -> Result<Zeroizing<Vec<u8>>, (ResolveFailure, String)> {
    let expected = response.content_length().unwrap_or(0) as usize;
    let mut body = SecretBuf::new(expected, MAX_BODY);
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        let reason = format!(
            "{service} at {address}: the answer was cut off: {}",
            without_url(&e)
        );
        (ResolveFailure::Unreachable, reason)
    })? {
        body.extend(&chunk).map_err(|_| {
            let reason = format!(
                "{service} at {address} answered with more than {} KiB",
                MAX_BODY / 1024
            );
            (ResolveFailure::InvalidAnswer, reason)
        })?;
    }
    Ok(body.into_bytes())
}

/// A failed request, without its URL and never a header; `timeout` is the
/// client's.
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) fn failure(
    service: &str,
    address: &str,
    e: &reqwest::Error,
    timeout: std::time::Duration,
) -> (ResolveFailure, String) {
    if e.is_timeout() {
        let timeout = humantime::format_duration(timeout);
        let reason = format!("{service} at {address} did not answer within {timeout}");
        (ResolveFailure::Timeout, reason)
    } else if e.is_connect() {
        // A certificate the client does not trust is worth naming: the fix
        // (a private CA's setting) differs from a server that is down.
        let certificate = std::iter::successors(std::error::Error::source(e), |e| e.source())
            .map(ToString::to_string)
            .find(|cause| cause.contains("certificate"))
            .map(|cause| format!(": {cause}"))
            .unwrap_or_default();
        let reason = format!("cannot reach {service} at {address}{certificate}");
        (ResolveFailure::Unreachable, reason)
    } else if e.is_redirect() {
        let reason = format!(
            "{service} at {address} answered with a redirect, which credenv does not follow"
        );
        (ResolveFailure::Failed, reason)
    } else {
        let reason = format!(
            "the request to {service} at {address} failed: {}",
            without_url(e)
        );
        (ResolveFailure::Unreachable, reason)
    }
}

#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "…");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_everywhere_but_loopback() {
        assert!(endpoint("VAULT_ADDR", "https://vault.example.com:8200/").is_ok());
        for loopback in [
            "http://127.0.0.1:8200",
            "http://localhost:1",
            "http://[::1]:8",
        ] {
            assert!(endpoint("VAULT_ADDR", loopback).is_ok(), "{loopback}");
        }
        assert_eq!(
            endpoint("VAULT_ADDR", "http://vault.example.com").unwrap_err(),
            "VAULT_ADDR is http:// to vault.example.com: https is required, except on a loopback host"
        );
        assert_eq!(
            endpoint("VAULT_ADDR", "ftp://x").unwrap_err(),
            "VAULT_ADDR is a ftp: URL, not https://"
        );
        let err = endpoint("AWS_ENDPOINT_URL", "https://key:secret-canary@x").unwrap_err();
        assert!(!err.contains("secret-canary"), "{err}");
        assert!(endpoint("VAULT_ADDR", "vault:8200").is_err());
    }
}
