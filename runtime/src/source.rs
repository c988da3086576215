//! Where variables are read from.

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::hash::{BuildHasher, Hash};

use zeroize::{Zeroize, Zeroizing};

use crate::Origin;

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

    /// Called once at the start of every load, which is about to make
    /// `lookups` lookups. A source whose lookups are costly may return a copy
    /// of itself to read from for the rest of that load, when copying is the
    /// cheaper (the process environment scans itself on every lookup).
    fn snapshot(&self, lookups: usize) -> Option<Box<dyn Source + '_>> {
        let _ = lookups;
        None
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

/// The process environment.
///
/// [`from_env`](crate::Credentials::from_env) reads it. Each lookup takes a
/// lock and scans the environment; copying it reads it all at once but copies
/// every value. A load of up to [`Env::DIRECT_LOOKUPS`] lookups (two per
/// variable: `NAME` and `NAME_FILE`) looks each variable up, copying no other
/// program's secrets; a larger one copies the environment once, into a
/// [`Vars`] snapshot zeroized when the load ends.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env;

impl Env {
    /// Up to this many lookups, a load looks each variable up; above, it
    /// copies the environment once. A lookup scans the environment (about
    /// 1.2 ns an entry here), a copy costs about 290 ns an entry: the two
    /// cross near 250 lookups whatever the environment's size (BENCHMARKS.md).
    pub const DIRECT_LOOKUPS: usize = 256;

    /// Copies the whole process environment, in one pass.
    pub fn capture() -> Vars {
        let mut vars = Vars::default();
        for (name, value) in std::env::vars_os() {
            // A name that is not UTF-8 can never match a field's name.
            if let Ok(name) = name.into_string() {
                vars.insert_os(name, value);
            }
        }
        vars
    }
}

impl Source for Env {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        std::env::var_os(name).map(|value| match value.into_string() {
            Ok(text) => Value::new(text),
            Err(raw) => {
                zeroize_os(raw);
                Value::not_unicode()
            }
        })
    }

    fn snapshot(&self, lookups: usize) -> Option<Box<dyn Source + '_>> {
        (lookups > Env::DIRECT_LOOKUPS).then(|| Box::new(Env::capture()) as Box<dyn Source>)
    }
}

/// An owned set of variables whose values are zeroized when it is dropped.
///
/// ```
/// use credenv::{Source, Vars};
///
/// let vars: Vars = [("API_KEY", "k-1")].into_iter().collect();
/// assert!(vars.get("API_KEY").is_some());
/// ```
#[derive(Default)]
pub struct Vars {
    values: HashMap<String, Option<String>>,
    origin: Option<Origin>,
}

impl Vars {
    /// An empty set whose values report `origin` (by default [`Origin::Env`]).
    pub fn with_origin(origin: Origin) -> Self {
        Vars {
            values: HashMap::new(),
            origin: Some(origin),
        }
    }

    /// Sets `name` to `value`, zeroizing any value it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        if let Some(Some(mut old)) = self.values.insert(name.into(), Some(value.into())) {
            old.zeroize();
        }
    }

    /// `None` for a value that is not UTF-8.
    fn insert_os(&mut self, name: String, value: OsString) {
        let value = value.into_string().map_err(zeroize_os).ok();
        if let Some(Some(mut old)) = self.values.insert(name, value) {
            old.zeroize();
        }
    }

    /// How many variables it holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether it holds no variable.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl Source for Vars {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        let value = match self.values.get(name)? {
            Some(text) => Value::new(text.as_str()),
            None => Value::not_unicode(),
        };
        Some(match &self.origin {
            Some(origin) => value.with_origin(origin.clone()),
            None => value,
        })
    }
}

impl Drop for Vars {
    fn drop(&mut self) {
        for value in self.values.values_mut().flatten() {
            value.zeroize();
        }
    }
}

/// Names are listed, values never are.
impl std::fmt::Debug for Vars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.values.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Vars")
            .field("names", &names)
            .finish_non_exhaustive()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Vars {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut vars = Vars::default();
        vars.extend(iter);
        vars
    }
}

impl<K: Into<String>, V: Into<String>> Extend<(K, V)> for Vars {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (name, value) in iter {
            self.insert(name, value);
        }
    }
}

fn zeroize_os(raw: OsString) {
    raw.into_encoded_bytes().zeroize();
}

impl<K, V, S> Source for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, name: &str) -> Option<Value<'_>> {
        HashMap::get(self, name).map(|v| Value::new(v.as_ref()))
    }
}

impl<K, V> Source for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn get(&self, name: &str) -> Option<Value<'_>> {
        BTreeMap::get(self, name).map(|v| Value::new(v.as_ref()))
    }
}

/// The last pair with the name wins, as in a shell.
impl<K: AsRef<str>, V: AsRef<str>> Source for [(K, V)] {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| Value::new(v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Source for [(K, V); N] {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        Source::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Source for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        Source::get(self.as_slice(), name)
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        (**self).get(name)
    }

    fn snapshot(&self, lookups: usize) -> Option<Box<dyn Source + '_>> {
        (**self).snapshot(lookups)
    }
}

impl<S: Source + ?Sized> Source for Box<S> {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        (**self).get(name)
    }

    fn snapshot(&self, lookups: usize) -> Option<Box<dyn Source + '_>> {
        (**self).snapshot(lookups)
    }
}

/// Layers: the first source that has a variable gives it. `(Env, dotenv)`
/// lets the process environment override a `.env` file; a snapshot is taken
/// of each layer that offers one.
macro_rules! layers {
    ($($layer:ident: $index:tt),+) => {
        impl<$($layer: Source),+> Source for ($($layer,)+) {
            fn get(&self, name: &str) -> Option<Value<'_>> {
                None$(.or_else(|| self.$index.get(name)))+
            }

            fn snapshot(&self, lookups: usize) -> Option<Box<dyn Source + '_>> {
                let snapshots = ($(self.$index.snapshot(lookups),)+);
                if true $(&& snapshots.$index.is_none())+ {
                    return None;
                }
                let layers: Vec<Box<dyn Source + '_>> = vec![
                    $(snapshots.$index.unwrap_or_else(|| Box::new(&self.$index))),+
                ];
                Some(Box::new(Stack(layers)))
            }
        }
    };
}

layers!(A: 0, B: 1);
layers!(A: 0, B: 1, C: 2);
layers!(A: 0, B: 1, C: 2, D: 3);

/// Layers that have been snapshotted, first wins.
pub(crate) struct Stack<'a>(pub(crate) Vec<Box<dyn Source + 'a>>);

impl Source for Stack<'_> {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.0.iter().find_map(|layer| layer.get(name))
    }
}
