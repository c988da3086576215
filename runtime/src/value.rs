//! Turning one variable's text into a typed value.

use std::fmt;
use std::time::Duration;

use secrecy::{SecretBox, SecretString};
use zeroize::{Zeroize, Zeroizing};

/// Parses a variable's text into a field's type.
///
/// Every [`FromStr`](std::str::FromStr) type works as a field without this
/// trait; implement it for a type without `FromStr`, or to parse differently
/// from `FromStr` (credenv does so for `bool`, [`Duration`] and the secrecy
/// types). Where a type has both, `FromValue` wins.
///
/// ```
/// use credenv::{FromValue, ValueError};
///
/// /// A log level written as a digit from 0 to 5.
/// struct Verbosity(u8);
///
/// impl FromValue for Verbosity {
///     fn from_value(text: &str) -> Result<Self, ValueError> {
///         match text.parse::<u8>() {
///             Ok(n) if n <= 5 => Ok(Verbosity(n)),
///             _ => Err(ValueError::new("use a digit from 0 to 5")),
///         }
///     }
/// }
/// ```
pub trait FromValue: Sized {
    /// Parses `text`. The error says what was expected; credenv adds the
    /// variable's name and, unless it is a secret, the value.
    fn from_value(text: &str) -> Result<Self, ValueError>;
}

/// Why a value could not be parsed: a message for people.
///
/// It must not contain the value itself; credenv quotes non-secret values on
/// its own and hides secret ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    message: String,
}

impl ValueError {
    /// An error with this message.
    pub fn new(message: impl fmt::Display) -> Self {
        ValueError {
            message: message.to_string(),
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}

impl FromValue for String {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        Ok(text.to_owned())
    }
}

/// `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
impl FromValue for bool {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        // Told apart by length first: one comparison a value.
        let is = |word: &str| text.eq_ignore_ascii_case(word);
        match text.len() {
            4 if is("true") => Ok(true),
            1 if text == "1" => Ok(true),
            3 if is("yes") => Ok(true),
            2 if is("on") => Ok(true),
            5 if is("false") => Ok(false),
            1 if text == "0" => Ok(false),
            2 if is("no") => Ok(false),
            3 if is("off") => Ok(false),
            _ => Err(ValueError::new("use true/false, 1/0, yes/no or on/off")),
        }
    }
}

/// humantime's format: `30s`, `5m`, `250ms`, `1h 30m`.
impl FromValue for Duration {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        humantime::parse_duration(text).map_err(|e| {
            ValueError::new(format_args!(
                "{e}; write a duration such as 30s, 5m or 250ms"
            ))
        })
    }
}

/// The text becomes the secret with a single copy, straight into the box.
/// `text` itself when it has no spare room, else an exact copy and `text`
/// zeroized: a value from a file or a secret manager may be a secret in a
/// plain `String`, and a `Box<str>` made from it later (`.into()` a
/// `SecretString`) would free a roomy buffer unzeroized.
#[inline]
pub(crate) fn string_from(text: String) -> String {
    match text.len() == text.capacity() {
        true => text,
        false => Zeroizing::new(text).as_str().to_owned(),
    }
}

/// A secret holding [`string_from`]'s text: a `Box<str>` of a `String`
/// with spare capacity would be a new allocation, and the old one freed
/// unzeroized.
#[inline]
pub(crate) fn secret_from(text: String) -> SecretString {
    SecretString::from(string_from(text))
}

impl FromValue for SecretString {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        Ok(SecretString::from(text))
    }
}

/// Any parsable value kept as a secret, e.g. `SecretBox<u64>` or
/// `SecretBox<String>`.
impl<T: FromValue + Zeroize> FromValue for SecretBox<T> {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        T::from_value(text).map(|value| SecretBox::new(Box::new(value)))
    }
}

#[cfg(feature = "url")]
impl FromValue for url::Url {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        url::Url::parse(text).map_err(|e| {
            ValueError::new(format_args!(
                "{e}; write an absolute URL such as https://api.example.com"
            ))
        })
    }
}

/// Parses with `FromStr`; what [`FromValue`] falls back to.
pub(crate) fn from_str<T>(text: &str) -> Result<T, ValueError>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    text.parse().map_err(ValueError::new)
}

/// The std types whose `FromStr` is already right: implemented here too, so
/// that they compose (`SecretBox<u64>`) and generic code can name `FromValue`.
macro_rules! from_value_by_from_str {
    ($($ty:ty),* $(,)?) => {$(
        impl FromValue for $ty {
            fn from_value(text: &str) -> Result<Self, ValueError> {
                from_str(text)
            }
        }
    )*};
}

from_value_by_from_str!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    char,
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroUsize,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    std::net::SocketAddr,
    std::path::PathBuf,
    std::ffi::OsString,
);

/// What a field's type needs, named so that the compiler's message says the
/// fix: a type with neither `FromStr` nor [`FromValue`] fails this bound.
/// Nothing implements it; not part of the API.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "credenv cannot parse a `{Self}` from a variable's text",
    label = "`{Self}` implements neither `FromStr` nor `credenv::FromValue`",
    note = "implement `FromStr` or `credenv::FromValue` for it, or name a parser with `#[credential(parse_with = path)]`"
)]
pub trait FromStrOrFromValue {}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn bool_accepts_the_documented_words_in_any_case() {
        for word in ["true", "TRUE", "1", "yes", "Yes", "on"] {
            assert_eq!(bool::from_value(word), Ok(true), "{word}");
        }
        for word in ["false", "False", "0", "no", "NO", "off"] {
            assert_eq!(bool::from_value(word), Ok(false), "{word}");
        }
        for word in ["", "2", "y", "truee", " true"] {
            assert!(bool::from_value(word).is_err(), "{word}");
        }
    }

    #[test]
    fn durations_use_humantime() {
        assert_eq!(Duration::from_value("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(Duration::from_value("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(
            Duration::from_value("250ms"),
            Ok(Duration::from_millis(250))
        );
        let err = Duration::from_value("30").unwrap_err().to_string();
        assert!(err.contains("30s, 5m or 250ms"), "{err}");
    }

    #[test]
    fn secrets_parse_through_their_inner_type() {
        let s = SecretString::from_value("sk-1").unwrap();
        assert_eq!(s.expose_secret(), "sk-1");
        let n = SecretBox::<u64>::from_value("42").unwrap();
        assert_eq!(*n.expose_secret(), 42);
        assert!(SecretBox::<u64>::from_value("x").is_err());
    }

    /// A text with spare room, as a file's (its newline popped) has.
    fn roomy(text: &str) -> String {
        let mut roomy = String::with_capacity(64);
        roomy.push_str(text);
        roomy
    }

    #[test]
    fn a_text_is_taken_whole_or_copied_exactly() {
        let exact = String::from("sk-exact");
        let address = exact.as_ptr();
        let secret = secret_from(exact);
        assert_eq!(secret.expose_secret(), "sk-exact");
        assert_eq!(secret.expose_secret().as_ptr(), address, "no copy");
        let text = roomy("sk-roomy");
        let address = text.as_ptr();
        let secret = secret_from(text);
        assert_eq!(secret.expose_secret(), "sk-roomy");
        assert_ne!(secret.expose_secret().as_ptr(), address, "a copy");
        let text = string_from(roomy("sk-roomy"));
        assert_eq!((text.as_str(), text.capacity()), ("sk-roomy", 8));
    }
}
