//! One load's session with Vault: the address, and the token every request
//! carries (the environment's, or one a login obtained and revokes at the
//! end).

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, Url};
use zeroize::Zeroizing;

use super::login::Login;
use super::names::*;
use crate::http;
use crate::http::json::Object;
use crate::load::digest::Digest;
use crate::resolve::{Failed, Memory, Settings};
use crate::source::file::read_value_file;

pub(crate) struct Session {
    /// The load's client, or one that also trusts `VAULT_CACERT`.
    client: reqwest::Client,
    pub(super) timeout: std::time::Duration,
    address: Url,
    /// The address as messages show it.
    pub(super) shown: String,
    token: Zeroizing<String>,
    namespace: Option<String>,
    /// The login that obtained the token, which the session revokes.
    login: Option<Login>,
    /// Who the session is, for a live handle's memory: a keyed digest of
    /// the environment's token, or of the login's method, mount and role.
    identity: String,
}

impl Session {
    /// Checks the settings and logs in if `VAULT_AUTH_METHOD` says so: one
    /// login for the whole load, however many references.
    pub(crate) async fn open(
        client: &reqwest::Client,
        settings: &Settings,
    ) -> Result<Session, Failed> {
        settings.same_layer(ADDRESS, CREDENTIALS)?;
        settings.same_layer(ADDRESS, NAMESPACE)?;
        settings.same_layer(ADDRESS, CACERT)?;
        let (var, address) = settings
            .find(ADDRESS)
            .ok_or_else(|| Failed::setting("VAULT_ADDR (or BAO_ADDR) is not set"))?;
        let address = http::endpoint(var, address).map_err(Failed::setting)?;
        let client = match settings.find(CACERT) {
            None => client.clone(),
            Some((var, path)) => {
                let pem = read_value_file(Path::new(path))
                    .map_err(|e| Failed::setting(format!("{var}: {e}")))?;
                http::client_trusting(settings.timeout, Some(pem.as_bytes()))
                    .map_err(|e| Failed::setting(format!("{var} {path}: {e}")))?
            }
        };
        let mut session = Session {
            client,
            timeout: settings.timeout,
            shown: address.as_str().trim_end_matches('/').to_owned(),
            address,
            token: Zeroizing::new(String::new()),
            namespace: settings.get(NAMESPACE).map(str::to_owned),
            login: None,
            identity: String::new(),
        };
        match Login::from(settings)? {
            None => {
                let token = settings.get(TOKEN).ok_or_else(|| {
                    Failed::setting(
                        "VAULT_TOKEN (or BAO_TOKEN) is not set, nor VAULT_AUTH_METHOD to log in with",
                    )
                })?;
                session.token = Zeroizing::new(token.to_owned());
                session.identity = format!("token {:032x}", Digest::of(token));
            }
            Some(login) => {
                let role = [ROLE_ID, ROLE].map(|names| settings.get(names).unwrap_or_default());
                let who = format!("{login}\u{1f}{}\u{1f}{}", role[0], role[1]);
                session.identity = format!("login {:032x}", Digest::of(&who));
                session.token = session.log_in(settings, &login).await?;
                session.login = Some(login);
            }
        }
        Ok(session)
    }

    async fn log_in(
        &self,
        settings: &Settings,
        login: &Login,
    ) -> Result<Zeroizing<String>, Failed> {
        let super::login::Body { json, secrets } = login.body(settings)?;
        let request = self
            .request(Method::POST, login.endpoint())?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            // The buffer itself, zeroized when the HTTP stack drops it.
            .body(bytes::Bytes::from_owner(json));
        let response = request
            .send()
            .await
            .map_err(|e| http::failure("Vault", &self.shown, &e, settings.timeout))?;
        let status = response.status();
        let answer = http::body(response, "Vault", &self.shown).await?;
        if status != reqwest::StatusCode::OK {
            let secrets: Vec<&str> = secrets.iter().map(|s| s.as_str()).collect();
            let shown = super::vault_errors(&answer, &secrets);
            return Err(login.refused(status, &shown));
        }
        login.token(&answer)
    }

