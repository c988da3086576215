//! Scrubbing (feature `scrub`): a server never sends on a secret it loaded.
//!
//! A [`Scrubber`] is built over every secret value a load holds (a secret
//! field's, and anything that came from a file, a reference or a bundle),
//! and replaces each occurrence in a text with `[REDACTED:NAME]`: as it is,
//! and in the forms a secret takes in transit, percent-encoded (upper- and
//! lower-case hex, and a form's `+` for a space), JSON-escaped, and base64
//! (standard and URL-safe, at any offset in a longer base64 text, so HTTP
//! Basic's `user:password` is caught). A value shorter than
//! [`MIN_LEN`] bytes would match ordinary text, so it is not scrubbed; it is
//! listed ([`Scrubber::too_short`]) instead.
//!
//! Its tables are its own: every copy of a secret and every table derived
//! from one is zeroized when it is dropped (which a general multi-pattern
//! automaton, such as aho-corasick's, does not do).
//!
//! ```
//! use credenv::{Credentials, SecretString};
//!
//! #[derive(Credentials)]
//! struct Creds {
//!     /// API token
//!     api_token: SecretString,
//! }
//!
//! let loaded = Creds::load(&[("API_TOKEN", "sk-live-4f9a2c1e")])?;
//! let scrub = loaded.scrubber();
//! let answer = r#"{"error": "invalid key sk-live-4f9a2c1e"}"#;
//! assert_eq!(scrub.scrub(answer), r#"{"error": "invalid key [REDACTED:API_TOKEN]"}"#);
//! // In a URL, as the upstream echoed it:
//! assert_eq!(scrub.scrub("?key=sk%2Dlive%2D4f9a2c1e"), "?key=[REDACTED:API_TOKEN]");
//! # Ok::<(), credenv::Error>(())
//! ```

mod forms;
mod matcher;
mod output;

use std::borrow::Cow;
use std::fmt;

pub use output::{ScrubWriter, install_panic_hook};

/// Secrets shorter than this (in bytes) are not scrubbed: they would match
/// ordinary text.
pub const MIN_LEN: usize = 8;

/// Replaces every secret it was built over, in each of its forms, with
/// `[REDACTED:NAME]`. Its `Debug` shows names only.
pub struct Scrubber {
    matcher: matcher::Matcher,
    /// The names patterns point to, and what replaces each.
    names: Vec<String>,
    replacements: Vec<String>,
    too_short: Vec<String>,
}

impl Scrubber {
    /// A scrubber over `secrets`, each a variable's name and its value.
    pub fn new<'a, N: Into<String>>(secrets: impl IntoIterator<Item = (N, &'a str)>) -> Scrubber {
        let mut names: Vec<String> = Vec::new();
        let mut too_short = Vec::new();
        let mut patterns = Vec::new();
        for (name, value) in secrets {
            let name = name.into();
            if value.is_empty() {
                continue;
            }
            if value.len() < MIN_LEN {
                if !too_short.contains(&name) {
                    too_short.push(name);
                }
                continue;
            }
            let index = match names.iter().position(|n| *n == name) {
                Some(index) => index,
                None => {
                    names.push(name);
                    names.len() - 1
                }
            };
            for form in forms::forms(value.as_bytes()) {
                patterns.push((form, index));
            }
        }
        let replacements = names.iter().map(|n| format!("[REDACTED:{n}]")).collect();
        Scrubber {
            matcher: matcher::Matcher::new(patterns),
            names,
            replacements,
            too_short,
        }
    }

    /// `text` with every secret replaced by `[REDACTED:NAME]`; borrowed
    /// when it holds none.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let bytes = text.as_bytes();
        let mut out: Option<String> = None;
        let (mut at, mut copied) = (0, 0);
        while let Some(candidate) = self.matcher.next_candidate(bytes, at) {
            at = candidate;
            match self.matcher.longest_at(bytes, at) {
                Some((len, name)) => {
                    // A match that starts inside this one and ends past it
                    // (overlapping secrets) is covered too: the union goes.
                    let mut end = at + len;
                    let mut inside = at + 1;
                    while inside < end {
                        if let Some((len, _)) = self.matcher.longest_at(bytes, inside) {
                            end = end.max(inside + len);
                        }
                        inside += 1;
                    }
                    let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    // Patterns are whole UTF-8 sequences: both ends are char
                    // boundaries.
                    out.push_str(&text[copied..at]);
                    out.push_str(&self.replacements[name]);
                    at = end;
                    copied = at;
                }
                None => at += 1,
            }
        }
        match out {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(&text[copied..]);
                Cow::Owned(out)
            }
        }
    }

    /// The variables whose secrets are scrubbed.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The variables whose secrets are too short to scrub ([`MIN_LEN`]).
    pub fn too_short(&self) -> &[String] {
        &self.too_short
    }
}

/// A scrubber over no secret: it changes nothing (before a load).
impl Default for Scrubber {
    fn default() -> Self {
        Scrubber::new(Vec::<(String, &str)>::new())
    }
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("names", &self.names)
            .field("too_short", &self.too_short)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber() -> Scrubber {
        Scrubber::new([
            ("API_TOKEN", "sk-live-4f9a2c1e"),
            ("PASSWORD", "p@ss w/rd\"x"),
            ("PIN", "1234"),
        ])
    }

    #[test]
    fn every_form_is_replaced() {
        use base64::Engine;
        let s = scrubber();
        let b64 = base64::engine::general_purpose::STANDARD;
        let cases = [
            "sk-live-4f9a2c1e".to_owned(),
            "sk%2Dlive%2D4f9a2c1e".to_owned(),
            "p%40ss%20w%2Frd%22x".to_owned(),
            "p%40ss+w%2frd%22x".to_owned(),
            r#"p@ss w/rd\"x"#.to_owned(),
            b64.encode("sk-live-4f9a2c1e"),
            b64.encode("user:sk-live-4f9a2c1e"),
            b64.encode("ab:sk-live-4f9a2c1e"),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("x:p@ss w/rd\"x"),
        ];
        for case in cases {
            let text = format!("before {case} after");
            let scrubbed = s.scrub(&text);
            assert!(scrubbed.contains("[REDACTED:"), "{case}: {scrubbed}");
            assert!(!scrubbed.contains(&case), "{case}: {scrubbed}");
        }
    }

    #[test]
    fn text_without_a_secret_is_borrowed_unchanged() {
        let s = scrubber();
        let text = "nothing to see: sk-live, 1234, pass";
        assert!(matches!(s.scrub(text), Cow::Borrowed(t) if t == text));
        assert_eq!(s.too_short(), ["PIN"]);
        assert_eq!(s.names(), ["API_TOKEN", "PASSWORD"]);
        assert!(!format!("{s:?}").contains("sk-live"));
    }

    #[test]
    fn overlapping_and_adjacent_secrets_are_all_replaced() {
        let s = Scrubber::new([("A", "abcdefgh"), ("B", "abcdefghij")]);
        assert_eq!(s.scrub("abcdefghijabcdefgh"), "[REDACTED:B][REDACTED:A]");
        assert_eq!(s.scrub("é abcdefgh é"), "é [REDACTED:A] é");
        let s = Scrubber::new([("A", "xxxxabcd"), ("B", "abcdefghijkl")]);
        assert_eq!(s.scrub("-xxxxabcdefghijkl-"), "-[REDACTED:A]-");
    }
}
