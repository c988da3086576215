//! Tokens as a store keeps them: one JSON object, the same in a file and
//! in a keyring entry, which names the token endpoint that issued them and
//! when it was written.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::http::json::{self, Object};

/// Tokens as the manager keeps them.
#[derive(Clone)]
pub(crate) struct Tokens {
    pub(crate) access_token: SecretString,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) expires_at: Option<SystemTime>,
    pub(crate) scopes: Vec<String>,
}

impl Tokens {
    /// Usable for at least `leeway` more.
    pub(crate) fn fresh(&self, leeway: Duration) -> bool {
        self.expires_at
            .is_none_or(|at| SystemTime::now() + leeway < at)
    }

    /// The same tokens: another process has not replaced them.
    pub(crate) fn same(&self, other: &Tokens) -> bool {
        let refresh = |t: &Tokens| {
            t.refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned())
        };
        self.access_token.expose_secret() == other.access_token.expose_secret()
            && Zeroizing::new(refresh(self)) == Zeroizing::new(refresh(other))
    }

    /// The stored JSON, with `issuer` (the token endpoint's URL) as
    /// `token_url` and `saved_at`, written straight into one buffer sized
    /// for the worst case, so no unzeroized copy of a token is left
    /// anywhere.
    pub(crate) fn to_json(&self, issuer: &str, saved_at: u64) -> Zeroizing<Vec<u8>> {
        let access = self.access_token.expose_secret();
        let refresh = self.refresh_token.as_ref().map(|t| t.expose_secret());
        let scopes: usize = self.scopes.iter().map(|s| 6 * s.len() + 3).sum();
        let texts = access.len() + refresh.map_or(0, str::len) + issuer.len();
        let room = 6 * texts + scopes + 192;
        let mut out = Zeroizing::new(Vec::with_capacity(room));
        out.extend_from_slice(b"{\"token_url\":");
        json::write_str(&mut out, issuer);
        out.extend_from_slice(b",\"access_token\":");
        json::write_str(&mut out, access);
        out.extend_from_slice(b",\"refresh_token\":");
        match refresh {
            Some(refresh) => json::write_str(&mut out, refresh),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"expires_at\":");
        let expires_at = self
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        match expires_at {
            Some(secs) => out.extend_from_slice(secs.to_string().as_bytes()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"scopes\":[");
        for (index, scope) in self.scopes.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            json::write_str(&mut out, scope);
        }
        out.extend_from_slice(b"],\"saved_at\":");
        out.extend_from_slice(saved_at.to_string().as_bytes());
        out.push(b'}');
        debug_assert!(out.len() <= room, "the buffer never grew");
        out
    }

    /// The tokens of stored JSON (`place`: the token file, the entry), and
    /// when they were saved (0 for JSON written before that was kept),
    /// refused when another token endpoint than
    /// `issuer` issued them (a refresh token sent there would be sent to
    /// the wrong server). JSON without `token_url` (written before it was
    /// kept) is taken as it is. The reason never quotes the JSON: it came
    /// from a store, so all of it counts as secret.
    pub(crate) fn from_json(
        bytes: &[u8],
        issuer: &str,
        place: &str,
    ) -> Result<(Tokens, u64), String> {
        let json = Object::parse(bytes, place)?;
        if json.raw("token_url").is_some() && *json.text("token_url", place)? != issuer {
            // The endpoint without its query, which may hold a key.
            let issuer = url::Url::parse(issuer)
                .map(|url| crate::http::without_query(&url))
                .unwrap_or_default();
            return Err(format!(
                "{place} holds tokens issued by another token endpoint than {issuer}"
            ));
        }
        let access_token = SecretString::from(json.text("access_token", place)?.as_str());
        let refresh_token = match json.raw("refresh_token") {
            None => None,
            Some(_) => Some(SecretString::from(
                json.text("refresh_token", place)?.as_str(),
            )),
        };
        let expires_at = match json.raw("expires_at") {
            None => None,
            Some(raw) => {
                let secs = raw
                    .parse::<u64>()
                    .map_err(|_| "expires_at is not a number of seconds")?;
                let at = UNIX_EPOCH.checked_add(Duration::from_secs(secs));
                Some(at.ok_or("expires_at is too far in the future")?)
            }
        };
        let scopes = json
            .raw("scopes")
            .and_then(|raw| serde_json::from_str::<Vec<String>>(raw).ok())
            .unwrap_or_default();
        let saved_at = json
            .raw("saved_at")
            .and_then(|raw| raw.parse::<u64>().ok())
            .unwrap_or(0);
        let tokens = Tokens {
            access_token,
            refresh_token,
            expires_at,
            scopes,
        };
        Ok((tokens, saved_at))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) const ISSUER: &str = "https://idp.example/token";

    pub(crate) fn tokens() -> Tokens {
        Tokens {
            access_token: SecretString::from("a\"1"),
            refresh_token: Some(SecretString::from("r-1")),
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(100)),
            scopes: vec!["read".into()],
        }
    }

    #[test]
    fn the_json_round_trips_without_growing_its_buffer() {
        let json = tokens().to_json(ISSUER, 1234);
        let text = std::str::from_utf8(&json).unwrap();
        let (start, saved_at) = text.split_once(r#","saved_at":"#).unwrap();
        assert_eq!(
            start,
            r#"{"token_url":"https://idp.example/token","access_token":"a\"1","refresh_token":"r-1","expires_at":100,"scopes":["read"]"#
        );
        let saved_at: u64 = saved_at.trim_end_matches('}').parse().unwrap();
        let (read, read_at) = Tokens::from_json(&json, ISSUER, "it").unwrap();
        assert!(read.same(&tokens()));
        assert_eq!(read_at, saved_at);
    }

    #[test]
    fn tokens_of_another_endpoint_are_refused_without_quoting_it() {
        let json = tokens().to_json("https://canary.example/token", 1);
        let why = Tokens::from_json(&json, ISSUER, "it").err().unwrap();
        assert!(why.contains("another token endpoint"), "{why}");
        assert!(!why.contains("canary"), "{why}");
        // Written before the endpoint was kept: taken as it is.
        let old = br#"{"access_token":"a","refresh_token":"r","expires_at":1}"#;
        assert!(Tokens::from_json(old, ISSUER, "it").is_ok());
    }
}
