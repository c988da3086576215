//! The MCP Registry's `server.json`: the server's package, and the
//! variables it reads as `environmentVariables`, each with `isRequired` and
//! `isSecret`, which clients that install from the registry ask for.

use serde_json::{Value, json};

use super::ServerEntry;
use super::entry::value_type;
use crate::VarSpec;

/// The schema the generated `server.json` follows.
const SCHEMA: &str = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

impl ServerEntry {
    /// An MCP Registry `server.json` for this server: its registry name and
    /// package from [`registry`](ServerEntry::registry) (set it before
    /// publishing: else the server's name stands in, which the registry's
    /// `namespace/name` form refuses, and an `oci` package named after it;
    /// an `oci` package's version is its image tag; an `mcpb` package also
    /// needs the bundle's `fileSha256`, which only its build knows), its
    /// description (cut at the registry's 100 characters) and version, and
    /// one `environmentVariables` entry per variable (`name`,
    /// `description`, `isRequired`, `isSecret`, `format`, a non-secret's
    /// `default`).
    pub fn server_json(&self, vars: &[VarSpec]) -> Value {
        let environment: Vec<Value> = vars
            .iter()
            .map(|var| {
                let format = match var.type_name() {
                    "PathBuf" | "std::path::PathBuf" => "filepath",
                    _ => value_type(var),
                };
                let mut entry = json!({
                    "name": var.name(),
                    "isRequired": var.required(),
                    "isSecret": var.secret(),
                    "format": format,
                });
                if !var.description().is_empty() {
                    entry["description"] = Value::from(var.description());
                }
                if let Some(default) = var.default() {
                    entry["default"] = Value::from(default);
                }
                entry
            })
            .collect();
        let (registry_type, identifier) = self
            .package
            .clone()
            .unwrap_or_else(|| ("oci".to_owned(), self.name.clone()));
        let description: String = self.description_or_name().chars().take(100).collect();
        let version = self.version_or_default();
        let mut package = json!({
            "registryType": registry_type,
            "identifier": identifier,
            "version": version,
            "transport": { "type": "stdio" },
            "environmentVariables": environment,
        });
        // An image's version is its tag, in the identifier, and the
        // registry refuses a `version` beside it.
        if registry_type == "oci" {
            let tagged = identifier
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains(':'));
            if !tagged {
                package["identifier"] = Value::from(format!("{identifier}:{version}"));
            }
            if let Some(package) = package.as_object_mut() {
                package.remove("version");
            }
        }
        json!({
            "$schema": SCHEMA,
            "name": self.registry_name.as_deref().unwrap_or(&self.name),
            "description": description,
            "version": version,
            "packages": [package],
        })
    }
}
