//! Runs the resolvers of one load: all at once, each within the timeout, on
//! a thread of its own with its own current-thread runtime, so a load works
//! the same inside an async runtime (an rmcp server) and outside one.

use std::time::Duration;

#[cfg(feature = "__managers")]
use super::Bundle;
#[cfg(feature = "aws")]
use super::aws;
#[cfg(feature = "onepassword")]
use super::onepassword;
#[cfg(feature = "vault")]
use super::vault;
use super::{Failed, Reference, Resolved, Settings, feature_off};
use crate::{Origin, ResolveFailure};

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
) -> Result<T, Failed> {
    let run = || {
        // No subscriber on this thread: the HTTP stack's and aws-config's
        // own events are dropped (aws-config logs a failed provider, raw
        // answers and a credential_process's stderr among it, at WARN).
        let _quiet = tracing::subscriber::set_default(tracing::subscriber::NoSubscriber::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| failed(format!("cannot start the resolvers' runtime: {e}")))?;
        let context = Context {
            settings,
            #[cfg(feature = "__managers")]
            http: crate::http::client(settings.timeout).map_err(failed)?,
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
            .unwrap_or_else(|_| Err(failed("a resolver panicked")))
    })
}

/// Every reference at once, each within the timeout: the `vault://` ones
/// through one session (`vault::read_all`), the `aws-sm://` ones with one
/// caller a layer (`aws::read_all`), beside the others.
pub(super) fn resolve_all(
    references: &[(Reference, Origin)],
    settings: &Settings,
) -> Vec<Result<Resolved, Failed>> {
    let outcome = run(settings, async |context| {
        // Each list grows only when its resolver is compiled in.
        #[allow(unused_mut)]
        let (mut vault, mut aws, mut others) = (Vec::new(), Vec::new(), Vec::new());
        for (index, (reference, _)) in references.iter().enumerate() {
            match reference {
                #[cfg(feature = "vault")]
                Reference::Vault { .. } => vault.push(index),
                #[cfg(feature = "aws")]
                Reference::AwsSecretsManager { .. } => aws.push(index),
                _ => others.push(index),
            }
        }
        let from_vault = async {
            #[cfg(feature = "vault")]
            {
                let wanted: Vec<(&str, &str, &str)> = vault
                    .iter()
                    .filter_map(|&i| match &references[i].0 {
                        Reference::Vault { mount, path, key } => Some((&**mount, &**path, &**key)),
                        _ => None,
                    })
                    .collect();
                let read = vault::read_all(&context.http, settings, &wanted).await;
                read.into_iter()
                    .map(|result| result.map(Resolved::new))
                    .collect::<Vec<_>>()
            }
            #[cfg(not(feature = "vault"))]
            Vec::new()
        };
        let from_aws = async {
            #[cfg(feature = "aws")]
            {
                let wanted: Vec<(&str, Option<&str>, &Origin)> = aws
                    .iter()
                    .filter_map(|&i| match &references[i] {
                        (Reference::AwsSecretsManager { id, key }, layer) => {
                            Some((&**id, key.as_deref(), layer))
                        }
                        _ => None,
                    })
                    .collect();
                aws::read_all(&context.http, settings, &wanted).await
            }
            #[cfg(not(feature = "aws"))]
            Vec::new()
        };
        let from_others = futures_util::future::join_all(
            others
                .iter()
                .map(|&i| within(settings, resolve(&references[i].0, context))),
        );
        let (from_vault, from_aws, from_others) =
            futures_util::future::join3(from_vault, from_aws, from_others).await;
        let mut results: Vec<Option<Result<Resolved, Failed>>> =
            references.iter().map(|_| None).collect();
        for (index, result) in vault
            .into_iter()
            .zip(from_vault)
            .chain(aws.into_iter().zip(from_aws))
            .chain(others.into_iter().zip(from_others))
        {
            results[index] = Some(result);
        }
        results
            .into_iter()
            .map(|result| result.unwrap_or_else(|| Err(failed("not resolved"))))
            .collect()
    });
    match outcome {
        Ok(results) => results,
        Err(reason) => references.iter().map(|_| Err(reason.clone())).collect(),
    }
}

#[cfg(feature = "__managers")]
pub(super) fn fetch_bundle(
    bundle: &Bundle,
    layer: &Origin,
    settings: &Settings,
) -> Result<crate::Vars, Failed> {
    // Each resolver keeps its deadlines (Vault's session has two).
    let (data, through) = run(settings, async |context| {
        fetch(bundle, layer, context).await
    })??;
    let place = match bundle {
        Bundle::Vault { mount, path } => format!("{mount}/{path}"),
        Bundle::AwsSecretsManager { id } => format!("the secret {id}"),
    };
    let origin = Resolved::origin_text(through.as_deref(), &bundle.to_string());
    let mut vars = crate::Vars::with_origin(Origin::Bundle(origin));
    let object = crate::http::json::Object::parse(&data, &place).map_err(Failed::answer)?;
    for (key, mut text) in object.texts() {
        vars.insert(key.to_ascii_uppercase(), std::mem::take(&mut *text));
    }
    Ok(vars)
}

/// A bundle's JSON text, and how its resolver was let in.
#[cfg(feature = "__managers")]
#[cfg_attr(not(feature = "aws"), allow(unused_variables))]
async fn fetch(
    bundle: &Bundle,
    layer: &Origin,
    context: &Context<'_>,
) -> Result<(zeroize::Zeroizing<Vec<u8>>, Option<String>), Failed> {
    match bundle {
        #[cfg(feature = "vault")]
        Bundle::Vault { mount, path } => {
            let data = vault::read_bundle(&context.http, context.settings, mount, path).await?;
            Ok((data, None))
        }
        #[cfg(feature = "aws")]
        Bundle::AwsSecretsManager { id } => {
            within(
                context.settings,
                aws::fetch(&context.http, context.settings, id, layer),
            )
            .await
        }
        #[allow(unreachable_patterns)]
        other => Err(feature_off(other, other.resolver().feature())),
    }
}

/// The backstop deadline: each resolver keeps the timeout itself (the
/// HTTP client's, `op`'s) and names what did not answer; this one ends
/// whatever did not, a second later.
pub(super) async fn within<T>(
    settings: &Settings,
    work: impl std::future::Future<Output = Result<T, Failed>>,
) -> Result<T, Failed> {
    let backstop = backstop(settings);
    match tokio::time::timeout(backstop, work).await {
        Ok(result) => result,
        Err(_) => Err(Failed::new(
            ResolveFailure::Timeout,
            format!("timed out after {}", humantime::format_duration(backstop)),
        )),
    }
}

/// How long the backstop waits.
pub(super) fn backstop(settings: &Settings) -> Duration {
    settings.timeout + Duration::from_secs(1)
}

/// credenv's own failure to run the resolvers.
fn failed(reason: impl Into<String>) -> Failed {
    Failed::new(ResolveFailure::Failed, reason)
}

/// A reference resolved on its own (1Password's: one `op read` each).
#[cfg_attr(not(feature = "onepassword"), allow(unused_variables))]
async fn resolve(reference: &Reference, context: &Context<'_>) -> Result<Resolved, Failed> {
    match reference {
        #[cfg(feature = "onepassword")]
        Reference::OnePassword(reference) => onepassword::read(reference, context.settings)
            .await
            .map(Resolved::new),
        #[allow(unreachable_patterns)]
        other => Err(feature_off(other, other.resolver().feature())),
    }
}
