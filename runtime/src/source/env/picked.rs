//! `Picked`: the environment's values of the variables a load reads, copied
//! in one pass over the environment; every other value stays where it is.

use std::cell::Cell;
use std::collections::hash_map;

use rustc_hash::FxBuildHasher;

use super::Env;
use super::copies::Copies;
use super::environ::{self, Entry};
use super::slots::{Copied, FEW, Index, Slot, find, key};
use crate::VarSpec;
use crate::source::{Source, Value};

/// Each name a load reads, and the values the environment has for it and
/// for its `NAME_FILE`. A name the load did not announce is looked up in
/// the environment itself.
pub(super) struct Picked {
    /// A slot a variable, in the order of `vars`.
    slots: Vec<Slot>,
    /// Where each name's slot is, for a load of many names; a few are
    /// found by a scan from the slot after the last one found.
    index: Option<Index>,
    /// The slot the load most likely asks for next: it asks in order, so
    /// most lookups need no hashing.
    next: Cell<usize>,
    copies: Copies,
    /// Whether the pass found some `NAME_FILE`.
    files: bool,
    /// Whether a value it copied may be a secret reference.
    references: bool,
}

const FILE: &[u8] = b"_FILE";

impl Picked {
    /// One pass over the environment, copying the values of `vars` (and
    /// their `NAME_FILE`s).
    pub(super) fn read(vars: &'static [VarSpec]) -> Self {
        Self::read_from(vars, Environment)
    }

