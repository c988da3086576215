//! The process environment as a source.

use super::{Source, Value, Vars, zeroize_os};

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
