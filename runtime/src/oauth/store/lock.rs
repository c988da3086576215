//! A store's lock file: every process that refreshes through one store
//! holds it meanwhile, so processes sharing the store refresh one at a
//! time.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::time::Duration;

use crate::oauth::OAuthError;

/// Takes the lock file at `path` (made with mode 0600, never through a
/// link), which every process that refreshes through one store holds
/// meanwhile; waits up to a minute for another process to let go of it.
pub(super) async fn lock(
    path: &Path,
    error: impl Fn(String) -> OAuthError,
) -> Result<File, OAuthError> {
    const WAIT: Duration = Duration::from_secs(60);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let cannot = |e: io::Error| error(format!("cannot lock {}: {e}", path.display()));
    let file = options.open(path).map_err(cannot)?;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(error(format!(
                    "another process has held {} for over a minute",
                    path.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(cannot(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::TokenFile;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_lock_file_is_not_followed() {
        let dir = std::env::temp_dir().join(format!("credenv-store-link-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, dir.join(".tokens.json.lock")).unwrap();
        let file = TokenFile::new(dir.join("tokens.json"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = runtime.block_on(file.lock()).err().unwrap();
        assert!(err.to_string().contains("cannot lock"), "{err}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    }
}
