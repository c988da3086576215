//! Which paths a live handle watches, and the watcher over them.
//!
//! A file is watched through its directory: the kubelet updates a Secret
//! volume by renaming `..data` to a new timestamped directory (the keys are
//! links `key -> ..data/key`, and the key's own path never changes), Docker
//! and editors rename a new file over the old, and a file written in place
//! changes in its directory too. An event counts when it names a watched
//! file, anything in a watched directory, or a kubelet `..` entry beside a
//! watched file. A directory that does not exist yet is watched through
//! the nearest one that does; one removed and made again is watched again
//! after the next reload. Where inotify's watches run out, a poll takes
//! over.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::worker::Wake;
use crate::{Loaded, Origin, Source};

/// The poll when the platform's file events cannot start.
const FALLBACK_POLL: Duration = Duration::from_secs(2);
/// Entries of one directory a poll looks at, at most.
const MAX_POLLED: usize = 1024;

/// The files and directories of `source` and the files `loaded` was read
/// from, sorted, each once.
pub(super) fn paths<T>(source: &dyn Source, loaded: &Loaded<T>) -> Vec<PathBuf> {
    let files = loaded.origins().filter_map(|(_, origin)| match origin {
        Origin::File(path) | Origin::DotEnv(path) | Origin::SecretsDir(path) => Some(path.clone()),
        _ => None,
    });
    // Absolute, as notify reports them: a relative `.env` still matches.
    let all: BTreeSet<PathBuf> = source
        .paths()
        .into_iter()
        .chain(files)
        .map(|path| std::path::absolute(&path).unwrap_or(path))
        .collect();
    all.into_iter().collect()
}

/// notify's watcher (inotify on Linux) over the directories of the paths,
/// or a poll of their metadata where there are no events.
pub(super) enum Watcher {
    Events {
        inner: RecommendedWatcher,
        /// The directories watched now, and which directory each was.
        dirs: BTreeMap<PathBuf, Option<Identity>>,
        /// What notify's handler matches events against.
        targets: Arc<Mutex<Targets>>,
    },
    Poll {
        every: Duration,
        /// What the paths looked like at the last poll.
        seen: u64,
    },
}

/// What events are matched against.
#[derive(Default)]
pub(super) struct Targets {
    files: BTreeSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
}

impl Watcher {
    /// File events that concern the paths, sent to the worker; or a poll
    /// every `poll` (also when the platform's events cannot start: no
    /// inotify, or its limits reached).
    pub(super) fn new(poll: Option<Duration>, wake: mpsc::SyncSender<Wake>) -> Watcher {
        let targets = Arc::new(Mutex::new(Targets::default()));
        let matched = Arc::clone(&targets);
        let handler = move |event: notify::Result<notify::Event>| {
            // A watcher error (an overflowed queue) may hide a change.
            let event = event.unwrap_or_else(|_| notify::Event::new(EventKind::Any));
            let access = matches!(event.kind, EventKind::Access(_));
            if !access && super::lock(&matched).concern(&event) {
                // Full: a change is queued already, and one is enough.
                let _ = wake.try_send(Wake::Changed);
            }
        };
        let polling = |every| Watcher::Poll { every, seen: 0 };
        match poll {
            Some(every) => polling(every),
            None => match notify::recommended_watcher(handler) {
                Ok(inner) => Watcher::Events {
                    inner,
                    dirs: BTreeMap::new(),
                    targets,
                },
                Err(_) => polling(FALLBACK_POLL),
            },
        }
    }

    /// How often to poll, when this watcher polls.
    pub(super) fn poll_every(&self) -> Option<Duration> {
        match self {
            Watcher::Poll { every, .. } => Some(*every),
            Watcher::Events { .. } => None,
        }
    }

    /// Whether the paths changed since the last poll (or `follow`).
    pub(super) fn polled_change(&mut self, paths: &[PathBuf]) -> bool {
        match self {
            Watcher::Poll { seen, .. } => {
                let now = signature(paths);
                std::mem::replace(seen, now) != now
            }
            Watcher::Events { .. } => false,
        }
    }

