//! The engine behind every load: walks the struct's variables in declaration
//! order, reads each once, and records every problem instead of stopping.
//!
//! Generated code drives it (through `__private`) one field at a time; the
//! loader keeps a cursor into `T::vars()`, so a flattened struct's fields read
//! the prefixed specs that follow.

use std::fmt::Display;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::check;
use crate::error::{Invalid, Missing};
use crate::file::read_value_file;
use crate::loaded::Warning;
use crate::profile;
use crate::resolve::{self, Bundle, Reference};
use crate::source::{Stack, Text, Unusable, Value};
use crate::{Credentials, Error, Loaded, Origin, Profile, Role, Source, VarSpec, Vars};

/// Loads `T` from `source`, reading a snapshot of it when it offers one.
pub(crate) fn load<T: Credentials>(source: &dyn Source) -> Result<Loaded<T>, Error> {
    // Two lookups a variable: `NAME` and `NAME_FILE`.
    let snapshot = source.snapshot(2 * T::vars().len());
    let source: &dyn Source = snapshot.as_deref().unwrap_or(source);
    // Declared before the loader, which may read through them.
    let bundle: Option<Vars>;
    let with_bundle: Stack<'_>;
    let mut loader = Loader::new(source, T::vars());
    let profiles = T::__profiles();
    if !profiles.is_empty() {
        let Some(index) = loader.select_profile(profiles) else {
            return loader.finish(None);
        };
        loader.vars = T::__vars_of(index);
        loader.warn_other_profiles(profiles, index, T::__vars_of);
    }
    if loader
        .vars
        .get(loader.next)
        .is_some_and(|spec| spec.role() == Role::Bundle)
    {
        bundle = loader.fetch_bundle();
        if let Some(bundle) = &bundle {
            // The source first: the environment overrides a bundle's keys.
            with_bundle = Stack(vec![Box::new(source), Box::new(bundle)]);
            loader.source = &with_bundle;
        }
    }
    loader.prefetch();
    let value = T::__load(&mut loader);
    loader.finish(value)
}

#[doc(hidden)]
pub struct Loader<'a> {
    source: &'a dyn Source,
    /// The source without the bundle: resolver settings come only from here.
    base: &'a dyn Source,
    vars: &'static [VarSpec],
    next: usize,
    profile: Option<Profile>,
    /// The bundle loaded under the source, as written.
    bundle: Option<String>,
    /// Each variable's lookup, done ahead of parsing (by index into `vars`)
    /// so that references resolve all at once.
    fetched: Vec<Option<Lookup<'a>>>,
    missing: Vec<Missing>,
    invalid: Vec<Invalid>,
    warnings: Vec<Warning>,
    origins: Vec<Origin>,
}

/// What a variable's lookup found: its origin and text, nothing (unset), or
/// why it cannot be used.
type Lookup<'a> = Result<Option<(Origin, Text<'a>)>, String>;

/// A variable's text as read, and why messages must not quote it, if they
/// must not.
struct Read<'a> {
    text: Text<'a>,
    hidden: Option<&'static str>,
    origin: Origin,
}

impl<'a> Loader<'a> {
    fn new(source: &'a dyn Source, vars: &'static [VarSpec]) -> Self {
        Loader {
            source,
            base: source,
            vars,
            next: 0,
            profile: None,
            bundle: None,
            fetched: Vec::new(),
            missing: Vec::new(),
            invalid: Vec::new(),
            warnings: Vec::new(),
            origins: Vec::with_capacity(vars.len()),
        }
    }

    fn finish<T>(self, value: Option<T>) -> Result<Loaded<T>, Error> {
        if !self.missing.is_empty() || !self.invalid.is_empty() {
            return Err(Error::new(self.missing, self.invalid, self.profile));
        }
        debug_assert_eq!(self.next, self.vars.len(), "every variable is read once");
        let value = value.expect("credenv: a field failed without recording a problem");
        Ok(Loaded::new(
            value,
            self.warnings,
            self.vars,
            self.origins,
            self.profile,
        ))
    }

