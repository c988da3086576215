//! The cursor API generated code calls, one field at a time, and the words
//! of each problem it records (values quoted or hidden by `redact`).

use std::fmt::Display;

use zeroize::Zeroizing;

use super::Loader;
use crate::__private::Owner;
use crate::check;
use crate::problem::{Invalid, InvalidKind, Missing, Problem, Warning, WarningKind};
use crate::redact::quote;
use crate::{Check, Credentials, VarSpec};

impl<'a> Loader<'a> {
    /// Reads, parses and validates the next variable. A field whose value
    /// is its text (`String`, `SecretString`) has an `owner`, which takes
    /// the text as it was read, so a copy the source made is not copied
    /// again.
    ///
    /// `None` means there is no value: a problem or warning was recorded, or
    /// an optional variable is unset.
    pub fn field<T, E: Display, V: Display>(
        &mut self,
        parse: impl FnOnce(&str) -> Result<T, E>,
        owner: Option<impl Owner<T>>,
        validate: impl FnOnce(&T) -> Result<(), V>,
    ) -> Option<T> {
        let (spec, read) = self.read();
        let read = read?;
        if let Some(broken) = check::text(spec.checks(), read.text.as_str()) {
            return self.unchecked(spec, read.parts(), None, broken);
        }
        let value = match owner {
            Some(owner) => owner.own(read.text.into_string()),
            None => match parse(read.text.as_str()) {
                Ok(value) => value,
                Err(e) => return self.unparsable(spec, read.parts(), None, &e),
            },
        };
        self.validated(spec, read.index, value, validate)
    }

    /// Like [`field`](Loader::field), for a list: the text is split at the
    /// spec's separator and each item, trimmed, is parsed. Empty items are
    /// skipped, and a list with no item (`",,,"`) is unset, as an empty value
    /// is: missing if required, `None` with a warning if optional (unless
    /// the field has `allow_empty`).
    pub fn list<T, E: Display, V: Display>(
        &mut self,
        parse: impl Fn(&str) -> Result<T, E>,
        validate: impl FnOnce(&Vec<T>) -> Result<(), V>,
    ) -> Option<Vec<T>> {
        let (spec, read) = self.read();
        let read = read?;
        let separator = spec.separator().unwrap_or(",");
        let items = read.text.as_str().split(separator).map(str::trim);
        let mut values = Vec::new();
        for (index, item) in items.filter(|item| !item.is_empty()).enumerate() {
            if let Some(broken) = check::text(spec.checks(), item) {
                return self.unchecked(spec, read.parts(), Some((index + 1, item)), broken);
            }
            match parse(item) {
                Ok(value) => values.push(value),
                Err(e) => return self.unparsable(spec, read.parts(), Some((index + 1, item)), &e),
            }
        }
        if values.is_empty() && !spec.allow_empty() {
            return self.unset(spec);
        }
        if let Some((check, broken)) = check::items(spec.checks(), values.len()) {
            return self.invalid(spec, read.index, InvalidKind::Check(check), broken);
        }
        self.validated(spec, read.index, values, validate)
    }

    /// A variable whose value turned out to hold nothing: as if it were unset.
    fn unset<T>(&mut self, spec: &'static VarSpec) -> Option<T> {
        self.origins.unset_last();
        match spec.optional() {
            true => self.warnings.push(Warning::new(spec, WarningKind::Unset)),
            false => self.missing.push(Missing::new(spec, self.bundle.clone())),
        }
        None
    }

    /// The active profile, parsed into the type of the `#[credential(profile)]`
    /// field.
    pub fn profile<T, E: Display>(
        &mut self,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let name = self
            .profile
            .expect("the derive puts a profile field only beside profiles")
            .name();
        match parse(name) {
            Ok(value) => Some(value),
            Err(e) => {
                let spec = &self.vars[0];
                let reason = format!("profile {name:?} does not parse into the profile field: {e}");
                let problem = Problem::new(InvalidKind::ProfileField, reason);
                self.invalid.push(Invalid::new(spec, problem));
                None
            }
        }
    }

    /// Loads a flattened struct from the variables that follow.
    pub fn nested<T: Credentials>(&mut self) -> Option<T> {
        T::__load(self)
    }

    fn validated<T, V: Display>(
        &mut self,
        spec: &'static VarSpec,
        index: usize,
        value: T,
        validate: impl FnOnce(&T) -> Result<(), V>,
    ) -> Option<T> {
        let Err(error) = validate(&value) else {
            return Some(value);
        };
        // A validator may quote its value in any form (escaped, reformatted,
        // a prefix), which no filter can catch: a hidden value's message is
        // not shown at all, and never formatted.
        let reason = match self.hidden(spec, index) {
            Some(why) => format!("rejected by its validator (message hidden: {why})"),
            None => format!(
                "rejected by its validator: {}",
                Zeroizing::new(error.to_string()).as_str()
            ),
        };
        self.invalid(spec, index, InvalidKind::Validator, reason)
    }

    /// A value (or a list's item) that breaks a declared check: `broken`
    /// says which, without the value, which is added when it may be shown.
    fn unchecked<T>(
        &mut self,
        spec: &'static VarSpec,
        (text, index): (&str, usize),
        item: Option<(usize, &str)>,
        (check, broken): (Check, String),
    ) -> Option<T> {
        let reason = match (self.hidden(spec, index), item) {
            (Some(_), None) => broken,
            (Some(_), Some((n, _))) => format!("item {n}: {broken}"),
            (None, None) => format!("{broken} (got {})", quote(text)),
            (None, Some((n, item))) => format!("item {n}: {broken} (got {})", quote(item)),
        };
        self.invalid(spec, index, InvalidKind::Check(check), reason)
    }

    fn unparsable<T>(
        &mut self,
        spec: &'static VarSpec,
        (text, index): (&str, usize),
        item: Option<(usize, &str)>,
        error: &dyn Display,
    ) -> Option<T> {
        let bounds = check::bounds(spec.checks());
        let expected = match spec.separator() {
            Some(separator) => format!(
                "expected a {separator:?}-separated list of {}{bounds}",
                spec.type_name()
            ),
            None => format!("expected {}{bounds}", spec.type_name()),
        };
        // A number out of its declared bounds has no message of its own:
        // `expected u16, at most 65535 (got "70000")`. A parser's message may
        // quote its input, so a hidden value's is never formatted.
        let error = || match error.to_string() {
            message if message.is_empty() => String::new(),
            message => format!(": {message}"),
        };
        let reason = match (self.hidden(spec, index), item) {
            (Some(why), Some((n, _))) => format!("{expected}: item {n} (value hidden: {why})"),
            (Some(why), None) => format!("{expected} (value hidden: {why})"),
            (None, Some((n, item))) => {
                format!("{expected}: item {n}{} (got {})", error(), quote(item))
            }
            (None, None) => format!("{expected}{} (got {})", error(), quote(text)),
        };
        self.invalid(spec, index, InvalidKind::Unparsable, reason)
    }

    /// Records that the value read `index`th is invalid.
    fn invalid<T>(
        &mut self,
        spec: &'static VarSpec,
        index: usize,
        kind: InvalidKind,
        reason: String,
    ) -> Option<T> {
        let problem = Problem::new(kind, reason);
        let invalid = Invalid::new(spec, problem).from(self.origins.get(index));
        self.invalid.push(invalid);
        None
    }
}
