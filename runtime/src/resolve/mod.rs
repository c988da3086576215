//! Secret references: a variable whose value is `op://…`, `vault://…` or
//! `aws-sm://…` names where its secret lives, and the load resolves it.
//!
//! The loader reads every variable first, then resolves all references at
//! once (`executor`). A reference whose resolver is not compiled in is an
//! error naming the feature to enable.

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "__resolve")]
mod executor;
mod memory;
#[cfg(feature = "onepassword")]
mod onepassword;
mod settings;
mod syntax;
#[cfg(feature = "vault")]
mod vault;

use zeroize::Zeroizing;

use crate::ResolveFailure;
pub(crate) use memory::Memory;
#[cfg(feature = "__managers")]
use memory::Versioned;
pub(crate) use settings::Settings;
pub(crate) use syntax::{Bundle, Reference};

/// The resolvers' settings that are secrets themselves: a load's scrubber
/// covers them too.
#[cfg_attr(not(feature = "scrub"), allow(dead_code))]
pub(crate) const SECRET_SETTINGS: &[&str] = &[
    "VAULT_TOKEN",
    "BAO_TOKEN",
    "VAULT_SECRET_ID",
    "BAO_SECRET_ID",
    "VAULT_JWT",
    "BAO_JWT",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "OP_SERVICE_ACCOUNT_TOKEN",
];

/// A resolved secret, and how the resolver was let in when it says (`AWS
/// credentials: web identity`), for `origin()`.
pub(crate) struct Resolved {
    pub(crate) secret: Zeroizing<String>,
    pub(crate) through: Option<String>,
}

impl Resolved {
    #[cfg_attr(not(any(feature = "vault", feature = "onepassword")), allow(dead_code))]
    pub(crate) fn new(secret: Zeroizing<String>) -> Self {
        Resolved {
            secret,
            through: None,
        }
    }

    /// How `origin()` shows `what` (a reference or bundle as written).
    pub(crate) fn origin_text(through: Option<&str>, what: &str) -> String {
        match through {
            None => what.to_owned(),
            Some(through) => format!("{what} ({through})"),
        }
    }
}

/// Why a resolver failed: the kind, and words that name no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failed {
    pub(crate) kind: ResolveFailure,
    pub(crate) reason: String,
}

impl Failed {
    pub(crate) fn new(kind: ResolveFailure, reason: impl Into<String>) -> Self {
        Failed {
            kind,
            reason: reason.into(),
        }
    }

    /// A setting that is missing or wrong.
    pub(crate) fn setting(reason: impl Into<String>) -> Self {
        Failed::new(ResolveFailure::Setting, reason)
    }

    /// An answer that is not what the manager documents.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn answer(reason: impl Into<String>) -> Self {
        Failed::new(ResolveFailure::InvalidAnswer, reason)
    }
}

/// What the HTTP policy's errors say, with their kind.
impl From<(ResolveFailure, String)> for Failed {
    fn from((kind, reason): (ResolveFailure, String)) -> Self {
        Failed { kind, reason }
    }
}

/// The key `key` of a secret's JSON object: no such key is
/// [`NotFound`](ResolveFailure::NotFound), a key that is not a scalar is an
/// invalid answer.
#[cfg(feature = "__managers")]
fn key(
    object: &crate::http::json::Object<'_>,
    key: &str,
    place: &str,
) -> Result<Zeroizing<String>, Failed> {
    let kind = match object.raw(key) {
        None => ResolveFailure::NotFound,
        Some(_) => ResolveFailure::InvalidAnswer,
    };
    object
        .text(key, place)
        .map_err(|reason| Failed::new(kind, reason))
}

/// A secret manager credenv can read, compiled in or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolver {
    OnePassword,
    Vault,
    AwsSecretsManager,
}

/// What a resolver reads from the load's settings.
pub(crate) struct Declared {
    /// The settings it reads besides its credentials (which it reads too).
    pub(crate) settings: &'static [&'static str],
    /// Those that authenticate it: a reference is resolved only with
    /// credentials from its own source layer.
    pub(crate) credentials: &'static [&'static str],
    /// A credential read from a file when its setting is unset, as the
    /// vault CLI reads `~/.vault-token`.
    pub(crate) file: Option<FileSetting>,
}

