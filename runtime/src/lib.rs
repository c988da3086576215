// The crate's documentation is the README, one copy for GitHub, crates.io
// and docs.rs. Its examples use the optional features, so it is the crate
// documentation (and runs as doctests) when they are on, as on docs.rs; with
// fewer features, a summary stands in.
#![cfg_attr(
    all(
        feature = "url",
        feature = "dotenv",
        feature = "onepassword",
        feature = "vault",
        feature = "aws",
        feature = "oauth",
        feature = "mcp",
        feature = "live",
        feature = "scrub",
        feature = "keyring"
    ),
    doc = include_str!("../../README.md")
)]
#![cfg_attr(
    not(all(
        feature = "url",
        feature = "dotenv",
        feature = "onepassword",
        feature = "vault",
        feature = "aws",
        feature = "oauth",
        feature = "mcp",
        feature = "live",
        feature = "scrub",
        feature = "keyring"
    )),
    doc = include_str!("summary.md")
)]
// One module holds unsafe code: `source/env/environ.rs` walks the environment
// in place, since std can only copy all of it.
#![deny(unsafe_code)]
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

#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "mcp")]
pub mod mcp;
#[cfg(feature = "oauth")]
pub mod oauth;
#[cfg(feature = "scrub")]
pub mod scrub;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use check::Check;
pub use credentials::Credentials;
#[cfg(feature = "live")]
pub use live::{Live, Watch};
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
