//! Secret references: a variable whose value is `op://…`, `vault://…` or
//! `aws-sm://…` names where its secret lives, and the load resolves it.
//!
//! The loader reads every variable first, then resolves all references at
//! once, concurrently, each within a timeout, on a thread of its own with its
//! own small async runtime: a load works the same inside an async runtime (an
//! rmcp server) and outside one. A reference whose resolver is not compiled in
//! is an error naming the feature to enable.

use std::time::Duration;

use zeroize::Zeroizing;

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "onepassword")]
mod onepassword;
#[cfg(feature = "aws")]
mod sigv4;
#[cfg(feature = "vault")]
pub(crate) mod vault;

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reference {
    /// `op://vault/item/[section/]field`, read with `op read`.
    OnePassword(String),
    /// `vault://<mount>/<path>#<key>`: a key of a KV v2 secret.
    Vault {
        mount: String,
        path: String,
        key: String,
    },
    /// `aws-sm://<name-or-arn>[#<json-key>]`.
    AwsSecretsManager { id: String, key: Option<String> },
}

impl Reference {
    /// `None` when `text` is not a reference at all; an error when it starts
    /// like one but is malformed.
    pub(crate) fn parse(text: &str) -> Option<Result<Reference, Malformed>> {
        if let Some(rest) = text.strip_prefix("op://") {
            let segments: Vec<&str> = rest.split('/').collect();
            let ok = (3..=4).contains(&segments.len()) && segments.iter().all(|s| !s.is_empty());
            return Some(match ok {
                true => Ok(Reference::OnePassword(text.to_owned())),
                false => Err(Malformed("op://<vault>/<item>/[<section>/]<field>")),
            });
        }
        if let Some(rest) = text.strip_prefix("vault://") {
            let parsed = rest.split_once('#').and_then(|(location, key)| {
                let (mount, path) = location.split_once('/')?;
                let ok = segments_ok(location) && !key.is_empty();
                ok.then(|| Reference::Vault {
                    mount: mount.into(),
                    path: path.into(),
                    key: key.into(),
                })
            });
            return Some(parsed.ok_or(Malformed("vault://<mount>/<path>#<key>")));
        }
        if let Some(rest) = text.strip_prefix("aws-sm://") {
            let (id, key) = match rest.split_once('#') {
                Some((id, key)) => (id, Some(key)),
                None => (rest, None),
            };
            let ok = !id.is_empty() && key.is_none_or(|k| !k.is_empty());
            return Some(match ok {
                true => Ok(Reference::AwsSecretsManager {
                    id: id.into(),
                    key: key.map(Into::into),
                }),
                false => Err(Malformed("aws-sm://<name-or-arn>[#<json-key>]")),
            });
        }
        None
    }

    /// The settings that authenticate its resolver.
    pub(crate) fn credentials(&self) -> &'static [&'static str] {
        match self {
            Reference::OnePassword(_) => &["OP_SERVICE_ACCOUNT_TOKEN", "OP_CONNECT_TOKEN"],
            Reference::Vault { .. } => VAULT_CREDENTIALS,
            Reference::AwsSecretsManager { .. } => AWS_CREDENTIALS,
        }
    }

    /// The feature that resolves it.
    fn feature(&self) -> &'static str {
        match self {
            Reference::OnePassword(_) => "onepassword",
            Reference::Vault { .. } => "vault",
            Reference::AwsSecretsManager { .. } => "aws",
        }
    }
}

/// The reference as written: not a secret, so errors and origins show it.
impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::OnePassword(reference) => f.write_str(reference),
            Reference::Vault { mount, path, key } => write!(f, "vault://{mount}/{path}#{key}"),
            Reference::AwsSecretsManager { id, key: None } => write!(f, "aws-sm://{id}"),
            Reference::AwsSecretsManager { id, key: Some(key) } => write!(f, "aws-sm://{id}#{key}"),
        }
    }
}

