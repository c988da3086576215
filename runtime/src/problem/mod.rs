//! What a load found wrong: the one error it returns (every missing and
//! invalid variable), and the warnings of a load that succeeded.

use std::fmt;

mod diagnostic;
mod kinds;

pub(crate) use diagnostic::Problem;
pub use diagnostic::{Diagnostic, Invalid, Missing, Warning};
pub use kinds::{InvalidKind, MissingKind, ResolveFailure, WarningKind};

use crate::{Origin, Profile};

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
            .partition(|i| i.origin() == Some(&Origin::Default));
        let invalid: Vec<&dyn fmt::Display> = invalid.into_iter().map(|i| i as _).collect();
        let defaults: Vec<&dyn fmt::Display> = defaults.into_iter().map(|i| i as _).collect();
        section(f, &format!("missing required variables{profile}"), &missing)?;
        section(f, &format!("invalid variables{profile}"), &invalid)?;
        section(f, "invalid defaults: fix the attributes", &defaults)
    }
}

impl std::error::Error for Error {}
