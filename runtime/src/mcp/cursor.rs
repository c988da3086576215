//! Cursor's `.cursor/mcp.json`, whose `${env:NAME}` values Cursor takes from
//! the user's environment: no secret is written in the file.

use serde_json::{Map, Value, json};

use super::ServerEntry;
use crate::VarSpec;

impl ServerEntry {
    /// A Cursor `.cursor/mcp.json` with this server: a non-secret default
    /// as it is (a profile's selector among them, so the file starts the
    /// profile it was made for), every other variable `"${env:NAME}"`
    /// (unset, Cursor passes it empty: unset for credenv).
    pub fn cursor(&self, vars: &[VarSpec]) -> Value {
        let env: Map<String, Value> = vars
            .iter()
            .map(|var| {
                let value = match var.default() {
                    Some(default) => default.to_owned(),
                    None => format!("${{env:{}}}", var.name()),
                };
                (var.name().to_owned(), Value::from(value))
            })
            .collect();
        json!({ "mcpServers": { &self.name: {
            "command": self.command,
            "args": self.args,
            "env": env,
        } } })
    }
}
