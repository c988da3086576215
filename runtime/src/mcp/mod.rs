//! For MCP servers (feature `mcp`): every client's configuration that starts
//! the server with its credentials, a ready-made command line ([`Cli`]:
//! `--print-config`, `--check`), and a credentials status report for a
//! tool.
//!
//! A client starts a stdio server as a child process, with the `env` block
//! of its configuration as the environment. Each client's configuration is
//! generated from the struct's variables, so it lists every one, and uses
//! the client's own secret-safe mechanism where it has one:
//!
//! | client | method | a secret is |
//! |---|---|---|
//! | Claude Desktop | [`claude_desktop`](ServerEntry::claude_desktop) | a `<description>` to fill in, or with [`claude_desktop_1password`](ServerEntry::claude_desktop_1password) an `op://` reference `op run` resolves |
//! | Claude Desktop bundle | [`mcpb_manifest`](ServerEntry::mcpb_manifest) | a `sensitive` `user_config` entry (kept in the OS keychain), `${user_config.key}` |
//! | Claude Code | [`claude_code`](ServerEntry::claude_code), [`claude_code_add`](ServerEntry::claude_code_add) | `${NAME}`, expanded from the user's environment |
//! | VS Code | [`vscode`](ServerEntry::vscode) | a `promptString` input with `"password": true`, `${input:id}` |
//! | Cursor | [`cursor`](ServerEntry::cursor) | `${env:NAME}` |
//! | MCP Registry | [`server_json`](ServerEntry::server_json) | `isSecret: true` |
//!
//! Pass `T::vars()`, or `T::vars_for_profile(name)` for one profile's
//! variables. A placeholder a client leaves unexpanded is caught when the
//! server loads (an invalid variable that says so).
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
//! let config = entry.vscode(Creds::vars());
//! assert_eq!(config["servers"]["github"]["env"]["GITHUB_TOKEN"], "${input:github-token}");
//! assert_eq!(config["inputs"][0]["password"], true);
//!
//! let config = entry.claude_desktop_1password(Creds::vars(), "Private", "github-mcp");
//! let server = &config["mcpServers"]["github"];
//! assert_eq!(server["command"], "op");
//! assert_eq!(server["args"][0], "run");
//! assert_eq!(server["env"]["GITHUB_TOKEN"], "op://Private/github-mcp/GITHUB_TOKEN");
//! ```

mod claude_code;
mod claude_desktop;
mod cli;
mod cursor;
mod entry;
mod mcpb;
mod registry;
mod status;
mod vscode;

pub use cli::{Answer, Cli};
pub use entry::{Client, ServerEntry};
#[cfg(feature = "live")]
pub use status::live_status;
pub use status::status;
