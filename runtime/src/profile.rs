//! Profiles: one struct for development, staging and production, each with
//! its own variable names and defaults, selected by a variable at load time.

use std::fmt;

/// A profile a credentials struct declares with
/// `#[credentials(profiles(...))]`.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// #[credentials(profiles(
///     select = "APP_ENV",
///     default = "development",
///     development(prefix = "DEV_", non_production),
///     production(prefix = "PROD_"),
/// ))]
/// struct Creds {
///     /// The active profile
///     #[credential(profile)]
///     environment: String,
///     #[credential(profiles(development(default = "dev-key-for-testing")))]
///     api_key: SecretString,
/// }
///
/// let names: Vec<_> = Creds::profiles().iter().map(|p| (p.name(), p.production())).collect();
/// assert_eq!(names, [("development", false), ("production", true)]);
///
/// let loaded = Creds::load(&[("APP_ENV", "production"), ("PROD_API_KEY", "k")])?;
/// assert_eq!(loaded.profile().map(|p| p.name()), Some("production"));
/// assert_eq!(loaded.environment, "production");
/// # Ok::<(), credenv::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Profile {
    name: &'static str,
    production: bool,
}

impl Profile {
    /// Its name, e.g. `production`: the value of the selecting variable.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether it is a production profile: one not marked `non_production`,
    /// where no secret may have a default.
    pub fn production(&self) -> bool {
        self.production
    }
}

/// Its name.
impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[doc(hidden)]
impl Profile {
    pub const fn new(name: &'static str, production: bool) -> Self {
        Profile { name, production }
    }
}

/// The profile named `name` (in any ASCII case) among `profiles`.
pub(crate) fn find(profiles: &[Profile], name: &str) -> Option<usize> {
    profiles
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))
}

/// `development, staging or production`.
pub(crate) fn names(profiles: &[Profile]) -> String {
    let names: Vec<&str> = profiles.iter().map(|p| p.name).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
