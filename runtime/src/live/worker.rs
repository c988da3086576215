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
/// File events reload at most this often: a busy directory cannot turn
/// into a stream of loads (each may call a secret manager).
const MIN_GAP: Duration = Duration::from_millis(500);
/// The interval and renewals reload at most this often, whatever they ask.
const MIN_DUE: Duration = Duration::from_secs(1);
/// A renewal whose reload failed before it renewed is tried this much later.
const RENEWAL_RETRY: Duration = Duration::from_secs(30);

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
    /// Its own wake: a directory watched anew is read once more.
    wake: mpsc::SyncSender<Wake>,
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
            watcher: Watcher::new(poll, wake.clone()),
            wake,
        };
        // Watching before the handle is returned: no change is missed.
        worker.watcher.follow(&paths);
        std::thread::Builder::new()
            .name("credenv-live".to_owned())
            .spawn(move || worker.run(paths))
            .map(drop)
    }

    fn run(mut self, mut paths: Vec<PathBuf>) {
        let mut due = self.next_due();
        let mut reloaded = Instant::now();
        loop {
            let then = self.wait(due, &paths, reloaded + MIN_GAP);
            let Some(inner) = self.inner.upgrade() else {
                return;
            };
            match then {
                Then::Stop => return,
                Then::Wait => continue,
                // A reload of the handle's own may have renewed a token.
                Then::Follow => {
                    let renewal = inner.memory.next_renewal().map(renewal_at);
                    due = due.into_iter().chain(renewal).min();
                }
                Then::Reload => {
                    // A failure is logged and kept by `reload`, a panic (in
                    // a validator or a callback) too; the next trigger
                    // tries again.
                    let reload = std::panic::AssertUnwindSafe(|| inner.reload());
                    if std::panic::catch_unwind(reload).is_err() {
                        inner.memory.end_load(false);
                        inner.failed(super::ReloadError::Panicked);
                    }
                    due = self.next_due();
                    reloaded = Instant::now();
                }
            }
            paths = super::lock(&inner.status).watched.clone();
            drop(inner);
            if self.watcher.follow(&paths) {
                // Full: a reload is queued already.
                let _ = self.wake.try_send(Wake::Changed);
            }
        }
    }

    /// When to reload at the latest: the interval, or a token's renewal
    /// if that comes first; never within a second.
    fn next_due(&self) -> Option<Instant> {
        let renewal = self
            .inner
            .upgrade()
            .and_then(|inner| inner.memory.next_renewal())
            .map(renewal_at);
        let due = self
            .interval
            .and_then(after)
            .into_iter()
            .chain(renewal)
            .min();
        due.map(not_within_a_second)
    }

    /// Waits for the next thing to do: a file event (once the files are
    /// quiet, and not before `not_before`), the interval, a poll that sees
    /// a change (once they are quiet too).
    fn wait(&mut self, due: Option<Instant>, paths: &[PathBuf], not_before: Instant) -> Then {
        let poll = self.watcher.poll_every().and_then(after);
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
            Ok(Wake::Changed) => match self.settle(not_before) {
                true => Then::Reload,
                false => Then::Stop,
            },
            Ok(Wake::Paths) => Then::Follow,
            Err(RecvTimeoutError::Timeout) => {
                let interval = due.is_some_and(|due| due <= Instant::now());
                if interval {
                    return Then::Reload;
                }
                if !self.watcher.polled_change(paths) {
                    return Then::Wait;
                }
                // Changed: read once the files stop changing.
                let start = Instant::now();
                loop {
                    std::thread::sleep(QUIET);
                    if !self.watcher.polled_change(paths) || start.elapsed() >= MAX_DEBOUNCE {
                        return Then::Reload;
                    }
                }
            }
        }
    }

    /// Waits until no event has come for a while (or events have come for
    /// too long), and `not_before`; `false` when the handle is dropped
    /// meanwhile.
    fn settle(&self, not_before: Instant) -> bool {
        let start = Instant::now();
        loop {
            let left = MAX_DEBOUNCE.saturating_sub(start.elapsed());
            let early = not_before.saturating_duration_since(Instant::now());
            if left.is_zero() && early.is_zero() {
                return true;
            }
            let quiet = match left.is_zero() {
                true => early,
                false => QUIET.min(left).max(early),
            };
            match self.woken.recv_timeout(quiet) {
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) if Instant::now() >= not_before => return true,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

/// `every` from now, or never (`None`) when that is past what an `Instant`
/// holds.
fn after(every: Duration) -> Option<Instant> {
    Instant::now().checked_add(every)
}

/// `due`, or a second from now if that is later.
fn not_within_a_second(due: Instant) -> Instant {
    after(MIN_DUE).map_or(due, |floor| due.max(floor))
}

/// When to reload for a renewal due at `due`: then, or (when it is past: the
/// reload that was to renew failed before it could) half a minute from now.
fn renewal_at(due: Instant) -> Instant {
    match due > Instant::now() {
        true => not_within_a_second(due),
        false => after(RENEWAL_RETRY).unwrap_or(due),
    }
}
