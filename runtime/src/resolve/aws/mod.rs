//! `aws-sm://<name-or-arn>[#<json-key>]`: AWS Secrets Manager's
//! GetSecretValue, signed (aws-sigv4) with the credentials of the load
//! (`chain`: static keys, or AWS's default chain), at
//! `AWS_ENDPOINT_URL_SECRETS_MANAGER` or `AWS_ENDPOINT_URL` when set (https,
//! or http on loopback), else the region's endpoint. Every setting comes
//! from the reference's own source layer; one caller serves every reference
//! of a layer, and each secret is fetched once however many keys are read.

mod chain;
mod connector;
mod files;
mod names;

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use zeroize::Zeroizing;

use super::executor::within;
use super::memory::Current;
use super::{Declared, Failed, Resolved, Settings, Versioned};
use crate::http::json::Object;
use crate::{Origin, ResolveFailure, http};
use chain::Caller;

pub(super) const DECLARED: Declared = Declared {
    settings: names::HOMES,
    credentials: names::CREDENTIALS,
    file: None,
};

/// The secret's string, `SecretString`, asked for by `caller`. A live
/// handle's reload that knows the version it has asks first which version is
/// current (DescribeSecret: no secret in its answer), and fetches the value
/// only when that changed.
async fn secret_string(
    client: &reqwest::Client,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> Result<Zeroizing<String>, Failed> {
    let endpoint = endpoint(settings, caller)?;
    let data = match settings.memory.as_deref() {
        None => {
            get_secret_value(client, settings, caller, &endpoint, id)
                .await?
                .data
        }
        Some(memory) => {
            // A separator no endpoint, region or name holds; who asks is in
            // it too (data one caller read is never handed to another).
            let place = format!(
                "aws\u{1f}{endpoint}\u{1f}{}\u{1f}{}\u{1f}{id}",
                caller.region, caller.identity
            );
            memory
                .fetch(
                    place,
                    async || current_version(client, settings, caller, &endpoint, id).await,
                    async || get_secret_value(client, settings, caller, &endpoint, id).await,
                )
                .await?
        }
    };
    // Valid UTF-8: it was a string.
    let text = std::str::from_utf8(&data).map_err(|_| Failed::answer("not UTF-8"))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Secrets Manager's endpoint: the setting, else the caller's region's.
fn endpoint(settings: &Settings, caller: &Caller) -> Result<reqwest::Url, Failed> {
    match settings.find(names::ENDPOINT) {
        Some((var, endpoint)) => http::endpoint(var, endpoint).map_err(Failed::setting),
        None => http::endpoint(
            "the AWS endpoint",
            &format!("https://secretsmanager.{}.amazonaws.com", caller.region),
        )
        .map_err(Failed::setting),
    }
}

/// GetSecretValue: the secret's string, and its version.
async fn get_secret_value(
    client: &reqwest::Client,
    settings: &Settings,
    caller: &Caller,
    url: &reqwest::Url,
    id: &str,
) -> Result<Versioned, Failed> {
    let body = call(client, settings, caller, url, "GetSecretValue", id).await?;
    let answer = Object::parse(&body, "AWS Secrets Manager's answer").map_err(Failed::answer)?;
    if answer.raw("SecretBinary").is_some() && answer.raw("SecretString").is_none() {
        return Err(Failed::answer(format!(
            "the secret {id} is binary; credenv reads SecretString"
        )));
    }
    let mut secret = answer
        .text("SecretString", &format!("the secret {id}"))
        .map_err(Failed::answer)?;
    Ok(Versioned {
        version: answer.raw("VersionId").map(str::to_owned),
        data: Zeroizing::new(std::mem::take(&mut *secret).into_bytes()),
        fetched: std::time::Instant::now(),
    })
}

/// DescribeSecret: the version labelled `AWSCURRENT`.
async fn current_version(
    client: &reqwest::Client,
    settings: &Settings,
    caller: &Caller,
    url: &reqwest::Url,
    id: &str,
) -> Current {
    let body = match call(client, settings, caller, url, "DescribeSecret", id).await {
        Ok(body) => body,
        Err(failed) if failed.kind == ResolveFailure::Denied => return Current::Denied,
        Err(_) => return Current::Unknown,
    };
    let Ok(answer) = Object::parse(&body, "") else {
        return Current::Unknown;
    };
    // Scheduled for deletion: GetSecretValue says so.
    if answer.raw("DeletedDate").is_some() {
        return Current::Unknown;
    }
    let stages = answer.raw("VersionIdsToStages").and_then(|raw| {
        serde_json::from_str::<std::collections::BTreeMap<String, Vec<String>>>(raw).ok()
    });
    stages
        .and_then(|stages| {
            let (version, _) = stages
                .into_iter()
                .find(|(_, labels)| labels.iter().any(|label| label == "AWSCURRENT"))?;
            // As GetSecretValue writes it: a JSON string.
            Some(serde_json::Value::String(version).to_string())
        })
        .map_or(Current::Unknown, Current::Version)
}

/// Calls `action` on the secret `id` at `url`, signed (aws-sigv4) with
/// `caller`'s credentials: the answer, or why it failed.
async fn call(
    client: &reqwest::Client,
    settings: &Settings,
    caller: &Caller,
    url: &reqwest::Url,
    action: &str,
    id: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    let endpoint = url.as_str().trim_end_matches('/').to_owned();
    let body = serde_json::json!({ "SecretId": id }).to_string();
    let target = format!("secretsmanager.{action}");
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", target.as_str()),
    ];
    let identity = Identity::from(caller.credentials.clone());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&caller.region)
        .name("secretsmanager")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| Failed::setting(format!("cannot sign the request: {e}")))?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url.as_str(),
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|e| Failed::setting(format!("cannot sign the request to {endpoint}: {e}")))?;
    let (signature, _) = sign(signable, &params)
        .map_err(|e| Failed::setting(format!("cannot sign the request to {endpoint}: {e}")))?
        .into_parts();
    let mut builder = client.post(url.clone()).body(body);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let (signed, _) = signature.into_parts();
    for header in &signed {
        // The session token among them.
        builder = builder.header(
            header.name(),
            http::secret_header(header.value()).map_err(Failed::setting)?,
        );
    }
    let response = builder
        .send()
        .await
        .map_err(|e| http::failure("AWS Secrets Manager", &endpoint, &e, settings.timeout))?;
    let status = response.status();
    let body = http::body(response, "AWS Secrets Manager", &endpoint).await?;
    if !status.is_success() {
        return Err(failure(status, &body, id, &caller.through));
    }
    Ok(body)
}

