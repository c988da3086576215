//! One finding about one variable, whatever its kind: the same accessors for
//! a missing variable, an invalid one and a warning, and the words of each.

use std::fmt;

use super::{InvalidKind, MissingKind, WarningKind};
use crate::{Origin, VarSpec};

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
