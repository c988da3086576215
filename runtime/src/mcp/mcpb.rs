//! A Claude Desktop bundle's `manifest.json` (MCPB, manifest version 0.3):
//! a `user_config` entry per variable, which Claude Desktop asks the user
//! for when the bundle is installed (a `sensitive` one masked and kept in
//! the OS keychain), wired into the server's environment with
//! `${user_config.<key>}`.

use serde_json::{Map, Value, json};

use super::ServerEntry;
use super::entry::{described, value_type};
use crate::VarSpec;

impl ServerEntry {
    /// A bundle's `manifest.json`, for a binary server packed as
    /// `server/<the command's file name>` in the bundle. Each variable is a
    /// `user_config` entry (`type`, `title`, `description`, `required`, a
    /// non-secret's `default`, and `sensitive: true` for a secret), and its
    /// `env` value in `server.mcp_config` is `"${user_config.<key>}"`, the
    /// key being the variable's name in lower case.
    pub fn mcpb_manifest(&self, vars: &[VarSpec]) -> Value {
        let mut user_config = Map::new();
        let mut env = Map::new();
        for var in vars {
            let key = var.name().to_ascii_lowercase();
            let kind = match var.type_name() {
                "PathBuf" | "std::path::PathBuf" => "file",
                _ => value_type(var),
            };
            let mut entry = json!({
                "type": kind,
                "title": var.name(),
                "description": described(var),
                "required": var.required(),
            });
            match var.default() {
                Some(default) => entry["default"] = typed(kind, default),
                // Left blank, it reaches the server empty (unset), never
                // as `${user_config.key}`.
                None if !var.required() => entry["default"] = Value::from(""),
                None => {}
            }
            if var.secret() {
                entry["sensitive"] = Value::Bool(true);
            }
            env.insert(
                var.name().to_owned(),
                Value::from(format!("${{user_config.{key}}}")),
            );
            user_config.insert(key, entry);
        }
        let binary = std::path::Path::new(&self.command).file_name().map_or_else(
            || self.command.clone(),
            |name| name.to_string_lossy().into_owned(),
        );
        json!({
            "manifest_version": "0.3",
            "name": self.name,
            "version": self.version_or_default(),
            "description": self.description_or_name(),
            "author": { "name": self.author.as_deref().unwrap_or(&self.name) },
            "server": {
                "type": "binary",
                "entry_point": format!("server/{binary}"),
                "mcp_config": {
                    "command": format!("${{__dirname}}/server/{binary}"),
                    "args": self.args,
                    "env": env,
                },
            },
            "user_config": user_config,
        })
    }
}

/// A default as the manifest's type for it: a number or a boolean when it
/// is one, else the text.
fn typed(kind: &str, default: &str) -> Value {
    let parsed = match kind {
        "number" => serde_json::from_str::<serde_json::Number>(default)
            .ok()
            .map(Value::Number),
        "boolean" => match default {
            "true" | "yes" | "1" => Some(Value::Bool(true)),
            "false" | "no" | "0" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::from(default))
}
