//! The token file: the stored JSON, written atomically with mode 0600, and
//! refused when others can read it (as ssh refuses a private key).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use crate::oauth::OAuthError;
use crate::source::file::{NotRegular, open_regular, read_opened};

/// The largest token file read: tokens are a few KiB, even as JWTs.
const MAX_SIZE: usize = 1024 * 1024;

/// Where tokens are kept.
#[derive(Debug, Clone)]
pub(crate) struct TokenFile {
    path: PathBuf,
}

impl TokenFile {
    pub(crate) fn new(path: impl Into<PathBuf>) -> TokenFile {
        TokenFile { path: path.into() }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn error(&self, reason: impl Into<String>) -> OAuthError {
        OAuthError::TokenFile {
            path: self.path.clone(),
            reason: reason.into(),
        }
    }

    /// What the file holds, `None` when there is no file yet (or an empty
    /// one: a file that could not be deleted is emptied). Only a regular
    /// file of at most 1 MiB, that others cannot read, is read, opened
    /// without blocking.
    pub(super) fn read(&self) -> Result<Option<Zeroizing<Vec<u8>>>, OAuthError> {
        match self.read_checked(true) {
            Ok(held) => Ok(held),
            Err(Unread::NotTokens(e) | Unread::Failed(e)) => Err(e),
        }
    }

    /// What a sign-out revokes: [`read`](TokenFile::read), even when
    /// others can read the file. The inner error is a file that cannot
    /// hold tokens (too large, not a regular file), which is not revoked
    /// (but deleted, if it can be); the outer one a file this user cannot
    /// read.
    #[allow(clippy::type_complexity)]
    pub(super) fn read_for_sign_out(
        &self,
    ) -> Result<Result<Option<Zeroizing<Vec<u8>>>, OAuthError>, OAuthError> {
        match self.read_checked(false) {
            Ok(held) => Ok(Ok(held)),
            Err(Unread::NotTokens(e)) => Ok(Err(e)),
            Err(Unread::Failed(e)) => Err(e),
        }
    }

    fn read_checked(&self, private: bool) -> Result<Option<Zeroizing<Vec<u8>>>, Unread> {
        let cannot_read = |e: io::Error| Unread::Failed(self.error(format!("cannot read it: {e}")));
        let (file, size) = match open_regular(&self.path) {
            Ok(opened) => opened,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if NotRegular::is(&e) => {
                return Err(Unread::NotTokens(self.error(e.to_string())));
            }
            Err(e) => return Err(cannot_read(e)),
        };
        // Nothing to keep private: an emptied file, whatever its mode.
        if size == 0 {
            return Ok(None);
        }
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::PermissionsExt;
            let mode = file.metadata().map_err(cannot_read)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(Unread::Failed(self.error(format!(
                    "it is readable or writable by others (mode {mode:04o}); run: chmod 600 {}",
                    self.path.display()
                ))));
            }
        }
        #[cfg(not(unix))]
        let _ = private;
        let bytes = read_opened(file, size, MAX_SIZE)
            .map_err(cannot_read)?
            .ok_or_else(|| {
                Unread::NotTokens(self.error(format!("it is larger than {} KiB", MAX_SIZE / 1024)))
            })?;
        Ok(Some(bytes).filter(|bytes| !bytes.is_empty()))
    }

    /// Takes the lock of the file (`.<name>.lock` beside it), which every
    /// process that refreshes through the file holds meanwhile; waits up to a
    /// minute for another process to let go of it.
    pub(crate) async fn lock(&self) -> Result<File, OAuthError> {
        let name = self
            .path
            .file_name()
            .ok_or_else(|| self.error("it is not a file name"))?;
        let path = self
            .path
            .with_file_name(format!(".{}.lock", name.to_string_lossy()));
        super::lock::lock(&path, |reason| self.error(reason)).await
    }

    /// Deletes the file (none is not an error), or when it cannot be
    /// deleted (a directory that is not writable) empties it, which reads
    /// as no tokens: either way no token is left in it.
    pub(super) fn delete(&self) -> Result<(), OAuthError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(removed) => self
                .empty()
                .map_err(|e| self.error(format!("cannot delete it ({removed}) or empty it ({e})"))),
        }
    }

    /// Empties the file: only a regular file of this user's with no other
    /// name (a hard link would cut another file too), checked before it
    /// is opened (opening a device may act) and again once open, opened
    /// without truncating, without blocking, never through a symlink.
    fn empty(&self) -> io::Result<()> {
        #[cfg(unix)]
        return self.empty_of(effective_uid());
        #[cfg(not(unix))]
        self.empty_of(())
    }

    /// [`empty`](TokenFile::empty), for a file that `owner` owns.
    fn empty_of(
        &self,
        #[cfg_attr(not(unix), allow(unused_variables))] owner: Owner,
    ) -> io::Result<()> {
        let check = |metadata: &fs::Metadata| -> io::Result<()> {
            if !metadata.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "not a regular file",
                ));
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if metadata.uid() != owner {
                    return Err(io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "another user owns it",
                    ));
                }
                if metadata.nlink() != 1 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "it has other names (hard links)",
                    ));
                }
            }
            Ok(())
        };
        check(&fs::symlink_metadata(&self.path)?)?;
        let mut options = OpenOptions::new();
        options.write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
        }
        let file = options.open(&self.path)?;
        // What was opened may not be what was checked.
        check(&file.metadata()?)?;
        file.set_len(0)?;
        file.sync_all()
    }

    /// Writes `json` atomically: a temporary file (mode 0600) is written
    /// and synced, then renamed over the old one, so a crash at any point
    /// leaves the old file or the new one, never a torn or missing one.
    pub(super) fn write(&self, json: &[u8]) -> Result<(), OAuthError> {
        let staged = self.stage(json)?;
        self.commit(staged)
    }

    /// The first half of [`write`](TokenFile::write): the new file, written
    /// and synced beside the old one.
    ///
    /// Its name has a random part and it is created new (`O_EXCL`), never
    /// through a link (`O_NOFOLLOW`): in a shared directory another user
    /// cannot have made it first, and two managers never share one.
    pub(crate) fn stage(&self, json: &[u8]) -> Result<PathBuf, OAuthError> {
        let name = self
            .path
            .file_name()
            .ok_or_else(|| self.error("it is not a file name"))?
            .to_string_lossy()
            .into_owned();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let (temporary, mut file) = (0..16)
            .find_map(|_| {
                let temporary = self
                    .path
                    .with_file_name(format!(".{name}.{:016x}.tmp", random()));
                match options.open(&temporary) {
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
                    opened => Some(opened.map(|file| (temporary, file))),
                }
            })
            .unwrap_or_else(|| Err(io::Error::other("every temporary name was taken")))
            .map_err(|e| self.error(format!("cannot create a file beside it: {e}")))?;
        let written = file.write_all(json).and_then(|()| file.sync_all());
        written.map_err(|e| {
            let _ = fs::remove_file(&temporary);
            self.error(format!("cannot write {}: {e}", temporary.display()))
        })?;
        Ok(temporary)
    }

    /// The second half: the rename, and a sync of the directory so the rename
    /// itself survives a crash.
    pub(crate) fn commit(&self, staged: PathBuf) -> Result<(), OAuthError> {
        fs::rename(&staged, &self.path).map_err(|e| {
            // The staged copy holds the tokens: not left behind.
            let _ = fs::remove_file(&staged);
            self.error(format!("cannot replace it: {e}"))
        })?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

/// Why a token file was not read.
enum Unread {
    /// It cannot hold tokens: too large, or not a regular file.
    NotTokens(OAuthError),
    /// It could not be read (or, for a manager, others can read it).
    Failed(OAuthError),
}

#[cfg(unix)]
type Owner = u32;
#[cfg(not(unix))]
type Owner = ();

/// This process's effective user.
#[cfg(unix)]
fn effective_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// 64 random bits, from std's per-process random hash keys and a counter: a
/// name no one can guess ahead, without a dependency.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_has_a_fresh_random_name_and_mode_0600() {
        let dir = std::env::temp_dir().join(format!("credenv-store-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = TokenFile::new(dir.join("tokens.json"));
        // The old, predictable name, made first by "another user": untouched.
        let planted = dir.join(format!(".tokens.json.{}.tmp", std::process::id()));
        fs::write(&planted, "planted").unwrap();
        let first = file.stage(b"{}").unwrap();
        let second = file.stage(b"{}").unwrap();
        assert_ne!(first, second);
        assert_ne!(first, planted);
        assert_eq!(fs::read_to_string(&planted).unwrap(), "planted");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&first).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        file.commit(first).unwrap();
        assert_eq!(file.read().unwrap().unwrap().as_slice(), b"{}");
    }

    #[test]
    fn an_empty_file_holds_no_tokens() {
        let dir = std::env::temp_dir().join(format!("credenv-store-empty-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = TokenFile::new(dir.join("tokens.json"));
        fs::write(file.path(), "").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Emptied in place, it keeps its mode: nothing in it to keep private.
            fs::set_permissions(file.path(), fs::Permissions::from_mode(0o644)).unwrap();
        }
        assert!(file.read().unwrap().is_none());
        file.delete().unwrap();
        assert!(!file.path().exists());
    }

    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_of_this_user_s_is_emptied() {
        use std::os::unix::fs::MetadataExt;
        let dir =
            std::env::temp_dir().join(format!("credenv-store-emptied-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let file = TokenFile::new(dir.join("tokens.json"));
        fs::write(file.path(), "canary-tokens").unwrap();
        let me = fs::metadata(file.path()).unwrap().uid();
        let refused = file.empty_of(me + 1).unwrap_err();
        assert!(
            refused.to_string().contains("another user owns it"),
            "{refused}"
        );
        assert_eq!(fs::read_to_string(file.path()).unwrap(), "canary-tokens");
        file.empty_of(me).unwrap();
        assert_eq!(fs::metadata(file.path()).unwrap().len(), 0);
        // Never through a link, nor into a FIFO (without blocking).
        let victim = dir.join("victim");
        fs::write(&victim, "keep").unwrap();
        let link = TokenFile::new(dir.join("link.json"));
        std::os::unix::fs::symlink(&victim, link.path()).unwrap();
        assert!(link.empty().is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        let fifo = TokenFile::new(dir.join("fifo.json"));
        let made = std::process::Command::new("mkfifo")
            .arg(fifo.path())
            .status();
        assert!(made.unwrap().success());
        let refused = fifo.empty().unwrap_err();
        assert!(
            refused.to_string().contains("not a regular file"),
            "{refused}"
        );
        // Another name of a file (a hard link): emptying would cut it too.
        let other = dir.join("other");
        fs::write(&other, "keep").unwrap();
        let linked = TokenFile::new(dir.join("linked.json"));
        fs::hard_link(&other, linked.path()).unwrap();
        let refused = linked.empty().unwrap_err();
        assert!(refused.to_string().contains("hard links"), "{refused}");
        assert_eq!(fs::read_to_string(&other).unwrap(), "keep");
        let directory = TokenFile::new(dir.join("directory.json"));
        fs::create_dir(directory.path()).unwrap();
        assert!(directory.empty().is_err());
    }
}
