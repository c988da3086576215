//! A successful load: the value, its warnings, and where each value came from.

use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;

mod origins;

pub(crate) use origins::Origins;

use crate::{Profile, VarSpec, Warning};

/// Loaded credentials, with the warnings of their load and the origin of each
/// variable. Derefs to the credentials.
///
/// ```
/// use credenv::{Credentials, Origin, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     api_key: SecretString,
///     /// Slack Bot Token (for notifications)
///     slack_bot_token: Option<SecretString>,
/// }
///
/// let loaded = Creds::load(&[("API_KEY", "k-1")])?;
/// let warning = &loaded.warnings()[0];
/// assert_eq!(warning.var(), "SLACK_BOT_TOKEN");
/// assert_eq!(loaded.origin("API_KEY"), Some(&Origin::Env));
/// let creds: Creds = loaded.into_inner();
/// # Ok::<(), credenv::Error>(())
/// ```
pub struct Loaded<T> {
    value: T,
    warnings: Vec<Warning>,
    vars: &'static [VarSpec],
    origins: Origins,
    profile: Option<Profile>,
    /// What the loader noted of what it read.
    reads: Reads,
    #[cfg(feature = "scrub")]
    scrubber: std::sync::OnceLock<std::sync::Arc<crate::scrub::Scrubber>>,
}

/// What a load noted of what it read, besides the values.
pub(crate) struct Reads {
    /// A keyed digest of every text read, when the load made one.
    pub(crate) digest: Option<u128>,
    /// The layer whose `NAME_FILE` named each file read.
    pub(crate) file_layers: Vec<(String, Origin)>,
    /// Every secret text read (a secret's, or one from a file, a reference
    /// or a bundle), by variable, for the load's scrubber.
    #[cfg(feature = "scrub")]
    pub(crate) secrets: Vec<(&'static str, zeroize::Zeroizing<String>)>,
}

impl<T> Loaded<T> {
    pub(crate) fn new(
        value: T,
        warnings: Vec<Warning>,
        vars: &'static [VarSpec],
        origins: Origins,
        profile: Option<Profile>,
        reads: Reads,
    ) -> Self {
        debug_assert_eq!(vars.len(), origins.len());
        Loaded {
            value,
            warnings,
            vars,
            origins,
            profile,
            reads,
            #[cfg(feature = "scrub")]
            scrubber: std::sync::OnceLock::new(),
        }
    }

    /// A scrubber over every secret this load read (feature `scrub`): a
    /// secret field's value (and a list's items), any value from a file, a
    /// reference or a bundle, and the resolvers' own secrets (a Vault
    /// token, an AWS secret key). Built once, on the first call. See
    /// [`crate::scrub`].
    #[cfg(feature = "scrub")]
    pub fn scrubber(&self) -> std::sync::Arc<crate::scrub::Scrubber> {
        let build = || std::sync::Arc::new(crate::scrub::Scrubber::new(self.secrets()));
        std::sync::Arc::clone(self.scrubber.get_or_init(build))
    }

    /// The secrets the load read, by variable.
    #[cfg(feature = "scrub")]
    pub(crate) fn secrets(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.reads
            .secrets
            .iter()
            .map(|(name, text)| (*name, text.as_str()))
    }

    /// The source layer the variable `name` came from: for a file read
    /// through `NAME_FILE`, the layer that set `NAME_FILE` (it chose the
    /// file).
    #[cfg_attr(not(feature = "oauth"), allow(dead_code))]
    pub(crate) fn layer_of(&self, name: &str) -> Option<Origin> {
        match self.origin(name)? {
            // Unknown: the file itself, which no other layer matches.
            file @ Origin::File(_) => Some(
                self.reads
                    .file_layers
                    .iter()
                    .find(|(var, _)| var == name)
                    .map_or_else(|| file.clone(), |(_, layer)| layer.clone()),
            ),
            origin => Some(origin.clone().layer()),
        }
    }

    /// The variables the load read (the active profile's, with profiles).
    #[cfg_attr(not(feature = "mcp"), allow(dead_code))]
    pub(crate) fn vars(&self) -> &'static [VarSpec] {
        self.vars
    }