    /// [`read`](Picked::read) over `entries`.
    fn read_from(vars: &'static [VarSpec], entries: impl Entries) -> Self {
        let mut index =
            (vars.len() > FEW).then(|| Index::with_capacity_and_hasher(vars.len(), FxBuildHasher));
        let mut slots: Vec<Slot> = Vec::with_capacity(vars.len());
        // The first bytes and the lengths of the names it reads, a bit each:
        // most other entries are told apart without reading or hashing them.
        // A `NAME_FILE` starts as its name does.
        let (mut firsts, mut lengths) = ([0u64; 4], 0u64);
        for spec in vars {
            let (name, key) = (spec.name().as_bytes(), key(spec.name().as_bytes()));
            // A name listed twice keeps one slot (the derive never lists
            // one twice; a hand-written `vars` might).
            let new = match &mut index {
                Some(index) => match index.entry(name) {
                    hash_map::Entry::Vacant(vacant) => {
                        vacant.insert(slots.len());
                        true
                    }
                    hash_map::Entry::Occupied(_) => false,
                },
                None => !slots.iter().any(|slot| slot.is(key, name)),
            };
            if new {
                slots.push(Slot {
                    name: spec.name(),
                    key,
                    value: None,
                    file: None,
                });
            }
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
        // The slot after the last one found: an environment often lists a
        // program's variables in the order it declares them.
        let mut next = 0;
        entries.for_each(|entry| {
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
            // The first of a name's entries wins, as with `getenv`. The
            // copy is written in place: one returned through the stack is
            // read back before its stores land (BENCHMARKS.md).
            let mut copy = |into: &mut Option<Copied>| {
                *into = Some(match value.text() {
                    Some(text) => {
                        references |= crate::resolve::Reference::may_be(text.as_bytes());
                        Copied::Text(copies.push(text))
                    }
                    None => Copied::NotUnicode,
                });
            };
            if let Some(at) = find(&slots, index.as_ref(), name, next) {
                next = at + 1;
                if slots[at].value.is_none() {
                    copy(&mut slots[at].value);
                }
            }
            // A name may be one variable's and another's `NAME_FILE`.
            if let Some(base) = name.strip_suffix(FILE)
                && let Some(at) = find(&slots, index.as_ref(), base, next)
                && slots[at].file.is_none()
            {
                copy(&mut slots[at].file);
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
    fn slot(&self, name: &[u8]) -> Option<&Slot> {
        let at = find(&self.slots, self.index.as_ref(), name, self.next.get())?;
        self.next.set(at + 1);
        self.slots.get(at)
    }
}

impl Source for Picked {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        let found = match self.slot(name.as_bytes()) {
            Some(slot) => &slot.value,
            None => match name
                .as_bytes()
                .strip_suffix(FILE)
                .and_then(|b| self.slot(b))
            {
                Some(slot) => &slot.file,
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
        match &self.slot(name.as_bytes())?.value {
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

/// The entries a pass reads: the process environment's, or a test's.
trait Entries {
    fn for_each(self, each: impl FnMut(Entry<'_>));
}

struct Environment;

impl Entries for Environment {
    fn for_each(self, each: impl FnMut(Entry<'_>)) {
        environ::for_each(each);
    }
}

#[cfg(test)]
impl Entries for &[std::ffi::CString] {
    fn for_each(self, each: impl FnMut(Entry<'_>)) {
        environ::for_each_of(self, each);
    }
}

/// A bit for a name's length, names of 63 bytes or more sharing one.
fn length_bit(length: usize) -> u64 {
    1 << length.min(63)
}

#[cfg(test)]
mod tests {
    use std::ffi::CString;

    use super::Picked;
    use crate::{Origin, Source, VarSpec};

    /// A spec a name, leaked as the derive's are `'static`.
    fn specs(names: &[&str]) -> &'static [VarSpec] {
        let specs = names.iter().map(|name| {
            let name: &'static str = String::leak(name.to_string());
            VarSpec::new(name, String::leak(format!("{name}_FILE")), "", "String")
        });
        Vec::leak(specs.collect())
    }

    fn entries(list: &[&[u8]]) -> Vec<CString> {
        list.iter().map(|e| CString::new(*e).unwrap()).collect()
    }

    /// What `get` gives for `name`: its text, `Err` when not UTF-8.
    fn got(picked: &Picked, name: &str) -> Option<Result<String, ()>> {
        let value = picked.get(name)?;
        Some(value.text.map(|t| t.as_str().to_owned()).map_err(drop))
    }

    /// Names whose keys collide (same length, first and last byte), set to
    /// distinct values and listed in the reverse of the struct's order, by
    /// scan (3 names) and by index (21): each reads its own value.
    #[test]
    fn names_with_one_key_read_their_own_values() {
        for count in [3, super::FEW + 5] {
            let names: Vec<String> = (0..count).map(|i| format!("A{:02}Z", i)).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let list: Vec<String> = names.iter().rev().map(|n| format!("{n}=v-{n}")).collect();
            let list: Vec<&[u8]> = list.iter().map(|e| e.as_bytes()).collect();
            let picked = Picked::read_from(specs(&names), &entries(&list)[..]);
            for name in names.iter().chain(names.iter().rev()) {
                assert_eq!(picked.__text(name), Some(format!("v-{name}").as_str()));
            }
            assert!(!picked.files && !picked.references);
        }
    }

    /// The first of a name's entries wins, as with `getenv`; entries
    /// without `=` or with an empty name are skipped; a value that is not
    /// UTF-8 reads as such; a name that is one variable's and another's
    /// `NAME_FILE` fills both.
    #[test]
    fn the_pass_reads_entries_as_getenv_does() {
        let list = entries(&[
            b"NOEQUALS",
            b"=",
            b"=X=1",
            b"KEY=first",
            b"KEY=second",
            b"RAW=\xff\xfe",
            b"KEY_FILE=/run/secrets/key",
            b"OTHER=unrelated",
        ]);
        let picked = Picked::read_from(specs(&["KEY", "KEY_FILE", "RAW", "GONE"]), &list[..]);
        assert_eq!(got(&picked, "KEY"), Some(Ok("first".into())));
        assert_eq!(got(&picked, "RAW"), Some(Err(())));
        assert_eq!(picked.__text("RAW"), None, "not UTF-8: ask get");
        assert_eq!(got(&picked, "GONE"), None);
        assert_eq!(got(&picked, "GONE_FILE"), None);
        assert_eq!(
            got(&picked, "KEY_FILE"),
            Some(Ok("/run/secrets/key".into()))
        );
        assert!(picked.files, "a NAME_FILE of the load is set");
        assert!(!picked.references);
        let copied = picked.copies.len();
        assert_eq!(
            copied,
            "first".len() + 2 * "/run/secrets/key".len(),
            "only the load's"
        );
    }

    /// A value of the load's that starts like a reference, its own or its
    /// `NAME_FILE`'s, is flagged; another program's is not copied or
    /// looked at.
    #[test]
    fn references_are_flagged_only_among_the_load_s_values() {
        let list = entries(&[b"OTHER=op://v/i/f", b"KEY=plain"]);
        let picked = Picked::read_from(specs(&["KEY"]), &list[..]);
        assert!(!picked.references);
        for entry in [&b"KEY=op://v/i/f"[..], b"KEY_FILE=vault://x"] {
            let picked = Picked::read_from(specs(&["KEY"]), &entries(&[entry])[..]);
            assert!(picked.references, "{entry:?}");
        }
    }

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

    /// A few names are found by a scan, many through the index; either
    /// way in any order, and a name listed twice reads the same value.
    #[test]
    fn names_are_found_in_any_order_by_scan_and_by_index() {
        let set = "CARGO_PKG_NAME";
        for count in [3, super::FEW + 5] {
            let mut names: Vec<String> = (0..count)
                .map(|i| format!("CREDENV_SURELY_UNSET_{i}"))
                .collect();
            names[count / 2] = set.to_owned();
            names.push(set.to_owned());
            let vars: Vec<VarSpec> = names
                .iter()
                .map(|name| {
                    let name: &'static str = String::leak(name.clone());
                    let file = String::leak(format!("{name}_FILE"));
                    VarSpec::new(name, file, "", "String")
                })
                .collect();
            let picked = Picked::read(Vec::leak(vars));
            assert_eq!(picked.slots.len(), count, "one slot a name");
            let asked: Vec<&String> = names.iter().rev().chain(&names).collect();
            for name in asked {
                let expected = (name == set).then_some("credenv");
                assert_eq!(picked.__text(name), expected, "{count}: {name}");
            }
        }
    }
}
