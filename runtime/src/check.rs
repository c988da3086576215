//! Declared checks: `#[credential(min_len = 20, starts_with = "sk-",
//! one_of = ["debug", "info"], min = 1, max = 65535, max_items = 8)]`, the
//! common rules a zod or pydantic schema states, without a hand-written
//! validator. The derive checks each literal (and the field's `default`
//! against them); the loader checks each value; [`VarSpec::checks`] lists
//! them for templates and reports.
//!
//! [`VarSpec::checks`]: crate::VarSpec::checks

use std::fmt;

/// One declared rule about a variable's value.
///
/// ```
/// use credenv::{Check, Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// OpenAI API key
///     #[credential(starts_with = "sk-", min_len = 20)]
///     openai_api_key: SecretString,
///     /// Log level
///     #[credential(one_of = ["debug", "info", "warn"], default = "info")]
///     log_level: String,
///     /// Port
///     #[credential(min = 1024, max = 65535, default = 8080)]
///     port: u16,
/// }
///
/// let checks: Vec<String> = Creds::vars()[0].checks().iter().map(Check::to_string).collect();
/// assert_eq!(checks, ["a value starting with \"sk-\"", "at least 20 characters"]);
///
/// let err = Creds::from_source(&[("OPENAI_API_KEY", "sk-short"), ("LOG_LEVEL", "loud"), ("PORT", "80")])
///     .unwrap_err();
/// assert_eq!(err.to_string(), "\
/// invalid variables:
///   - OPENAI_API_KEY: expected at least 20 characters, got 8
///   - LOG_LEVEL: expected one of debug, info, warn (got \"loud\")
///   - PORT: expected u16, at least 1024, at most 65535 (got \"80\")");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Check {
    /// At least this many characters.
    MinLen(usize),
    /// At most this many characters.
    MaxLen(usize),
    /// Starts with this text (an API key's announced prefix: `sk-`, `ghp_`).
    StartsWith(&'static str),
    /// Exactly one of these words.
    OneOf(&'static [&'static str]),
    /// At least this number, as written in the attribute.
    Min(&'static str),
    /// At most this number, as written in the attribute.
    Max(&'static str),
    /// A list of at least this many items.
    MinItems(usize),
    /// A list of at most this many items.
    MaxItems(usize),
}

/// The rule in words: `at least 20 characters`, `one of debug, info`.
impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            Check::MinLen(n) => write!(f, "at least {n} character{}", plural(*n)),
            Check::MaxLen(n) => write!(f, "at most {n} character{}", plural(*n)),
            Check::StartsWith(prefix) => write!(f, "a value starting with {prefix:?}"),
            Check::OneOf(words) => write!(f, "one of {}", words.join(", ")),
            Check::Min(n) => write!(f, "at least {n}"),
            Check::Max(n) => write!(f, "at most {n}"),
            Check::MinItems(n) => write!(f, "at least {n} item{}", plural(*n)),
            Check::MaxItems(n) => write!(f, "at most {n} item{}", plural(*n)),
        }
    }
}

/// Why `text` breaks one of the checks on text (length, prefix, words), in
/// words that never quote it: `expected at least 20 characters, got 12`.
/// The caller adds the value when it may be shown.
#[inline]
pub(crate) fn text(checks: &[Check], text: &str) -> Option<(Check, String)> {
    // Most fields have none: asked for every value, so inlined.
    match checks.is_empty() {
        true => None,
        false => first_broken(checks, text),
    }
}

fn first_broken(checks: &[Check], text: &str) -> Option<(Check, String)> {
    checks.iter().find_map(|check| {
        let chars = || text.chars().count();
        let broken = match check {
            Check::MinLen(n) => chars() < *n,
            Check::MaxLen(n) => chars() > *n,
            Check::StartsWith(prefix) => !text.starts_with(prefix),
            Check::OneOf(words) => !words.contains(&text),
            _ => false,
        };
        broken.then(|| match check {
            Check::MinLen(_) | Check::MaxLen(_) => {
                (*check, format!("expected {check}, got {}", chars()))
            }
            _ => (*check, format!("expected {check}")),
        })
    })
}

/// Why a list of `count` items breaks a check on its length.
pub(crate) fn items(checks: &[Check], count: usize) -> Option<(Check, String)> {
    checks.iter().find_map(|check| {
        let broken = match check {
            Check::MinItems(n) => count < *n,
            Check::MaxItems(n) => count > *n,
            _ => false,
        };
        broken.then(|| (*check, format!("expected {check}, got {count}")))
    })
}

/// The numeric bounds, in words (`, at least 1, at most 65535`), for the
/// `expected u16…` of a parse error.
pub(crate) fn bounds(checks: &[Check]) -> String {
    checks
        .iter()
        .filter(|c| matches!(c, Check::Min(_) | Check::Max(_)))
        .map(|c| format!(", {c}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_count_characters_and_never_quote() {
        let checks = [Check::StartsWith("sk-"), Check::MinLen(5), Check::MaxLen(6)];
        assert_eq!(text(&checks, "sk-12"), None);
        assert_eq!(
            text(&checks, "pk-123").map(|(_, words)| words).as_deref(),
            Some("expected a value starting with \"sk-\"")
        );
        assert_eq!(
            text(&checks, "sk-é").map(|(_, words)| words).as_deref(),
            Some("expected at least 5 characters, got 4")
        );
        assert_eq!(
            text(&checks, "sk-1234").map(|(_, words)| words).as_deref(),
            Some("expected at most 6 characters, got 7")
        );
        assert_eq!(
            text(&[Check::OneOf(&["a", "b"])], "c")
                .map(|(_, words)| words)
                .as_deref(),
            Some("expected one of a, b")
        );
    }

    #[test]
    fn item_counts_and_bounds() {
        let checks = [Check::MinItems(1), Check::MaxItems(2), Check::Max("9")];
        assert_eq!(
            items(&checks, 3).map(|(_, words)| words).as_deref(),
            Some("expected at most 2 items, got 3")
        );
        assert_eq!(
            items(&checks, 0).map(|(_, words)| words).as_deref(),
            Some("expected at least 1 item, got 0")
        );
        assert_eq!(bounds(&checks), ", at most 9");
    }
}
