//! One policy for how a value appears in a message: quoted, escaped and cut
//! at 80 characters when it may be shown; otherwise only why it is hidden.
//!
//! A value is hidden when its field is secret, or when it came from a file,
//! a reference or a bundle, whatever its field's type
//! ([`Origin::hides_values`](crate::Origin)).

/// A value as a message shows it: `"text"` (escaped, cut at 80 characters),
/// or, when `hidden` says why it must not be quoted (`"secret"`, `"read from
/// a file"`…), `(value hidden: why)`.
pub(crate) fn shown(text: &str, hidden: Option<&str>) -> String {
    match hidden {
        None => quote(text),
        Some(why) => format!("(value hidden: {why})"),
    }
}

/// A value that may be shown: escaped, and cut at 80 characters.
pub(crate) fn quote(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

/// Another program's message (a secret manager's, AWS's chain's), as one of
/// ours may quote it: `None` when it holds one of `secrets`, whole or a
/// `.`-separated part of 8 bytes or more (a JWT's); otherwise with control
/// characters replaced by spaces.
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) fn foreign(message: &str, secrets: &[&str]) -> Option<String> {
    let parts = secrets
        .iter()
        .flat_map(|secret| secret.split('.'))
        .filter(|part| part.len() >= 8);
    let mut pieces = secrets
        .iter()
        .copied()
        .filter(|secret| !secret.is_empty())
        .chain(parts);
    if pieces.any(|piece| message.contains(piece)) {
        return None;
    }
    Some(
        message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    )
}

/// `text`, cut at `max` characters (with `…` when cut).
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_and_cuts() {
        assert_eq!(quote("a\"b\n"), r#""a\"b\n""#);
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("{:?}…", "x".repeat(80)));
    }

    #[test]
    fn a_hidden_value_says_why_and_nothing_else() {
        assert_eq!(shown("sk-canary", Some("secret")), "(value hidden: secret)");
        assert_eq!(shown("8080", None), "\"8080\"");
    }

    #[test]
    fn a_foreign_message_with_a_secret_is_dropped() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJlLXBhcnQ";
        assert_eq!(foreign("bad token sk-1", &["sk-1"]), None);
        assert_eq!(foreign("claims eyJzdWIiOiJjaSJ9 rejected", &[jwt]), None);
        assert_eq!(foreign("denied\n", &["", jwt]).unwrap(), "denied ");
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
    }
}
