//! The process environment as a source.

#[cfg(unix)]
mod copies;
#[cfg(unix)]
mod environ;
#[cfg(unix)]
mod picked;
#[cfg(unix)]
mod slots;

#[cfg(unix)]
use super::names_a_file;
use super::{Source, Value, Vars, zeroize_os};
use crate::VarSpec;

/// The process environment.
///
/// [`from_env`](crate::Credentials::from_env) reads it. A lookup scans the
/// whole environment (that is how `getenv` works), and a load asks for
/// every variable and, to honor `NAME_FILE`, for every `NAME_FILE` too,
/// which are almost never set: a lookup of each would scan the environment
/// twice a variable. A load instead makes one pass over the environment (on
/// Unix) that copies only the values of the names it reads, zeroized when
/// the load ends; every other program's values are never copied, and most
/// entries are told apart by their first byte. The pass also tells the load
/// whether any `NAME_FILE` of its is set and whether any value it copied
/// starts like a reference (`op://`, `vault://`, `aws-sm://`): when not, it
/// asks for none and resolves nothing. One pass costs less than looking up
/// even one variable and its `NAME_FILE` (BENCHMARKS.md).
///
/// The pass reads `environ` in place, as C code's `getenv` does, without
/// the lock std's own reads take. That is sound under
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
    /// lookup that scans it all, per variable. A load from `Env` asks its
    /// [`snapshot`](Source::snapshot) instead; this serves a source that
    /// wraps `Env` without forwarding `snapshot`.
    fn may_hold_file_vars(&self) -> bool {
        #[cfg(unix)]
        return environ::any_name(|name| names_a_file(name));
        #[cfg(not(unix))]
        true
    }

    /// One pass that copies the values of `vars` (on Unix).
    fn snapshot(&self, vars: &'static [VarSpec]) -> Option<Box<dyn Source + '_>> {
        #[cfg(unix)]
        return Some(Box::new(picked::Picked::read(vars)));
        #[cfg(not(unix))]
        {
            let _ = vars;
            None
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::environ;

    /// The walk `Env::may_hold_file_vars` makes sees the process's names.
    #[test]
    fn any_name_walks_the_process_environment() {
        // Cargo sets it for every test it runs.
        assert!(environ::any_name(|name| name == b"CARGO_PKG_NAME"));
        assert!(!environ::any_name(|_| false));
    }
}
