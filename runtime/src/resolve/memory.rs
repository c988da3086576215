//! What a live handle remembers between its loads: each secret it fetched,
//! with the version its manager gave it. A reload asks the manager only
//! whether the version changed (Vault's KV metadata, Secrets Manager's
//! DescribeSecret), and fetches the data when it did. It also knows when
//! each Vault token is renewed next, so the handle reloads by then.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use zeroize::Zeroizing;

/// How long a failed renewal waits before the next try.
#[cfg(feature = "vault")]
const RENEWAL_RETRY: std::time::Duration = std::time::Duration::from_secs(30);

/// Data kept this long is fetched again whatever its version says: a
/// change the version cannot show (a policy that no longer grants the
/// data) is seen within the hour.
#[cfg(feature = "__managers")]
const MAX_REUSE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// One live handle's memory. A load reads what the last good load kept, and
/// keeps what it used itself; only a load with no problems replaces it.
#[derive(Default)]
pub(crate) struct Memory {
    kept: Mutex<Kept>,
    /// When each token a load used is renewed next, by token.
    renewals: Mutex<HashMap<String, Renewal>>,
}

/// A token's next renewal (`None`: never, it is not renewable), and
/// whether the load under way used the token.
struct Renewal {
    next: Option<Instant>,
    used: bool,
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
    /// When the data was fetched.
    pub(crate) fetched: Instant,
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
            Some(known) if known.version.is_some() && known.fetched.elapsed() < MAX_REUSE => {
                match current().await {
                    Current::Version(version) if Some(&version) == known.version.as_ref() => known,
                    Current::Version(_) | Current::Unknown => fetch().await?,
                    Current::Denied => Versioned {
                        version: None,
                        ..fetch().await?
                    },
                }
            }
            // Known, and its manager may not be asked.
            Some(known) if known.version.is_none() => Versioned {
                version: None,
                ..fetch().await?
            },
            // New, or kept too long.
            _ => fetch().await?,
        };
        self.keep(place, fetched.clone());
        Ok(fetched.data)
    }

    /// What the last good load used at `place`.
    #[cfg(feature = "__managers")]
    pub(crate) fn known(&self, place: &str) -> Option<Versioned> {
        self.lock().last.get(place).cloned()
    }

    /// Records what this load used at `place`.
    #[cfg(feature = "__managers")]
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
        drop(kept);
        // Tokens no longer used are forgotten.
        lock(&self.renewals).retain(|_, renewal| std::mem::take(&mut renewal.used));
    }

    /// Whether the token known as `token` is due for renewal (one not seen
    /// yet is, to learn its lease). A due one is tried again after
    /// `RENEWAL_RETRY` unless [`renewed`](Memory::renewed) says otherwise.
    #[cfg(feature = "vault")]
    pub(crate) fn renewal_due(&self, token: &str) -> bool {
        let now = Instant::now();
        let mut renewals = lock(&self.renewals);
        let renewal = renewals.entry(token.to_owned()).or_insert(Renewal {
            next: Some(now),
            used: false,
        });
        renewal.used = true;
        let due = renewal.next.is_some_and(|next| next <= now);
        if due {
            renewal.next = now.checked_add(RENEWAL_RETRY);
        }
        due
    }

    /// Records a renewal: the next one at `next` (`None`: never).
    #[cfg(feature = "vault")]
    pub(crate) fn renewed(&self, token: &str, next: Option<Instant>) {
        lock(&self.renewals).insert(token.to_owned(), Renewal { next, used: true });
    }

    /// The soonest renewal: a live handle reloads by then.
    pub(crate) fn next_renewal(&self) -> Option<Instant> {
        lock(&self.renewals).values().filter_map(|r| r.next).min()
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        lock(&self.kept)
    }
}

/// Every write under these locks is one insert or one assignment: a holder
/// that panicked left them consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