/// A setting read from the file `file` of the directory a setting of the
/// process environment names (`HOME`), when one of `when` is set and none
/// of `unless`. It counts as `name` from the environment, so the rules of
/// layers hold for it: a `.env` naming the address never receives it.
pub(crate) struct FileSetting {
    pub(crate) name: &'static str,
    pub(crate) dir: &'static str,
    pub(crate) file: &'static str,
    pub(crate) when: &'static [&'static str],
    pub(crate) unless: &'static [&'static str],
}

impl Resolver {
    const ALL: [Resolver; 3] = [
        Resolver::OnePassword,
        Resolver::Vault,
        Resolver::AwsSecretsManager,
    ];

    /// The cargo feature that compiles it.
    pub(crate) fn feature(self) -> &'static str {
        match self {
            Resolver::OnePassword => "onepassword",
            Resolver::Vault => "vault",
            Resolver::AwsSecretsManager => "aws",
        }
    }

    /// Its settings; none when it is not compiled in (its references fail
    /// with [`feature_off`] before any setting is read).
    pub(crate) fn declared(self) -> &'static Declared {
        const OFF: Declared = Declared {
            settings: &[],
            credentials: &[],
            file: None,
        };
        match self {
            #[cfg(feature = "onepassword")]
            Resolver::OnePassword => &onepassword::DECLARED,
            #[cfg(feature = "vault")]
            Resolver::Vault => &vault::DECLARED,
            #[cfg(feature = "aws")]
            Resolver::AwsSecretsManager => &aws::DECLARED,
            #[allow(unreachable_patterns)]
            _ => &OFF,
        }
    }
}

/// Fetches a bundle: its string, number and boolean values, each under its
/// key in upper case (`api_key` supplies `API_KEY`).
pub(crate) fn fetch_bundle(
    bundle: &Bundle,
    layer: &crate::Origin,
    settings: &Settings,
) -> Result<crate::Vars, Failed> {
    #[cfg(feature = "__managers")]
    {
        executor::fetch_bundle(bundle, layer, settings)
    }
    #[cfg(not(feature = "__managers"))]
    {
        let _ = (settings, layer);
        Err(feature_off(bundle, bundle.resolver().feature()))
    }
}

/// Resolves every reference (with the source layer it was written in),
/// concurrently, each within the timeout; the results come back in the
/// order of `references`.
pub(crate) fn resolve_all(
    references: &[(Reference, crate::Origin)],
    settings: &Settings,
) -> Vec<Result<Resolved, Failed>> {
    #[cfg(feature = "__resolve")]
    {
        executor::resolve_all(references, settings)
    }
    #[cfg(not(feature = "__resolve"))]
    {
        let _ = settings;
        references
            .iter()
            .map(|(reference, _)| Err(feature_off(reference, reference.resolver().feature())))
            .collect()
    }
}

/// Why a reference or bundle cannot be resolved in this build.
fn feature_off(what: impl std::fmt::Display, feature: &str) -> Failed {
    Failed::new(
        ResolveFailure::FeatureOff,
        format!("{what} needs credenv's `{feature}` feature, which is off"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_whose_feature_is_off_names_the_feature() {
        let reference = |text| Reference::parse(text).unwrap().unwrap();
        assert_eq!(
            reference("vault://secret/app#k").resolver().feature(),
            "vault"
        );
        assert_eq!(reference("aws-sm://app").resolver().feature(), "aws");
        assert_eq!(reference("op://a/b/c").resolver().feature(), "onepassword");
        assert_eq!(
            Bundle::parse("aws-sm://app", None)
                .unwrap()
                .resolver()
                .feature(),
            "aws"
        );
        assert_eq!(
            feature_off(reference("vault://secret/app#k"), "vault").reason,
            "vault://secret/app#k needs credenv's `vault` feature, which is off"
        );
    }

    #[cfg(not(feature = "__resolve"))]
    #[test]
    fn without_resolvers_every_reference_is_a_feature_error() {
        let settings = Settings {
            timeout: Settings::DEFAULT_TIMEOUT,
            vars: Vec::new(),
            memory: None,
        };
        let references = [(
            Reference::parse("op://a/b/c").unwrap().unwrap(),
            crate::Origin::Env,
        )];
        let results = resolve_all(&references, &settings);
        assert_eq!(
            results[0].as_ref().err().unwrap().reason,
            "op://a/b/c needs credenv's `onepassword` feature, which is off"
        );
    }
}