    /// Reads the selecting variable, the first of every profile's list (its
    /// default is the default profile's name), and returns the active
    /// profile's index. `None` means an unreadable or unknown profile, recorded
    /// as the load's only problem: no profile's variables would mean anything.
    fn select_profile(&mut self, profiles: &'static [Profile]) -> Option<usize> {
        let (spec, read) = self.read();
        let read = read?;
        let Some(index) = profile::find(profiles, read.text.as_str()) else {
            let shown = match read.hidden {
                None => format!(" {}", quote(read.text.as_str())),
                Some(why) => format!(" (value hidden: {why})"),
            };
            let reason = format!("unknown profile{shown}; use {}", profile::names(profiles));
            self.invalid
                .push(Invalid::new(spec, reason).from(&read.origin));
            return None;
        };
        self.profile = Some(profiles[index]);
        Some(index)
    }

    /// Warns of each variable that only other profiles read and that is set:
    /// `PROD_API_KEY` in staging is a mistake, or a credential shared across
    /// environments.
    fn warn_other_profiles(
        &mut self,
        profiles: &[Profile],
        active: usize,
        vars_of: fn(usize) -> &'static [VarSpec],
    ) {
        let read_here = |name: &str| self.vars.iter().any(|s| s.name() == name);
        let mut others: Vec<&'static VarSpec> = Vec::new();
        for index in (0..profiles.len()).filter(|&i| i != active) {
            for spec in &vars_of(index)[1..] {
                if !read_here(spec.name()) && !others.iter().any(|o| o.name() == spec.name()) {
                    others.push(spec);
                }
            }
        }
        let profile = profiles[active];
        for spec in others {
            let set = self.present(spec.name(), false).is_some()
                || self.present(spec.file_name(), false).is_some();
            if set {
                self.warnings.push(Warning::other_profile(spec, profile));
            }
        }
    }

