//! Where variables are read from: the `Source` trait and its values, and a
//! file for each kind of source (as figment's `providers/`).

#[cfg(feature = "dotenv")]
mod dotenv;
mod env;
pub(crate) mod file;
mod layers;
mod maps;
mod secrets_dir;
mod vars;

use std::borrow::Cow;
use std::ffi::OsString;
use std::io;
use std::path::PathBuf;

use zeroize::{Zeroize, Zeroizing};

use crate::{Origin, VarSpec};

#[cfg(feature = "dotenv")]
pub use dotenv::DotEnv;
pub use env::Env;
pub(crate) use layers::Stack;
pub use secrets_dir::SecretsDir;
pub use vars::Vars;

/// Something that holds variables by name: the process environment, a map, a
/// `.env` file, a secret manager.
///
/// `HashMap` and `BTreeMap` of strings, slices and arrays of `(name, value)`
/// pairs, and [`Env`] (the process) implement it. Tests load from a map, since
/// changing the process environment is `unsafe`:
///
/// ```
/// use std::collections::HashMap;
/// use credenv::Credentials;
///
/// #[derive(Credentials)]
/// struct Creds {
///     #[credential(default = 8080)]
///     port: u16,
/// }
///
/// let vars = HashMap::from([("PORT".to_string(), "9000".to_string())]);
/// assert_eq!(Creds::from_source(&vars)?.port, 9000);
/// assert_eq!(Creds::from_source(&[("PORT", "9001")])?.port, 9001);
/// # Ok::<(), credenv::Error>(())
/// ```
pub trait Source {
    /// The variable `name`, or `None` when it is unset.
    fn get(&self, name: &str) -> Option<Value<'_>>;

    /// Called once at the start of every load, which is about to look up
    /// each of `vars` (as `NAME` and `NAME_FILE`) and perhaps a few other
    /// names. A source whose lookups are costly may return a copy of what it
    /// holds of them, to read from for the rest of that load, when copying
    /// is the cheaper (the process environment scans itself on every lookup).
    fn snapshot(&self, vars: &'static [VarSpec]) -> Option<Box<dyn Source + '_>> {
        let _ = vars;
        None
    }

    /// Whether [`get`](Source::get) may return a value for a name ending in
    /// `_FILE`. A source that can tell cheaply (a map scans its keys once,
    /// hashing nothing) and has none saves a load every `NAME_FILE` lookup.
    /// By default, `true`: a source that maps names (as a secrets directory
    /// tries `name` and `name-with-dashes`) keeps the default, since `false`
    /// turns `NAME_FILE`, and the error for setting both, off.
    fn may_hold_file_vars(&self) -> bool {
        true
    }

    /// Whether [`get`](Source::get) may return a value that starts like a
    /// secret reference (`op://`, `vault://`, `aws-sm://`), well-formed or
    /// not. A source that can tell cheaply (a map looks at the first bytes
    /// of its values) and holds none spares a load the table that resolves
    /// references at once. By default, `true`. Answering `false` for a
    /// source that holds one is a bug: each such value is then refused
    /// (`InvalidKind::Reference(ResolveFailure::Refused)`), neither resolved
    /// nor read as plain text. A wrapper that changes
    /// values must not forward its inner source's answer. When
    /// [`snapshot`](Source::snapshot) returns a source, that one is asked.
    /// A load from one of the crate's maps or lists of pairs alone (not
    /// among layers), or from the environment on Unix, does not ask: it
    /// sees each value as it reads it, and the first that may be a
    /// reference has it and the variables after it looked up ahead and
    /// resolved at once.
    fn may_hold_references(&self) -> bool {
        true
    }

    /// Not part of the API; do not override. Whether a load should ask
    /// [`__text`](Source::__text) before [`get`](Source::get), and need not
    /// ask [`may_hold_references`](Source::may_hold_references): it sees
    /// each value as it reads it.
    /// Maps, lists of pairs and the environment's one pass answer `true`.
    #[doc(hidden)]
    fn __plain(&self) -> bool {
        false
    }

    /// Not part of the API; do not override. `Some(text)` promises that
    /// `get(name)` is exactly `Value::new(text)`: that text, from
    /// [`Origin::Env`] (messages quote it as the environment's). `None`
    /// promises nothing: the load asks `get`. A text comes back in two
    /// registers, where a [`Value`] is written to memory and read back
    /// before its stores have landed. A wrapper that changes `get`'s values
    /// must not forward it.
    #[doc(hidden)]
    fn __text(&self, name: &str) -> Option<&str> {
        let _ = name;
        None
    }

    /// The files and directories the source reads (a `.env` file, a
    /// secrets directory), which a live handle watches (feature `live`).
    /// The files `NAME_FILE` names need not be listed: the handle watches
    /// every file a load read.
    fn paths(&self) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Reads the source's files again: a live handle calls it before each
    /// reload. A source that reads its files once (a `.env` file) re-reads
    /// them here; one that reads on every lookup (a secrets directory) has
    /// nothing to do. An error keeps the last good load.
    fn reread(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One variable's value as a [`Source`] holds it, and where it came from.
///
/// Its `Debug` shows the origin and never the text:
///
/// ```
/// let value = credenv::Value::new("sk-live-canary");
/// assert_eq!(format!("{value:?}"), "Value { text: [REDACTED], origin: Env }");
/// ```
pub struct Value<'a> {
    pub(crate) text: Result<Text<'a>, Unusable>,
    pub(crate) origin: Origin,
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text: &dyn std::fmt::Debug = match &self.text {
            Ok(_) => &format_args!("[REDACTED]"),
            Err(unusable) => unusable,
        };
        f.debug_struct("Value")
            .field("text", text)
            .field("origin", &self.origin)
            .finish()
    }
}

/// A value's text: borrowed from its source, or a copy of its own, zeroized
/// when it is dropped (so a value looked up only to see that it is set
/// leaves nothing behind).
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Owned(Zeroizing<String>),
}

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Owned(text) => text,
        }
    }

    /// The text as a `String` of its own: a copy is moved out (leaving
    /// nothing to zeroize), a borrowed text copied.
    #[inline]
    pub(crate) fn into_string(self) -> String {
        match self {
            Text::Borrowed(text) => text.to_owned(),
            Text::Owned(mut text) => std::mem::take(&mut *text),
        }
    }
}

