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
}
