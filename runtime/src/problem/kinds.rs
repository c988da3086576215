//! What kind of problem or warning a diagnostic is: data to match on.

use crate::{Check, Profile};

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
    /// It is, as a whole, a placeholder an MCP client did not expand
    /// (`${NAME}`, `${env:NAME}`, `${input:id}`, `${user_config.key}`) or
    /// the `<description>` of a generated configuration.
    Placeholder,
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
