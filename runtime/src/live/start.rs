//! How a live handle watches ([`Watch`]), and its start: the first load,
//! the refresh interval, and the watcher thread.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use tokio::sync::watch;

use super::{Inner, Live, Load, ReloadError, Status, watcher, worker};
use crate::resolve::Memory;
use crate::{Credentials, Loaded, Origin, Source};

/// credenv's setting: how often a live handle fetches its references again.
const REFRESH_INTERVAL: &str = "CREDENV_REFRESH_INTERVAL";
/// The interval when a load fetched references and none is set.
const DEFAULT_REFRESH: Duration = Duration::from_secs(5 * 60);
/// Shorter intervals are refused: each reload may call a secret manager.
const MIN_REFRESH: Duration = Duration::from_secs(1);
/// Shorter polls are refused: a poll reads every watched path's metadata.
const MIN_POLL: Duration = Duration::from_millis(100);

/// How a live handle watches: made with [`Watch::new`], started with
/// [`Watch::start`]. `T::watch(source)` starts one with the defaults.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    interval: Option<Duration>,
    poll: Option<Duration>,
}

impl Watch {
    /// The defaults: file events, and the interval described in the
    /// [module documentation](super).
    pub fn new() -> Self {
        Watch::default()
    }

    /// Fetch references and bundles again (and re-read every file) this
    /// often. At least a second.
    pub fn interval(mut self, every: Duration) -> Self {
        self.interval = Some(every);
        self
    }

    /// Poll the files this often instead of waiting for file events, for
    /// filesystems that send none (NFS, some FUSE mounts). At least 100 ms.
    pub fn poll(mut self, every: Duration) -> Self {
        self.poll = Some(every);
        self
    }

    /// Loads `T` from `source` and starts watching: the handle, or the
    /// first load's problems. Its warnings are in `current().warnings()`.
    pub fn start<T, S>(self, source: S) -> Result<Live<T>, ReloadError>
    where
        T: Credentials + Send + Sync + 'static,
        S: Source + Send + 'static,
    {
        // A live load: digested, so that a reload can tell it found nothing
        // new, and remembering versions, so that it fetches only new ones.
        let load: Load<T> =
            |source, memory| crate::load::Loader::load_with::<T>(source, Some(memory));
        let memory = Arc::new(Memory::default());
        let loaded = load(&source, &memory);
        memory.end_load(loaded.is_ok());
        let loaded = loaded.map_err(ReloadError::Load)?;
        let interval = self.refresh_interval(&source, &loaded)?;
        if self.poll.is_some_and(|every| every < MIN_POLL) {
            return Err(ReloadError::Setting(
                "the poll interval (Watch::poll) is under 100 ms".to_owned(),
            ));
        }
        let watched = watcher::paths(&source, &loaded);
        let (wake, woken) = mpsc::sync_channel(worker::WAKES);
        let now = SystemTime::now();
        #[cfg(feature = "scrub")]
        let loaded_scrubber = loaded.scrubber();
        let inner = Arc::new(Inner {
            current: ArcSwap::from_pointee(loaded),
            source: Mutex::new(Box::new(source)),
            status: Mutex::new(Status {
                generation: 1,
                loaded_at: now,
                checked_at: now,
                last_error: None,
                failed_at: None,
                watched: watched.clone(),
                interval,
            }),
            generation: watch::Sender::new(1),
            callbacks: Mutex::new(Vec::new()),
            wake: wake.clone(),
            load,
            memory,
            #[cfg(feature = "scrub")]
            scrubber: ArcSwap::from(loaded_scrubber),
        });
        worker::Worker::start(
            Arc::downgrade(&inner),
            (wake, woken),
            interval,
            self.poll,
            watched,
        )
        .map_err(ReloadError::Source)?;
        Ok(Live { inner })
    }

    /// The interval asked for, the source's `CREDENV_REFRESH_INTERVAL`, or
    /// the default when the load fetched anything.
    fn refresh_interval<T>(
        &self,
        source: &dyn Source,
        loaded: &Loaded<T>,
    ) -> Result<Option<Duration>, ReloadError> {
        let setting = |reason: String| ReloadError::Setting(reason);
        let asked = match self.interval {
            Some(every) => Some(every),
            None => match source.get(REFRESH_INTERVAL).map(|v| v.text) {
                Some(Ok(text)) if !text.as_str().is_empty() => {
                    Some(humantime::parse_duration(text.as_str()).map_err(|_| {
                        setting(format!("{REFRESH_INTERVAL} is not a duration (such as 5m)"))
                    })?)
                }
                Some(Err(_)) => {
                    return Err(setting(format!("{REFRESH_INTERVAL} cannot be read")));
                }
                _ => None,
            },
        };
        if asked.is_some_and(|every| every < MIN_REFRESH) {
            return Err(setting(format!(
                "the refresh interval ({REFRESH_INTERVAL}) is under a second"
            )));
        }
        let fetched = loaded
            .origins()
            .any(|(_, origin)| matches!(origin, Origin::Reference(_) | Origin::Bundle(_)));
        Ok(asked.or(fetched.then_some(DEFAULT_REFRESH)))
    }
}
