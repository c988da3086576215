//! `Picked`: the environment's values of the variables a load reads, copied
//! in one pass over the environment; every other value stays where it is.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use zeroize::Zeroizing;

use super::{Env, environ};
use crate::VarSpec;
use crate::source::{Source, Value};

/// Each name a load reads, and the values the environment has for it and
/// for its `NAME_FILE`. A name the load did not announce is looked up in
/// the environment itself.
pub(super) struct Picked {
    // Fx: names are short and come from the program and its environment,
    // not from a client; SipHash would cost more than the pass it saves.
    values: HashMap<&'static [u8], Slot, FxBuildHasher>,
    /// Whether the pass found some `NAME_FILE`.
    files: bool,
}

/// What the pass found for one name.
#[derive(Default)]
struct Slot {
    value: Option<Copied>,
    /// The value of its `NAME_FILE`.
    file: Option<Copied>,
}

enum Copied {
    Text(Zeroizing<String>),
    NotUnicode,
}

const FILE: &[u8] = b"_FILE";

impl Picked {
    /// One pass over the environment, copying the values of `vars` (and
    /// their `NAME_FILE`s).
    pub(super) fn read(vars: &'static [VarSpec]) -> Self {
        let mut values = HashMap::with_capacity_and_hasher(vars.len(), FxBuildHasher);
        // The first bytes and the lengths of the names it reads, a bit each:
        // most other entries are told apart without reading or hashing them.
        // A `NAME_FILE` starts as its name does.
        let (mut firsts, mut lengths) = ([0u64; 4], 0u64);
        for spec in vars {
            let name = spec.name().as_bytes();
            values.insert(name, Slot::default());
            let first = name.first().copied().unwrap_or(0);
            firsts[usize::from(first >> 6)] |= 1 << (first & 63);
            lengths |= length_bit(name.len()) | length_bit(name.len() + FILE.len());
        }
        let mut files = false;
        environ::for_each(|entry| {
            let first = entry.first_byte();
            if firsts[usize::from(first >> 6)] & (1 << (first & 63)) == 0 {
                return;
            }
            let Some((name, value)) = entry.split() else {
                return;
            };
            if lengths & length_bit(name.len()) == 0 {
                return;
            }
            // The first of a name's entries wins, as with `getenv`.
            let copy = || match std::str::from_utf8(value.bytes()) {
                Ok(text) => Copied::Text(Zeroizing::new(text.to_owned())),
                Err(_) => Copied::NotUnicode,
            };
            if let Some(slot @ Slot { value: None, .. }) = values.get_mut(name) {
                slot.value = Some(copy());
            }
            if let Some(base) = name.strip_suffix(FILE)
                && let Some(slot @ Slot { file: None, .. }) = values.get_mut(base)
            {
                slot.file = Some(copy());
                files = true;
            }
        });
        Picked { values, files }
    }
}

impl Source for Picked {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        let bytes = name.as_bytes();
        let found = match self.values.get(bytes) {
            Some(slot) => &slot.value,
            None => match bytes.strip_suffix(FILE).and_then(|b| self.values.get(b)) {
                Some(slot) => &slot.file,
                None => return Env.get(name),
            },
        };
        match found {
            Some(Copied::Text(text)) => Some(Value::new(text.as_str())),
            Some(Copied::NotUnicode) => Some(Value::not_unicode()),
            None => None,
        }
    }

    /// Whether the pass found a `NAME_FILE` of the load's: when not, the
    /// load asks for none.
    fn may_hold_file_vars(&self) -> bool {
        self.files
    }
}

/// A bit for a name's length, names of 63 bytes or more sharing one.
fn length_bit(length: usize) -> u64 {
    1 << length.min(63)
}
