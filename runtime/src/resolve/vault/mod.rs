//! `vault://<mount>/<path>#<key>`: a key of a KV v2 secret in HashiCorp Vault
//! or OpenBao, at `VAULT_ADDR` (or `BAO_ADDR`), in `VAULT_NAMESPACE` (or
//! `BAO_NAMESPACE`) when set. A load opens one session (`session`): with
//! `VAULT_TOKEN`, or a login (`login`: AppRole, Kubernetes, JWT) whose token
//! it revokes at the end. The address must be https (http only on
//! loopback), and it and every credential must come from the same source
//! layer.

mod login;
mod names;
mod session;

use zeroize::Zeroizing;

use super::{Declared, Failed, FileSetting};
use crate::ResolveFailure;
use crate::http;
use crate::http::json::Object;
pub(crate) use session::Session;

pub(super) const DECLARED: Declared = Declared {
    settings: names::ALL,
    credentials: names::CREDENTIALS,
    // As the vault and bao CLIs: `vault login` leaves the token there.
    file: Some(FileSetting {
        name: "VAULT_TOKEN",
        dir: "HOME",
        file: ".vault-token",
        unless: names::CREDENTIALS,
    }),
};

/// The secret's data, every key of the path: the JSON text of its object.
pub(crate) async fn fetch(
    session: &Session,
    mount: &str,
    path: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    let place = format!("{mount}/{path}");
    let shown = session.shown.as_str();
    let segments = [mount, "data"].into_iter().chain(path.split('/'));
    let request = session.request(reqwest::Method::GET, segments)?;
    let response = request
        .send()
        .await
        .map_err(|e| http::failure("Vault", shown, &e, session.timeout))?;
    let status = response.status();
    let body = http::body(response, "Vault", shown).await?;
    match status.as_u16() {
        200 => {}
        403 => {
            return Err(Failed::new(
                ResolveFailure::Denied,
                format!(
                    "Vault denied access to {place} ({status}): check {} and its policy",
                    session.credential()
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
    session: &Session,
    mount: &str,
    path: &str,
    key: &str,
) -> Result<Zeroizing<String>, Failed> {
    let data = fetch(session, mount, path).await?;
    let place = format!("{mount}/{path}");
    super::key(
        &Object::parse(&data, &place).map_err(Failed::answer)?,
        key,
        &place,
    )
}

/// `: <Vault's own messages>` from an error answer, which hold no secret.
pub(super) fn vault_errors(body: &[u8]) -> String {
    let messages = Object::parse(body, "")
        .ok()
        .and_then(|answer| serde_json::from_str::<Vec<String>>(answer.raw("errors")?).ok())
        .unwrap_or_default();
    match messages.is_empty() {
        true => String::new(),
        false => format!(": {}", messages.join("; ")),
    }
}