const VAULT_CREDENTIALS: &[&str] = &["VAULT_TOKEN", "BAO_TOKEN"];
const AWS_CREDENTIALS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// A whole secret whose keys supply variables: `vault://<mount>/<path>` or
/// `aws-sm://<name-or-arn>`, without a `#key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bundle {
    Vault { mount: String, path: String },
    AwsSecretsManager { id: String },
}

impl Bundle {
    /// `hidden` says why the text may not be quoted, if it may not.
    pub(crate) fn parse(text: &str, hidden: Option<&str>) -> Result<Bundle, String> {
        let form = "write vault://<mount>/<path> or aws-sm://<name-or-arn>, without a #key";
        let parsed = if let Some(rest) = text.strip_prefix("vault://") {
            rest.split_once('/')
                .filter(|_| segments_ok(rest.trim_end_matches('/')) && !text.contains('#'))
                .map(|(mount, path)| Bundle::Vault {
                    mount: mount.into(),
                    path: path.trim_end_matches('/').into(),
                })
        } else if let Some(id) = text.strip_prefix("aws-sm://") {
            (!id.is_empty() && !id.contains('#'))
                .then(|| Bundle::AwsSecretsManager { id: id.into() })
        } else {
            None
        };
        parsed.ok_or_else(|| match hidden {
            None => format!("{text:?} is not a bundle: {form}"),
            Some(why) => format!("not a bundle (value hidden: {why}): {form}"),
        })
    }

    /// The settings that authenticate its fetch.
    pub(crate) fn credentials(&self) -> &'static [&'static str] {
        match self {
            Bundle::Vault { .. } => VAULT_CREDENTIALS,
            Bundle::AwsSecretsManager { .. } => AWS_CREDENTIALS,
        }
    }

    fn feature(&self) -> &'static str {
        match self {
            Bundle::Vault { .. } => "vault",
            Bundle::AwsSecretsManager { .. } => "aws",
        }
    }
}

impl std::fmt::Display for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bundle::Vault { mount, path } => write!(f, "vault://{mount}/{path}"),
            Bundle::AwsSecretsManager { id } => write!(f, "aws-sm://{id}"),
        }
    }
}

/// Fetches a bundle: its string, number and boolean values, each under its
/// key in upper case (`api_key` supplies `API_KEY`).
pub(crate) fn fetch_bundle(bundle: &Bundle, settings: &Settings) -> Result<crate::Vars, String> {
    #[cfg(feature = "__managers")]
    {
        runtime::fetch_bundle(bundle, settings)
    }
    #[cfg(not(feature = "__managers"))]
    {
        let _ = settings;
        Err(feature_off(bundle, bundle.feature()))
    }
}

/// A Vault location's segments (`mount/path/…`): two or more, none empty,
/// none `.` or `..`, which would leave the secret's place in Vault's API.
fn segments_ok(location: &str) -> bool {
    let segments: Vec<&str> = location.split('/').collect();
    segments.len() >= 2 && segments.iter().all(|s| !matches!(*s, "" | "." | ".."))
}

/// A value that starts like a reference but is not one: the form to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed(&'static str);

impl Malformed {
    /// The message: a hidden value (`hidden` says why), which may be the
    /// secret itself rather than a reference, is not quoted.
    pub(crate) fn reason(self, text: &str, hidden: Option<&str>) -> String {
        match hidden {
            None => format!("malformed reference {text:?}: write {}", self.0),
            Some(why) => format!(
                "malformed reference (value hidden: {why}): write {}",
                self.0
            ),
        }
    }
}

/// What resolvers need from the environment of the load (read from the same
/// source as the variables, so a map in a test configures them too; never
/// from a bundle).
#[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    /// Every variable a resolver may need that is set (`VAULT_ADDR`, `PATH`,
    /// `OP_SERVICE_ACCOUNT_TOKEN`...), zeroized when the load ends.
    pub(crate) vars: Vec<Setting>,
}

/// One setting, and the layer of the source it came from.
pub(crate) struct Setting {
    pub(crate) name: &'static str,
    pub(crate) text: Zeroizing<String>,
    pub(crate) layer: crate::Origin,
}

