//! Load a server's credentials from its environment, safely.
//!
//! Declare the credentials as a struct; `#[derive(Credentials)]` writes the
//! loader. A load returns the struct, or **one** [`Error`] that lists every
//! missing and invalid variable with the description from its doc comment.
//! Secrets never appear in any output.
//!
//! ```
//! use credenv::{Credentials, ExposeSecret, SecretString};
//!
//! #[derive(Credentials)]
//! struct Creds {
//!     /// GitHub Personal Access Token
//!     github_token: SecretString,
//!     /// OpenAI API Key
//!     #[credential(env = "OPENAI_API_KEY")]
//!     openai_key: SecretString,
//!     /// Slack Bot Token (for notifications)
//!     slack_bot_token: Option<SecretString>,
//!     /// Port of the upstream API
//!     #[credential(default = 8080)]
//!     port: u16,
//! }
//!
//! // In a server: `let creds = Creds::from_env_or_exit();`
//! // Here, a map stands in for the environment.
//! let err = Creds::from_source(&[("PORT", "eighty")]).unwrap_err();
//! assert_eq!(err.to_string(), "\
//! missing required variables:
//!   - GITHUB_TOKEN: GitHub Personal Access Token
//!   - OPENAI_API_KEY: OpenAI API Key
//! invalid variables:
//!   - PORT: expected u16: invalid digit found in string (got \"eighty\")");
//!
//! let creds = Creds::from_source(&[("GITHUB_TOKEN", "ghp-1"), ("OPENAI_API_KEY", "sk-1")])?;
//! assert_eq!(creds.github_token.expose_secret(), "ghp-1");
//! assert_eq!(
//!     format!("{creds:?}"),
//!     "Creds { github_token: [REDACTED], openai_key: [REDACTED], slack_bot_token: None, port: 8080 }",
//! );
//! # Ok::<(), credenv::Error>(())
//! ```
//!
//! # Loading
//!
//! The `from_*` calls give the struct; the `load*` calls give a [`Loaded`]:
//! the struct (`Deref`, `into_inner()`) with its warnings and each
//! variable's [`Origin`].
//!
//! | call | reads | returns | on problems | warnings |
//! |---|---|---|---|---|
//! | [`T::from_env()`](Credentials::from_env) | the process environment, once | `Result<T, Error>` | `Err(Error)` | logged (`tracing`, WARN, target `credenv`) |
//! | [`T::from_env_or_exit()`](Credentials::from_env_or_exit) | the process environment | `T` | report on stderr, exit 1 | printed to stderr |
//! | [`T::load_env_or_exit()`](Credentials::load_env_or_exit) | the process environment | [`Loaded<T>`] | report on stderr, exit 1 | printed to stderr, and kept |
//! | [`T::from_source(&src)`](Credentials::from_source) | any [`Source`]: maps, [`Env`], [`Vars`] | `Result<T, Error>` | `Err(Error)` | logged |
//! | [`T::load(&src)`](Credentials::load) | any [`Source`] | `Result<Loaded<T>, Error>` | `Err(Error)` | kept in the [`Loaded`] |
//! | [`T::load_or_exit(&src)`](Credentials::load_or_exit) | any [`Source`] | [`Loaded<T>`] | report on stderr, exit 1 | printed to stderr, and kept |
//! | [`T::vars()`](Credentials::vars) | nothing: the [`VarSpec`] of each variable | `&[VarSpec]` | | |
//!
//! credenv never writes to stdout: an MCP stdio server's stdout is the protocol.
//!
//! # Sources and secret managers
//!
//! A tuple of sources layers them, the first that has a variable winning:
//! `(Env, DotEnv::load(".env")?, SecretsDir::new("/run/secrets"))`. A value
//! may be a reference, resolved at load time: `op://…` (feature
//! `onepassword`), `vault://<mount>/<path>#<key>` (`vault`),
//! `aws-sm://<name-or-arn>[#<key>]` (`aws`); and
//! `#[credentials(bundle = "VAR")]` takes a whole Vault path or AWS secret.
//! See the README for the settings each reads.
//!
//! # OAuth
//!
//! With the `oauth` feature, `oauth::TokenManager` keeps an access token
//! fresh: refreshes (one for any number of concurrent callers), a token file
//! written atomically with mode 0600, and the first login with PKCE.
//!
//! # Templates and MCP client configuration
//!
//! [`template`] makes a `.env.example` and a markdown table from `T::vars()`;
//! with the `mcp` feature, `mcp` makes Claude Desktop's `mcpServers` entry
//! (plain, or with 1Password's `op run`) and a credentials status report.
//!
//! # Attributes
//!
//! | attribute | on | meaning |
//! |---|---|---|
//! | `/// doc comment` | field | the description, in errors, warnings and [`VarSpec`] |
//! | `env = "NAME"` | field | the variable's exact name (no prefix added) |
//! | `default = 8080` | field | used when the variable is unset; a literal, parsed like the variable (`"30s"`, `"https://…"`) |
//! | `secret` | field | never show the value; implied by `SecretString`, `SecretBox`, `SecretSlice` |
//! | `allow_empty` | field | an empty value is a value, not "unset" |
//! | `split = ","` | `Vec<T>` field | a list; items are trimmed, empty items skipped |
//! | `parse_with = path` | field | `fn(&str) -> Result<T, E: Display>` instead of the type's parser |
//! | `validate = path` | field | `fn(&T) -> Result<(), E: Display>`, run after parsing |
//! | `flatten` | field | a nested `Credentials` struct; its names get this struct's prefix |
//! | `prefix = "DB_"` | `flatten` field | an extra prefix for the nested struct's names |
//! | `exact_prefix = "REDIS_"` | `flatten` field | the nested struct's names get exactly this prefix (`""`: their own names), not this struct's |
//! | `starts_with = "sk-"` | field | the value starts so (an API key's announced prefix) |
//! | `min_len = 20`, `max_len = 200` | field | the value's length in characters (a secret's error gives the count, never the value) |
//! | `one_of = ["debug", "info"]` | field | the value is one of these words |
//! | `min = 1`, `max = 65535` | number field | inclusive bounds, checked after parsing |
//! | `min_items = 1`, `max_items = 8` | list field | the number of items (the checks above apply to each item) |
//! | `prefix = "APP_"` | struct (`#[credentials]`) | prepended to every name derived from a field name |
//! | `crate = "path"` | struct (`#[credentials]`) | where credenv is, for crates that re-export it |
//! | `profiles(select = "MCP_ENV", default = "…", name(prefix = "…", non_production), …)` | struct | [profiles](Profile), selected by a variable |
//! | `profiles(name(env = "…", default = …, required), …)` | field | the field's settings in a profile |
//! | `profile` | field | receives the active profile's name |
//!
//! # Rules
//!
//! - **Names.** `env = "…"`, or the field's name in SCREAMING_SNAKE_CASE after
//!   the struct's prefix. Two fields reading one variable is a compile error.
//! - **Required** unless the field is an `Option` or has a `default`. An empty
//!   value counts as unset unless the field has `allow_empty`. An unset
//!   `Option` field is a [`Warning`], not an error.
//! - **Every problem in one pass**, in declaration order: missing variables,
//!   then invalid ones. An invalid value names the variable and the expected
//!   type; a non-secret value is quoted, a secret's never is.
//! - **Secrets** never appear in `Debug` (`[REDACTED]`), errors, warnings,
//!   logs or panics. A secret cannot have a `default`: that would be a
//!   credential hardcoded in source. Copies of a secret's text that credenv
//!   makes (the environment snapshot, `_FILE` contents) are zeroized. A
//!   validator's message for a secret is shown only if it quotes no run of
//!   8 characters of the value.
//! - **`NAME_FILE=/path`** supplies `NAME` from a file (Docker and Kubernetes
//!   secrets), for every field and every source: one trailing newline is
//!   trimmed, files over 64 KiB are refused, setting both is an error, and an
//!   unreadable file is an error naming the path, never the contents.
//!
//! # Types
//!
//! Any [`FromStr`](std::str::FromStr) type, and any [`FromValue`] type, which
//! includes `String`, numbers, `char`, `PathBuf`, IP and socket addresses,
//! `bool` (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, any case),
//! [`Duration`](std::time::Duration) in humantime's format (`30s`, `5m`,
//! `250ms`), [`SecretString`], `SecretBox<T>`, and with the `url` feature
//! `Url`. Wrap any of them in `Option<T>`, or in `Vec<T>` with `split`.
//!
//! A field whose type is a secrecy type is a secret; a type alias hides that
//! from the derive, so add `#[credential(secret)]` to such fields.

