//! The origin of each variable a load read, kept compactly: the first ones
//! that came from the source itself as a count (a load that finds every
//! variable set keeps nothing more), then a slot of 8 bytes a variable. Most
//! are the environment, a default or unset, which need no room of their
//! own; the others (a file's path, a reference as written) are kept apart.

use crate::Origin;

/// One variable's origin: itself when it holds nothing, else its place in
/// [`Origins::others`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Env,
    Default,
    Unset,
    /// Loads read fewer than 2³² variables.
    Other(u32),
}

static ENV: Origin = Origin::Env;
static DEFAULT: Origin = Origin::Default;
static UNSET: Origin = Origin::Unset;

/// The origins of a load's variables, in the order it read them.
#[derive(Debug)]
pub(crate) struct Origins {
    /// How many variables, from the first, came from the source itself,
    /// kept as a count: a load that finds every variable set keeps no slot
    /// at all, and allocates nothing.
    leading_env: usize,
    /// A slot a variable after those.
    slots: Vec<Slot>,
    others: Vec<Origin>,
    /// How many variables the load reads, for the slots' one allocation.
    capacity: usize,
}

impl Origins {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Origins {
            leading_env: 0,
            slots: Vec::new(),
            others: Vec::new(),
            capacity,
        }
    }

    /// Records the next variable's origin.
    #[inline]
    pub(crate) fn push(&mut self, origin: Origin) {
        let slot = match origin {
            Origin::Env if self.slots.is_empty() => {
                self.leading_env += 1;
                return;
            }
            Origin::Env => Slot::Env,
            Origin::Default => Slot::Default,
            Origin::Unset => Slot::Unset,
            other => self.other(other),
        };
        self.push_slot(slot);
    }

    fn push_slot(&mut self, slot: Slot) {
        if self.slots.capacity() == 0 {
            let room = self.capacity.saturating_sub(self.leading_env).max(1);
            self.slots.reserve_exact(room);
        }
        self.slots.push(slot);
    }

    /// Keeps an origin that holds data apart (rare: kept out of `push`,
    /// which every variable calls).
    #[cold]
    fn other(&mut self, origin: Origin) -> Slot {
        let index = u32::try_from(self.others.len()).expect("fewer than 2^32 variables");
        self.others.push(origin);
        Slot::Other(index)
    }

    /// The last variable turned out to hold nothing: it is unset.
    pub(crate) fn unset_last(&mut self) {
        match self.slots.last_mut() {
            Some(slot) => {
                if let Slot::Other(_) = slot {
                    // The last variable's is the last of the others.
                    self.others.pop();
                }
                *slot = Slot::Unset;
            }
            None if self.leading_env > 0 => {
                self.leading_env -= 1;
                self.push_slot(Slot::Unset);
            }
            None => {}
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.leading_env + self.slots.len()
    }

    /// The origin of the variable read `index`th.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> &Origin {
        match index.checked_sub(self.leading_env) {
            None => &ENV,
            Some(index) => self.origin(self.slots[index]),
        }
    }

    pub(crate) fn last(&self) -> Option<&Origin> {
        self.len().checked_sub(1).map(|index| self.get(index))
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &Origin> {
        (0..self.len()).map(|index| self.get(index))
    }

    #[inline]
    fn origin(&self, slot: Slot) -> &Origin {
        match slot {
            Slot::Env => &ENV,
            Slot::Default => &DEFAULT,
            Slot::Unset => &UNSET,
            Slot::Other(index) => &self.others[index as usize],
        }
    }
}

impl Default for Origins {
    fn default() -> Self {
        Origins::with_capacity(0)
    }
}

/// The same origins in the same order, however they are kept.
impl PartialEq for Origins {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Origins {}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn keeps_each_origin_in_order_and_unsets_the_last() {
        let mut origins = Origins::with_capacity(4);
        origins.push(Origin::Env);
        origins.push(Origin::File(PathBuf::from("/run/a")));
        origins.push(Origin::Default);
        origins.push(Origin::Reference("op://v/i/f".into()));
        assert_eq!(origins.len(), 4);
        assert_eq!(origins.get(1), &Origin::File(PathBuf::from("/run/a")));
        origins.unset_last();
        assert_eq!(origins.last(), Some(&Origin::Unset));
        origins.push(Origin::Bundle("vault://secret/app".into()));
        let all: Vec<_> = origins.iter().cloned().collect();
        assert_eq!(
            all,
            [
                Origin::Env,
                Origin::File(PathBuf::from("/run/a")),
                Origin::Default,
                Origin::Unset,
                Origin::Bundle("vault://secret/app".into()),
            ]
        );
        assert_eq!(origins.others.len(), 2, "the unset reference left no entry");
    }

    /// Variables all found in the source keep a count, no slot; the first
    /// other origin, or the last found one turned unset, starts the slots.
    #[test]
    fn leading_variables_from_the_source_are_a_count() {
        let mut origins = Origins::with_capacity(4);
        for _ in 0..3 {
            origins.push(Origin::Env);
        }
        assert_eq!((origins.len(), origins.slots.capacity()), (3, 0));
        assert_eq!(origins.get(2), &Origin::Env);
        origins.unset_last();
        origins.push(Origin::Env);
        let all: Vec<_> = origins.iter().cloned().collect();
        assert_eq!(all, [Origin::Env, Origin::Env, Origin::Unset, Origin::Env]);
        assert_eq!(origins.last(), Some(&Origin::Env));
        let mut same = Origins::with_capacity(0);
        for origin in all {
            same.push(origin);
        }
        assert_eq!(same, origins);
        let mut empty = Origins::default();
        empty.unset_last();
        assert_eq!((empty.len(), empty.last()), (0, None));
        let mut origins = Origins::with_capacity(3);
        origins.push(Origin::Env);
        origins.push(Origin::File(PathBuf::from("/run/a")));
        origins.unset_last();
        origins.push(Origin::Reference("op://v/i/f".into()));
        let all: Vec<_> = origins.iter().cloned().collect();
        let reference = Origin::Reference("op://v/i/f".into());
        assert_eq!(all, [Origin::Env, Origin::Unset, reference]);
        assert_eq!(origins.others.len(), 1);
    }
}
