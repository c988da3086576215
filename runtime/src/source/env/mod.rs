//! The process environment as a source.

#[cfg(unix)]
mod environ;
#[cfg(unix)]
mod picked;

use super::{Source, Value, Vars, names_a_file, zeroize_os};
use crate::VarSpec;
#[cfg(unix)]
use crate::resolve::Reference;

/// The process environment.
///
/// [`from_env`](crate::Credentials::from_env) reads it. A lookup scans the
/// whole environment (that is how `getenv` works), so a load of many
/// variables from a large environment would scan it hundreds of times. A load
/// instead weighs, from the number of variables and of entries, one lookup a
/// name against one pass over the environment that copies only the values of
/// the names it reads, zeroized when the load ends; every other program's
/// values are never copied. A load that looks names up first walks the
/// entries once: an environment with no name ending in `_FILE` is asked for
/// no `NAME_FILE`, and one with no value that starts like a reference
/// (`op://`, `vault://`, `aws-sm://`) resolves nothing.
///
/// The pass (on Unix) reads `environ` in place, as C code's `getenv` does,
/// without the lock std's own reads take. That is sound under
/// [`std::env::set_var`]'s contract: a program that changes its environment
/// while other threads run must make sure none reads it other than through
/// `std::env`. A program that cannot promise that (one that calls `set_var`
/// from a thread while another loads) should load with
/// [`capture`](Env::capture)d variables: `Creds::load(&Env::capture())`.
/// Elsewhere than Unix, a load looks each variable up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env;

impl Env {
    /// Copies the whole process environment, in one pass through `std::env`
    /// (under std's lock), into variables zeroized when dropped.
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

    /// One walk of the names (on Unix): an environment with no `*_FILE`
    /// variable (most) is never asked for a `NAME_FILE`, which would be a
    /// lookup that scans it all, per variable.
    fn may_hold_file_vars(&self) -> bool {
        #[cfg(unix)]
        return environ::any_name(|name| names_a_file(name));
        #[cfg(not(unix))]
        true
    }

    /// Where the environment is large for the load, a pass that copies
    /// its values (on Unix); else the environment itself, with what one
    /// walk of it tells.
    fn snapshot(&self, vars: &'static [VarSpec]) -> Option<Box<dyn Source + '_>> {
        #[cfg(unix)]
        return Some(
            match looking_up_is_cheaper(2 * vars.len(), environ::len()) {
                true => Box::new(Direct::walk()),
                false => Box::new(picked::Picked::read(vars)),
            },
        );
        #[cfg(not(unix))]
        {
            let _ = vars;
            None
        }
    }
}

/// The environment read by lookups, for one load, with what one walk of
/// its entries told: whether any name ends in `_FILE`, and whether any
/// value starts like a secret reference (most environments have neither,
/// and then the load asks for no `NAME_FILE` and resolves nothing).
#[cfg(unix)]
struct Direct {
    file_vars: bool,
    references: bool,
}

#[cfg(unix)]
impl Direct {
    fn walk() -> Self {
        let (mut file_vars, mut references) = (false, false);
        environ::for_each(|entry| {
            if let Some((name, value)) = entry.split() {
                file_vars |= names_a_file(name);
                references |= Reference::may_be(value.prefix(Reference::LONGEST_START));
            }
        });
        Direct {
            file_vars,
            references,
        }
    }
}

#[cfg(unix)]
impl Source for Direct {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        Env.get(name)
    }

    fn may_hold_file_vars(&self) -> bool {
        self.file_vars
    }

    fn may_hold_references(&self) -> bool {
        self.references
    }
}

/// Whether `lookups` lookups in an environment of `entries` cost less than
/// one pass over it. In nanoseconds on the benchmarks' machine
/// (BENCHMARKS.md): a lookup costs about 40, and 1 an entry it scans; a
/// pass about 5 an entry (most are told apart by their first byte) and 15 a
/// lookup it answers (its text goes straight to the field). So 10 fields
/// in a shell's environment take the pass; one in a pod's, lookups.
#[cfg(unix)]
fn looking_up_is_cheaper(lookups: usize, entries: usize) -> bool {
    let lookup = lookups.saturating_mul(entries.saturating_add(40));
    let pass = entries
        .saturating_mul(5)
        .saturating_add(lookups.saturating_mul(15));
    lookup < pass
}

#[cfg(all(test, unix))]
mod tests {
    use super::looking_up_is_cheaper;

    /// Lookups only for a struct of one or two variables in a large
    /// environment; one pass for the rest (BENCHMARKS.md measures both).
    #[test]
    fn the_cost_model_picks_lookups_only_for_a_few_names_among_many() {
        assert!(looking_up_is_cheaper(2, 1001), "one variable in a pod");
        assert!(!looking_up_is_cheaper(2, 1), "one variable, nearly alone");
        assert!(!looking_up_is_cheaper(8, 1004), "four variables in a pod");
        assert!(
            !looking_up_is_cheaper(20, 40),
            "ten in a shell's environment"
        );
    }
}
