//! What the HTTP resolvers share: a client, and JSON whose strings (the
//! secrets of a whole path or secret) are zeroized when it is dropped.
//!
//! Bytes that pass through the HTTP stack's own buffers cannot be zeroized
//! from here; credenv zeroizes every copy it makes.

use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

/// A JSON object whose strings are zeroized on drop.
pub(crate) struct SecretJson(pub(crate) Map<String, Value>);

impl Drop for SecretJson {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            zeroize_json(value);
        }
    }
}

fn zeroize_json(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(zeroize_json),
        Value::Object(map) => map.values_mut().for_each(zeroize_json),
        _ => {}
    }
}

impl SecretJson {
    /// Parses `bytes` (zeroized afterwards) as a JSON object.
    pub(crate) fn parse(bytes: Zeroizing<Vec<u8>>, what: &str) -> Result<SecretJson, String> {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(SecretJson(map)),
            Ok(mut other) => {
                zeroize_json(&mut other);
                Err(format!("{what} is not a JSON object"))
            }
            Err(_) => Err(format!("{what} is not JSON")),
        }
    }

    /// The value at `key`, as text (numbers and booleans too).
    pub(crate) fn take(&mut self, key: &str, place: &str) -> Result<Zeroizing<String>, String> {
        match self.0.get_mut(key) {
            None => Err(format!("no key {key:?} in {place}")),
            Some(Value::String(s)) => Ok(Zeroizing::new(std::mem::take(s))),
            Some(value @ (Value::Number(_) | Value::Bool(_))) => {
                Ok(Zeroizing::new(value.to_string()))
            }
            Some(_) => Err(format!("the key {key:?} in {place} is not a string")),
        }
    }
}

/// The response's body, read into a buffer zeroized on drop.
#[cfg(feature = "__managers")]
pub(crate) async fn body(response: reqwest::Response) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut response = response;
    let mut body = Zeroizing::new(Vec::with_capacity(4096));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("the answer was cut off: {}", e.without_url()))?
    {
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A failed request, without its URL's query (which holds no secret here,
/// but the message is shorter) and never a header.
#[cfg(feature = "__managers")]
pub(crate) fn failure(service: &str, address: &str, e: &reqwest::Error) -> String {
    if e.is_connect() {
        format!("cannot reach {service} at {address}")
    } else if e.is_timeout() {
        format!("{service} at {address} did not answer in time")
    } else {
        format!(
            "the request to {service} at {address} failed: {}",
            without_url(e)
        )
    }
}

#[cfg(feature = "__managers")]
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "…");
    }
    text
}
