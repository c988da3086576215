//! The server a client starts, and the clients whose configuration credenv
//! writes for it.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::VarSpec;

/// How a client starts the server: its name in the client's configuration,
/// the command and its arguments; for a bundle and the MCP Registry, its
/// version, description and author too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry {
    pub(super) name: String,
    pub(super) command: String,
    pub(super) args: Vec<String>,
    pub(super) version: Option<String>,
    pub(super) description: Option<String>,
    pub(super) author: Option<String>,
    /// For the MCP Registry: its reverse-DNS name, the package's registry
    /// type and identifier.
    pub(super) registry_name: Option<String>,
    pub(super) package: Option<(String, String)>,
}

/// The clients credenv writes a configuration for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Client {
    /// Claude Desktop's `claude_desktop_config.json`.
    ClaudeDesktop,
    /// Claude Code's `.mcp.json`.
    ClaudeCode,
    /// The same, as a `claude mcp add` command line.
    ClaudeCodeAdd,
    /// VS Code's `.vscode/mcp.json`.
    VsCode,
    /// Cursor's `.cursor/mcp.json`.
    Cursor,
    /// A Claude Desktop bundle's (MCPB) `manifest.json`.
    Mcpb,
    /// The MCP Registry's `server.json`.
    ServerJson,
}

impl ServerEntry {
    /// The server `name` (its key in a client's configuration), started by
    /// `command`.
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> Self {
        ServerEntry {
            name: name.into(),
            command: command.into(),
            args: Vec::new(),
            version: None,
            description: None,
            author: None,
            registry_name: None,
            package: None,
        }
    }

    /// The command's arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// The server's version (a bundle's and the registry's; `0.1.0` unless
    /// set).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// What the server does, in a sentence (the registry takes 100
    /// characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Who publishes it (a bundle's `author.name`).
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// Its MCP Registry name (`io.github.owner/server`) and the package the
    /// registry points to: its registry type (`npm`, `pypi`, `oci`,
    /// `nuget`, `mcpb`) and identifier.
    pub fn registry(
        mut self,
        name: impl Into<String>,
        registry_type: impl Into<String>,
        identifier: impl Into<String>,
    ) -> Self {
        self.registry_name = Some(name.into());
        self.package = Some((registry_type.into(), identifier.into()));
        self
    }

    /// The configuration of `client` for this server, as its file holds it
    /// (JSON), or as a command line for [`Client::ClaudeCodeAdd`].
    pub fn config(&self, client: Client, vars: &[VarSpec]) -> String {
        let json = |value: Value| serde_json::to_string_pretty(&value).unwrap_or_default();
        match client {
            Client::ClaudeDesktop => json(self.claude_desktop(vars)),
            Client::ClaudeCode => json(self.claude_code(vars)),
            Client::ClaudeCodeAdd => self.claude_code_add(vars),
            Client::VsCode => json(self.vscode(vars)),
            Client::Cursor => json(self.cursor(vars)),
            Client::Mcpb => json(self.mcpb_manifest(vars)),
            Client::ServerJson => json(self.server_json(vars)),
        }
    }

    pub(super) fn version_or_default(&self) -> &str {
        self.version.as_deref().unwrap_or("0.1.0")
    }

    pub(super) fn description_or_name(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.name)
    }
}

impl Client {
    /// Every client, in the order `--print-config` lists them.
    pub const ALL: [Client; 7] = [
        Client::ClaudeDesktop,
        Client::ClaudeCode,
        Client::ClaudeCodeAdd,
        Client::VsCode,
        Client::Cursor,
        Client::Mcpb,
        Client::ServerJson,
    ];

    /// Its name on the command line: `claude-desktop`, `claude-code`,
    /// `claude-code-add`, `vscode`, `cursor`, `mcpb`, `server-json`.
    pub fn name(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "claude-desktop",
            Client::ClaudeCode => "claude-code",
            Client::ClaudeCodeAdd => "claude-code-add",
            Client::VsCode => "vscode",
            Client::Cursor => "cursor",
            Client::Mcpb => "mcpb",
            Client::ServerJson => "server-json",
        }
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Client {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Client::ALL
            .into_iter()
            .find(|client| client.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Client::ALL.iter().map(|c| c.name()).collect();
                format!("unknown client {name:?}: use one of {}", names.join(", "))
            })
    }
}

/// What a client's kind of value a variable's type is: `boolean`, `number`
/// or `string`.
pub(super) fn value_type(var: &VarSpec) -> &'static str {
    match var.type_name() {
        "bool" => "boolean",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "f32" | "f64" => "number",
        _ => "string",
    }
}

/// The variable's description, or its name when it has none.
pub(super) fn described(var: &VarSpec) -> &str {
    match var.description() {
        "" => var.name(),
        description => description,
    }
}
