//! A value that is, as a whole, a placeholder an MCP client should have
//! replaced: `${NAME}` (Claude Code), `${NAME:-default}`, `${env:NAME}`
//! (Cursor), `${input:id}` (VS Code), `${user_config.key}` (a Claude Desktop
//! bundle), or credenv's own `<description>` from a generated configuration.
//! Several clients start a server with such a value left in place, which
//! otherwise surfaces later as an upstream 401. A placeholder is not a
//! secret, so the message shows it.

use crate::VarSpec;

/// Why `text`, the value of `spec`, is a placeholder left in place, if it
/// is one. The message quotes it when `quotable` (a non-secret from the
/// environment, or a path), or when it is exactly what credenv's generated
/// configurations write for `spec`; else it names only the form, since a
/// secret may look like one.
#[inline]
pub(super) fn unexpanded(spec: &VarSpec, text: &str, quotable: bool) -> Option<String> {
    match may_be(text) {
        true => placeholder(spec, text, quotable),
        false => None,
    }
}

/// Whether `text` starts as a placeholder does. Every load asks, for every
/// value: its first byte answers for most.
#[inline]
pub(super) fn may_be(text: &str) -> bool {
    matches!(text.as_bytes().first(), Some(b'<' | b'$'))
}

/// [`unexpanded`], for a text that starts as a placeholder does.
fn placeholder(spec: &VarSpec, text: &str, quotable: bool) -> Option<String> {
    let generated = match spec.description() {
        "" => spec.name(),
        description => description,
    };
    if text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) == Some(generated) {
        return Some(format!(
            "is {text:?}, the placeholder of a generated client configuration: replace it with the value"
        ));
    }
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    let name_like = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    let client = if let Some(name) = inner.strip_prefix("env:") {
        name_like(name).then_some("Cursor's or VS Code's ${env:NAME}")
    } else if let Some(id) = inner.strip_prefix("input:") {
        name_like(id).then_some("VS Code's ${input:id}")
    } else if let Some(key) = inner.strip_prefix("user_config.") {
        name_like(key).then_some("a Claude Desktop bundle's ${user_config.key}")
    } else {
        let name = inner.split_once(":-").map_or(inner, |(name, _)| name);
        let default = inner.split_once(":-").map_or("", |(_, default)| default);
        (name_like(name) && !default.contains(['{', '}'])).then_some("Claude Code's ${NAME}")
    }?;
    let shown = match quotable || ours(spec, text) {
        true => format!("{text:?}"),
        false => "a placeholder".to_owned(),
    };
    Some(format!(
        "is {shown}, which the MCP client did not expand ({client}): set the value where the client reads it, or fix the client's configuration"
    ))
}

/// Whether `text` is what one of credenv's generated configurations writes
/// for `spec` (no secret is in any of them).
fn ours(spec: &VarSpec, text: &str) -> bool {
    let name = spec.name();
    let lower = name.to_ascii_lowercase();
    let default = spec.default().unwrap_or_default();
    [
        format!("${{{name}}}"),
        format!("${{{name}:-}}"),
        format!("${{{name}:-{default}}}"),
        format!("${{env:{name}}}"),
        format!("${{input:{}}}", lower.replace('_', "-")),
        format!("${{user_config.{lower}}}"),
    ]
    .contains(&text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::unexpanded;
    use crate::{Credentials, VarSpec};

    #[derive(Credentials)]
    #[credentials(crate = "crate")]
    #[allow(dead_code)] // only its specs are used
    struct Creds {
        /// GitHub Personal Access Token
        github_token: String,
        undocumented: String,
    }

    fn spec(index: usize) -> &'static VarSpec {
        &Creds::vars()[index]
    }

    #[test]
    fn every_clients_placeholder_is_caught_and_named() {
        let cases = [
            ("${GITHUB_TOKEN}", "Claude Code's"),
            ("${GITHUB_TOKEN:-x}", "Claude Code's"),
            ("${env:GITHUB_TOKEN}", "Cursor's"),
            ("${input:github-token}", "VS Code's"),
            ("${user_config.github_token}", "bundle's"),
            (
                "<GitHub Personal Access Token>",
                "generated client configuration",
            ),
        ];
        for (text, named) in cases {
            let message = unexpanded(spec(0), text, true).unwrap_or_else(|| panic!("{text}"));
            assert!(
                message.contains(named) && message.contains(text),
                "{message}"
            );
        }
        assert!(unexpanded(spec(1), "<UNDOCUMENTED>", false).is_some());
        // Not credenv's own, and maybe a secret: named, not quoted.
        let message = unexpanded(spec(0), "${input:other-x}", false).unwrap();
        assert!(
            !message.contains("other-x") && message.contains("${input:id}"),
            "{message}"
        );
        let message = unexpanded(spec(0), "${input:other-x}", true).unwrap();
        assert!(message.contains("\"${input:other-x}\""), "{message}");
    }

    #[test]
    fn values_that_only_look_alike_are_values() {
        for text in [
            "ghp_${x}",
            "${a}${b}",
            "${}",
            "${env:}",
            "${a b}",
            "<another description>",
            "$GITHUB_TOKEN",
            "{GITHUB_TOKEN}",
        ] {
            assert_eq!(unexpanded(spec(0), text, true), None, "{text}");
        }
    }
}
