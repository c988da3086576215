//! `vault://<mount>/<path>#<key>`: a key of a KV v2 secret in HashiCorp Vault
//! or OpenBao, at `VAULT_ADDR` (or `BAO_ADDR`) with `VAULT_TOKEN` (or
//! `BAO_TOKEN`), and `VAULT_NAMESPACE` (or `BAO_NAMESPACE`) when set.

use zeroize::Zeroizing;

use super::Settings;
use super::http::{self, SecretJson};

/// The secret's data: every key of the path.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    settings: &Settings,
    mount: &str,
    path: &str,
) -> Result<SecretJson, String> {
    let address = settings
        .get(&["VAULT_ADDR", "BAO_ADDR"])
        .ok_or("VAULT_ADDR (or BAO_ADDR) is not set")?
        .trim_end_matches('/');
    let token = settings
        .get(&["VAULT_TOKEN", "BAO_TOKEN"])
        .ok_or("VAULT_TOKEN (or BAO_TOKEN) is not set")?;
    let place = format!("{mount}/{path}");
    let url = format!("{address}/v1/{mount}/data/{path}");
    let mut request = client.get(&url).header("X-Vault-Token", token);
    if let Some(namespace) = settings.get(&["VAULT_NAMESPACE", "BAO_NAMESPACE"]) {
        request = request.header("X-Vault-Namespace", namespace);
    }
    let response = request
        .send()
        .await
        .map_err(|e| http::failure("Vault", address, &e))?;
    let status = response.status();
    let body = http::body(response).await?;
    match status.as_u16() {
        200 => {}
        403 => {
            return Err(format!(
                "Vault denied access to {place} ({status}): check VAULT_TOKEN and its policy"
            ));
        }
        404 => return Err(format!("no secret at {place} ({status})")),
        _ => {
            return Err(format!(
                "Vault answered {status} for {place}{}",
                vault_errors(body)
            ));
        }
    }
    let mut answer = SecretJson::parse(body, "Vault's answer")?;
    match answer
        .0
        .get_mut("data")
        .and_then(|d| d.get_mut("data"))
        .map(serde_json::Value::take)
    {
        Some(serde_json::Value::Object(data)) => Ok(SecretJson(data)),
        // A deleted or destroyed version answers with null data.
        _ => Err(format!(
            "no data at {place}: is {mount} a KV version 2 mount, and the secret not deleted?"
        )),
    }
}

pub(super) async fn read(
    client: &reqwest::Client,
    settings: &Settings,
    mount: &str,
    path: &str,
    key: &str,
) -> Result<Zeroizing<String>, String> {
    let mut data = fetch(client, settings, mount, path).await?;
    data.take(key, &format!("{mount}/{path}"))
}

/// `: <Vault's own messages>` from an error answer, which hold no secret.
fn vault_errors(body: Zeroizing<Vec<u8>>) -> String {
    let Ok(answer) = SecretJson::parse(body, "") else {
        return String::new();
    };
    let messages: Vec<&str> = answer
        .0
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect()
        })
        .unwrap_or_default();
    match messages.is_empty() {
        true => String::new(),
        false => format!(": {}", messages.join("; ")),
    }
}