#![forbid(unsafe_code)]
// stdout belongs to the MCP protocol of a stdio server.
#![deny(clippy::print_stdout)]
#![warn(missing_docs)]

mod buffer;
mod check;
mod credentials;
#[cfg(feature = "__http")]
mod http;
mod load;
mod loaded;
mod problem;
mod profile;
mod redact;
mod resolve;
mod source;
mod spec;
pub mod template;
mod value;

#[cfg(feature = "mcp")]
pub mod mcp;
#[cfg(feature = "oauth")]
pub mod oauth;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use check::Check;
pub use credentials::Credentials;
pub use loaded::{Loaded, Origin};
pub use problem::{
    Diagnostic, Error, Invalid, InvalidKind, Missing, MissingKind, ResolveFailure, Warning,
    WarningKind,
};
pub use profile::Profile;
#[cfg(feature = "dotenv")]
pub use source::DotEnv;
pub use source::{Env, SecretsDir, Source, Value, Vars};
pub use spec::{Role, VarSpec};
#[doc(hidden)]
pub use value::FromStrOrFromValue;
pub use value::{FromValue, ValueError};

/// Derives [`Credentials`](trait@Credentials) for a struct with named fields.
/// See the [crate documentation](crate) for the attributes.
pub use credenv_macros::Credentials;

pub use secrecy::{ExposeSecret, SecretBox, SecretString};

#[cfg(feature = "url")]
pub use url::Url;

/// The README's examples, compiled and run as doctests (they use the
/// optional features too).
#[cfg(all(
    doctest,
    feature = "dotenv",
    feature = "mcp",
    feature = "oauth",
    feature = "url"
))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
