//! Claude Code's `.mcp.json` (project scope), whose `env` values Claude Code
//! expands from the user's environment when it starts the server: no secret
//! is written in the file.

use serde_json::{Map, Value, json};

use super::ServerEntry;
use crate::VarSpec;

impl ServerEntry {
    /// A Claude Code `.mcp.json` with this server: each variable is
    /// `"${NAME:-default}"`, or `"${NAME:-}"` (unset in the user's
    /// environment, it is empty: unset for credenv, whose report then names
    /// a missing one, where a bare `${NAME}` would make Claude Code refuse
    /// the whole file).
    pub fn claude_code(&self, vars: &[VarSpec]) -> Value {
        let env: Map<String, Value> = vars
            .iter()
            .map(|var| (var.name().to_owned(), Value::from(expansion(var))))
            .collect();
        json!({ "mcpServers": { &self.name: {
            "type": "stdio",
            "command": self.command,
            "args": self.args,
            "env": env,
        } } })
    }

    /// The `claude mcp add` command line that writes the same entry into
    /// the project's `.mcp.json`, for a POSIX shell: the expansions are
    /// single-quoted, so the shell writes them as they are, never a
    /// value.
    pub fn claude_code_add(&self, vars: &[VarSpec]) -> String {
        let mut words = vec![
            "claude".to_owned(),
            "mcp".to_owned(),
            "add".to_owned(),
            "--scope".to_owned(),
            "project".to_owned(),
            "--transport".to_owned(),
            "stdio".to_owned(),
            quote(&self.name),
        ];
        for var in vars {
            words.push("--env".to_owned());
            words.push(quote(&format!("{}={}", var.name(), expansion(var))));
        }
        words.push("--".to_owned());
        words.push(quote(&self.command));
        words.extend(self.args.iter().map(|arg| quote(arg)));
        words.join(" ")
    }
}

/// `${NAME:-default}`, or `${NAME:-}`: never a bare `${NAME}`, which would
/// make Claude Code refuse the whole file while it is unset (every server
/// in it), where an empty value lets credenv's report name the variable. A
/// default Claude Code's expansion would cut (a `}` or `$` in it) is left
/// to credenv, which applies it to an empty value.
fn expansion(var: &VarSpec) -> String {
    match var.default().filter(|d| !d.contains(['}', '$'])) {
        Some(default) => format!("${{{}:-{default}}}", var.name()),
        None => format!("${{{}:-}}", var.name()),
    }
}

/// A word for a POSIX shell: as it is when it is plain, else single-quoted.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c));
    match plain {
        true => word.to_owned(),
        false => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_what_a_shell_would_expand() {
        assert_eq!(quote("github"), "github");
        assert_eq!(quote("TOKEN=${TOKEN}"), "'TOKEN=${TOKEN}'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