    /// Watches the directories of `paths`, and only those: whether one
    /// is watched that was not (a change in it before may have been
    /// missed).
    pub(super) fn follow(&mut self, paths: &[PathBuf]) -> bool {
        let mut targets = Targets::default();
        for path in paths {
            match path.is_dir() {
                true => targets.dirs.insert(path.clone()),
                false => targets.files.insert(path.clone()),
            };
        }
        let (inner, dirs, matched) = match self {
            Watcher::Events {
                inner,
                dirs,
                targets,
            } => (inner, dirs, targets),
            Watcher::Poll { seen, .. } => {
                *seen = signature(paths);
                return false;
            }
        };
        let parents = targets
            .files
            .iter()
            .filter_map(|f| f.parent().map(Path::to_owned));
        let mut wanted = BTreeSet::new();
        let mut extra_files = Vec::new();
        let mut extra_dirs = Vec::new();
        for dir in targets
            .dirs
            .iter()
            .cloned()
            .chain(parents)
            .collect::<Vec<_>>()
        {
            let found = existing(&dir);
            if found != dir {
                // Anything in it may be the missing directory appearing.
                extra_dirs.push(found.clone());
            }
            // A link to a directory (a mount's `..data`, a secrets
            // directory that is a link) is retargeted in its own
            // directory: watch that too.
            if found.is_symlink()
                && let Some(parent) = found.parent()
            {
                extra_files.push(found.clone());
                wanted.insert(parent.to_owned());
            }
            wanted.insert(found);
        }
        targets.dirs.extend(extra_dirs);
        targets.files.extend(extra_files);
        for dir in dirs.keys().filter(|dir| !wanted.contains(*dir)) {
            let _ = inner.unwatch(dir);
        }
        // Each wanted directory is watched again (one removed and made
        // again needs a new watch, even when it got the old inode back;
        // for one still watched it changes nothing).
        let (mut watched, mut fresh, mut exhausted) = (BTreeMap::new(), false, false);
        for dir in wanted {
            match inner.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    let identity = Identity::of(&dir);
                    fresh |= dirs.get(&dir) != Some(&identity);
                    watched.insert(dir, identity);
                }
                // Removed since: tried again on the next change.
                Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
                // Out of inotify watches (or another failure that will not
                // pass): events cannot cover the paths, a poll does.
                Err(_) => exhausted = true,
            }
        }
        *dirs = watched;
        *super::lock(matched) = targets;
        if exhausted {
            *self = Watcher::Poll {
                every: FALLBACK_POLL,
                seen: signature(paths),
            };
        }
        fresh
    }
}

/// Which directory a path is (device and inode), where the platform says.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity(u64, u64);

impl Identity {
    fn of(dir: &Path) -> Option<Identity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(dir).ok()?;
            Some(Identity(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            None
        }
    }
}

/// What a poll compares: each path's metadata (through links, so the
/// kubelet's swap changes it), and that of a directory's entries. Only
/// metadata: nothing is opened, so a FIFO cannot stall the poll.
fn signature(paths: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut stat = |path: &Path| {
        path.hash(&mut hasher);
        if let Ok(meta) = std::fs::metadata(path) {
            (meta.len(), meta.modified().ok()).hash(&mut hasher);
            #[cfg(unix)]
            std::os::unix::fs::MetadataExt::ino(&meta).hash(&mut hasher);
        }
    };
    for path in paths {
        stat(path);
        if let Ok(entries) = std::fs::read_dir(path) {
            let mut names: Vec<PathBuf> = entries
                .flatten()
                .take(MAX_POLLED)
                .map(|e| e.path())
                .collect();
            names.sort();
            names.iter().for_each(|entry| stat(entry));
        }
    }
    hasher.finish()
}

impl Targets {
    /// Whether `event` concerns a watched path.
    fn concern(&self, event: &notify::Event) -> bool {
        // An event without paths (an overflow) may be anything.
        event.paths.is_empty() || event.paths.iter().any(|path| self.concerns(path))
    }

    fn concerns(&self, path: &Path) -> bool {
        let parent = path.parent();
        self.files.contains(path)
            || parent.is_some_and(|dir| self.dirs.contains(dir))
            || self.dirs.contains(path)
            || (path
                .file_name()
                .is_some_and(|name| name.as_encoded_bytes().starts_with(b".."))
                && self.files.iter().any(|file| file.parent() == parent))
    }
}

/// `dir`, or its nearest ancestor that exists.
fn existing(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|dir| dir.is_dir())
        .unwrap_or(dir)
        .to_owned()
}
