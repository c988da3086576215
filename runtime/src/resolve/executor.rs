//! Runs the resolvers of one load: all at once, each within the timeout, on
//! a thread of its own with its own current-thread runtime, so a load works
//! the same inside an async runtime (an rmcp server) and outside one.

use std::time::Duration;

use zeroize::Zeroizing;

#[cfg(feature = "__managers")]
use super::Bundle;
#[cfg(feature = "aws")]
use super::aws;
#[cfg(feature = "onepassword")]
use super::onepassword;
#[cfg(feature = "vault")]
use super::vault;
use super::{Failed, Reference, Settings, feature_off};
use crate::ResolveFailure;

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
/// through one session (`vault::read_all`), beside the others.
pub(super) fn resolve_all(
    references: &[Reference],
    settings: &Settings,
) -> Vec<Result<Zeroizing<String>, Failed>> {
    let outcome = run(settings, async |context| {
        let through_vault = |reference: &Reference| {
            cfg!(feature = "vault") && matches!(reference, Reference::Vault { .. })
        };
        let (vault, others): (Vec<usize>, Vec<usize>) =
            (0..references.len()).partition(|&i| through_vault(&references[i]));
        let from_vault = async {
            #[cfg(feature = "vault")]
            {
                let wanted: Vec<(&str, &str, &str)> = vault
                    .iter()
                    .filter_map(|&i| match &references[i] {
                        Reference::Vault { mount, path, key } => Some((&**mount, &**path, &**key)),
                        _ => None,
                    })
                    .collect();
                vault::read_all(&context.http, settings, &wanted).await
            }
            #[cfg(not(feature = "vault"))]
            Vec::new()
        };
        let from_others = futures_util::future::join_all(
            others
                .iter()
                .map(|&i| within(settings, resolve(&references[i], context))),
        );
        let (from_vault, from_others) = futures_util::future::join(from_vault, from_others).await;
        let mut results: Vec<Option<Result<Zeroizing<String>, Failed>>> =
            references.iter().map(|_| None).collect();
        for (index, result) in vault
            .into_iter()
            .zip(from_vault)
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
pub(super) fn fetch_bundle(bundle: &Bundle, settings: &Settings) -> Result<crate::Vars, Failed> {
    // Each resolver keeps its deadlines (Vault's session has two).
    let data = run(settings, async |context| fetch(bundle, context).await)??;
    let place = match bundle {
        Bundle::Vault { mount, path } => format!("{mount}/{path}"),
        Bundle::AwsSecretsManager { id } => format!("the secret {id}"),
    };
    let mut vars = crate::Vars::with_origin(crate::Origin::Bundle(bundle.to_string()));
    let object = crate::http::json::Object::parse(&data, &place).map_err(Failed::answer)?;
    for (key, mut text) in object.texts() {
        vars.insert(key.to_ascii_uppercase(), std::mem::take(&mut *text));
    }
    Ok(vars)
}

#[cfg(feature = "__managers")]
async fn fetch(bundle: &Bundle, context: &Context<'_>) -> Result<Zeroizing<Vec<u8>>, Failed> {
    match bundle {
        #[cfg(feature = "vault")]
        Bundle::Vault { mount, path } => {
            vault::read_bundle(&context.http, context.settings, mount, path).await
        }
        #[cfg(feature = "aws")]
        Bundle::AwsSecretsManager { id } => {
            within(
                context.settings,
                aws::fetch(&context.http, context.settings, id),
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

/// A reference that is not Vault's (those go through one session).
#[cfg_attr(
    not(any(feature = "onepassword", feature = "aws")),
    allow(unused_variables)
)]
async fn resolve(
    reference: &Reference,
    context: &Context<'_>,
) -> Result<Zeroizing<String>, Failed> {
    match reference {
        #[cfg(feature = "onepassword")]
        Reference::OnePassword(reference) => onepassword::read(reference, context.settings).await,
        // Read beside the others, through one session (`resolve_all`).
        #[cfg(feature = "vault")]
        Reference::Vault { .. } => Err(failed("a Vault reference outside the session")),
        #[cfg(feature = "aws")]
        Reference::AwsSecretsManager { id, key } => {
            aws::read(&context.http, context.settings, id, key.as_deref()).await
        }
        #[allow(unreachable_patterns)]
        other => Err(feature_off(other, other.resolver().feature())),
    }
}
