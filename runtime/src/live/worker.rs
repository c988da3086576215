//! The watcher thread of a live handle: it waits for file events, a poll,
//! the interval or a stop, and reloads. Waiting costs no CPU: it blocks on
//! a channel.

use std::path::PathBuf;
use std::sync::Weak;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::Inner;
use super::watcher::Watcher;

/// A file is done changing after this long without an event.
const QUIET: Duration = Duration::from_millis(100);
/// A file that keeps changing is read at least this often.
const MAX_DEBOUNCE: Duration = Duration::from_secs(1);

/// Wakes queued at most: events beyond them add nothing (any one means
/// "look again"), and a flood cannot grow memory.
pub(super) const WAKES: usize = 64;

/// What wakes the thread.
pub(super) enum Wake {
    /// A file event that concerns the watched paths (from notify's thread).
    Changed,
    /// The handle reloaded itself: follow the paths of its new load.
    Paths,
    /// The last handle is gone.
    Stop,
}

/// What the thread does when woken.
enum Then {
    Reload,
    Follow,
    Wait,
    Stop,
}

/// The thread: what wakes it and what it watches.
pub(super) struct Worker<T> {
    inner: Weak<Inner<T>>,
    woken: mpsc::Receiver<Wake>,
    interval: Option<Duration>,
    watcher: Watcher,
}

impl<T: Send + Sync + 'static> Worker<T> {
    /// Watches `paths` on a thread of its own until the handle is dropped.
    pub(super) fn start(
        inner: Weak<Inner<T>>,
        (wake, woken): (mpsc::SyncSender<Wake>, mpsc::Receiver<Wake>),
        interval: Option<Duration>,
        poll: Option<Duration>,
        paths: Vec<PathBuf>,
    ) -> std::io::Result<()> {
        let mut worker = Worker {
            inner,
            woken,
            interval,
            watcher: Watcher::new(poll, wake),
        };
        // Watching before the handle is returned: no change is missed.
        worker.watcher.follow(&paths);
        std::thread::Builder::new()
            .name("credenv-live".to_owned())
            .spawn(move || worker.run(paths))
            .map(drop)
    }

    fn run(mut self, mut paths: Vec<PathBuf>) {
        let mut due = self.interval.map(|every| Instant::now() + every);
        loop {
            let then = self.wait(due, &paths);
            let Some(inner) = self.inner.upgrade() else {
                return;
            };
            match then {
                Then::Stop => return,
                Then::Wait => continue,
                Then::Follow => {}
                Then::Reload => {
                    // A failure is logged and kept by `reload`; the next
                    // trigger tries again.
                    let _ = inner.reload();
                    due = self.interval.map(|every| Instant::now() + every);
                }
            }
            paths = super::lock(&inner.status).watched.clone();
            drop(inner);
            self.watcher.follow(&paths);
        }
    }

    /// Waits for the next thing to do: a file event (once the files are
    /// quiet), the interval, a poll that sees a change.
    fn wait(&mut self, due: Option<Instant>, paths: &[PathBuf]) -> Then {
        let poll = self
            .watcher
            .poll_every()
            .map(|every| Instant::now() + every);
        let woken = match due.into_iter().chain(poll).min() {
            Some(next) => self
                .woken
                .recv_timeout(next.saturating_duration_since(Instant::now())),
            None => self
                .woken
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        match woken {
            Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => Then::Stop,
            Ok(Wake::Changed) => match self.settle() {
                true => Then::Reload,
                false => Then::Stop,
            },
            Ok(Wake::Paths) => Then::Follow,
            Err(RecvTimeoutError::Timeout) => {
                let interval = due.is_some_and(|due| due <= Instant::now());
                match interval || self.watcher.polled_change(paths) {
                    true => Then::Reload,
                    false => Then::Wait,
                }
            }
        }
    }

    /// Waits until no event has come for a while (or events have come for
    /// too long); `false` when the handle is dropped meanwhile.
    fn settle(&self) -> bool {
        let start = Instant::now();
        loop {
            let left = MAX_DEBOUNCE.saturating_sub(start.elapsed());
            if left.is_zero() {
                return true;
            }
            match self.woken.recv_timeout(QUIET.min(left)) {
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return true,
            }
        }
    }
}
