//! What several test files share: captured `tracing` output, the
//! binaries of the examples, and fresh scratch directories.

#![allow(dead_code)] // each test file uses part of it

use std::sync::{Arc, Mutex};

/// A `tracing` writer that keeps what it is given.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// What was written so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// Runs `work` with a subscriber writing here, and returns what it wrote.
    pub(crate) fn logs(work: impl FnOnce()) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            // Log lines another thread met first may have cached "no
            // subscriber is interested": ask again now that one is.
            tracing::callsite::rebuild_interest_cache();
            work()
        });
        let bytes = captured.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }
}

/// An example's binary, built by `cargo test` beside the test binaries.
pub(crate) fn example(name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let path = deps.parent().unwrap().join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run ./scripts/test (or cargo build --examples) first",
        path.display()
    );
    path
}

/// Publishes `files` into `mount` as the kubelet updates a Secret volume:
/// a new `..<stamp>` directory holds them, a `..data_tmp` link to it is
/// renamed over `..data` (one atomic swap), and each key is a link
/// `key -> ..data/key` (made once). The previous directory is removed.
#[cfg(unix)]
pub(crate) fn kubelet_publish(mount: &std::path::Path, stamp: &str, files: &[(&str, &str)]) {
    let dir = mount.join(format!("..{stamp}"));
    std::fs::create_dir(&dir).unwrap();
    for (key, text) in files {
        std::fs::write(dir.join(key), text).unwrap();
    }
    let previous = std::fs::read_link(mount.join("..data")).ok();
    let tmp = mount.join("..data_tmp");
    std::os::unix::fs::symlink(format!("..{stamp}"), &tmp).unwrap();
    std::fs::rename(&tmp, mount.join("..data")).unwrap();
    for (key, _) in files {
        let link = mount.join(key);
        if link.symlink_metadata().is_err() {
            std::os::unix::fs::symlink(format!("..data/{key}"), link).unwrap();
        }
    }
    if let Some(previous) = previous {
        std::fs::remove_dir_all(mount.join(previous)).unwrap();
    }
}

/// An empty directory of the test file `suite`'s own, for the test `name`,
/// under the system's temporary directory (emptied first if a run left it).
pub(crate) fn fresh_dir(suite: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("credenv-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