impl<'a> From<Cow<'a, str>> for Text<'a> {
    fn from(text: Cow<'a, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Text::Borrowed(text),
            Cow::Owned(text) => Text::Owned(Zeroizing::new(text)),
        }
    }
}

/// Why a source has a variable but no usable text for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unusable {
    NotUnicode,
    /// The source's own reason, e.g. an unreadable file. It names no value.
    Invalid(String),
}

impl<'a> Value<'a> {
    /// A value from the variable itself ([`Origin::Env`]).
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Value {
            text: Ok(Text::from(text.into())),
            origin: Origin::Env,
        }
    }

    /// A value that is not valid UTF-8 (the process environment allows it).
    /// Loading reports it as invalid, and never converts it lossily.
    pub fn not_unicode() -> Self {
        Value {
            text: Err(Unusable::NotUnicode),
            origin: Origin::Env,
        }
    }

    /// A variable the source has but cannot give, for `reason` (a file it
    /// cannot read, say). Loading reports it as invalid with that reason,
    /// which must not contain the value.
    pub fn invalid(reason: impl Into<String>) -> Self {
        Value {
            text: Err(Unusable::Invalid(reason.into())),
            origin: Origin::Env,
        }
    }

    /// The same value, from another origin (a `.env` file, a secret manager).
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }
}

/// The methods of a source that stands for another, `$inner` (with `$this`
/// the `self` it is reached from): every one but `reread`, which needs
/// `&mut` and which only an owner forwards.
macro_rules! forward_source {
    ($this:ident => $inner:expr) => {
        fn get(&$this, name: &str) -> Option<$crate::Value<'_>> {
            $crate::Source::get($inner, name)
        }

        fn snapshot(
            &$this,
            vars: &'static [$crate::VarSpec],
        ) -> Option<Box<dyn $crate::Source + '_>> {
            $crate::Source::snapshot($inner, vars)
        }

        fn may_hold_file_vars(&$this) -> bool {
            $crate::Source::may_hold_file_vars($inner)
        }

        fn may_hold_references(&$this) -> bool {
            $crate::Source::may_hold_references($inner)
        }

        fn __plain(&$this) -> bool {
            $crate::Source::__plain($inner)
        }

        fn __text(&$this, name: &str) -> Option<&str> {
            $crate::Source::__text($inner, name)
        }

        fn paths(&$this) -> Vec<std::path::PathBuf> {
            $crate::Source::paths($inner)
        }
    };
}
pub(crate) use forward_source;

/// A borrowed source is read, never re-read: a live handle owns its source.
impl<S: Source + ?Sized> Source for &S {
    forward_source!(self => &**self);
}

impl<S: Source + ?Sized> Source for Box<S> {
    forward_source!(self => &**self);

    fn reread(&mut self) -> io::Result<()> {
        (**self).reread()
    }
}

/// Whether a value may be a secret reference.
fn may_be_reference(value: impl AsRef<str>) -> bool {
    crate::resolve::Reference::may_be(value.as_ref().as_bytes())
}

/// Whether a variable's name ends in `_FILE`.
fn names_a_file(name: impl AsRef<[u8]>) -> bool {
    name.as_ref().ends_with(b"_FILE")
}

/// Zeroizes a value std copied out of the environment.
fn zeroize_os(raw: OsString) {
    raw.into_encoded_bytes().zeroize();
}
