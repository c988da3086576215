//! `Vars`: an owned set of variables, zeroized when dropped (the environment
//! snapshot, a bundle's keys, a `.env` file's entries).

use std::collections::HashMap;
use std::ffi::OsString;

use zeroize::Zeroize;

use super::{Source, Value, names_a_file, zeroize_os};
use crate::Origin;

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
    /// Whether a name ends in `_FILE`, kept as names are inserted.
    file_vars: bool,
    /// Whether a value may be a secret reference.
    references: bool,
}

impl Vars {
    /// An empty set whose values report `origin` (by default [`Origin::Env`]).
    pub fn with_origin(origin: Origin) -> Self {
        Vars {
            values: HashMap::new(),
            origin: Some(origin),
            file_vars: false,
            references: false,
        }
    }

    /// Sets `name` to `value`, zeroizing any value it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.set(name.into(), Some(value.into()));
    }

    /// `None` for a value that is not UTF-8.
    pub(super) fn insert_os(&mut self, name: String, value: OsString) {
        self.set(name, value.into_string().map_err(zeroize_os).ok());
    }

    fn set(&mut self, name: String, value: Option<String>) {
        self.file_vars |= names_a_file(&name);
        self.references |= value.as_ref().is_some_and(super::may_be_reference);
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

    fn may_hold_file_vars(&self) -> bool {
        self.file_vars
    }

    fn may_hold_references(&self) -> bool {
        self.references
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
