//! What a load found wrong: the one error it returns (every missing and
//! invalid variable), and the warnings of a load that succeeded.

use std::fmt;

use crate::{Check, Origin, Profile, VarSpec};

/// Everything wrong with the variables of one load, in declaration order:
/// the missing ones, then the invalid ones.
///
/// Its `Display` is the report for people, one problem per line:
///
/// ```text
/// missing required variables:
///   - GITHUB_TOKEN: GitHub Personal Access Token
/// invalid variables:
///   - PORT: expected u16: invalid digit found in string (got "abc")
///   - WEBHOOK_KEY (from .env file .env): expected u32 (value hidden: secret)
/// ```
///
/// An invalid value that did not come from the environment (or the map a
/// load read) names where it came from. With profiles, each heading names
/// the active one (`invalid variables (profile production):`); a `default`
/// attribute whose literal does not parse has a section of its own (`invalid
/// defaults: fix the attributes`), since no variable is at fault.
///
/// Programs read the same through [`missing`](Error::missing) and
/// [`invalid`](Error::invalid). No part of an `Error` holds a secret's value.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// GitHub Personal Access Token
///     github_token: SecretString,
///     port: u16,
/// }
///
/// let err = Creds::from_source(&[("PORT", "abc")]).unwrap_err();
/// assert_eq!(err.missing().map(|m| m.var()).collect::<Vec<_>>(), ["GITHUB_TOKEN"]);
/// assert_eq!(err.invalid().next().unwrap().var(), "PORT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    missing: Vec<Missing>,
    invalid: Vec<Invalid>,
    profile: Option<Profile>,
}

impl Error {
    pub(crate) fn new(
        missing: Vec<Missing>,
        invalid: Vec<Invalid>,
        profile: Option<Profile>,
    ) -> Self {
        debug_assert!(!missing.is_empty() || !invalid.is_empty());
        Error {
            missing,
            invalid,
            profile,
        }
    }

    /// The active profile, for a struct with profiles whose selector was
    /// read.
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    /// The required variables that are unset (or empty), in declaration order.
    pub fn missing(&self) -> std::slice::Iter<'_, Missing> {
        self.missing.iter()
    }

    /// The variables whose values could not be used, in declaration order.
    pub fn invalid(&self) -> std::slice::Iter<'_, Invalid> {
        self.invalid.iter()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut section = |f: &mut fmt::Formatter<'_>, title: &str, items: &[&dyn fmt::Display]| {
            if items.is_empty() {
                return Ok(());
            }
            if !std::mem::take(&mut first) {
                f.write_str("\n")?;
            }
            write!(f, "{title}:")?;
            items.iter().try_for_each(|item| write!(f, "\n  - {item}"))
        };
        let profile = match self.profile {
            Some(profile) => format!(" (profile {})", profile.name()),
            None => String::new(),
        };
        let missing: Vec<&dyn fmt::Display> = self.missing.iter().map(|m| m as _).collect();
        let (defaults, invalid): (Vec<&Invalid>, Vec<&Invalid>) = self
            .invalid
            .iter()
            .partition(|i| i.origin == Some(Origin::Default));
        let invalid: Vec<&dyn fmt::Display> = invalid.into_iter().map(|i| i as _).collect();
        let defaults: Vec<&dyn fmt::Display> = defaults.into_iter().map(|i| i as _).collect();
        section(f, &format!("missing required variables{profile}"), &missing)?;
        section(f, &format!("invalid variables{profile}"), &invalid)?;
        section(f, "invalid defaults: fix the attributes", &defaults)
    }
}

impl std::error::Error for Error {}

/// One finding about one variable: a [`Missing`], [`Invalid`] or [`Warning`],
/// with the same accessors for each and a kind to match on.
///
/// ```
/// use credenv::{Credentials, InvalidKind};
///
/// #[derive(Credentials)]
/// struct Creds {
///     port: u16,
/// }
///
/// let err = Creds::from_source(&[("PORT", "eighty")]).unwrap_err();
/// let invalid = err.invalid().next().unwrap();
/// assert_eq!(invalid.var(), "PORT");
/// assert_eq!(invalid.kind(), &InvalidKind::Unparsable);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnostic<K> {
    spec: &'static VarSpec,
    kind: K,
    /// Where the value came from, when not the environment.
    origin: Option<Origin>,
    /// What is wrong, in words (an invalid value's; empty otherwise).
    reason: String,
}

/// A required variable that is unset, or set to an empty value.
pub type Missing = Diagnostic<MissingKind>;

/// A variable whose value could not be used: unparsable, rejected by a
/// check or a validator, not UTF-8, an unreadable `_FILE`, a reference that
/// did not resolve… [`kind`](Diagnostic::kind) says which.
pub type Invalid = Diagnostic<InvalidKind>;

/// Something a load noticed that did not stop it.
pub type Warning = Diagnostic<WarningKind>;

impl<K> Diagnostic<K> {
    fn of(spec: &'static VarSpec, kind: K) -> Self {
        Diagnostic {
            spec,
            kind,
            origin: None,
            reason: String::new(),
        }
    }

    /// The variable's name.
    pub fn var(&self) -> &str {
        self.spec.name()
    }

    /// What the variable is for: the field's doc comment, or `""`.
    pub fn description(&self) -> &'static str {
        self.spec.description()
    }

    /// Everything declared about the variable.
    pub fn spec(&self) -> &'static VarSpec {
        self.spec
    }

    /// What kind of problem or warning it is.
    pub fn kind(&self) -> &K {
        &self.kind
    }

    /// Where the value came from, when not the environment (or the map a
    /// load read): a file, a `.env` file, a reference, a bundle, the default.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }
}

