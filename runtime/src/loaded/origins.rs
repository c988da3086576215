//! The origin of each variable a load read, kept compactly: most are the
//! environment, a default or unset, which need no room of their own; the
//! others (a file's path, a reference as written) are kept apart. A load of
//! 100 variables keeps 800 bytes instead of 3,200, an allocation that
//! glibc's per-thread cache serves.

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
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Origins {
    slots: Vec<Slot>,
    others: Vec<Origin>,
}

impl Origins {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Origins {
            slots: Vec::with_capacity(capacity),
            others: Vec::new(),
        }
    }

    /// Records the next variable's origin.
    #[inline]
    pub(crate) fn push(&mut self, origin: Origin) {
        let slot = match origin {
            Origin::Env => Slot::Env,
            Origin::Default => Slot::Default,
            Origin::Unset => Slot::Unset,
            other => self.other(other),
        };
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
        if let Some(slot) = self.slots.last_mut() {
            if let Slot::Other(_) = slot {
                // The last variable's is the last of the others.
                self.others.pop();
            }
            *slot = Slot::Unset;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The origin of the variable read `index`th.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> &Origin {
        self.origin(self.slots[index])
    }

    pub(crate) fn last(&self) -> Option<&Origin> {
        self.slots.last().map(|slot| self.origin(*slot))
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &Origin> {
        self.slots.iter().map(|slot| self.origin(*slot))
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
}
