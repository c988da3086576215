//! A keyring call on a thread of its own, waited for a bounded time: a
//! keyring can block (an unlock prompt no one answers, a Secret Service
//! that never replies), and a manager must not hang with it. While a call
//! given up on has not returned, every new one fails at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The calls given up on that have not returned yet, in this process.
static STUCK: AtomicUsize = AtomicUsize::new(0);

pub(super) const STILL_RUNNING: &str = "an earlier keyring call, given up on or cancelled, has not returned (is it waiting for an unlock prompt?)";

/// `op` on a thread of its own, to be waited for up to `timeout`; refused
/// at once while an earlier call given up on still runs. The thread is
/// detached: one that never returns does not hold up the exit.
pub(super) fn call<T: Send + 'static>(
    op: impl FnOnce() -> T + Send + 'static,
    timeout: Duration,
) -> Call<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let state = Arc::new(Mutex::new(State::default()));
    let mut not_started = None;
    if is_stuck() {
        not_started = Some(STILL_RUNNING.to_owned());
        // No thread: nothing to wait for (a thread that cannot be spawned
        // is marked done by its `Finished`, dropped with the closure).
        state.lock().unwrap_or_else(PoisonError::into_inner).done = true;
    } else {
        let finished = Finished(Arc::clone(&state));
        let spawned = std::thread::Builder::new()
            .name("credenv-keyring".to_owned())
            .spawn(move || {
                let answer = op();
                // Sent under the state's lock: a caller that finds the call
                // done finds its answer too.
                let _state = finished.mark();
                let _ = sender.send(answer);
            });
        if let Err(e) = spawned {
            not_started = Some(format!("cannot start a thread for the keyring: {e}"));
        }
    }
    Call {
        receiver,
        timeout,
        state,
        not_started,
    }
}

/// A call running on its thread.
pub(super) struct Call<T> {
    receiver: tokio::sync::oneshot::Receiver<T>,
    timeout: Duration,
    state: Arc<Mutex<State>>,
    /// Why it was not started, if it was not.
    not_started: Option<String>,
}

/// Whether a call has returned, and whether its caller gave up on it.
#[derive(Default)]
struct State {
    done: bool,
    abandoned: bool,
}

/// Marks its call done when the thread ends, answered or panicked.
struct Finished(Arc<Mutex<State>>);

impl Finished {
    fn mark(&self) -> std::sync::MutexGuard<'_, State> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.done {
            state.done = true;
            if state.abandoned {
                STUCK.fetch_sub(1, Ordering::SeqCst);
            }
        }
        state
    }
}

impl Drop for Finished {
    fn drop(&mut self) {
        drop(self.mark());
    }
}

impl<T> Call<T> {
    /// Its answer, or why there is none.
    pub(super) async fn finish(mut self) -> Result<T, String> {
        if let Some(why) = self.not_started.take() {
            return Err(why);
        }
        match tokio::time::timeout(self.timeout, &mut self.receiver).await {
            Ok(answer) => answer.map_err(|_| "the keyring call failed".to_owned()),
            Err(_) => self.give_up(),
        }
    }

    /// The same, waited for without a runtime (by `build`).
    pub(super) fn finish_blocking(mut self) -> Result<T, String> {
        if let Some(why) = self.not_started.take() {
            return Err(why);
        }
        // A timeout too large for the clock is no deadline.
        let deadline = Instant::now().checked_add(self.timeout);
        loop {
            match self.receiver.try_recv() {
                Ok(answer) => return Ok(answer),
                Err(tokio::sync::oneshot::error::TryRecvError::Empty)
                    if deadline.is_none_or(|deadline| Instant::now() < deadline) =>
                {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(tokio::sync::oneshot::error::TryRecvError::Empty) => return self.give_up(),
                Err(_) => return Err("the keyring call failed".to_owned()),
            }
        }
    }

    /// Gives up on the call (dropping it marks it abandoned), unless it has
    /// just returned: then its answer.
    fn give_up(&mut self) -> Result<T, String> {
        let done = self
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .done;
        if done {
            return self
                .receiver
                .try_recv()
                .map_err(|_| "the keyring call failed".to_owned());
        }
        Err(format!(
            "the keyring did not answer within {} (is it waiting for an unlock prompt?)",
            humantime::format_duration(self.timeout)
        ))
    }
}

/// A call dropped before its thread returned is abandoned: timed out, or
/// its caller's future dropped (a cancelled task) while it waited.
impl<T> Drop for Call<T> {
    fn drop(&mut self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.done && !state.abandoned {
            state.abandoned = true;
            STUCK.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Whether a call given up on is still running.
pub(super) fn is_stuck() -> bool {
    STUCK.load(Ordering::SeqCst) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller that goes away while its call runs (a cancelled task, here
    /// a timeout around `finish`) leaves the call counted as stuck: new
    /// calls fail at once until it returns.
    #[test]
    fn a_call_whose_caller_goes_away_is_stuck_until_it_returns() {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let pending = call(move || wait.recv().is_ok(), Duration::from_secs(60));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let waited = runtime.block_on(async {
            tokio::time::timeout(Duration::from_millis(20), pending.finish()).await
        });
        assert!(waited.is_err(), "the caller gave up");
        assert_eq!(STUCK.load(Ordering::SeqCst), 1);
        let refused = runtime.block_on(call(|| (), Duration::from_secs(60)).finish());
        assert_eq!(refused.unwrap_err(), STILL_RUNNING);
        release.send(()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while STUCK.load(Ordering::SeqCst) > 0 {
            assert!(
                Instant::now() < deadline,
                "the call never counted as returned"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(runtime.block_on(call(|| 7, Duration::from_secs(60)).finish()) == Ok(7));
    }
}
