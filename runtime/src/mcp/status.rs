//! For MCP servers (feature `mcp`): the client configuration that starts the
//! server with its credentials, and a credentials status report for a tool.
//!
//! A client such as Claude Desktop starts a stdio server as a child process,
//! with the `env` block of its `mcpServers` entry as the environment. The
//! entry is generated from the struct's variables, so it lists every one:
//!
//! ```
//! use credenv::{Credentials, SecretString};
//! use credenv::mcp::ServerEntry;
//!
//! #[derive(Credentials)]
//! struct Creds {
//!     /// GitHub Personal Access Token
//!     github_token: SecretString,
//!     /// Slack Bot Token (for notifications)
//!     slack_bot_token: Option<SecretString>,
//!     /// Port of the upstream API
//!     #[credential(default = 8080)]
//!     port: u16,
//! }
//!
//! let entry = ServerEntry::new("github", "/usr/local/bin/github-mcp");
//! let config = entry.claude_desktop(Creds::vars());
//! assert_eq!(config["mcpServers"]["github"]["env"]["GITHUB_TOKEN"], "<GitHub Personal Access Token>");
//! assert_eq!(config["mcpServers"]["github"]["env"]["SLACK_BOT_TOKEN"], "");
//! assert_eq!(config["mcpServers"]["github"]["env"]["PORT"], "8080");
//!
//! let config = entry.claude_desktop_1password(Creds::vars(), "Private", "github-mcp");
//! let server = &config["mcpServers"]["github"];
//! assert_eq!(server["command"], "op");
//! assert_eq!(server["args"][0], "run");
//! assert_eq!(server["env"]["GITHUB_TOKEN"], "op://Private/github-mcp/GITHUB_TOKEN");
//! ```

use serde_json::{Map, Value, json};

use crate::{Loaded, Origin, VarSpec};

/// How a client starts the server: its name in the client's configuration,
/// the command and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry {
    name: String,
    command: String,
    args: Vec<String>,
}

impl ServerEntry {
    /// The server `name` (the key under `mcpServers`), started by `command`.
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> Self {
        ServerEntry {
            name: name.into(),
            command: command.into(),
            args: Vec::new(),
        }
    }

    /// The command's arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// A Claude Desktop `claude_desktop_config.json` with this server. In its
    /// `env` block, a variable with a default has that default; a required
    /// one has a placeholder naming it, `<description>`, to replace; an
    /// optional one is empty, which credenv reads as unset (a placeholder
    /// left in place would be taken for a value).
    pub fn claude_desktop(&self, vars: &[VarSpec]) -> Value {
        let env = vars
            .iter()
            .map(|var| (var.name().to_owned(), Value::from(placeholder(var))))
            .collect();
        self.config(&self.command, self.args.clone(), env)
    }

    /// The same, with 1Password's `op run` starting the server: each secret
    /// is an `op://<vault>/<item>/<NAME>` reference that `op run` resolves
    /// into the environment, so no secret is written in the file.
    pub fn claude_desktop_1password(&self, vars: &[VarSpec], vault: &str, item: &str) -> Value {
        let env = vars
            .iter()
            .map(|var| {
                let value = match var.secret() {
                    true => format!("op://{vault}/{item}/{}", var.name()),
                    false => placeholder(var),
                };
                (var.name().to_owned(), Value::from(value))
            })
            .collect();
        let mut args = vec!["run".to_owned(), "--".to_owned(), self.command.clone()];
        args.extend(self.args.iter().cloned());
        self.config("op", args, env)
    }

    fn config(&self, command: &str, args: Vec<String>, env: Map<String, Value>) -> Value {
        json!({ "mcpServers": { &self.name: { "command": command, "args": args, "env": env } } })
    }
}

fn placeholder(var: &VarSpec) -> String {
    match (var.default(), var.required(), var.description()) {
        (Some(default), _, _) => default.to_owned(),
        (None, false, _) => String::new(),
        (None, true, "") => format!("<{}>", var.name()),
        (None, true, description) => format!("<{description}>"),
    }
}

/// A report of which credentials are set, defaulted or unset, and from where,
/// for a `credentials_status` tool. It holds names, descriptions and origins:
/// never a value.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// API token
///     api_token: SecretString,
///     notify_token: Option<SecretString>,
/// }
///
/// let loaded = Creds::load(&[("API_TOKEN", "t-1")])?;
/// let status = credenv::mcp::status(&loaded);
/// assert_eq!(status["credentials"][0]["name"], "API_TOKEN");
/// assert_eq!(status["credentials"][0]["status"], "set");
/// assert_eq!(status["credentials"][0]["origin"], "environment");
/// assert_eq!(status["credentials"][1]["status"], "unset");
/// assert!(!status.to_string().contains("t-1"));
/// # Ok::<(), credenv::Error>(())
/// ```
pub fn status<T>(loaded: &Loaded<T>) -> Value {
    let credentials: Vec<Value> = loaded
        .origins()
        .map(|(var, origin)| {
            let status = match origin {
                Origin::Default => "default",
                Origin::Unset => "unset",
                _ => "set",
            };
            json!({
                "name": var.name(),
                "description": var.description(),
                "required": var.required(),
                "secret": var.secret(),
                "status": status,
                "origin": origin.to_string(),
            })
        })
        .collect();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    json!({
        "profile": loaded.profile().map(|p| p.name()),
        "credentials": credentials,
        "warnings": warnings,
    })
}

/// [`status`] of a live handle's current generation, with what the handle
/// has done (feature `live`): under `"live"`, the generation, when it was
/// loaded and when the sources were last read (seconds since the Unix
/// epoch), whether the last reload failed
/// and why (variable names, never values), the watched paths and the
/// refresh interval.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     api_token: SecretString,
/// }
///
/// let vars = std::collections::HashMap::from([("API_TOKEN".to_owned(), "t-1".to_owned())]);
/// let live = Creds::watch(vars)?;
/// let status = credenv::mcp::live_status(&live);
/// assert_eq!(status["live"]["generation"], 1);
/// assert_eq!(status["live"]["stale"], false);
/// assert_eq!(status["credentials"][0]["origin"], "environment");
/// assert!(!status.to_string().contains("t-1"));
/// # Ok::<(), credenv::live::ReloadError>(())
/// ```
#[cfg(feature = "live")]
pub fn live_status<T>(live: &crate::Live<T>) -> Value {
    let since_epoch = |time: std::time::SystemTime| {
        time.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    let handle = live.status();
    let mut status = self::status(&live.current());
    status["live"] = json!({
        "generation": handle.generation(),
        "loaded_at": since_epoch(handle.loaded_at()),
        "checked_at": since_epoch(handle.checked_at()),
        "stale": handle.is_stale(),
        "last_error": handle.last_error().map(ToString::to_string),
        "failed_at": handle.failed_at().map(since_epoch),
        "watched": handle.watched().iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "refresh_interval_secs": handle.interval().map(|i| i.as_secs()),
    });
    status
}
