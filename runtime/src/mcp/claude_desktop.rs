//! Claude Desktop's `claude_desktop_config.json`: an `mcpServers` entry
//! whose `env` block the user fills in, or whose secrets 1Password's
//! `op run` supplies.

use serde_json::{Map, Value, json};

use super::ServerEntry;
use crate::VarSpec;

impl ServerEntry {
    /// A Claude Desktop `claude_desktop_config.json` with this server. In its
    /// `env` block, a variable with a default has that default; a required
    /// one has a placeholder naming it, `<description>`, to replace (left in
    /// place, the load says so); an optional one is empty, which credenv
    /// reads as unset.
    pub fn claude_desktop(&self, vars: &[VarSpec]) -> Value {
        let env = vars
            .iter()
            .map(|var| (var.name().to_owned(), Value::from(fill_in(var))))
            .collect();
        self.claude_desktop_entry(&self.command, self.args.clone(), env)
    }

    /// The same, with 1Password's `op run` starting the server: each secret
    /// is an `op://<vault>/<item>/<NAME>` reference that `op run` resolves
    /// into the environment, so no secret is written in the file (an
    /// `Option` one is empty: add its reference if the item has the
    /// field).
    pub fn claude_desktop_1password(&self, vars: &[VarSpec], vault: &str, item: &str) -> Value {
        let env = vars
            .iter()
            .map(|var| {
                // An `Option` secret is left empty: a reference to a field
                // the item lacks would stop `op run`.
                let value = match var.secret() && !var.optional() {
                    true => format!("op://{vault}/{item}/{}", var.name()),
                    false => fill_in(var),
                };
                (var.name().to_owned(), Value::from(value))
            })
            .collect();
        let mut args = vec!["run".to_owned(), "--".to_owned(), self.command.clone()];
        args.extend(self.args.iter().cloned());
        self.claude_desktop_entry("op", args, env)
    }

    fn claude_desktop_entry(
        &self,
        command: &str,
        args: Vec<String>,
        env: Map<String, Value>,
    ) -> Value {
        json!({ "mcpServers": { &self.name: { "command": command, "args": args, "env": env } } })
    }
}

/// What the user is to write: the default, `<description>` for a required
/// variable, nothing for an optional one.
fn fill_in(var: &VarSpec) -> String {
    match (var.default(), var.required(), var.description()) {
        (Some(default), _, _) => default.to_owned(),
        (None, false, _) => String::new(),
        (None, true, "") => format!("<{}>", var.name()),
        (None, true, description) => format!("<{description}>"),
    }
}
