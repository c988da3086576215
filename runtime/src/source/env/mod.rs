//! The process environment as a source.

mod environ;
mod picked;

use super::{Source, Value, Vars, zeroize_os};
use crate::VarSpec;
use picked::Picked;

/// The process environment.
///
/// [`from_env`](crate::Credentials::from_env) reads it. A lookup scans the
/// whole environment (that is how `getenv` works), so a load of many
/// variables from a large environment would scan it hundreds of times. A load
/// instead weighs, from the number of variables and of entries, one lookup a
/// name against one pass over the environment that copies only the values of
/// the names it reads, zeroized when the load ends; every other program's
/// values are never copied.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env;

impl Env {
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

    fn snapshot(&self, vars: &'static [VarSpec]) -> Option<Box<dyn Source + '_>> {
        let lookups = 2 * vars.len();
        let direct = environ::len().is_some_and(|entries| looking_up_is_cheaper(lookups, entries));
        (!direct).then(|| Box::new(Picked::read(vars)) as Box<dyn Source>)
    }
}

/// Whether `lookups` lookups in an environment of `entries` cost less than
/// one pass over it. In nanoseconds on the benchmarks' machine
/// (BENCHMARKS.md): a lookup costs about 40, and 1 an entry it scans; a
/// pass about 5 an entry (most are told apart by their first byte) and 45 a
/// lookup it answers.
fn looking_up_is_cheaper(lookups: usize, entries: usize) -> bool {
    let lookup = lookups.saturating_mul(entries.saturating_add(40));
    let pass = entries
        .saturating_mul(5)
        .saturating_add(lookups.saturating_mul(45));
    lookup < pass
}
