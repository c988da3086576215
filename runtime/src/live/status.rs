//! What a live handle reports: its status, and why a reload failed.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::Error;

/// Why a reload (or the first load) failed. The handle keeps the last good
/// generation.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReloadError {
    /// The load found problems: every missing and invalid variable.
    Load(Error),
    /// A source could not read its files again (a `.env` file that is
    /// gone or unparsable), or the watcher could not start.
    Source(std::io::Error),
    /// A setting of the handle itself is wrong (`CREDENV_REFRESH_INTERVAL`).
    Setting(String),
    /// The reload panicked (in a validator, a parser or a callback); the
    /// watcher goes on.
    Panicked,
}

/// What a live handle has done: its generation and when it was loaded, and
/// the last failure, if any. Holds no value.
#[derive(Debug, Clone)]
pub struct Status {
    pub(super) generation: u64,
    pub(super) loaded_at: SystemTime,
    pub(super) checked_at: SystemTime,
    pub(super) last_error: Option<Arc<ReloadError>>,
    pub(super) failed_at: Option<SystemTime>,
    pub(super) watched: Vec<PathBuf>,
    pub(super) interval: Option<Duration>,
}

impl Status {
    /// The generation of the current value: 1 for the first load, one more
    /// for each reload that found something new (a reload that read the
    /// same texts from the same places keeps the generation and tells
    /// nobody).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// When the current generation was loaded.
    pub fn loaded_at(&self) -> SystemTime {
        self.loaded_at
    }

    /// When the sources were last read with no problem, whether or not
    /// they had changed.
    pub fn checked_at(&self) -> SystemTime {
        self.checked_at
    }

    /// The last reload that failed, if any did (it may be older than the
    /// current generation: compare [`failed_at`](Status::failed_at)).
    pub fn last_error(&self) -> Option<&ReloadError> {
        self.last_error.as_deref()
    }

    /// When the last failed reload happened.
    pub fn failed_at(&self) -> Option<SystemTime> {
        self.failed_at
    }

    /// Whether the last reload failed: the current generation is older
    /// than the sources.
    pub fn is_stale(&self) -> bool {
        self.failed_at
            .is_some_and(|failed| failed >= self.checked_at)
    }

    /// The files and directories being watched.
    pub fn watched(&self) -> &[PathBuf] {
        &self.watched
    }

    /// How often references are fetched again, if they are.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }
}

impl fmt::Display for ReloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReloadError::Load(error) => error.fmt(f),
            ReloadError::Source(error) => write!(f, "a source cannot be read again: {error}"),
            ReloadError::Setting(reason) => f.write_str(reason),
            ReloadError::Panicked => f.write_str("the reload panicked"),
        }
    }
}

impl std::error::Error for ReloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReloadError::Load(error) => Some(error),
            ReloadError::Source(error) => Some(error),
            ReloadError::Setting(_) | ReloadError::Panicked => None,
        }
    }
}

impl From<Error> for ReloadError {
    fn from(error: Error) -> Self {
        ReloadError::Load(error)
    }
}
