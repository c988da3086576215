//! The engine behind every load: walks the struct's variables in declaration
//! order, reads each once, and records every problem instead of stopping.
//!
//! Generated code drives it (through `__private`) one field at a time; the
//! loader keeps a cursor into `T::vars()`, so a flattened struct's fields read
//! the prefixed specs that follow.

pub(crate) mod digest;
mod fields;
mod lookup;
mod placeholder;
mod profiles;
mod references;

use std::sync::Arc;

use crate::loaded::Origins;
use crate::problem::{Invalid, Missing, Problem, Warning, WarningKind};
use crate::resolve::{Memory, Reference};
use crate::source::{Stack, Text};
use crate::{Credentials, Error, Loaded, Origin, Profile, Role, Source, VarSpec, Vars};

impl Loader<'_> {
    /// Loads `T` from `source`, reading a snapshot of it when it offers one.
    pub(crate) fn load<T: Credentials>(source: &dyn Source) -> Result<Loaded<T>, Error> {
        Self::load_with(source, None)
    }

    /// Loads `T`; a live handle's load (with its `memory`) also digests
    /// what it read (see [`Loaded::same_reads`]) and skips fetching what
    /// has not changed.
    pub(crate) fn load_with<T: Credentials>(
        source: &dyn Source,
        memory: Option<&Arc<Memory>>,
    ) -> Result<Loaded<T>, Error> {
        let original = source;
        let snapshot = source.snapshot(T::vars());
        let mut source: &dyn Source = snapshot.as_deref().unwrap_or(source);
        // Declared before the loader, which may read through them.
        let profile_snapshot: Option<Box<dyn Source + '_>>;
        let bundle: Option<Vars>;
        let with_bundle: Stack<'_>;
        let mut loader = Loader::new(source, T::vars());
        loader.digest = memory.map(|_| digest::Digest::new());
        loader.memory = memory.cloned();
        let profiles = T::__profiles();
        if !profiles.is_empty() {
            let Some(index) = loader.select_profile(profiles) else {
                return loader.finish(None);
            };
            loader.vars = T::__vars_of(index);
            // The profile reads names of its own: a source that snapshots
            // what a load reads (the environment's pass) is asked for them.
            if !std::ptr::eq(loader.vars, T::vars()) {
                profile_snapshot = original.snapshot(loader.vars);
                // A snapshot of the first names only would answer the
                // profile's unscanned: without a new one, the source itself.
                source = profile_snapshot.as_deref().unwrap_or(original);
                loader.read_from(source);
            }
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
                loader.stack_bundle(&with_bundle);
            }
        }
        // Only references need the lookups done ahead; a file named by a
        // `NAME_FILE` may hold one too. A plain source is not asked: the
        // load sees each of its values as it reads it, and the first that
        // may be a reference looks up the rest ahead from there.
        if loader.file_vars || (!loader.plain && loader.source.may_hold_references()) {
            loader.prefetch();
        } else {
            loader.on_reference = match loader.plain {
                true => Unannounced::PrefetchFrom,
                false => Unannounced::Refuse,
            };
        }
        let value = T::__load(&mut loader);
        loader.finish(value)
    }
}

#[doc(hidden)]
pub struct Loader<'a> {
    source: &'a dyn Source,
    /// The source without the bundle: resolver settings and `NAME_FILE`
    /// come only from here.
    base: &'a dyn Source,
    /// Whether `base` may hold a `NAME_FILE` at all: when not, no lookup
    /// asks for one.
    file_vars: bool,
    /// Whether to ask `source` for [`__text`](Source::__text) first.
    plain: bool,
    vars: &'static [VarSpec],
    next: usize,
    profile: Option<Profile>,
    /// The bundle loaded under the source, as written.
    bundle: Option<String>,
    /// The lookups of the variables from `vars[prefetched]` on, done ahead
    /// of parsing so that references resolve all at once, in the order the
    /// fields read them.
    fetched: std::vec::IntoIter<Lookup<'a>>,
    prefetched: usize,
    /// What a value that may be a reference, and was not looked up ahead,
    /// makes the load do.
    on_reference: Unannounced,
    missing: Vec<Missing>,
    invalid: Vec<Invalid>,
    warnings: Vec<Warning>,
    origins: Origins,
    /// What was read, for a live handle's reloads.
    digest: Option<digest::Digest>,
    /// Every secret text read, for the load's scrubber.
    #[cfg(feature = "scrub")]
    secrets: Vec<(&'static str, zeroize::Zeroizing<String>)>,
    /// A live handle's memory of what it fetched.
    memory: Option<Arc<Memory>>,
    /// The layer that named each file read through `NAME_FILE` (by the
    /// variable's name): what sends the file's contents must come from it.
    /// Lookups take `&self`, so it is apart from `reads`.
    file_layers: std::cell::RefCell<Vec<(String, Origin)>>,
}

