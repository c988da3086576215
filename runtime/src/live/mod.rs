//! Live credentials (feature `live`): a handle that reloads them when they
//! change, without a restart.
//!
//! [`Live`] owns its source and the current [`Loaded`] behind an atomic
//! pointer. A reload reads the source's files again
//! ([`Source::reread`]), loads a *whole* new `Loaded` through the same
//! loader, and swaps it in only when the load has no problems; otherwise
//! the last good one stays, and the failure is kept as data
//! ([`Status::last_error`]) and logged (`tracing`, ERROR, target
//! `credenv`: the variables, never a value). What triggers one:
//!
//! - a change to a file the load read (a `NAME_FILE` path, a secrets
//!   directory, a `.env` file): their directories are watched (inotify on
//!   Linux, through `notify`), so a Kubernetes Secret volume's update, the
//!   kubelet's rename of `..data` to a new timestamped directory, is seen
//!   as well as a file replaced or written in place. Events are debounced
//!   (100 ms of quiet, and at most a reload every 500 ms), so a file being
//!   written is read once it is done; a half-written file that fails to
//!   load is read again on its next event. Replace files by renaming a
//!   complete one over them (as the kubelet and Docker do) to be sure no
//!   load sees half of one.
//!   Where the platform has no file events, a poll stands in;
//!   [`Watch::poll`] asks for one (network filesystems);
//! - an interval ([`Watch::interval`], else `CREDENV_REFRESH_INTERVAL` in
//!   the source, else five minutes when the load fetched references or
//!   bundles, else none): references and bundles are fetched again;
//! - [`Live::reload`].
//!
//! A reload that reads the same texts from the same places as the current
//! generation changes nothing: no new generation, nobody told. A reload of
//! a Vault or Secrets Manager secret whose version has not changed asks
//! only for the version (Vault's KV metadata, `DescribeSecret`), and
//! fetches the value when it changed. The process's `VAULT_TOKEN` is
//! renewed once half of its lease has passed (and the handle reloads by
//! then). Each new generation's warnings are logged, as the first load's
//! are.
//!
//! Readers take [`Live::current`], an `Arc` of one generation: consistent
//! (never half of two loads) and as cheap as an `Arc` clone. An old
//! generation's secrets are zeroized when its last reader drops it. Be told
//! of a change with [`Live::changes`] (async) or [`Live::on_change`] (a
//! callback), to rebuild a client that holds a token.
//!
//! ```
//! use credenv::{Credentials, ExposeSecret, SecretString, SecretsDir};
//!
//! #[derive(Credentials)]
//! struct Creds {
//!     api_token: SecretString,
//! }
//!
//! # let dir = std::env::temp_dir().join(format!("credenv-doc-live-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("api_token"), "t-1\n")?;
//! let live = Creds::watch(SecretsDir::new(&dir))?;
//! assert_eq!(live.current().api_token.expose_secret(), "t-1");
//!
//! std::fs::write(dir.join("api_token"), "t-2\n")?;
//! live.reload()?; // or wait: the watcher sees the change
//! assert_eq!(live.current().api_token.expose_secret(), "t-2");
//! assert_eq!(live.status().generation(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod start;
mod status;
mod watcher;
mod worker;

pub use start::Watch;
pub use status::{ReloadError, Status};

use std::fmt;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::SystemTime;

use arc_swap::ArcSwap;
use tokio::sync::watch;

use crate::resolve::Memory;
use crate::{Error, Loaded, Source};

/// Live credentials: the current [`Loaded`], reloaded when its sources
/// change. Clones share one handle; the watcher stops when the last is
/// dropped. See the [module documentation](self).
pub struct Live<T> {
    inner: Arc<Inner<T>>,
}

/// Changes of a live handle, from [`Live::changes`].
pub struct Changes<T> {
    generation: watch::Receiver<u64>,
    inner: Weak<Inner<T>>,
}

/// What the handles, the watcher thread and [`Changes`] share.
struct Inner<T> {
    current: ArcSwap<Loaded<T>>,
    /// The source, locked for the whole of a reload: one at a time.
    source: Mutex<Box<dyn Source + Send>>,
    /// Locked only to read or write it, never during a load.
    status: Mutex<Status>,
    generation: watch::Sender<u64>,
    callbacks: Mutex<Vec<Callback<T>>>,
    /// Wakes the watcher thread: files changed, watch these paths, stop.
    wake: mpsc::SyncSender<worker::Wake>,
    load: Load<T>,
    /// What the loads fetched, by version.
    memory: Arc<Memory>,
    /// A scrubber over the current generation's secrets and the previous
    /// one's (a call in flight may still echo an old token).
    #[cfg(feature = "scrub")]
    scrubber: ArcSwap<crate::scrub::Scrubber>,
}

type Load<T> = fn(&dyn Source, &Arc<Memory>) -> Result<Loaded<T>, Error>;

type Callback<T> = Arc<dyn Fn(&Loaded<T>) + Send + Sync>;

