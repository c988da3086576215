//! Who a load is to AWS: the credentials and region that sign its requests.
//!
//! Static keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`) are read by credenv, from the reference's own layer.
//! Without them, a reference from the process environment goes through AWS's
//! default chain (aws-config), in AWS's order: profile files (with
//! `credential_process`, `role_arn`, SSO), web identity, the container
//! endpoint, EC2 instance metadata. The chain reads the load's source (so a
//! map configures it too), never another layer, and calls out through
//! credenv's HTTP client (`connector`).
//!
//! The machine's own sources (files under `HOME`, files the settings name,
//! instance metadata) serve the process environment only: a repository's
//! `.env` could otherwise name the user's profile, token file or a
//! `credential_process` of its own, and an endpoint to send them to.

use std::collections::HashMap;

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_types::os_shim_internal::Env;
use aws_types::region::Region;

use super::connector;
use super::names::{
    ACCESS_KEY_ID, CREDENTIALS, HOMES, PROFILE, REGION, SECRET_ACCESS_KEY, SECRETS, SESSION_TOKEN,
    STATIC_KEYS,
};
use crate::resolve::{Failed, Settings};
use crate::{Origin, ResolveFailure, redact};

/// The credentials and region of a load's requests to AWS.
pub(super) struct Caller {
    pub(super) credentials: Credentials,
    pub(super) region: String,
    /// Where the credentials came from, as `origin()` shows it: `static
    /// keys`, `profile dev, role assumed`, `web identity`...
    pub(super) through: String,
    /// Who the caller is, for a live handle's memory: the layer, and the
    /// provider or (a keyed digest of) the static key.
    pub(super) identity: String,
}

/// The caller for references of `layer`.
pub(super) async fn caller(
    settings: &Settings,
    layer: &Origin,
    http: &reqwest::Client,
) -> Result<Caller, Failed> {
    let keys = static_keys(settings)?;
    if keys.is_none() && *layer != Origin::Env {
        return Err(Failed::setting(format!(
            "no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the {layer}: AWS's default chain (profiles, web identity, container, instance metadata) serves references from the process environment only"
        )));
    }
    let mut env: HashMap<String, String> = settings
        .vars
        .iter()
        .filter(|s| CREDENTIALS.contains(&s.name))
        .filter(|s| !STATIC_KEYS.contains(&s.name))
        .map(|s| (s.name.to_owned(), s.text.as_str().to_owned()))
        .collect();
    if *layer == Origin::Env {
        // Only a home of the process environment: a `.env`'s HOME would
        // choose the profile files (and their `credential_process`).
        for home in settings
            .vars
            .iter()
            .filter(|s| HOMES.contains(&s.name) && s.layer == Origin::Env)
        {
            env.insert(home.name.to_owned(), home.text.as_str().to_owned());
        }
    } else {
        // Only keys and region from this layer: no files, no metadata.
        env.retain(|name, _| REGION.contains(&name.as_str()));
        env.insert(
            super::names::METADATA_DISABLED.to_owned(),
            "true".to_owned(),
        );
    }
    let client = connector::Client {
        http: http.clone(),
        timeout: settings.timeout,
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .env(Env::from(env))
        .fs(super::files::files(settings, layer)?)
        .http_client(client)
        // Set here, not read from the profile: aws-config panics on a
        // profile's invalid `max_attempts` or `retry_mode`.
        .retry_config(aws_config::retry::RetryConfig::standard())
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(settings.timeout)
                .build(),
        );
    if let Some(region) = settings.get(REGION) {
        loader = loader.region(Region::new(region.to_owned()));
    }
    let config = loader.load().await;
    let region = config.region().map(ToString::to_string).ok_or_else(|| {
        Failed::setting(
            "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or region in the AWS profile",
        )
    })?;
    // A region is a host name's label: `eu-west-1`, never `evil.example/`.
    let label = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if region.is_empty() || !region.chars().all(label) {
        let named = settings
            .find(REGION)
            .map_or("the AWS profile's region", |(n, _)| n);
        return Err(Failed::setting(format!(
            "{named} is not a region name (such as eu-west-1)"
        )));
    }
    if let Some(credentials) = keys {
        let key = crate::load::digest::Digest::of(credentials.access_key_id());
        return Ok(Caller {
            identity: format!("{layer}\u{1f}static keys {key:032x}"),
            credentials,
            region,
            through: "static keys".to_owned(),
        });
    }
    let provider = config
        .credentials_provider()
        .ok_or_else(|| Failed::setting("AWS's default credential chain is not configured"))?;
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|e| chain_failure(&e, settings))?;
    let through = through(&credentials, settings.get(&[PROFILE]).unwrap_or("default"));
    Ok(Caller {
        identity: format!("{layer}\u{1f}{through}"),
        credentials,
        region,
        through,
    })
}

/// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with
/// `AWS_SESSION_TOKEN`), both or neither.
fn static_keys(settings: &Settings) -> Result<Option<Credentials>, Failed> {
    match (
        settings.get(&[ACCESS_KEY_ID]),
        settings.get(&[SECRET_ACCESS_KEY]),
    ) {
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(
            id,
            secret,
            settings.get(&[SESSION_TOKEN]).map(str::to_owned),
            None,
            "credenv",
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Failed::setting(
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
        )),
        (None, Some(_)) => Err(Failed::setting(
            "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
        )),
    }
}

/// Where the chain's credentials came from, from the features its providers
/// record (innermost first, so the chain's own step is the last).
fn through(credentials: &Credentials, profile: &str) -> String {
    use AwsCredentialFeature as F;
    let features = credentials
        .get_property::<Vec<AwsCredentialFeature>>()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let has = |feature: F| features.contains(&feature);
    match features.last() {
        Some(F::CredentialsProfile) => {
            let how = if has(F::CredentialsProcess) || has(F::CredentialsProfileProcess) {
                ", credential_process"
            } else if has(F::CredentialsSso) || has(F::CredentialsProfileSso) {
                ", SSO"
            } else if has(F::CredentialsProfileStsWebIdToken) {
                ", web identity"
            } else if has(F::CredentialsStsAssumeRole) || credentials.expiry().is_some() {
                // The profile chain's AssumeRole records no feature of its
                // own; of the profile's other sources, only it expires.
                ", role assumed"
            } else {
                ""
            };
            format!("profile {profile}{how}")
        }
        Some(F::CredentialsProfileStsWebIdToken | F::CredentialsStsAssumeRoleWebId) => {
            "web identity".to_owned()
        }
        Some(F::CredentialsHttp) => "container endpoint".to_owned(),
        Some(F::CredentialsImds) => "EC2 instance metadata".to_owned(),
        _ => "AWS's default chain".to_owned(),
    }
}

/// The chain's failure, naming what it tried; AWS's words only when they
/// hold none of the settings' secrets.
fn chain_failure(e: &CredentialsError, settings: &Settings) -> Failed {
    if let CredentialsError::CredentialsNotLoaded(_) = e {
        let profile = settings.get(&[PROFILE]).unwrap_or("default");
        return Failed::setting(format!(
            "no AWS credentials: tried AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profile {profile} of the profile files (~/.aws/config and ~/.aws/credentials), web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI) and EC2 instance metadata"
        ));
    }
    let secrets: Vec<&str> = SECRETS.iter().filter_map(|n| settings.get(&[n])).collect();
    // Each error's Display, never a Debug: AWS's `DisplayErrorContext`
    // adds the raw answer, whose body may hold a token or keys.
    let words: Vec<String> =
        std::iter::successors(Some(e as &dyn std::error::Error), |e| e.source())
            .map(|e| own_words(&e.to_string()).to_owned())
            .collect();
    let words = words.join(": ");
    let said = redact::foreign(&words, &secrets)
        .map(|words| format!(": {}", redact::cut(&words, 512)))
        .unwrap_or_default();
    let kind = match e {
        CredentialsError::ProviderTimedOut(_) => ResolveFailure::Timeout,
        CredentialsError::InvalidConfiguration(_) => ResolveFailure::Setting,
        _ => ResolveFailure::Denied,
    };
    Failed::new(kind, format!("AWS's credential chain failed{said}"))
}

/// Where AWS's messages go on with words not its own: a
/// `credential_process`'s stderr, the start of an answer it could not parse,
/// the container endpoint's URI (which may carry a user and password), a
/// raw answer (IMDS's error answers print theirs, headers and body).
const NOT_ITS_OWN: [&str; 6] = [
    ". Stderr:",
    " could not parse response:",
    "invalid JSON in response:",
    " for ECS provider (",
    "HttpResponse",
    "Response {",
];

/// `message` up to the first place it quotes something else.
fn own_words(message: &str) -> &str {
    let end = NOT_ITS_OWN
        .iter()
        .filter_map(|marker| message.find(marker))
        .min()
        .unwrap_or(message.len());
    message[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::own_words;

    #[test]
    fn keeps_aws_words_and_drops_what_they_quote() {
        let stderr =
            "Error retrieving credentials: external process exited with code 1. Stderr: canary";
        assert_eq!(
            own_words(stderr),
            "Error retrieving credentials: external process exited with code 1"
        );
        let uri = "invalid full URI for ECS provider (URI was invalid): http://u:canary@x/";
        assert_eq!(own_words(uri), "invalid full URI");
        let imds = "error response from IMDS (code: 500). HttpResponse { body: canary }";
        assert_eq!(own_words(imds), "error response from IMDS (code: 500).");
        assert_eq!(
            own_words("failed to load IMDS session token"),
            "failed to load IMDS session token"
        );
    }
}