/// What `origin()` adds to a reference: where its credentials came from.
fn through(caller: &Caller) -> Option<String> {
    Some(format!("AWS credentials: {}", caller.through))
}

/// The secrets `wanted` (id, key, the reference's layer): one caller per
/// layer, one fetch per distinct secret, all at once. Results are in the
/// order of `wanted`.
pub(super) async fn read_all(
    client: &reqwest::Client,
    settings: &Settings,
    wanted: &[(&str, Option<&str>, &Origin)],
) -> Vec<Result<Resolved, Failed>> {
    let mut layers: Vec<&Origin> = Vec::new();
    for (_, _, layer) in wanted {
        if !layers.contains(layer) {
            layers.push(layer);
        }
    }
    let callers = futures_util::future::join_all(
        layers
            .iter()
            .map(|layer| within(settings, chain::caller(settings, layer, client))),
    )
    .await;
    let mut secrets: Vec<(usize, &str)> = wanted
        .iter()
        .map(|(id, _, layer)| (position(&layers, layer), *id))
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    let fetched = futures_util::future::join_all(secrets.iter().map(|&(layer, id)| {
        let caller = &callers[layer];
        within(settings, async move {
            let caller = caller.as_ref().map_err(Clone::clone)?;
            secret_string(client, settings, caller, id).await
        })
    }))
    .await;
    wanted
        .iter()
        .map(|(id, key, layer)| {
            let layer = position(&layers, layer);
            let caller = callers[layer].as_ref().map_err(Clone::clone)?;
            let secret = match secrets.binary_search(&(layer, id)).map(|i| &fetched[i]) {
                Ok(Ok(secret)) => secret,
                Ok(Err(failed)) => return Err(failed.clone()),
                Err(_) => return Err(Failed::new(ResolveFailure::Failed, "not fetched")),
            };
            let secret = match key {
                None => secret.clone(),
                Some(key) => {
                    let place = format!("the secret {id}");
                    let object =
                        Object::parse(secret.as_bytes(), &place).map_err(Failed::answer)?;
                    super::key(&object, key, &place)?
                }
            };
            Ok(Resolved {
                secret,
                through: through(caller),
            })
        })
        .collect()
}

