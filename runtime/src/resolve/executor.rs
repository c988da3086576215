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
#[derive(Clone)]
pub(super) struct Context<'a> {
    pub(super) settings: &'a Settings,
    #[cfg(feature = "__managers")]
    pub(super) http: reqwest::Client,
    /// The load's Vault session, once opened (or why it could not be).
    #[cfg(feature = "vault")]
    pub(super) vault: Option<&'a Result<vault::Session, Failed>>,
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
            #[cfg(feature = "vault")]
            vault: None,
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

/// Every reference at once, each within the timeout.
pub(super) fn resolve_all(
    references: &[Reference],
    settings: &Settings,
) -> Vec<Result<Zeroizing<String>, Failed>> {
    let outcome = run(settings, async |context| {
        // One Vault session (and login) for every `vault://` reference.
        #[cfg(feature = "vault")]
        let vault = match references
            .iter()
            .any(|r| matches!(r, Reference::Vault { .. }))
        {
            true => Some(within(settings, vault::Session::open(&context.http, settings)).await),
            false => None,
        };
        #[cfg(feature = "vault")]
        let outer = context;
        #[cfg(feature = "vault")]
        let context = &Context {
            vault: vault.as_ref(),
            ..outer.clone()
        };
        let futures = references
            .iter()
            .map(|reference| within(settings, resolve(reference, context)));
        let results = futures_util::future::join_all(futures).await;
        #[cfg(feature = "vault")]
        if let Some(Ok(session)) = vault {
            session.close().await;
        }
        results
    });
    match outcome {
        Ok(results) => results,
        Err(reason) => references.iter().map(|_| Err(reason.clone())).collect(),
    }
}

#[cfg(feature = "__managers")]
pub(super) fn fetch_bundle(bundle: &Bundle, settings: &Settings) -> Result<crate::Vars, Failed> {
    let data = run(settings, async |context| {
        within(settings, fetch(bundle, context)).await
    })??;
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
            let session = vault::Session::open(&context.http, context.settings).await?;
            let data = vault::fetch(&session, mount, path).await;
            session.close().await;
            data
        }
        #[cfg(feature = "aws")]
        Bundle::AwsSecretsManager { id } => aws::fetch(&context.http, context.settings, id).await,
        #[allow(unreachable_patterns)]
        other => Err(feature_off(other, other.resolver().feature())),
    }
}

/// The backstop deadline: each resolver keeps the timeout itself (the
/// HTTP client's, `op`'s) and names what did not answer; this one ends
/// whatever did not, a second later.
async fn within<T>(
    settings: &Settings,
    work: impl std::future::Future<Output = Result<T, Failed>>,
) -> Result<T, Failed> {
    let backstop = settings.timeout + Duration::from_secs(1);
    match tokio::time::timeout(backstop, work).await {
        Ok(result) => result,
        Err(_) => Err(Failed::new(
            ResolveFailure::Timeout,
            format!("timed out after {}", humantime::format_duration(backstop)),
        )),
    }
}

/// credenv's own failure to run the resolvers.
fn failed(reason: impl Into<String>) -> Failed {
    Failed::new(ResolveFailure::Failed, reason)
}

async fn resolve(
    reference: &Reference,
    context: &Context<'_>,
) -> Result<Zeroizing<String>, Failed> {
    match reference {
        #[cfg(feature = "onepassword")]
        Reference::OnePassword(reference) => onepassword::read(reference, context.settings).await,
        #[cfg(feature = "vault")]
        Reference::Vault { mount, path, key } => match context.vault {
            Some(Ok(session)) => vault::read(session, mount, path, key).await,
            Some(Err(failed)) => Err(failed.clone()),
            None => Err(failed("no Vault session was opened")),
        },
        #[cfg(feature = "aws")]
        Reference::AwsSecretsManager { id, key } => {
            aws::read(&context.http, context.settings, id, key.as_deref()).await
        }
        #[allow(unreachable_patterns)]
        other => Err(feature_off(other, other.resolver().feature())),
    }
}
