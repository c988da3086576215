//! What the derive's generated code calls. Not part of the API: it changes
//! without notice, in step with `credenv-macros` (pinned with `=`).

use std::fmt;
use std::marker::PhantomData;

use crate::VarSpec;
pub use crate::load::Loader;
use crate::value::{self, FromValue, ValueError};

pub use std::sync::OnceLock;

/// Picks a field type's parser by autoref specialization: `FromValue` when the
/// type implements it, else `FromStr`. Generated code calls
/// `(&&tag::<T>()).parser()` with both traits in scope.
pub struct Tag<T>(PhantomData<T>);

pub const fn tag<T>() -> Tag<T> {
    Tag(PhantomData)
}

pub trait ViaFromValue<T> {
    fn parser(&self) -> fn(&str) -> Result<T, ValueError>;
}

impl<T: FromValue> ViaFromValue<T> for &Tag<T> {
    fn parser(&self) -> fn(&str) -> Result<T, ValueError> {
        T::from_value
    }
}

pub trait ViaFromStr<T> {
    fn parser(&self) -> fn(&str) -> Result<T, ValueError>;
}

impl<T> ViaFromStr<T> for Tag<T>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    fn parser(&self) -> fn(&str) -> Result<T, ValueError> {
        value::from_str::<T>
    }
}

/// The validator of a field without `validate`.
pub fn no_check<T>(_: &T) -> Result<(), std::convert::Infallible> {
    Ok(())
}

/// A secret in `Debug` output.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// An optional secret in `Debug` output: whether it is set, never its value.
pub fn redact_option<T>(value: &Option<T>) -> Option<Redacted> {
    value.as_ref().map(|_| Redacted)
}

/// One entry of a struct's variable list while it is assembled.
pub enum Part {
    Var(VarSpec),
    /// A flattened struct's variables, under a prefix.
    Flatten(&'static str, fn() -> &'static [VarSpec]),
}

/// The variable list of a struct with flattened fields, checked for two
/// fields reading one variable (the derive checks the rest at compile time).
pub fn assemble(owner: &str, parts: Vec<Part>) -> Vec<VarSpec> {
    let mut vars = Vec::new();
    for part in parts {
        match part {
            Part::Var(spec) => vars.push(spec),
            Part::Flatten(prefix, nested) => {
                vars.extend(nested().iter().map(|s| s.prefixed(prefix)))
            }
        }
    }
    let mut names: Vec<(&str, &str)> = Vec::new();
    for spec in &vars {
        names.push((spec.name(), spec.name()));
        names.push((spec.file_name(), spec.name()));
    }
    names.sort_unstable();
    for pair in names.windows(2) {
        if let [(name, a), (other, b)] = pair
            && name == other
        {
            panic!(
                "credenv: in {owner}, {name} is read for both {a} and {b}; give one of them another name or prefix"
            );
        }
    }
    vars
}