/// What the load does with a value that may be a reference and was not
/// looked up ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unannounced {
    /// Before the load decides how to read references: the profile's
    /// selector, never resolved, is read as it is.
    AsIs,
    /// The source said it holds none: refused (fail closed).
    Refuse,
    /// A plain source, not asked: the rest is looked up ahead from there,
    /// and its references resolved at once.
    PrefetchFrom,
}

/// What a variable's lookup found: its origin and text, nothing (unset), or
/// why it cannot be used.
type Lookup<'a> = Result<Option<(Origin, Text<'a>)>, Problem>;

/// A variable's text as read, and where its origin is kept.
struct Read<'a> {
    text: Text<'a>,
    /// Its origin's index in `origins`.
    index: usize,
}

impl Read<'_> {
    /// Its text and index, for a message: passed by value, so that a read
    /// is never behind a reference (it stays in registers).
    fn parts(&self) -> (&str, usize) {
        (self.text.as_str(), self.index)
    }
}

impl<'a> Loader<'a> {
    fn new(source: &'a dyn Source, vars: &'static [VarSpec]) -> Self {
        Loader {
            source,
            base: source,
            file_vars: source.may_hold_file_vars(),
            plain: source.__plain(),
            vars,
            next: 0,
            profile: None,
            bundle: None,
            fetched: Vec::new().into_iter(),
            prefetched: usize::MAX,
            on_reference: Unannounced::AsIs,
            missing: Vec::new(),
            invalid: Vec::new(),
            warnings: Vec::new(),
            origins: Origins::with_capacity(vars.len()),
            digest: None,
            memory: None,
            file_layers: Default::default(),
            #[cfg(feature = "scrub")]
            secrets: Vec::new(),
        }
    }

    /// Reads the source with a bundle under it from now on; resolver
    /// settings and `NAME_FILE`s still come from the source alone.
    fn stack_bundle(&mut self, with_bundle: &'a dyn Source) {
        self.source = with_bundle;
        self.plain = with_bundle.__plain();
    }