    /// Reads, parses and validates the next variable.
    ///
    /// `None` means there is no value: a problem or warning was recorded, or
    /// an optional variable is unset.
    pub fn field<T, E: Display, V: Display>(
        &mut self,
        parse: impl FnOnce(&str) -> Result<T, E>,
        validate: impl FnOnce(&T) -> Result<(), V>,
    ) -> Option<T> {
        let (spec, read) = self.read();
        let read = read?;
        if let Some(broken) = check::text(spec.checks(), read.text.as_str()) {
            return self.unchecked(spec, &read, None, broken);
        }
        let value = match parse(read.text.as_str()) {
            Ok(value) => value,
            Err(e) => return self.unparsable(spec, &read, None, &e),
        };
        self.validated(spec, &read, value, validate)
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
                return self.unchecked(spec, &read, Some((index + 1, item)), broken);
            }
            match parse(item) {
                Ok(value) => values.push(value),
                Err(e) => return self.unparsable(spec, &read, Some((index + 1, item)), &e),
            }
        }
        if values.is_empty() && !spec.allow_empty() {
            return self.unset(spec);
        }
        if let Some(broken) = check::items(spec.checks(), values.len()) {
            self.invalid
                .push(Invalid::new(spec, broken).from(&read.origin));
            return None;
        }
        self.validated(spec, &read, values, validate)
    }

    /// A variable whose value turned out to hold nothing: as if it were unset.
    fn unset<T>(&mut self, spec: &'static VarSpec) -> Option<T> {
        if let Some(origin) = self.origins.last_mut() {
            *origin = Origin::Unset;
        }
        match spec.optional() {
            true => self.warnings.push(Warning::unset(spec)),
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
                self.invalid.push(Invalid::new(spec, reason));
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
        read: &Read<'_>,
        value: T,
        validate: impl FnOnce(&T) -> Result<(), V>,
    ) -> Option<T> {
        let Err(error) = validate(&value) else {
            return Some(value);
        };
        // A validator may quote its value in any form (escaped, reformatted,
        // a prefix), which no filter can catch: a hidden value's message is
        // not shown at all, and never formatted.
        let reason = match read.hidden {
            Some(why) => format!("rejected by its validator (message hidden: {why})"),
            None => format!(
                "rejected by its validator: {}",
                Zeroizing::new(error.to_string()).as_str()
            ),
        };
        self.invalid
            .push(Invalid::new(spec, reason).from(&read.origin));
        None
    }

    /// A value (or a list's item) that breaks a declared check: `broken`
    /// says which, without the value, which is added when it may be shown.
    fn unchecked<T>(
        &mut self,
        spec: &'static VarSpec,
        read: &Read<'_>,
        item: Option<(usize, &str)>,
        broken: String,
    ) -> Option<T> {
        let reason = match (read.hidden, item) {
            (Some(_), None) => broken,
            (Some(_), Some((n, _))) => format!("item {n}: {broken}"),
            (None, None) => format!("{broken} (got {})", quote(read.text.as_str())),
            (None, Some((n, item))) => format!("item {n}: {broken} (got {})", quote(item)),
        };
        self.invalid
            .push(Invalid::new(spec, reason).from(&read.origin));
        None
    }

    fn unparsable<T>(
        &mut self,
        spec: &'static VarSpec,
        read: &Read<'_>,
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
        // `expected u16, at most 65535 (got "70000")`.
        let error = match error.to_string() {
            message if message.is_empty() => String::new(),
            message => format!(": {message}"),
        };
        // A parser's message may quote its input, so a hidden value's is not
        // shown.
        let reason = match (read.hidden, item) {
            (Some(why), Some((n, _))) => format!("{expected}: item {n} (value hidden: {why})"),
            (Some(why), None) => format!("{expected} (value hidden: {why})"),
            (None, Some((n, item))) => {
                format!("{expected}: item {n}{error} (got {})", quote(item))
            }
            (None, None) => format!("{expected}{error} (got {})", quote(read.text.as_str())),
        };
        self.invalid
            .push(Invalid::new(spec, reason).from(&read.origin));
        None
    }

    /// The next variable's text (from the source, its `_FILE`, or its
    /// default), recording why there is none.
    fn read(&mut self) -> (&'static VarSpec, Option<Read<'a>>) {
        let index = self.next;
        self.next += 1;
        let spec = &self.vars[index];
        let lookup = match self.fetched.get_mut(index).and_then(Option::take) {
            Some(lookup) => lookup,
            None => self.lookup(spec),
        };
        let (origin, text) = match lookup {
            Ok(Some((origin, text))) => (origin, Some(text)),
            Ok(None) => match spec.default_text() {
                Some(default) => {
                    // Only a non-production profile gives a secret a default.
                    if let (true, Some(profile)) = (spec.secret(), self.profile) {
                        self.warnings.push(Warning::secret_default(spec, profile));
                    }
                    (Origin::Default, Some(Text::Borrowed(default)))
                }
                None if spec.optional() => {
                    self.warnings.push(Warning::unset(spec));
                    (Origin::Unset, None)
                }
                None => {
                    self.missing.push(Missing::new(spec, self.bundle.clone()));
                    (Origin::Unset, None)
                }
            },
            Err(reason) => {
                self.invalid.push(Invalid::new(spec, reason));
                (Origin::Unset, None)
            }
        };
        let read = text.map(|text| Read {
            text,
            hidden: match spec.secret() {
                true => Some("secret"),
                false => origin.hides_values(),
            },
            origin: origin.clone(),
        });
        self.origins.push(origin);
        (spec, read)
    }

    /// Reads the bundle variable, and fetches the bundle it names. Unset, there
    /// is no bundle (and no warning: it is an alternative supply); a failure
    /// is the variable's problem.
    fn fetch_bundle(&mut self) -> Option<Vars> {
        let spec = &self.vars[self.next];
        self.next += 1;
        let text = match self.lookup(spec) {
            Ok(Some((origin, text))) => {
                self.origins.push(origin);
                text
            }
            Ok(None) => {
                self.origins.push(Origin::Unset);
                return None;
            }
            Err(reason) => {
                self.origins.push(Origin::Unset);
                self.invalid.push(Invalid::new(spec, reason));
                return None;
            }
        };
        let hidden = self.origins.last().and_then(Origin::hides_values);
        let layer = self
            .origins
            .last()
            .cloned()
            .unwrap_or(Origin::Unset)
            .layer();
        let fetched = Bundle::parse(text.as_str(), hidden).and_then(|bundle| {
            let settings = self.settings()?;
            settings.credentials_from(bundle.credentials(), &layer)?;
            let vars = resolve::fetch_bundle(&bundle, &settings)
                .map_err(|reason| format!("{bundle}: {reason}"))?;
            Ok((bundle, vars))
        });
        match fetched {
            Ok((bundle, vars)) => {
                self.bundle = Some(bundle.to_string());
                Some(vars)
            }
            Err(reason) => {
                self.invalid.push(Invalid::new(spec, reason));
                None
            }
        }
    }

    /// Looks up every variable still to read, then resolves the references
    /// among their values, all at once.
    fn prefetch(&mut self) {
        self.fetched = (0..self.vars.len()).map(|_| None).collect();
        let (mut references, mut indices, mut layers) = (Vec::new(), Vec::new(), Vec::new());
        for index in self.next..self.vars.len() {
            let mut lookup = self.lookup(&self.vars[index]);
            if let Ok(Some((origin, text))) = &lookup {
                match Reference::parse(text.as_str()) {
                    None => {}
                    // A secret manager's value is never a key to another
                    // secret: whoever writes the bundle would choose what
                    // the environment's credentials fetch.
                    Some(Ok(reference)) if matches!(origin, Origin::Bundle(_)) => {
                        lookup = Err(format!(
                            "{reference} is a value of the bundle, which is never resolved as a reference"
                        ));
                    }
                    Some(Ok(reference)) => {
                        references.push(reference);
                        indices.push(index);
                        layers.push(origin.clone().layer());
                    }
                    Some(Err(malformed)) => {
                        let hidden = match self.vars[index].secret() {
                            true => Some("secret"),
                            false => origin.hides_values(),
                        };
                        lookup = Err(malformed.reason(text.as_str(), hidden));
                    }
                }
            }
            self.fetched[index] = Some(lookup);
        }
        if references.is_empty() {
            return;
        }
        let results: Vec<Result<Zeroizing<String>, String>> = match self.settings() {
            Ok(settings) => {
                // A reference is resolved with credentials from its own
                // layer: a repository's `.env` must not name which secret
                // the shell's token fetches. Refused ones are never sent.
                let refused: Vec<Result<(), String>> = references
                    .iter()
                    .zip(&layers)
                    .map(|(reference, layer)| {
                        settings.credentials_from(reference.credentials(), layer)
                    })
                    .collect();
                let accepted: Vec<Reference> = references
                    .iter()
                    .zip(&refused)
                    .filter(|(_, refused)| refused.is_ok())
                    .map(|(reference, _)| reference.clone())
                    .collect();
                let mut resolved = resolve::resolve_all(&accepted, &settings).into_iter();
                refused
                    .into_iter()
                    .map(|refused| match refused {
                        Ok(()) => resolved
                            .next()
                            .unwrap_or_else(|| Err("not resolved".to_owned())),
                        Err(reason) => Err(reason),
                    })
                    .collect()
            }
            Err(reason) => references.iter().map(|_| Err(reason.clone())).collect(),
        };
        for ((index, reference), result) in indices.into_iter().zip(&references).zip(results) {
            let lookup = match result {
                Ok(secret) if secret.is_empty() && !self.vars[index].allow_empty() => {
                    Err(format!("{reference} resolved to an empty value"))
                }
                Ok(secret) => Ok(Some((
                    Origin::Reference(reference.to_string()),
                    Text::Owned(secret),
                ))),
                Err(reason) => Err(format!("{reference}: {reason}")),
            };
            self.fetched[index] = Some(lookup);
        }
    }

    /// What resolvers need, from the same source as the variables but
    /// never from a bundle, each with the layer it came from.
    fn settings(&self) -> Result<resolve::Settings, String> {
        let vars: Vec<resolve::Setting> = resolve::Settings::NAMES
            .iter()
            .filter_map(|&name| {
                let value = self.base.get(name).filter(is_set)?;
                let text = value.text.ok()?;
                Some(resolve::Setting {
                    name,
                    text: Zeroizing::new(text.as_str().to_owned()),
                    layer: value.origin.layer(),
                })
            })
            .collect();
        let timeout = match vars.iter().find(|s| s.name == "CREDENV_RESOLVE_TIMEOUT") {
            None => resolve::Settings::DEFAULT_TIMEOUT,
            Some(setting) => {
                let timeout = humantime::parse_duration(&setting.text).map_err(|_| {
                    let shown = match setting.layer.hides_values() {
                        None => quote(&setting.text),
                        Some(why) => format!("(value hidden: {why})"),
                    };
                    format!("CREDENV_RESOLVE_TIMEOUT is not a duration (got {shown})")
                })?;
                // A load must end: a hostile `.env` cannot make it wait for
                // a year.
                if timeout > resolve::Settings::MAX_TIMEOUT {
                    return Err(format!(
                        "CREDENV_RESOLVE_TIMEOUT is over {}",
                        humantime::format_duration(resolve::Settings::MAX_TIMEOUT)
                    ));
                }
                timeout
            }
        };
        Ok(resolve::Settings { timeout, vars })
    }

    /// The variable's value, directly or through its `_FILE`; `Ok(None)`
    /// when it is unset.
    fn lookup(&self, spec: &VarSpec) -> Lookup<'a> {
        let direct = self.present(spec.name(), spec.allow_empty());
        // A bundle never names a file to read: only the source does.
        let indirect = self.base.get(spec.file_name()).filter(is_set);
        match (direct, indirect) {
            (None, None) => Ok(None),
            (Some(_), Some(_)) => Err(format!(
                "both {} and {} are set; set only one",
                spec.name(),
                spec.file_name()
            )),
            (Some(value), None) => match value.text {
                Ok(text) => Ok(Some((value.origin, text))),
                Err(Unusable::NotUnicode) => Err("not valid UTF-8".to_owned()),
                Err(Unusable::Invalid(reason)) => Err(reason),
            },
            (None, Some(value)) => {
                let path = match value.text {
                    Ok(path) => path,
                    Err(Unusable::NotUnicode) => {
                        return Err(format!("{} is not valid UTF-8", spec.file_name()));
                    }
                    Err(Unusable::Invalid(reason)) => {
                        return Err(format!("{}: {reason}", spec.file_name()));
                    }
                };
                let path = PathBuf::from(path.as_str());
                let text = read_value_file(&path)
                    .map_err(|reason| format!("{}: {reason}", spec.file_name()))?;
                if text.is_empty() && !spec.allow_empty() {
                    return Err(format!("{}: {} is empty", spec.file_name(), path.display()));
                }
                Ok(Some((Origin::File(path), Text::Owned(text))))
            }
        }
    }

    /// The variable, unless it is unset or (when empty values are not
    /// allowed) empty.
    fn present(&self, name: &str, allow_empty: bool) -> Option<Value<'a>> {
        self.source
            .get(name)
            .filter(|value| allow_empty || is_set(value))
    }
}

/// Set, and not to an empty value.
fn is_set(value: &Value<'_>) -> bool {
    !matches!(&value.text, Ok(text) if text.as_str().is_empty())
}

/// A non-secret value for an error message: escaped, and cut at 80 characters.
fn quote(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_and_cuts() {
        assert_eq!(quote("a\"b\n"), r#""a\"b\n""#);
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("{:?}…", "x".repeat(80)));
    }
}