fn position(layers: &[&Origin], layer: &Origin) -> usize {
    layers.iter().position(|l| *l == layer).unwrap_or_default()
}

/// The secret, every key of it (the JSON text of its object), for a bundle
/// of `layer`; and where the credentials came from.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    settings: &Settings,
    id: &str,
    layer: &Origin,
) -> Result<(Zeroizing<Vec<u8>>, Option<String>), Failed> {
    let caller = chain::caller(settings, layer, client).await?;
    let mut secret = secret_string(client, settings, &caller, id).await?;
    let bytes = Zeroizing::new(std::mem::take(&mut *secret).into_bytes());
    Ok((bytes, through(&caller)))
}

/// AWS's error answer: JSON (`{"__type": "...Exception", "message": "..."}`)
/// from Secrets Manager, or XML (`<Code>...</Code><Message>...</Message>`)
/// from its authentication layer. Neither holds a secret.
fn failure(status: reqwest::StatusCode, body: &[u8], id: &str, through: &str) -> Failed {
    let (kind, message) = error_fields(body);
    // Quoted cleaned of control characters, and cut.
    let clean = |text: &str, max| {
        crate::redact::foreign(text, &[])
            .map_or_else(String::new, |text| crate::redact::cut(&text, max))
    };
    let (kind, message) = (clean(&kind, 128), clean(&message, 512));
    let (failure, reason) = match kind.as_str() {
        "ResourceNotFoundException" => (
            ResolveFailure::NotFound,
            format!("no secret {id} ({status})"),
        ),
        "AccessDeniedException" => (
            ResolveFailure::Denied,
            format!("access to the secret {id} is denied ({status}): {message}"),
        ),
        "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "IncompleteSignature"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredTokenException" => (
            ResolveFailure::Denied,
            format!(
                "AWS rejected the credentials ({kind}, {status}){}",
                match through {
                    "static keys" =>
                        ": check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned(),
                    through => format!(" from {through}"),
                }
            ),
        ),
        "" => (
            ResolveFailure::Failed,
            format!("AWS Secrets Manager answered {status}"),
        ),
        _ => (
            ResolveFailure::Failed,
            format!("AWS Secrets Manager answered {status}: {kind}: {message}"),
        ),
    };
    Failed::new(failure, reason)
}

fn error_fields(body: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(body);
    if let Ok(serde_json::Value::Object(answer)) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| answer.get(*n)?.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let kind = field(&["__type", "code"]);
        let kind = kind.rsplit('#').next().unwrap_or_default().to_owned();
        return (kind, field(&["message", "Message"]));
    }
    let element = |tag: &str| {
        let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
        let end = start + text[start..].find(&format!("</{tag}>"))?;
        Some(text[start..end].to_owned())
    };
    (
        element("Code").unwrap_or_default(),
        element("Message").unwrap_or_default(),
    )
}
