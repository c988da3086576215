//! `Picked`: the environment's values of the variables a load reads, copied
//! in one pass over the environment; every other value stays where it is.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use zeroize::Zeroizing;

use super::{Env, environ};
use crate::VarSpec;
use crate::source::{Source, Value};

/// Each name a load reads (`NAME` and `NAME_FILE`), and its value if the
/// environment has it. A name the load did not announce is looked up in the
/// environment itself.
pub(super) struct Picked {
    // Fx: names are short and come from the program and its environment,
    // not from a client; SipHash would cost more than the pass it saves.
    values: HashMap<&'static [u8], Option<Copied>, FxBuildHasher>,
}

enum Copied {
    Text(Zeroizing<String>),
    NotUnicode,
}

impl Picked {
    /// One pass over the environment, copying the values of `vars`.
    pub(super) fn read(vars: &'static [VarSpec]) -> Self {
        let mut values = HashMap::with_capacity_and_hasher(2 * vars.len(), FxBuildHasher);
        // The first bytes and the lengths of the names it reads, a bit each:
        // most other entries are told apart without reading or hashing them.
        let (mut firsts, mut lengths) = ([0u64; 4], 0u64);
        for name in vars.iter().flat_map(|spec| [spec.name(), spec.file_name()]) {
            let name = name.as_bytes();
            values.insert(name, None);
            let first = name.first().copied().unwrap_or(0);
            firsts[usize::from(first >> 6)] |= 1 << (first & 63);
            lengths |= length_bit(name);
        }
        environ::for_each(|entry| {
            let first = entry.first_byte();
            if firsts[usize::from(first >> 6)] & (1 << (first & 63)) == 0 {
                return;
            }
            let Some((name, value)) = entry.split() else {
                return;
            };
            if lengths & length_bit(name) == 0 {
                return;
            }
            // The first of a name's entries wins, as with `getenv`.
            let Some(slot @ None) = values.get_mut(name) else {
                return;
            };
            *slot = Some(match std::str::from_utf8(value.bytes()) {
                Ok(text) => Copied::Text(Zeroizing::new(text.to_owned())),
                Err(_) => Copied::NotUnicode,
            });
        });
        Picked { values }
    }
}

impl Source for Picked {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        match self.values.get(name.as_bytes()) {
            Some(Some(Copied::Text(text))) => Some(Value::new(text.as_str())),
            Some(Some(Copied::NotUnicode)) => Some(Value::not_unicode()),
            Some(None) => None,
            None => Env.get(name),
        }
    }
}

/// A bit for the name's length, names of 63 bytes or more sharing one.
fn length_bit(name: &[u8]) -> u64 {
    1 << name.len().min(63)
}
