//! What a credentials struct declares about each of its variables.

use std::borrow::Cow;

use crate::Check;

/// One environment variable a [`Credentials`](crate::Credentials) struct reads.
///
/// `T::vars()` lists them in declaration order, flattened structs expanded in
/// place. They are what error reports, documentation and config templates are
/// made from, so they carry no value: a secret's default is never exposed.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// GitHub Personal Access Token
///     github_token: SecretString,
///     /// Port of the upstream API
///     #[credential(default = 8080)]
///     port: u16,
/// }
///
/// let vars = Creds::vars();
/// assert_eq!(vars[0].name(), "GITHUB_TOKEN");
/// assert!(vars[0].required() && vars[0].secret());
/// assert_eq!(vars[1].description(), "Port of the upstream API");
/// assert_eq!(vars[1].default(), Some("8080"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VarSpec {
    name: Cow<'static, str>,
    file_name: Cow<'static, str>,
    description: &'static str,
    type_name: &'static str,
    default: Option<&'static str>,
    separator: Option<&'static str>,
    optional: bool,
    secret: bool,
    allow_empty: bool,
    role: Role,
    checks: &'static [Check],
}

/// Every field, but a secret's default (a non-production profile's) shows as
/// `[REDACTED]`, as [`VarSpec::default`] hides it.
impl std::fmt::Debug for VarSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let default: &dyn std::fmt::Debug = match (self.secret, &self.default) {
            (true, Some(_)) => &format_args!("Some([REDACTED])"),
            _ => &self.default,
        };
        f.debug_struct("VarSpec")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("description", &self.description)
            .field("type_name", &self.type_name)
            .field("default", default)
            .field("separator", &self.separator)
            .field("optional", &self.optional)
            .field("secret", &self.secret)
            .field("allow_empty", &self.allow_empty)
            .field("role", &self.role)
            .field("checks", &self.checks)
            .finish()
    }
}

/// What a variable is for: a field's value, or one of the two variables
/// that configure a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// A field's value.
    Field,
    /// Selects the profile (`#[credentials(profiles(select = "..."))]`).
    ProfileSelector,
    /// Names a bundle of the struct's credentials
    /// (`#[credentials(bundle = "...")]`).
    Bundle,
}

impl VarSpec {
    /// The variable's name, e.g. `GITHUB_TOKEN`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The variable that may name a file holding the value instead:
    /// the name followed by `_FILE`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The field's doc comment (its first paragraph, on one line), or `""`.
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// Whether loading fails when the variable is unset: true unless the field
    /// is an `Option` or has a default.
    pub fn required(&self) -> bool {
        !self.optional && self.default.is_none()
    }

    /// Whether the value is a secret: never shown, quoted or logged.
    pub fn secret(&self) -> bool {
        self.secret
    }

    /// The default's text, as written in the attribute. Never a secret's.
    pub fn default(&self) -> Option<&'static str> {
        if self.secret { None } else { self.default }
    }

    /// The field's value type as written in the struct, e.g. `u16`, or for an
    /// `Option<T>` or list field, `T`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// For a list field, the separator between its items.
    pub fn separator(&self) -> Option<&'static str> {
        self.separator
    }

    /// Whether an empty value counts as a value rather than as unset.
    pub fn allow_empty(&self) -> bool {
        self.allow_empty
    }

    /// What the variable is for.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The declared checks (`min_len`, `starts_with`, `one_of`, `min`,
    /// `max`, `min_items`, `max_items`), in the order written.
    pub fn checks(&self) -> &'static [Check] {
        self.checks
    }

    /// The default, secret or not: only the loader may see a secret's.
    pub(crate) fn default_text(&self) -> Option<&'static str> {
        self.default
    }

    pub(crate) fn optional(&self) -> bool {
        self.optional
    }

    /// This spec under a flattening prefix.
    pub(crate) fn prefixed(&self, prefix: &str) -> VarSpec {
        VarSpec {
            name: Cow::Owned(format!("{prefix}{}", self.name)),
            file_name: Cow::Owned(format!("{prefix}{}", self.file_name)),
            ..self.clone()
        }
    }
}

/// The builder the derive's generated code uses; not part of the API.
#[doc(hidden)]
impl VarSpec {
    pub const fn new(
        name: &'static str,
        file_name: &'static str,
        description: &'static str,
        type_name: &'static str,
    ) -> Self {
        VarSpec {
            name: Cow::Borrowed(name),
            file_name: Cow::Borrowed(file_name),
            description,
            type_name,
            default: None,
            separator: None,
            optional: false,
            secret: false,
            allow_empty: false,
            role: Role::Field,
            checks: &[],
        }
    }

    pub const fn with_checks(mut self, checks: &'static [Check]) -> Self {
        self.checks = checks;
        self
    }

    pub const fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    pub const fn with_default(mut self, text: &'static str) -> Self {
        self.default = Some(text);
        self
    }

    pub const fn with_separator(mut self, separator: &'static str) -> Self {
        self.separator = Some(separator);
        self
    }

    pub const fn as_optional(mut self) -> Self {
        self.optional = true;
        self
    }

    pub const fn as_secret(mut self) -> Self {
        self.secret = true;
        self
    }

    pub const fn allowing_empty(mut self) -> Self {
        self.allow_empty = true;
        self
    }
}
