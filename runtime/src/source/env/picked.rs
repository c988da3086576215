//! `Picked`: the environment's values of the variables a load reads, copied
//! in one pass over the environment; every other value stays where it is.

use std::cell::Cell;
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
    /// A slot a variable, in the order of `vars`.
    slots: Vec<Slot>,
    /// Where each name's slot is. Fx: names are short and come from the
    /// program and its environment, not from a client; SipHash would cost
    /// more than the pass it saves.
    index: HashMap<&'static [u8], usize, FxBuildHasher>,
    /// The slot the load most likely asks for next: it asks in order, so
    /// most lookups need no hashing.
    next: Cell<usize>,
    copies: Copies,
    /// Whether the pass found some `NAME_FILE`.
    files: bool,
    /// Whether a value it copied may be a secret reference.
    references: bool,
}

/// What the pass found for one name.
struct Slot {
    name: &'static str,
    value: Option<Copied>,
    /// The value of its `NAME_FILE`.
    file: Option<Copied>,
}

enum Copied {
    /// Where in `copies` the value is.
    Text(Span),
    NotUnicode,
}

const FILE: &[u8] = b"_FILE";

impl Picked {
    /// One pass over the environment, copying the values of `vars` (and
    /// their `NAME_FILE`s).
    pub(super) fn read(vars: &'static [VarSpec]) -> Self {
        let mut index = HashMap::with_capacity_and_hasher(vars.len(), FxBuildHasher);
        let mut slots = Vec::with_capacity(vars.len());
        // The first bytes and the lengths of the names it reads, a bit each:
        // most other entries are told apart without reading or hashing them.
        // A `NAME_FILE` starts as its name does.
        let (mut firsts, mut lengths) = ([0u64; 4], 0u64);
        for spec in vars {
            let name = spec.name().as_bytes();
            // A name declared twice (a flattened struct's) keeps one slot.
            index.entry(name).or_insert_with(|| {
                slots.push(Slot {
                    name: spec.name(),
                    value: None,
                    file: None,
                });
                slots.len() - 1
            });
            // An empty name's `NAME_FILE` is `_FILE`.
            let first = name.first().copied().unwrap_or(b'_');
            firsts[usize::from(first >> 6)] |= 1 << (first & 63);
            debug_assert_eq!(
                spec.file_name().as_bytes().strip_suffix(FILE),
                Some(name),
                "a NAME_FILE is its name and _FILE"
            );
            lengths |= length_bit(name.len()) | length_bit(name.len() + FILE.len());
        }
        let (mut copies, mut files, mut references) = (Copies::default(), false, false);
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
            let mut copy = || match std::str::from_utf8(value.bytes()) {
                Ok(text) => Copied::Text(copies.push(text)),
                Err(_) => Copied::NotUnicode,
            };
            if let Some(&at) = index.get(name)
                && slots[at].value.is_none()
            {
                references |= crate::resolve::Reference::may_be(value.bytes());
                slots[at].value = Some(copy());
            }
            if let Some(base) = name.strip_suffix(FILE)
                && let Some(&at) = index.get(base)
                && slots[at].file.is_none()
            {
                slots[at].file = Some(copy());
                files = true;
            }
        });
        Picked {
            slots,
            index,
            next: Cell::new(0),
            copies,
            files,
            references,
        }
    }

    /// The slot of `name`, if the load announced it.
    fn slot(&self, name: &str) -> Option<&Slot> {
        let next = self.next.get();
        let at = match self.slots.get(next) {
            Some(slot) if slot.name == name => next,
            _ => *self.index.get(name.as_bytes())?,
        };
        self.next.set(at + 1);
        self.slots.get(at)
    }
}

impl Source for Picked {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        let found = match self.slot(name) {
            Some(slot) => &slot.value,
            None => match name
                .strip_suffix("_FILE")
                .and_then(|b| self.index.get(b.as_bytes()))
            {
                Some(&at) => &self.slots[at].file,
                None => return Env.get(name),
            },
        };
        match found {
            Some(Copied::Text(span)) => Some(Value::new(self.copies.get(span))),
            Some(Copied::NotUnicode) => Some(Value::not_unicode()),
            None => None,
        }
    }

    fn __plain(&self) -> bool {
        true
    }

    /// The text copied for an announced name (`None` for one that is
    /// unset, not UTF-8 or not announced: `get` tells those).
    fn __text(&self, name: &str) -> Option<&str> {
        match &self.slot(name)?.value {
            Some(Copied::Text(span)) => Some(self.copies.get(span)),
            _ => None,
        }
    }

    /// Whether the pass found a `NAME_FILE` of the load's: when not, the
    /// load asks for none.
    fn may_hold_file_vars(&self) -> bool {
        self.files
    }

    /// Whether a value the pass copied may be a reference.
    fn may_hold_references(&self) -> bool {
        self.references
    }
}

