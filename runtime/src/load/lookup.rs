//! A variable's lookup: the variable itself, or the file its `NAME_FILE`
//! names, never both.

use std::path::PathBuf;

use super::{Loader, Lookup};
use crate::problem::{InvalidKind, Problem};
use crate::resolve::Reference;
use crate::source::file::read_value_file;
use crate::source::{Text, Unusable, Value};
use crate::{Origin, ResolveFailure, VarSpec};

impl<'a> Loader<'a> {
    /// The variable's value, directly or through its `_FILE`; `Ok(None)`
    /// when it is unset.
    ///
    /// Inlined, with [`usable`]: what is moved between small functions
    /// through memory is read back before its stores have landed, a stall
    /// that cost a load from a map more than its instructions did.
    #[inline(always)]
    pub(super) fn lookup(&self, spec: &VarSpec) -> Lookup<'a> {
        if let Some(text) = self.plain_text_of(spec) {
            return match set(text, spec.allow_empty()) {
                true => usable(spec, Origin::Env, Text::Borrowed(text)),
                false => Ok(None),
            };
        }
        self.look_up_value(spec)
    }

    /// A plain source's text for `spec` (a map's, the one pass's), when
    /// there is no `NAME_FILE` to look for: no `Value` to build.
    #[inline(always)]
    pub(super) fn plain_text_of(&self, spec: &VarSpec) -> Option<&'a str> {
        match self.plain && !self.file_vars {
            true => self.source.__text(spec.name()),
            false => None,
        }
    }

    /// [`lookup`](Loader::lookup) through the source's [`Value`], and its
    /// `NAME_FILE`.
    fn look_up_value(&self, spec: &VarSpec) -> Lookup<'a> {
        let direct = self.present(spec.name(), spec.allow_empty());
        // A bundle never names a file to read: only the source does.
        if self.file_vars
            && let Some(indirect) = self.base.get(spec.file_name()).filter(is_set)
        {
            return match direct {
                Some(_) => Err(Problem::new(
                    InvalidKind::BothSet,
                    format!(
                        "both {} and {} are set; set only one",
                        spec.name(),
                        spec.file_name()
                    ),
                )),
                None => self.through_file(spec, indirect),
            };
        }
        let Some(value) = direct else {
            return Ok(None);
        };
        match value.text {
            Ok(text) => usable(spec, value.origin, text),
            Err(Unusable::NotUnicode) => {
                Err(Problem::new(InvalidKind::NotUnicode, "not valid UTF-8"))
            }
            Err(Unusable::Invalid(reason)) => Err(Problem::new(InvalidKind::Unusable, reason)),
        }
    }

    /// The value of the file that `value`, the variable's `NAME_FILE`, names.
    fn through_file(&self, spec: &VarSpec, value: Value<'a>) -> Lookup<'a> {
        let file = |reason: String| {
            Problem::new(InvalidKind::File, format!("{}: {reason}", spec.file_name()))
        };
        let path = match value.text {
            Ok(path) => path,
            Err(Unusable::NotUnicode) => {
                return Err(Problem::new(
                    InvalidKind::NotUnicode,
                    format!("{} is not valid UTF-8", spec.file_name()),
                ));
            }
            Err(Unusable::Invalid(reason)) => return Err(file(reason)),
        };
        // A path is shown in every message about its file.
        if let Some(reason) = super::placeholder::unexpanded(spec, path.as_str(), true) {
            let reason = format!("{}: {reason}", spec.file_name());
            return Err(Problem::new(InvalidKind::Placeholder, reason));
        }
        let path = PathBuf::from(path.as_str());
        let text = read_value_file(&path).map_err(file)?;
        if text.is_empty() && !spec.allow_empty() {
            return Err(file(format!("{} is empty", path.display())));
        }
        self.file_layers
            .borrow_mut()
            .push((spec.name().to_owned(), value.origin.layer()));
        Ok(Some((Origin::File(path), Text::Owned(text))))
    }

    /// The variable, unless it is unset or (when empty values are not
    /// allowed) empty.
    pub(super) fn present(&self, name: &str, allow_empty: bool) -> Option<Value<'a>> {
        self.source
            .get(name)
            .filter(|value| allow_empty || is_set(value))
    }
}

/// Whether `lookup` found a value that starts like a reference that was
/// not looked up ahead: a plain source's has the rest looked up ahead from
/// there; one from a source that said it held none (it answers wrongly) is
/// [`refused`], never used as plain text.
#[inline]
pub(super) fn unannounced(lookup: &Lookup<'_>) -> bool {
    matches!(lookup, Ok(Some((_, text))) if Reference::may_be(text.as_str().as_bytes()))
}

/// Why an [`unannounced`] reference is not used (not quoted: a reference
/// may carry a secret).
#[cold]
pub(super) fn refused() -> Problem {
    Problem::new(
        InvalidKind::Reference(ResolveFailure::Refused),
        "starts like a secret reference, which its source said it held none of (the source's `may_hold_references` is wrong): not used",
    )
}

/// `text`, from `origin`, unless it is a placeholder a client left in place.
#[inline(always)]
fn usable<'a>(spec: &VarSpec, origin: Origin, text: Text<'a>) -> Lookup<'a> {
    let quotable = !spec.secret() && origin.hides_values().is_none();
    match super::placeholder::unexpanded(spec, text.as_str(), quotable) {
        Some(reason) => Err(Problem::new(InvalidKind::Placeholder, reason)),
        None => Ok(Some((origin, text))),
    }
}

/// Set, and not to an empty value.
pub(super) fn is_set(value: &Value<'_>) -> bool {
    !matches!(&value.text, Ok(text) if text.as_str().is_empty())
}

/// Whether `text` counts as set: not empty, unless empty values are allowed.
#[inline]
pub(super) fn set(text: &str, allow_empty: bool) -> bool {
    allow_empty || !text.is_empty()
}
