//! The one pass's slots, a name each, and how a name's slot is found: by
//! a scan from the slot after the last one found, or for many names
//! through an index.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use super::copies::Span;

/// What the pass found for one name.
pub(super) struct Slot {
    pub(super) name: &'static str,
    /// Its [`key`]: most names are told apart by it alone.
    pub(super) key: u32,
    pub(super) value: Option<Copied>,
    /// The value of its `NAME_FILE`.
    pub(super) file: Option<Copied>,
}

pub(super) enum Copied {
    /// Where in `copies` the value is.
    Text(Span),
    NotUnicode,
}

/// Where each name's slot is. Fx: names are short and come from the
/// program and its environment, not from a client; SipHash would cost
/// more than the pass it saves.
pub(super) type Index = HashMap<&'static [u8], usize, FxBuildHasher>;

/// Up to this many names, a scan of the slots finds a name faster than
/// hashing it, and building no index saves more (BENCHMARKS.md).
pub(super) const FEW: usize = 16;

/// Where `name`'s slot is, looked for first at `from`: a load asks for its
/// names in order, so most lookups compare one name (its own, often the
/// very `&'static str` of the slot) and hash none.
#[inline(always)]
pub(super) fn find(
    slots: &[Slot],
    index: Option<&Index>,
    name: &[u8],
    from: usize,
) -> Option<usize> {
    match slots.get(from) {
        Some(slot) if std::ptr::eq(slot.name.as_bytes(), name) => Some(from),
        Some(slot) if slot.is(key(name), name) => Some(from),
        _ => search(slots, index, key(name), name, from),
    }
}

/// [`find`] for a name not at `from`.
#[inline(never)]
fn search(
    slots: &[Slot],
    index: Option<&Index>,
    key: u32,
    name: &[u8],
    from: usize,
) -> Option<usize> {
    if let Some(index) = index {
        return index.get(name).copied();
    }
    let (before, after) = slots.split_at(from.min(slots.len()));
    let position = |slots: &[Slot]| slots.iter().position(|slot| slot.is(key, name));
    position(after)
        .map(|at| at + before.len())
        .or_else(|| position(before))
}

impl Slot {
    /// Whether the slot is `name`'s, whose [`key`] is `key`.
    #[inline(always)]
    pub(super) fn is(&self, key: u32, name: &[u8]) -> bool {
        self.key == key && same(self.name.as_bytes(), name)
    }
}

/// A name's length (its low 16 bits), first byte and last byte, which tell
/// most of a program's names apart (`F1` from `F2`, `GITHUB_TOKEN` from
/// `SLACK_TOKEN`) in one comparison. Equal keys say nothing: [`same`]
/// decides.
#[inline(always)]
pub(super) fn key(name: &[u8]) -> u32 {
    let (first, last) = (name.first(), name.last());
    let length = u32::try_from(name.len()).unwrap_or(u32::MAX) << 16;
    length | u32::from(*first.unwrap_or(&0)) << 8 | u32::from(*last.unwrap_or(&0))
}

/// Whether two names are the same: the load asks with its slots' own
/// names, and names are short, so most are told by their address or their
/// first bytes, without a call to `memcmp`.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && (std::ptr::eq(a, b) || a.iter().zip(b).all(|(a, b)| a == b))
}