/// Why a required variable has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingKind {
    /// Unset, or set to an empty value.
    Unset,
    /// Unset, and not in the bundle the load also read (as written:
    /// `vault://secret/app`).
    NotInBundle(String),
}

/// What is wrong with a variable's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidKind {
    /// It does not parse into the field's type (or an item of a list does
    /// not), or a number is out of its declared bounds.
    Unparsable,
    /// It breaks a declared check (`starts_with`, `min_len`, `one_of`,
    /// `min_items`…).
    Check(Check),
    /// The field's validator rejected it.
    Validator,
    /// It is not valid UTF-8.
    NotUnicode,
    /// The source has the variable but cannot give it: an unreadable file in
    /// a secrets directory, a link that leaves it ([`Value::invalid`]).
    ///
    /// [`Value::invalid`]: crate::Value::invalid
    Unusable,
    /// Both `NAME` and `NAME_FILE` are set.
    BothSet,
    /// The file `NAME_FILE` names cannot be used: unreadable, not a regular
    /// file, over 64 KiB, empty, or not UTF-8.
    File,
    /// It starts like a reference (`vault://…`) but is not one.
    MalformedReference,
    /// A reference that was not resolved, and why.
    Reference(ResolveFailure),
    /// It names a bundle that was not fetched (or is not a bundle), and why.
    Bundle(ResolveFailure),
    /// The profile selector names no profile.
    UnknownProfile,
    /// The active profile's name does not parse into the profile field.
    ProfileField,
}

/// Why a reference or a bundle was not resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveFailure {
    /// Its resolver is not compiled in: the message names the feature.
    FeatureOff,
    /// credenv refused to resolve it: its credentials come from another
    /// source layer, or it is a bundle's value.
    Refused,
    /// A setting is missing or wrong: `VAULT_ADDR` unset, no credentials,
    /// an `http://` endpoint off loopback, `op` not found.
    Setting,
    /// The secret manager could not be reached.
    Unreachable,
    /// It did not answer in time.
    Timeout,
    /// It refused the credentials, or their access to the secret.
    Denied,
    /// There is no such secret, or no such key in it.
    NotFound,
    /// It answered with another error.
    Failed,
    /// Its answer is not what it documents (not JSON, too large…).
    InvalidAnswer,
    /// The secret is empty.
    Empty,
    /// It starts like a bundle but is not one.
    Malformed,
}

/// What a load noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// An optional variable is unset.
    Unset,
    /// Set, but read only by profiles other than this active one.
    OtherProfile(Profile),
    /// A secret took this non-production profile's default.
    SecretDefault(Profile),
}

/// A value's problem before it is a variable's: its kind, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) kind: InvalidKind,
    pub(crate) reason: String,
}

impl Problem {
    pub(crate) fn new(kind: InvalidKind, reason: impl Into<String>) -> Self {
        Problem {
            kind,
            reason: reason.into(),
        }
    }
}

impl Missing {
    pub(crate) fn new(spec: &'static VarSpec, bundle: Option<String>) -> Self {
        let kind = match bundle {
            None => MissingKind::Unset,
            Some(bundle) => MissingKind::NotInBundle(bundle),
        };
        Diagnostic::of(spec, kind)
    }
}

impl Invalid {
    pub(crate) fn new(spec: &'static VarSpec, problem: Problem) -> Self {
        Diagnostic {
            reason: problem.reason,
            ..Diagnostic::of(spec, problem.kind)
        }
    }

    /// The same problem, of a value from `origin`.
    pub(crate) fn from(mut self, origin: &Origin) -> Self {
        if *origin != Origin::Env {
            self.origin = Some(origin.clone());
        }
        self
    }

    /// What is wrong, e.g. `expected u16: invalid digit found in string (got
    /// "abc")`. It quotes non-secret values only.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl Warning {
    pub(crate) fn new(spec: &'static VarSpec, kind: WarningKind) -> Self {
        Diagnostic::of(spec, kind)
    }
}

/// The variable, its kind and (for an invalid value) the reason; never a
/// value.
impl<K: fmt::Debug> fmt::Debug for Diagnostic<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Diagnostic");
        debug.field("var", &self.var()).field("kind", &self.kind);
        if !self.reason.is_empty() {
            debug.field("reason", &self.reason);
        }
        debug.finish()
    }
}

/// `NAME: description`, or `NAME` when the field has no doc comment; and
/// when a bundle was loaded, `(not in the bundle vault://… either)`.
impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.var())?;
        if !self.description().is_empty() {
            write!(f, ": {}", self.description())?;
        }
        match &self.kind {
            MissingKind::NotInBundle(bundle) => write!(f, " (not in the bundle {bundle} either)"),
            MissingKind::Unset => Ok(()),
        }
    }
}

/// `NAME: reason`, or `NAME (from <origin>): reason` for a value that did
/// not come from the environment.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            None | Some(Origin::Default) => write!(f, "{}: {}", self.var(), self.reason),
            Some(origin) => write!(f, "{} (from {origin}): {}", self.var(), self.reason),
        }
    }
}

/// E.g. `optional SLACK_BOT_TOKEN is not set: Slack Bot Token (for notifications)`,
/// or `PROD_API_KEY is set but not read: it belongs to another profile than staging`.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let var = self.var();
        match self.kind {
            WarningKind::Unset => write!(f, "optional {var} is not set")?,
            WarningKind::OtherProfile(active) => {
                return write!(
                    f,
                    "{var} is set but not read: it belongs to another profile than {active}"
                );
            }
            WarningKind::SecretDefault(profile) => {
                return write!(
                    f,
                    "{var} is not set: using the {profile} profile's development-only default"
                );
            }
        }
        match self.description() {
            "" => Ok(()),
            description => write!(f, ": {description}"),
        }
    }
}