    /// A request to `v1/<segments>` (each percent-encoded: a `?` or `#` in a
    /// path names a secret, never another part of Vault's API), with the
    /// token and the namespace.
    pub(super) fn request<'s>(
        &self,
        method: Method,
        segments: impl IntoIterator<Item = &'s str>,
    ) -> Result<RequestBuilder, Failed> {
        let mut url = self.address.clone();
        url.path_segments_mut()
            .map_err(|_| Failed::setting("VAULT_ADDR cannot hold a path"))?
            .pop_if_empty()
            .push("v1")
            .extend(segments);
        let mut request = self.client.request(method, url);
        if !self.token.is_empty() {
            let token = http::secret_header(&self.token).map_err(Failed::setting)?;
            request = request.header("X-Vault-Token", token);
        }
        if let Some(namespace) = &self.namespace {
            request = request.header("X-Vault-Namespace", namespace);
        }
        Ok(request)
    }

    /// Where `mount/path` is and who reads it, for a live handle's memory:
    /// the address, namespace and the session's identity with it (data one
    /// token read is never handed to another).
    pub(super) fn place(&self, mount: &str, path: &str) -> String {
        let namespace = self.namespace.as_deref().unwrap_or_default();
        // A separator no address, namespace or path holds.
        let (shown, who) = (&self.shown, &self.identity);
        format!("vault\u{1f}{shown}\u{1f}{namespace}\u{1f}{who}\u{1f}{mount}\u{1f}{path}")
    }

    /// The token, to keep out of messages.
    pub(super) fn token(&self) -> &str {
        &self.token
    }

    /// What the session's token stands for, in a message.
    pub(super) fn credential(&self) -> String {
        match &self.login {
            None => "VAULT_TOKEN".to_owned(),
            Some(login) => format!("the role of the login with {login}"),
        }
    }

    /// For a live handle: renews the environment's token once half of its
    /// lease has passed (the first load renews it, to learn the lease), so
    /// that a long-running server's periodic or renewable token stays
    /// valid; the handle reloads by the next renewal. A token credenv
    /// logged in for is revoked at the end of the load instead, and a
    /// root or non-renewable token is not renewed again. A renewal that
    /// fails fails nothing (the fetches say what is wrong with the token)
    /// and is tried again 30 s later.
    pub(crate) async fn renew(&self, memory: Option<&Memory>) {
        let Some(memory) = memory.filter(|_| self.login.is_none() && !self.token.is_empty()) else {
            return;
        };
        let token = self.place("", "");
        if !memory.renewal_due(&token) {
            return;
        }
        let Ok(request) = self.request(Method::POST, ["auth", "token", "renew-self"]) else {
            return;
        };
        let request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body("{}");
        let Ok(response) = request.send().await else {
            return;
        };
        // Anything but an answer tries again later (`renewal_due` set when).
        if response.status() != reqwest::StatusCode::OK {
            return;
        }
        let Ok(body) = http::body(response, "Vault", &self.shown).await else {
            return;
        };
        // Not renewable (a root token): never again.
        let next = lease(&body).and_then(|lease| Instant::now().checked_add(lease / 2));
        memory.renewed(&token, next);
    }

    /// Ends the session: a token credenv obtained is revoked (the
    /// environment's is left alone). A revocation that fails leaves the
    /// token to expire at the end of its TTL, and fails no load.
    pub(crate) async fn close(self) {
        if self.login.is_none() {
            return;
        }
        let segments = ["auth", "token", "revoke-self"];
        if let Ok(request) = self.request(Method::POST, segments) {
            let _ = request.send().await;
        }
    }
}

/// A renewal's lease, when the token is renewable and its lease ends.
fn lease(body: &[u8]) -> Option<Duration> {
    let answer = Object::parse(body, "").ok()?;
    let auth = answer.object("auth")?;
    let seconds: u64 = auth.raw("lease_duration")?.parse().ok()?;
    (auth.raw("renewable") == Some("true") && seconds > 0).then(|| Duration::from_secs(seconds))
}