    /// Whether `self` and `other` read the same texts from the same origins
    /// (both loads digested): a reload that found nothing new.
    #[cfg_attr(not(feature = "live"), allow(dead_code))]
    pub(crate) fn same_reads(&self, other: &Self) -> bool {
        self.reads.digest.is_some()
            && self.reads.digest == other.reads.digest
            && self.profile == other.profile
            && self.origins == other.origins
    }

    /// The active profile, for a struct that declares profiles.
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    /// The credentials.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// What deserves attention but did not stop the load, such as an optional
    /// credential that is unset. Nothing is logged until you do it (or call
    /// [`log_warnings`](Loaded::log_warnings)).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Where the variable `name` came from, or `None` if the struct does not
    /// read it.
    pub fn origin(&self, name: &str) -> Option<&Origin> {
        let index = self.vars.iter().position(|spec| spec.name() == name)?;
        Some(self.origins.get(index))
    }

    /// Every variable the struct reads, in declaration order, with its origin.
    pub fn origins(&self) -> impl ExactSizeIterator<Item = (&'static VarSpec, &Origin)> {
        self.vars.iter().zip(self.origins.iter())
    }

    /// Logs each warning through `tracing` at WARN level, target `credenv`.
    pub fn log_warnings(&self) {
        for warning in &self.warnings {
            tracing::warn!(target: "credenv", var = warning.var(), "{warning}");
        }
    }
}

impl<T> Deref for Loaded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Shows the credentials through their own (redacting) `Debug`.
impl<T: fmt::Debug> fmt::Debug for Loaded<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("profile", &self.profile.map(|p| p.name()))
            .field("value", &self.value)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// Where a variable's value came from. It never holds the value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The variable itself: the process environment, or the map a load read.
    Env,
    /// The file named by `NAME_FILE`.
    File(PathBuf),
    /// A `.env` file (feature `dotenv`).
    DotEnv(PathBuf),
    /// A file in a secrets directory, such as `/run/secrets/api_key`.
    SecretsDir(PathBuf),
    /// A secret reference the load resolved, as written:
    /// `op://vault/item/field`, `vault://secret/app#key`; and, when the
    /// resolver says where its own credentials came from, that too (never a
    /// key): `aws-sm://app (AWS credentials: web identity)`.
    Reference(String),
    /// A key of a bundle, as written, with its credentials' provider as for
    /// a reference: `vault://secret/app`, `aws-sm://app (AWS credentials:
    /// static keys)`.
    Bundle(String),
    /// The field's default.
    Default,
    /// Nowhere: an optional variable that is unset.
    Unset,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Env => f.write_str("environment"),
            Origin::File(path) => write!(f, "file {}", path.display()),
            Origin::DotEnv(path) => write!(f, ".env file {}", path.display()),
            Origin::SecretsDir(path) => write!(f, "secrets directory file {}", path.display()),
            Origin::Reference(reference) => write!(f, "reference {reference}"),
            Origin::Bundle(bundle) => write!(f, "bundle {bundle}"),
            Origin::Default => f.write_str("default"),
            Origin::Unset => f.write_str("unset"),
        }
    }
}

impl Origin {
    /// Why a value from here is never quoted in a message, whatever its
    /// field's type: what came from a file, a reference or a bundle is
    /// treated as secret. `None` for the environment (or a map) and defaults.
    pub(crate) fn hides_values(&self) -> Option<&'static str> {
        match self {
            Origin::File(_) | Origin::DotEnv(_) | Origin::SecretsDir(_) => Some("read from a file"),
            Origin::Reference(_) => Some("resolved from a reference"),
            Origin::Bundle(_) => Some("from a bundle"),
            Origin::Env | Origin::Default | Origin::Unset => None,
        }
    }

    /// The source layer a value came from: a secrets directory's files are
    /// one layer.
    #[cfg_attr(not(any(feature = "__resolve", feature = "oauth")), allow(dead_code))]
    pub(crate) fn layer(self) -> Origin {
        match self {
            Origin::SecretsDir(file) => {
                Origin::SecretsDir(file.parent().map(Into::into).unwrap_or_default())
            }
            other => other,
        }
    }
}
