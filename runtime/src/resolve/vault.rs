//! `vault://<mount>/<path>#<key>`: a key of a KV v2 secret in HashiCorp Vault
//! or OpenBao, at `VAULT_ADDR` (or `BAO_ADDR`) with `VAULT_TOKEN` (or
//! `BAO_TOKEN`), and `VAULT_NAMESPACE` (or `BAO_NAMESPACE`) when set. The
//! address must be https (http only on loopback), and it and the token must
//! come from the same source layer.

use zeroize::Zeroizing;

use super::{Declared, Failed, Settings};
use crate::ResolveFailure;
use crate::http;
use crate::http::json::Object;

pub(super) const DECLARED: Declared = Declared {
    settings: &[
        "VAULT_ADDR",
        "BAO_ADDR",
        "VAULT_TOKEN",
        "BAO_TOKEN",
        "VAULT_NAMESPACE",
        "BAO_NAMESPACE",
    ],
    credentials: &["VAULT_TOKEN", "BAO_TOKEN"],
};

const ADDRESS: &[&str] = &["VAULT_ADDR", "BAO_ADDR"];
/// What is sent with a request to the address.
const SENT: &[&str] = &[
    "VAULT_TOKEN",
    "BAO_TOKEN",
    "VAULT_NAMESPACE",
    "BAO_NAMESPACE",
];

/// The secret's data, every key of the path: the JSON text of its object.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    settings: &Settings,
    mount: &str,
    path: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    settings.same_layer(ADDRESS, SENT)?;
    let (var, address) = settings
        .find(ADDRESS)
        .ok_or_else(|| Failed::setting("VAULT_ADDR (or BAO_ADDR) is not set"))?;
    let address = http::endpoint(var, address).map_err(Failed::setting)?;
    let token = settings
        .get(&["VAULT_TOKEN", "BAO_TOKEN"])
        .ok_or_else(|| Failed::setting("VAULT_TOKEN (or BAO_TOKEN) is not set"))?;
    let place = format!("{mount}/{path}");
    let shown = address.as_str().trim_end_matches('/');
    // Each segment percent-encoded: a `?` or `#` in a path names a secret,
    // never another part of Vault's API.
    let mut url = address.clone();
    url.path_segments_mut()
        .map_err(|_| Failed::setting(format!("{var} cannot hold a path")))?
        .pop_if_empty()
        .extend(["v1", mount, "data"])
        .extend(path.split('/'));
    let mut request = client.get(url).header(
        "X-Vault-Token",
        http::secret_header(token).map_err(Failed::setting)?,
    );
    if let Some(namespace) = settings.get(&["VAULT_NAMESPACE", "BAO_NAMESPACE"]) {
        request = request.header("X-Vault-Namespace", namespace);
    }
    let response = request
        .send()
        .await
        .map_err(|e| http::failure("Vault", shown, &e, settings.timeout))?;
    let status = response.status();
    let body = http::body(response, "Vault", shown).await?;
    match status.as_u16() {
        200 => {}
        403 => {
            return Err(Failed::new(
                ResolveFailure::Denied,
                format!(
                    "Vault denied access to {place} ({status}): check VAULT_TOKEN and its policy"
                ),
            ));
        }
        404 => {
            let reason = format!("no secret at {place} ({status})");
            return Err(Failed::new(ResolveFailure::NotFound, reason));
        }
        _ => {
            let reason = format!("Vault answered {status} for {place}{}", vault_errors(&body));
            return Err(Failed::new(ResolveFailure::Failed, reason));
        }
    }
    let answer = Object::parse(&body, "Vault's answer").map_err(Failed::answer)?;
    match answer.object("data").and_then(|data| data.raw("data")) {
        Some(data) if data.starts_with('{') => Ok(Zeroizing::new(data.as_bytes().to_vec())),
        // A deleted or destroyed version answers with null data.
        _ => Err(Failed::new(
            ResolveFailure::NotFound,
            format!(
                "no data at {place}: is {mount} a KV version 2 mount, and the secret not deleted?"
            ),
        )),
    }
}

pub(super) async fn read(
    client: &reqwest::Client,
    settings: &Settings,
    mount: &str,
    path: &str,
    key: &str,
) -> Result<Zeroizing<String>, Failed> {
    let data = fetch(client, settings, mount, path).await?;
    let place = format!("{mount}/{path}");
    super::key(
        &Object::parse(&data, &place).map_err(Failed::answer)?,
        key,
        &place,
    )
}

/// `: <Vault's own messages>` from an error answer, which hold no secret.
fn vault_errors(body: &[u8]) -> String {
    let messages = Object::parse(body, "")
        .ok()
        .and_then(|answer| serde_json::from_str::<Vec<String>>(answer.raw("errors")?).ok())
        .unwrap_or_default();
    match messages.is_empty() {
        true => String::new(),
        false => format!(": {}", messages.join("; ")),
    }
}
