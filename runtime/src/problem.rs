//! What a load found wrong: the one error it returns (every missing and
//! invalid variable), and the warnings of a load that succeeded.

use std::fmt;

use crate::{Origin, Profile, VarSpec};

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

/// A required variable that is unset, or set to an empty value.
#[derive(Clone, PartialEq, Eq)]
pub struct Missing {
    spec: &'static VarSpec,
    /// The bundle the load also looked in, as written.
    bundle: Option<String>,
}

impl Missing {
    pub(crate) fn new(spec: &'static VarSpec, bundle: Option<String>) -> Self {
        Missing { spec, bundle }
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
}

/// `NAME: description`, or `NAME` when the field has no doc comment; and
/// when a bundle was loaded, `(not in the bundle vault://… either)`.
impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.var())?;
        if !self.description().is_empty() {
            write!(f, ": {}", self.description())?;
        }
        match &self.bundle {
            Some(bundle) => write!(f, " (not in the bundle {bundle} either)"),
            None => Ok(()),
        }
    }
}

/// A variable whose value could not be used: unparsable, rejected by a
/// validator, not UTF-8, or an unreadable `_FILE`.
#[derive(Clone, PartialEq, Eq)]
pub struct Invalid {
    spec: &'static VarSpec,
    reason: String,
    /// Where the value came from, when not the environment.
    origin: Option<Origin>,
}

impl Invalid {
    pub(crate) fn new(spec: &'static VarSpec, reason: String) -> Self {
        Invalid {
            spec,
            reason,
            origin: None,
        }
    }

    /// The same problem, of a value from `origin`.
    pub(crate) fn from(mut self, origin: &Origin) -> Self {
        if *origin != Origin::Env {
            self.origin = Some(origin.clone());
        }
        self
    }

    /// Where the value came from, when not the environment (or the map a
    /// load read): a file, a `.env` file, a reference, a bundle, the default.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// The variable's name.
    pub fn var(&self) -> &str {
        self.spec.name()
    }

    /// What the variable is for: the field's doc comment, or `""`.
    pub fn description(&self) -> &'static str {
        self.spec.description()
    }

    /// What is wrong, e.g. `expected u16: invalid digit found in string (got
    /// "abc")`. It quotes non-secret values only.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Everything declared about the variable.
    pub fn spec(&self) -> &'static VarSpec {
        self.spec
    }
}

impl fmt::Debug for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Missing").field("var", &self.var()).finish()
    }
}

impl fmt::Debug for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invalid")
            .field("var", &self.var())
            .field("reason", &self.reason)
            .finish()
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

/// Something a load noticed that did not stop it.
#[derive(Clone, PartialEq, Eq)]
pub struct Warning {
    spec: &'static VarSpec,
    kind: WarningKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WarningKind {
    Unset,
    /// Set, but read only by profiles other than this active one.
    OtherProfile(Profile),
    /// A secret that took this non-production profile's default.
    SecretDefault(Profile),
}

impl Warning {
    pub(crate) fn unset(spec: &'static VarSpec) -> Self {
        Warning {
            spec,
            kind: WarningKind::Unset,
        }
    }

    pub(crate) fn other_profile(spec: &'static VarSpec, active: Profile) -> Self {
        Warning {
            spec,
            kind: WarningKind::OtherProfile(active),
        }
    }

    pub(crate) fn secret_default(spec: &'static VarSpec, profile: Profile) -> Self {
        Warning {
            spec,
            kind: WarningKind::SecretDefault(profile),
        }
    }

    /// The variable it is about.
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
}

impl fmt::Debug for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Warning")
            .field("var", &self.var())
            .field("message", &self.to_string())
            .finish()
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
