//! What a live handle remembers between its loads: each secret it fetched,
//! with the version its manager gave it. A reload asks the manager only
//! whether the version changed (Vault's KV metadata, Secrets Manager's
//! DescribeSecret), and fetches the data when it did.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use zeroize::Zeroizing;

/// One live handle's memory. A load reads what the last good load kept, and
/// keeps what it used itself; only a load with no problems replaces it.
#[derive(Default)]
pub(crate) struct Memory {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// What the last good load used, by place.
    last: HashMap<String, Versioned>,
    /// What the load under way has used so far.
    this: HashMap<String, Versioned>,
}

/// A secret's data, and its version when the manager can say which it is
/// (`None`: it cannot, or may not, say; the data is fetched every time).
#[derive(Clone)]
#[cfg_attr(not(feature = "__managers"), allow(dead_code))]
pub(crate) struct Versioned {
    pub(crate) version: Option<String>,
    pub(crate) data: Zeroizing<Vec<u8>>,
}

/// What a secret's manager says of its current version.
#[cfg(feature = "__managers")]
pub(crate) enum Current {
    /// This one is current (and not deleted).
    Version(String),
    /// It said something else, or could not be asked.
    Unknown,
    /// The credentials may not ask: fetch the data, and do not ask again.
    Denied,
}

#[cfg_attr(not(feature = "live"), allow(dead_code))]
impl Memory {
    /// The data at `place`: what the last good load kept when `current`
    /// says its version is still the current one, else what `fetch` gets.
    /// Either way it is kept for the next load.
    #[cfg(feature = "__managers")]
    pub(crate) async fn fetch(
        &self,
        place: String,
        current: impl AsyncFnOnce() -> Current,
        fetch: impl AsyncFnOnce() -> Result<Versioned, super::Failed>,
    ) -> Result<Zeroizing<Vec<u8>>, super::Failed> {
        let fetched = match self.known(&place) {
            Some(known) if known.version.is_some() => match current().await {
                Current::Version(version) if Some(&version) == known.version.as_ref() => known,
                Current::Version(_) | Current::Unknown => fetch().await?,
                Current::Denied => Versioned {
                    version: None,
                    ..fetch().await?
                },
            },
            // Known, and its manager may not be asked.
            Some(_) => Versioned {
                version: None,
                ..fetch().await?
            },
            None => fetch().await?,
        };
        self.keep(place, fetched.clone());
        Ok(fetched.data)
    }

    /// What the last good load used at `place`.
    pub(crate) fn known(&self, place: &str) -> Option<Versioned> {
        self.lock().last.get(place).cloned()
    }

    /// Records what this load used at `place`.
    pub(crate) fn keep(&self, place: String, versioned: Versioned) {
        self.lock().this.insert(place, versioned);
    }

    /// Ends a load: a good one's places replace the last (so the memory
    /// holds no more than one load uses); a failed one's are forgotten.
    pub(crate) fn end_load(&self, good: bool) {
        let mut kept = self.lock();
        let this = std::mem::take(&mut kept.this);
        if good {
            kept.last = this;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Every write under the lock is one insert or one assignment.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
