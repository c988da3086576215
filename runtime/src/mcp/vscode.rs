//! VS Code's `.vscode/mcp.json`: a secret is an input VS Code prompts for
//! (masked) and keeps in its secret storage, referenced as `${input:<id>}`.

use serde_json::{Map, Value, json};

use super::ServerEntry;
use super::entry::described;
use crate::VarSpec;

impl ServerEntry {
    /// A VS Code `.vscode/mcp.json` with this server: a `promptString` input
    /// for each secret (`"password": true`) and for each required variable
    /// without a default, referenced as `"${input:<id>}"`; a default as it
    /// is; an optional variable empty (unset for credenv).
    pub fn vscode(&self, vars: &[VarSpec]) -> Value {
        let mut inputs = Vec::new();
        let mut env = Map::new();
        for var in vars {
            let value = match (var.secret(), var.default(), var.required()) {
                (false, Some(default), _) => default.to_owned(),
                (false, None, false) => String::new(),
                (secret, _, _) => {
                    let id = input_id(var);
                    inputs.push(json!({
                        "type": "promptString",
                        "id": id,
                        "description": described(var),
                        "password": secret,
                    }));
                    format!("${{input:{id}}}")
                }
            };
            env.insert(var.name().to_owned(), Value::from(value));
        }
        json!({
            "inputs": inputs,
            "servers": { &self.name: {
                "type": "stdio",
                "command": self.command,
                "args": self.args,
                "env": env,
            } },
        })
    }
}

/// `GITHUB_TOKEN` is asked for as `github-token`.
fn input_id(var: &VarSpec) -> String {
    var.name().to_ascii_lowercase().replace('_', "-")
}