impl<T> Live<T> {
    /// The current generation: an `Arc` clone, consistent for as long as it
    /// is held.
    pub fn current(&self) -> Arc<Loaded<T>> {
        self.inner.current.load_full()
    }

    /// Reloads now, on this thread (it may call a secret manager: in async
    /// code, from `spawn_blocking`). The new generation, or why the last
    /// good one stays.
    pub fn reload(&self) -> Result<u64, Arc<ReloadError>> {
        let reloaded = self.inner.reload();
        // The load may have read other files: the watcher follows them.
        let _ = self.inner.wake.try_send(worker::Wake::Paths);
        reloaded
    }

    /// A scrubber over the current generation's secrets and, after a
    /// rotation, the previous one's too (a call in flight may still hold
    /// the old token): ask again each time (feature `scrub`). See
    /// [`crate::scrub`].
    #[cfg(feature = "scrub")]
    pub fn scrubber(&self) -> Arc<crate::scrub::Scrubber> {
        self.inner.scrubber.load_full()
    }

    /// What the handle has done so far.
    pub fn status(&self) -> Status {
        lock(&self.inner.status).clone()
    }

    /// A stream of changes: [`Changes::next`] waits for the next
    /// generation.
    pub fn changes(&self) -> Changes<T> {
        Changes {
            generation: self.inner.generation.subscribe(),
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// Calls `callback` with each new generation, in order, on the thread
    /// that loaded it (the watcher's, or the caller of
    /// [`reload`](Live::reload)). It runs before the next reload can start:
    /// keep it short, and do not call `reload` from it (that would wait for
    /// itself). Do not move a clone of the handle into it either: the
    /// handle would keep itself alive, and its watcher would never stop.
    pub fn on_change(&self, callback: impl Fn(&Loaded<T>) + Send + Sync + 'static) {
        lock(&self.inner.callbacks).push(Arc::new(callback));
    }
}

impl<T> Clone for Live<T> {
    fn clone(&self) -> Self {
        Live {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Live<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Live")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl<T> Changes<T> {
    /// Waits for a generation newer than the last this stream returned
    /// (or than the one current when it was made); `None` once the handle
    /// is gone.
    pub async fn next(&mut self) -> Option<Arc<Loaded<T>>> {
        self.generation.changed().await.ok()?;
        Some(self.inner.upgrade()?.current.load_full())
    }
}

impl<T> Inner<T> {
    /// One reload: re-read the source, load, and swap in a load with no
    /// problems.
    fn reload(&self) -> Result<u64, Arc<ReloadError>> {
        let mut source = lock(&self.source);
        let loaded = source.reread().map_err(ReloadError::Source).and_then(|()| {
            let loaded = (self.load)(&**source, &self.memory);
            self.memory.end_load(loaded.is_ok());
            loaded.map_err(ReloadError::Load)
        });
        let loaded = match loaded {
            Ok(loaded) => Arc::new(loaded),
            Err(error) => return Err(self.failed(error)),
        };
        let watched = watcher::paths(&**source, &loaded);
        let unchanged = loaded.same_reads(&self.current.load());
        let generation = {
            let mut status = lock(&self.status);
            let now = SystemTime::now();
            status.watched = watched;
            status.checked_at = now;
            if unchanged {
                // Nothing new: the same generation, nobody told.
                return Ok(status.generation);
            }
            // Swapped in under the status lock: a status never names a
            // generation other than the current one.
            let previous = self.current.swap(Arc::clone(&loaded));
            #[cfg(feature = "scrub")]
            self.scrubber.store(Arc::new(crate::scrub::Scrubber::new(
                loaded.secrets().chain(previous.secrets()),
            )));
            drop(previous);
            status.generation += 1;
            status.loaded_at = now;
            status.generation
        };
        self.generation.send_replace(generation);
        loaded.log_warnings();
        // In order of generations (the source is still locked), outside the
        // callbacks' lock (a callback may add one).
        let callbacks = lock(&self.callbacks).clone();
        for callback in callbacks {
            callback(&loaded);
        }
        Ok(generation)
    }
}

impl<T> Inner<T> {
    /// Records a failed reload, and logs it (outside the lock: a log
    /// that blocks must not block `status()`).
    fn failed(&self, error: ReloadError) -> Arc<ReloadError> {
        let error = Arc::new(error);
        let generation = {
            let mut status = lock(&self.status);
            status.last_error = Some(Arc::clone(&error));
            status.failed_at = Some(SystemTime::now());
            status.generation
        };
        tracing::error!(
            target: "credenv",
            "credentials not reloaded, generation {generation} stays: {error}"
        );
        error
    }
}

impl<T> Drop for Inner<T> {
    fn drop(&mut self) {
        // A full channel wakes the worker anyway, and it finds no handle.
        let _ = self.wake.try_send(worker::Wake::Stop);
    }
}

/// A lock whose holder panicked still guards consistent data: every write
/// under it is a single assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
