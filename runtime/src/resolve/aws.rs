//! `aws-sm://<name-or-arn>[#<json-key>]`: AWS Secrets Manager's
//! GetSecretValue, signed with the standard variables' static credentials:
//! `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, and `AWS_ENDPOINT_URL_SECRETS_MANAGER`
//! or `AWS_ENDPOINT_URL` for another endpoint (https, or http on loopback;
//! from the same source layer as the credentials). (Profiles, SSO and
//! instance roles are the AWS SDK's; credenv reads the environment.)

use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use super::sigv4;
use super::{Declared, Failed, Settings};
use crate::ResolveFailure;
use crate::http;
use crate::http::json::Object;

pub(super) const DECLARED: Declared = Declared {
    settings: &[
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    ],
    credentials: CREDENTIALS,
    file: None,
};

const CREDENTIALS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

const ENDPOINT: &[&str] = &["AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"];
/// Without an endpoint URL, the region names the host the request goes to.
const ENDPOINT_OR_REGION: &[&str] = &[
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

/// The secret's string: `SecretString`.
async fn secret_string(
    client: &reqwest::Client,
    settings: &Settings,
    id: &str,
) -> Result<Zeroizing<String>, Failed> {
    settings.same_layer(ENDPOINT_OR_REGION, CREDENTIALS)?;
    let region = settings
        .get(&["AWS_REGION", "AWS_DEFAULT_REGION"])
        .ok_or_else(|| Failed::setting("AWS_REGION (or AWS_DEFAULT_REGION) is not set"))?;
    // A region is a host name's label: `eu-west-1`, never `evil.example/`.
    let label = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if region.is_empty() || !region.chars().all(label) {
        return Err(Failed::setting(
            "AWS_REGION is not a region name (such as eu-west-1)",
        ));
    }
    let (Some(access_key_id), Some(secret_access_key)) = (
        settings.get(&["AWS_ACCESS_KEY_ID"]),
        settings.get(&["AWS_SECRET_ACCESS_KEY"]),
    ) else {
        return Err(Failed::setting(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set",
        ));
    };
    let url = match settings.find(ENDPOINT) {
        Some((var, endpoint)) => http::endpoint(var, endpoint).map_err(Failed::setting)?,
        None => http::endpoint(
            "the AWS endpoint",
            &format!("https://secretsmanager.{region}.amazonaws.com"),
        )
        .map_err(Failed::setting)?,
    };
    let endpoint = url.as_str().trim_end_matches('/').to_owned();
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => {
            return Err(Failed::setting(format!(
                "bad AWS endpoint {endpoint:?}: no host"
            )));
        }
    };
    let path = sigv4::canonical_path(url.path());
    let body = serde_json::json!({ "SecretId": id }).to_string();
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", "secretsmanager.GetSecretValue"),
    ];
    let request = sigv4::Request {
        method: "POST",
        host: &host,
        path: &path,
        query: "",
        headers: &headers,
        body: body.as_bytes(),
    };
    let credentials = sigv4::Credentials {
        access_key_id,
        secret_access_key,
        session_token: settings.get(&["AWS_SESSION_TOKEN"]),
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (authorization, amz_date) =
        sigv4::authorization(&request, &credentials, region, "secretsmanager", now);
    let mut builder = client
        .post(url)
        .header(
            "authorization",
            http::secret_header(&authorization).map_err(Failed::setting)?,
        )
        .header("x-amz-date", amz_date)
        .body(body);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Some(token) = credentials.session_token {
        builder = builder.header(
            "x-amz-security-token",
            http::secret_header(token).map_err(Failed::setting)?,
        );
    }
    let response = builder
        .send()
        .await
        .map_err(|e| http::failure("AWS Secrets Manager", &endpoint, &e, settings.timeout))?;
    let status = response.status();
    let body = http::body(response, "AWS Secrets Manager", &endpoint).await?;
    if !status.is_success() {
        return Err(failure(status, &body, id));
    }
    let answer = Object::parse(&body, "AWS Secrets Manager's answer").map_err(Failed::answer)?;
    if answer.raw("SecretBinary").is_some() && answer.raw("SecretString").is_none() {
        return Err(Failed::answer(format!(
            "the secret {id} is binary; credenv reads SecretString"
        )));
    }
    answer
        .text("SecretString", &format!("the secret {id}"))
        .map_err(Failed::answer)
}

pub(super) async fn read(
    client: &reqwest::Client,
    settings: &Settings,
    id: &str,
    key: Option<&str>,
) -> Result<Zeroizing<String>, Failed> {
    let secret = secret_string(client, settings, id).await?;
    let place = format!("the secret {id}");
    match key {
        None => Ok(secret),
        Some(key) => {
            let object = Object::parse(secret.as_bytes(), &place).map_err(Failed::answer)?;
            super::key(&object, key, &place)
        }
    }
}

/// The secret, every key of it: the JSON text of its object.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    settings: &Settings,
    id: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    let mut secret = secret_string(client, settings, id).await?;
    Ok(Zeroizing::new(std::mem::take(&mut *secret).into_bytes()))
}

/// AWS's error answer: JSON (`{"__type": "...Exception", "message": "..."}`)
/// from Secrets Manager, or XML (`<Code>...</Code><Message>...</Message>`)
/// from its authentication layer. Neither holds a secret.
fn failure(status: reqwest::StatusCode, body: &[u8], id: &str) -> Failed {
    let (kind, message) = error_fields(body);
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
                "AWS rejected the credentials ({kind}, {status}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
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