impl Settings {
    /// The names resolvers read; `CREDENV_RESOLVE_TIMEOUT` is credenv's own.
    pub(crate) const NAMES: &'static [&'static str] = &[
        "CREDENV_RESOLVE_TIMEOUT",
        "PATH",
        "OP_SERVICE_ACCOUNT_TOKEN",
        "OP_CONNECT_HOST",
        "OP_CONNECT_TOKEN",
        "OP_ACCOUNT",
        "VAULT_ADDR",
        "VAULT_TOKEN",
        "VAULT_NAMESPACE",
        "BAO_ADDR",
        "BAO_TOKEN",
        "BAO_NAMESPACE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    ];

    pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(5 * 60);

    /// The first of `names` that is set.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn get(&self, names: &[&str]) -> Option<&str> {
        self.find(names).map(|(_, text)| text)
    }

    /// The first of `names` that is set, and its name.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn find(&self, names: &[&str]) -> Option<(&'static str, &str)> {
        self.setting(names).map(|s| (s.name, s.text.as_str()))
    }

    fn setting(&self, names: &[&str]) -> Option<&Setting> {
        names
            .iter()
            .find_map(|name| self.vars.iter().find(|s| s.name == *name))
    }

    /// Refuses to resolve a reference (or fetch a bundle) written in `layer`
    /// with credentials (any of `credentials` that is set) from another.
    pub(crate) fn credentials_from(
        &self,
        credentials: &[&str],
        layer: &crate::Origin,
    ) -> Result<(), String> {
        match self
            .vars
            .iter()
            .find(|s| credentials.contains(&s.name) && s.layer != *layer)
        {
            None => Ok(()),
            Some(credential) => Err(format!(
                "the reference comes from the {layer} but {} from the {}: a reference is resolved only with credentials from the same place",
                credential.name, credential.layer
            )),
        }
    }

    /// Refuses an endpoint (the first of `endpoints` that is set) and a
    /// credential sent to it (any of `credentials`) from different layers:
    /// a repository's `.env` naming `VAULT_ADDR` must not receive the
    /// shell's `VAULT_TOKEN`.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn same_layer(
        &self,
        endpoints: &[&str],
        credentials: &[&str],
    ) -> Result<(), String> {
        let Some(endpoint) = self.setting(endpoints) else {
            return Ok(());
        };
        match self
            .vars
            .iter()
            .filter(|s| credentials.contains(&s.name))
            .find(|s| s.layer != endpoint.layer)
        {
            None => Ok(()),
            Some(credential) => Err(format!(
                "{} comes from the {} but {} from the {}: an endpoint and the credential sent to it must come from the same place",
                endpoint.name, endpoint.layer, credential.name, credential.layer
            )),
        }
    }
}

/// Resolves every reference, concurrently, each within the timeout; the
/// results come back in the order of `references`.
pub(crate) fn resolve_all(
    references: &[Reference],
    settings: &Settings,
) -> Vec<Result<Zeroizing<String>, String>> {
    #[cfg(feature = "__resolve")]
    {
        runtime::resolve_all(references, settings)
    }
    #[cfg(not(feature = "__resolve"))]
    {
        let _ = settings;
        references
            .iter()
            .map(|reference| Err(feature_off(reference, reference.feature())))
            .collect()
    }
}

/// Why a reference or bundle cannot be resolved in this build.
fn feature_off(what: impl std::fmt::Display, feature: &str) -> String {
    format!("{what} needs credenv's `{feature}` feature, which is off")
}

#[cfg(feature = "__resolve")]
mod runtime {
    use super::*;

