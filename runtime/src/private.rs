//! What the derive's generated code calls. Not part of the API: it changes
//! without notice, in step with `credenv-macros` (pinned with `=`).

use std::fmt;
use std::marker::PhantomData;

use crate::VarSpec;
pub use crate::load::Loader;
use crate::value::{self, FromValue, ValueError};
use secrecy::SecretString;

pub use std::sync::OnceLock;

/// Picks a field type's parser by autoref specialization: `FromValue` when the
/// type implements it, else `FromStr`, else an error that says so. Generated
/// code calls `(&&tag::<T>()).parser()` with the three traits in scope; method
/// lookup tries `&&Tag`, then `&Tag`, then `Tag`.
pub struct Tag<T>(PhantomData<T>);

impl<T> Clone for Tag<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Tag<T> {}

pub const fn tag<T>() -> Tag<T> {
    Tag(PhantomData)
}

/// Picks a field type's owner, which takes the text read as the value:
/// `String` and `SecretString` have one, and other types parse the text.
/// Generated code calls `(&&tag::<T>()).owner()` with both traits in scope
/// (a type the user names `String` is not std's, and has none).
/// The owner is a type, not a function pointer, so that taking the text
/// inlines into the field's load.
pub trait ViaOwned<T> {
    fn owner(&self) -> Option<Take>;
}

impl ViaOwned<String> for &Tag<String> {
    fn owner(&self) -> Option<Take> {
        Some(Take)
    }
}

impl ViaOwned<SecretString> for &Tag<SecretString> {
    fn owner(&self) -> Option<Take> {
        Some(Take)
    }
}

pub trait ViaParsed<T> {
    fn owner(&self) -> Option<Parse>;
}

impl<T> ViaParsed<T> for Tag<T> {
    fn owner(&self) -> Option<Parse> {
        None
    }
}

/// Makes a field's value of the text read.
pub trait Owner<T> {
    fn own(self, text: String) -> T;
}

/// The owner of `String` and `SecretString` fields.
pub struct Take;

impl Owner<String> for Take {
    #[inline]
    fn own(self, text: String) -> String {
        value::string_from(text)
    }
}

impl Owner<SecretString> for Take {
    #[inline]
    fn own(self, text: String) -> SecretString {
        value::secret_from(text)
    }
}

/// No owner: the field's type parses the text (there is no value of it).
pub enum Parse {}

impl<T> Owner<T> for Parse {
    fn own(self, _: String) -> T {
        match self {}
    }
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

pub trait ViaNothing<T> {
    fn parser(self) -> fn(&str) -> Result<T, ValueError>
    where
        T: crate::FromStrOrFromValue;
}

/// Chosen only when `T` has neither parser: its bound fails with the
/// message below, at the field's type.
impl<T> ViaNothing<T> for Tag<T> {
    fn parser(self) -> fn(&str) -> Result<T, ValueError>
    where
        T: crate::FromStrOrFromValue,
    {
        unreachable!("FromStrOrFromValue has no implementations")
    }
}

/// A parser that also keeps a number within the declared `min` and `max`:
/// a number out of them is an error with no message of its own (the loader
/// says `expected u16, at most 65535`).
pub fn bounded<T: PartialOrd, E: fmt::Display>(
    parse: impl Fn(&str) -> Result<T, E>,
    min: Option<T>,
    max: Option<T>,
) -> impl Fn(&str) -> Result<T, ValueError> {
    move |text| {
        let value = parse(text).map_err(ValueError::new)?;
        let below = min.as_ref().is_some_and(|min| value < *min);
        let above = max.as_ref().is_some_and(|max| value > *max);
        match below || above {
            true => Err(ValueError::new("")),
            false => Ok(value),
        }
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

/// What the derive needs of a flattened field's type. Every use it makes of
/// the type goes through [`nested`], the one place `T: Credentials` is
/// required: a type that does not derive `Credentials` is one error (the
/// same error at the same token is reported once), at the field's type.
pub struct Nested<T> {
    pub load: fn(&mut Loader<'_>) -> Option<T>,
    pub vars: fn() -> &'static [VarSpec],
    pub debug: fn(&T) -> &dyn fmt::Debug,
}

pub fn nested<T: crate::Credentials>() -> Nested<T> {
    Nested {
        load: |loader| loader.nested::<T>(),
        vars: T::vars,
        debug: |value| value,
    }
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