    /// Reads from `source` (and its `NAME_FILE`s) from now on.
    fn read_from(&mut self, source: &'a dyn Source) {
        self.source = source;
        self.base = source;
        self.file_vars = source.may_hold_file_vars();
        self.plain = source.__plain();
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
            crate::loaded::Reads {
                digest: self.digest.as_ref().map(digest::Digest::finish),
                file_layers: self.file_layers.into_inner(),
                #[cfg(feature = "scrub")]
                secrets: self.secrets,
            },
        ))
    }

    /// Keeps a copy of `text`, a secret of `name`, for the load's scrubber.
    #[cfg(feature = "scrub")]
    fn keep_secret(&mut self, name: &'static str, text: &str) {
        if !text.is_empty() {
            self.secrets
                .push((name, zeroize::Zeroizing::new(text.to_owned())));
        }
    }

    /// The next variable's text (from the source, its `_FILE`, or its
    /// default), recording why there is none. Inlined into each kind of
    /// field, as [`lookup`](Loader::lookup) is into it.
    #[inline(always)]
    fn read(&mut self) -> (&'static VarSpec, Option<Read<'a>>) {
        let index = self.next;
        self.next += 1;
        let spec = &self.vars[index];
        if let Some(text) = self.plain_text(index, spec) {
            // The `Text` is made last: one made first and moved after a call
            // is read back before its stores have landed.
            self.note(index, spec, &Origin::Env, Some(text));
            self.origins.push(Origin::Env);
            let read = Read {
                text: Text::Borrowed(text),
                index: self.origins.len() - 1,
            };
            return (spec, Some(read));
        }
        let lookup = match index >= self.prefetched {
            true => self.fetched.next().expect("every variable is prefetched"),
            false => {
                let lookup = self.lookup(spec);
                match lookup::unannounced(&lookup) {
                    false => lookup,
                    true => match self.on_reference {
                        Unannounced::AsIs => lookup,
                        Unannounced::Refuse => Err(lookup::refused()),
                        Unannounced::PrefetchFrom => self.prefetch_from(index),
                    },
                }
            }
        };
        let (origin, text) = match lookup {
            Ok(Some((origin, text))) => (origin, Some(text)),
            Ok(None) => match spec.default_text() {
                Some(default) => {
                    // Only a non-production profile gives a secret a default.
                    if let (true, Some(profile)) = (spec.secret(), self.profile) {
                        self.warnings
                            .push(Warning::new(spec, WarningKind::SecretDefault(profile)));
                    }
                    (Origin::Default, Some(Text::Borrowed(default)))
                }
                None if spec.optional() => {
                    self.warnings.push(Warning::new(spec, WarningKind::Unset));
                    (Origin::Unset, None)
                }
                None => {
                    self.missing.push(Missing::new(spec, self.bundle.clone()));
                    (Origin::Unset, None)
                }
            },
            Err(problem) => {
                self.invalid.push(Invalid::new(spec, problem));
                (Origin::Unset, None)
            }
        };
        self.recorded(index, spec, origin, text)
    }

    /// The common case, read straight to the field: a plain source's text
    /// (a map's, the one pass's) that needs no more than it is, being set,
    /// neither a placeholder nor like a reference, with no `NAME_FILE` to
    /// look for. Anything else takes the lookup, which tells it all.
    #[inline(always)]
    fn plain_text(&self, index: usize, spec: &VarSpec) -> Option<&'a str> {
        if index >= self.prefetched {
            return None;
        }
        let text = self.plain_text_of(spec)?;
        let ordinary = lookup::set(text, spec.allow_empty())
            && !placeholder::may_be(text)
            && !Reference::may_be(text.as_bytes());
        ordinary.then_some(text)
    }

    /// Notes what was read of the variable `index`, `spec`: its digest, its
    /// secret for the scrubber, its origin.
    #[inline(always)]
    fn recorded(
        &mut self,
        index: usize,
        spec: &'static VarSpec,
        origin: Origin,
        text: Option<Text<'a>>,
    ) -> (&'static VarSpec, Option<Read<'a>>) {
        self.note(index, spec, &origin, text.as_ref().map(Text::as_str));
        let read = text.map(|text| Read {
            text,
            index: self.origins.len(),
        });
        self.origins.push(origin);
        (spec, read)
    }

    /// Notes the text of the variable `index`, `spec`, from `origin`: in the
    /// digest of a live handle's load, and among the scrubber's secrets.
    #[inline(always)]
    fn note(&mut self, index: usize, spec: &'static VarSpec, origin: &Origin, text: Option<&str>) {
        if let Some(digest) = &mut self.digest {
            digest.add(index, text);
        }
        #[cfg(feature = "scrub")]
        if let Some(text) = text
            && (spec.secret() || origin.hides_values().is_some())
        {
            self.keep_secret(spec.name(), text);
            // A list's items are used (and echoed) one by one.
            if let Some(separator) = spec.separator() {
                for item in text.split(separator).map(str::trim) {
                    self.keep_secret(spec.name(), item);
                }
            }
        }
        #[cfg(not(feature = "scrub"))]
        let _ = (spec, origin);
    }

    /// Why messages must not quote the value of `spec`, read `index`th, if
    /// they must not (only a problem asks: a load that has none never does).
    fn hidden(&self, spec: &VarSpec, index: usize) -> Option<&'static str> {
        match spec.secret() {
            true => Some("secret"),
            false => self.origins.get(index).hides_values(),
        }
    }
}