    /// What every resolver of one load shares.
    pub(super) struct Context<'a> {
        pub(super) settings: &'a Settings,
        #[cfg(feature = "__managers")]
        pub(super) http: reqwest::Client,
    }

    /// Runs `work` on a current-thread runtime on a thread of its own: never
    /// inside the caller's runtime, so never nested.
    fn run<T: Send>(
        settings: &Settings,
        work: impl AsyncFnOnce(&Context<'_>) -> T + Send,
    ) -> Result<T, String> {
        let run = || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the resolvers' runtime: {e}"))?;
            let context = Context {
                settings,
                #[cfg(feature = "__managers")]
                http: crate::http::client(settings.timeout)?,
            };
            let result = runtime.block_on(work(&context));
            // A DNS lookup still running on the blocking pool must not hold
            // the load past its timeout.
            runtime.shutdown_background();
            Ok(result)
        };
        std::thread::scope(|scope| {
            scope
                .spawn(run)
                .join()
                .unwrap_or_else(|_| Err("a resolver panicked".to_owned()))
        })
    }

    /// Every reference at once, each within the timeout.
    pub(super) fn resolve_all(
        references: &[Reference],
        settings: &Settings,
    ) -> Vec<Result<Zeroizing<String>, String>> {
        let outcome = run(settings, async |context| {
            let futures = references
                .iter()
                .map(|reference| within(settings, resolve(reference, context)));
            join_all(futures).await
        });
        match outcome {
            Ok(results) => results,
            Err(reason) => references.iter().map(|_| Err(reason.clone())).collect(),
        }
    }

    #[cfg(feature = "__managers")]
    pub(super) fn fetch_bundle(
        bundle: &Bundle,
        settings: &Settings,
    ) -> Result<crate::Vars, String> {
        let data = run(settings, async |context| {
            within(settings, fetch(bundle, context)).await
        })??;
        let place = match bundle {
            Bundle::Vault { mount, path } => format!("{mount}/{path}"),
            Bundle::AwsSecretsManager { id } => format!("the secret {id}"),
        };
        let mut vars = crate::Vars::with_origin(crate::Origin::Bundle(bundle.to_string()));
        for (key, mut text) in crate::json::Object::parse(&data, &place)?.texts() {
            vars.insert(key.to_ascii_uppercase(), std::mem::take(&mut *text));
        }
        Ok(vars)
    }

    #[cfg(feature = "__managers")]
    async fn fetch(bundle: &Bundle, context: &Context<'_>) -> Result<Zeroizing<Vec<u8>>, String> {
        match bundle {
            #[cfg(feature = "vault")]
            Bundle::Vault { mount, path } => {
                vault::fetch(&context.http, context.settings, mount, path).await
            }
            #[cfg(feature = "aws")]
            Bundle::AwsSecretsManager { id } => {
                aws::fetch(&context.http, context.settings, id).await
            }
            #[allow(unreachable_patterns)]
            other => Err(feature_off(other, other.feature())),
        }
    }

    /// The backstop deadline: each resolver keeps the timeout itself (the
    /// HTTP client's, `op`'s) and names what did not answer; this one ends
    /// whatever did not, a second later.
    async fn within<T>(
        settings: &Settings,
        work: impl std::future::Future<Output = Result<T, String>>,
    ) -> Result<T, String> {
        let backstop = settings.timeout + Duration::from_secs(1);
        match tokio::time::timeout(backstop, work).await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "timed out after {}",
                humantime::format_duration(backstop)
            )),
        }
    }

    async fn resolve(
        reference: &Reference,
        context: &Context<'_>,
    ) -> Result<Zeroizing<String>, String> {
        match reference {
            #[cfg(feature = "onepassword")]
            Reference::OnePassword(reference) => {
                onepassword::read(reference, context.settings).await
            }
            #[cfg(feature = "vault")]
            Reference::Vault { mount, path, key } => {
                vault::read(&context.http, context.settings, mount, path, key).await
            }
            #[cfg(feature = "aws")]
            Reference::AwsSecretsManager { id, key } => {
                aws::read(&context.http, context.settings, id, key.as_deref()).await
            }
            #[allow(unreachable_patterns)]
            other => Err(feature_off(other, other.feature())),
        }
    }

    /// Polls every future until all are done (a join without a dependency).
    async fn join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
        let mut pending: Vec<_> = futures.map(|f| Some(Box::pin(f))).collect();
        let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
        std::future::poll_fn(|cx| {
            let mut done = true;
            for (slot, output) in pending.iter_mut().zip(&mut outputs) {
                if let Some(future) = slot {
                    match future.as_mut().poll(cx) {
                        std::task::Poll::Ready(value) => {
                            *output = Some(value);
                            *slot = None;
                        }
                        std::task::Poll::Pending => done = false,
                    }
                }
            }
            if done {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        outputs
            .into_iter()
            .map(|o| o.expect("every future finished"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_scheme_and_rejects_malformed_ones() {
        assert_eq!(Reference::parse("plain"), None);
        assert_eq!(Reference::parse("https://x"), None);
        assert_eq!(
            Reference::parse("op://Private/github/token"),
            Some(Ok(Reference::OnePassword(
                "op://Private/github/token".into()
            )))
        );
        assert!(
            Reference::parse("op://Private/github/section/token")
                .unwrap()
                .is_ok()
        );
        assert_eq!(
            Reference::parse("vault://secret/apps/web#api_key"),
            Some(Ok(Reference::Vault {
                mount: "secret".into(),
                path: "apps/web".into(),
                key: "api_key".into()
            }))
        );
        assert_eq!(
            Reference::parse("aws-sm://arn:aws:secretsmanager:eu-west-1:1:secret:app#key"),
            Some(Ok(Reference::AwsSecretsManager {
                id: "arn:aws:secretsmanager:eu-west-1:1:secret:app".into(),
                key: Some("key".into())
            }))
        );
        assert_eq!(
            Reference::parse("aws-sm://app"),
            Some(Ok(Reference::AwsSecretsManager {
                id: "app".into(),
                key: None
            }))
        );
        for bad in [
            "op://",
            "op://a/b",
            "op://a//c",
            "vault://secret#k",
            "vault://secret/app",
            "vault://secret/app#",
            "vault://secret/../sys/seal#k",
            "vault://secret/./app#k",
            "aws-sm://",
            "aws-sm://a#",
        ] {
            let malformed = Reference::parse(bad).unwrap().unwrap_err();
            let shown = malformed.reason(bad, None);
            assert!(
                shown.starts_with(&format!("malformed reference {bad:?}: write ")),
                "{shown}"
            );
            let hidden = malformed.reason(bad, Some("secret"));
            assert!(hidden.starts_with("malformed reference (value hidden: secret): write "));
            assert!(!hidden.contains(&format!("{bad:?}")));
        }
    }

    #[test]
    fn a_reference_whose_feature_is_off_names_the_feature() {
        let reference = |text| Reference::parse(text).unwrap().unwrap();
        assert_eq!(reference("vault://secret/app#k").feature(), "vault");
        assert_eq!(reference("aws-sm://app").feature(), "aws");
        assert_eq!(reference("op://a/b/c").feature(), "onepassword");
        assert_eq!(
            Bundle::parse("aws-sm://app", None).unwrap().feature(),
            "aws"
        );
        assert_eq!(
            feature_off(reference("vault://secret/app#k"), "vault"),
            "vault://secret/app#k needs credenv's `vault` feature, which is off"
        );
    }

    #[cfg(not(feature = "__resolve"))]
    #[test]
    fn without_resolvers_every_reference_is_a_feature_error() {
        let settings = Settings {
            timeout: Settings::DEFAULT_TIMEOUT,
            vars: Vec::new(),
        };
        let references = [Reference::parse("op://a/b/c").unwrap().unwrap()];
        let results = resolve_all(&references, &settings);
        assert_eq!(
            results[0].as_ref().unwrap_err(),
            "op://a/b/c needs credenv's `onepassword` feature, which is off"
        );
    }

    #[test]
    fn references_display_as_written() {
        for text in [
            "op://a/b/c",
            "vault://secret/app#k",
            "aws-sm://app",
            "aws-sm://app#k",
        ] {
            assert_eq!(Reference::parse(text).unwrap().unwrap().to_string(), text);
        }
    }
}