/// The values copied, in chunks that never grow (a buffer that grew would
/// leave its old copy behind, unzeroized), each zeroized when dropped: a
/// load's values take one allocation or two, not one each.
#[derive(Default)]
struct Copies {
    chunks: Vec<Zeroizing<String>>,
}

/// A value's place among the copies.
struct Span {
    chunk: usize,
    start: usize,
    end: usize,
}

impl Copies {
    fn push(&mut self, text: &str) -> Span {
        let fits = self
            .chunks
            .last()
            .is_some_and(|chunk| chunk.capacity() - chunk.len() >= text.len());
        if !fits {
            // The first chunk is small: most loads' values fit in it, and it
            // is allocated from glibc's per-thread cache and zeroized whole.
            let chunk = match self.chunks.is_empty() {
                true => 512,
                false => 4096,
            };
            let size = text.len().max(chunk);
            self.chunks
                .push(Zeroizing::new(String::with_capacity(size)));
        }
        let chunk = self.chunks.len() - 1;
        let copy = &mut self.chunks[chunk];
        let start = copy.len();
        copy.push_str(text);
        Span {
            chunk,
            start,
            end: copy.len(),
        }
    }

    fn get(&self, span: &Span) -> &str {
        &self.chunks[span.chunk][span.start..span.end]
    }
}

/// A bit for a name's length, names of 63 bytes or more sharing one.
fn length_bit(length: usize) -> u64 {
    1 << length.min(63)
}

#[cfg(test)]
mod tests {
    use super::{Copies, Picked};
    use crate::{Origin, Source, VarSpec};

    /// What the pass answers through `__text` is what `get` gives, asked in
    /// either order; a name it was not told of is `None` (ask `get`).
    #[test]
    fn text_is_what_get_gives() {
        // Cargo sets it for every test it runs.
        let set = "CARGO_PKG_NAME";
        let vars = vec![
            VarSpec::new(set, "CARGO_PKG_NAME_FILE", "", "String"),
            VarSpec::new(
                "CREDENV_SURELY_UNSET",
                "CREDENV_SURELY_UNSET_FILE",
                "",
                "String",
            ),
        ];
        let picked = Picked::read(Vec::leak(vars));
        assert!(picked.__plain());
        assert_eq!(picked.__text(set), Some("credenv"));
        for name in [
            set,
            "CREDENV_SURELY_UNSET",
            "CARGO_PKG_NAME_FILE",
            "CARGO_PKG_VERSION",
        ] {
            let value = picked.get(name);
            let text = value
                .as_ref()
                .map(|v| v.text.as_ref().ok().unwrap().as_str());
            if let Some(announced) = picked.__text(name) {
                assert_eq!(Some(announced), text, "{name}");
            }
            assert!(value.is_none_or(|v| v.origin == Origin::Env));
        }
        assert_eq!(picked.__text("CARGO_PKG_VERSION"), None, "not announced");
        assert!(
            picked.get("CARGO_PKG_VERSION").is_some(),
            "which get still finds"
        );
    }

    #[test]
    fn copies_never_move_and_read_back_whole() {
        let mut copies = Copies::default();
        let texts: Vec<String> = (0..300).map(|i| "v".repeat(i * 7)).collect();
        let mut spans = Vec::new();
        for text in &texts {
            let span = copies.push(text);
            // Where the copy is, as written: a chunk that grew would move it.
            let at = copies.get(&span).as_ptr();
            spans.push((span, at));
        }
        for (text, (span, at)) in texts.iter().zip(&spans) {
            assert_eq!(copies.get(span), text);
            assert_eq!(copies.get(span).as_ptr(), *at);
        }
        assert!(copies.chunks.len() < texts.len() / 2);
    }
}
