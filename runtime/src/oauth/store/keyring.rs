//! The OS keyring (feature `keyring`): the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows, through the `keyring` crate. One entry, named by a service and
//! an account the user can see (and delete) in the keyring's own tools,
//! holds the JSON a token file would.
//!
//! Every call runs on a thread of its own and is waited for a bounded time
//! (`call`). While a call given up on has not returned, every new one fails
//! at once: the crate's store is one per process, so it would only queue
//! behind it, a thread more each time.

use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use zeroize::{Zeroize, Zeroizing};

use super::call::{Call, STILL_RUNNING, call, is_stuck};
use crate::oauth::OAuthError;

/// What the opening thread found.
enum Found {
    Entry(keyring::Entry),
    Unreachable(String),
    Refused(String),
}

/// An entry of the OS keyring.
pub(crate) struct KeyringEntry {
    service: String,
    account: String,
    entry: Arc<keyring::Entry>,
    /// How long one call may take.
    timeout: Duration,
}

/// What opening an entry found.
pub(crate) enum Opened {
    Entry(KeyringEntry),
    /// No keyring can be reached on this machine or session (no Secret
    /// Service on the session bus, say): the one case `keyring-or-file`
    /// falls back on.
    Unreachable(OAuthError),
}

impl KeyringEntry {
    /// The entry `service`/`account`, each call waited for up to `timeout`.
    /// An error when the keyring does not answer in time, or refuses the
    /// names.
    pub(crate) fn open(
        service: &str,
        account: &str,
        timeout: Duration,
    ) -> Result<Opened, OAuthError> {
        let names = (service.to_owned(), account.to_owned());
        let error = |reason: String| OAuthError::Keyring {
            service: service.to_owned(),
            account: account.to_owned(),
            reason,
        };
        // The crate chooses and connects the platform's store once per
        // process, on first use: that too may block.
        let found = call(
            move || match keyring::Entry::store_status() {
                Err(e) => Found::Unreachable(describe(e)),
                Ok(()) => match keyring::Entry::new(&names.0, &names.1) {
                    Ok(entry) => Found::Entry(entry),
                    Err(e) => Found::Refused(reason(e)),
                },
            },
            timeout,
        )
        .finish_blocking();
        match found {
            Err(why) => Err(error(why)),
            Ok(Found::Entry(entry)) => Ok(Opened::Entry(KeyringEntry {
                service: service.to_owned(),
                account: account.to_owned(),
                entry: Arc::new(entry),
                timeout,
            })),
            Ok(Found::Unreachable(why)) => Ok(Opened::Unreachable(error(why))),
            Ok(Found::Refused(why)) => Err(error(why)),
        }
    }

    pub(super) fn error(&self, reason: impl Into<String>) -> OAuthError {
        OAuthError::Keyring {
            service: self.service.clone(),
            account: self.account.clone(),
            reason: reason.into(),
        }
    }

    /// `op` on the entry, on a thread of its own, `held` (a lock) kept
    /// until it returns, even when it is not waited for that long: an
    /// abandoned write still holds the lock while it may land.
    fn run<T: Send + 'static>(
        &self,
        held: Option<Arc<[File]>>,
        op: impl FnOnce(&keyring::Entry) -> Result<T, String> + Send + 'static,
    ) -> Call<Result<T, String>> {
        let entry = Arc::clone(&self.entry);
        call(
            move || {
                let result = op(&entry);
                drop(held);
                result
            },
            self.timeout,
        )
    }

    fn answer<T>(
        &self,
        answer: Result<Result<T, String>, String>,
        doing: &str,
    ) -> Result<T, OAuthError> {
        answer
            .and_then(|answer| answer)
            .map_err(|reason| self.error(format!("{doing}: {reason}")))
    }

    /// What the entry holds, `None` when there is no entry.
    pub(super) async fn read(&self) -> Result<Option<Zeroizing<Vec<u8>>>, OAuthError> {
        let answer = self.run(None, read).finish().await;
        self.answer(answer, "cannot read it")
    }

    /// [`read`](KeyringEntry::read), for a caller outside async code.
    pub(super) fn read_blocking(&self) -> Result<Option<Zeroizing<Vec<u8>>>, OAuthError> {
        let answer = self.run(None, read).finish_blocking();
        self.answer(answer, "cannot read it")
    }

    /// Stores `json`, with the store's lock `held`.
    pub(super) async fn write(&self, held: &Arc<[File]>, json: &[u8]) -> Result<(), OAuthError> {
        let json = Zeroizing::new(json.to_vec());
        let answer = self
            .run(Some(Arc::clone(held)), move |entry| {
                entry.set_secret(&json).map_err(reason)
            })
            .finish()
            .await;
        self.answer(answer, "cannot store the tokens")
    }

    /// Deletes the entry (none is not an error), with the store's lock `held`.
    pub(super) async fn delete(&self, held: &Arc<[File]>) -> Result<(), OAuthError> {
        let answer = self
            .run(Some(Arc::clone(held)), |entry| {
                match entry.delete_credential() {
                    Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(reason(e)),
                }
            })
            .finish()
            .await;
        self.answer(answer, "cannot delete it")
    }

    /// A lock file in the user's cache directory (`$XDG_CACHE_HOME`, else
    /// `~/.cache`, under `credenv/`), as the keyring has no lock of its own.
    pub(super) async fn lock(&self) -> Result<File, OAuthError> {
        // Its lock may be what a call given up on still holds: waiting for
        // it would be waiting for that call.
        if is_stuck() {
            return Err(self.error(STILL_RUNNING));
        }
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|dir| dir.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .filter(|home| home.is_absolute())
                    .map(|home| home.join(".cache"))
            })
            .ok_or_else(|| {
                self.error(
                    "no cache directory for its lock (neither XDG_CACHE_HOME nor HOME is set)",
                )
            })?;
        let dir = cache.join("credenv");
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|e| self.error(format!("cannot make {}: {e}", dir.display())))?;
        // The names as a file name: anything but letters, digits, `-._` as
        // `_`, within a file name's 255 bytes. Names that map to one file
        // share a lock, which only makes them wait for each other.
        let name: String = format!("{}-{}", self.service, self.account)
            .chars()
            .take(200)
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!(".keyring-{name}.lock"));
        super::lock::lock(&path, |reason| self.error(reason)).await
    }
}

/// The entry's bytes, zeroized when dropped.
fn read(entry: &keyring::Entry) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    match entry.get_secret() {
        Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(reason(e)),
    }
}

/// The store's own failure, from `store_status`: what the platform said.
fn describe(error: &keyring::Error) -> String {
    match error {
        keyring::Error::NoDefaultStore => {
            "no keyring can be reached (no Secret Service on the session bus?)".to_owned()
        }
        other => format!("no keyring can be reached: {other}"),
    }
}

/// What went wrong, in the keyring crate's words (names and platform
/// messages, which hold no secret); the bytes of an entry that some errors
/// carry are zeroized, never shown.
fn reason(error: keyring::Error) -> String {
    match error {
        keyring::Error::NoStorageAccess(_) => {
            "the keyring is locked or refuses access (unlock it, or log in to the desktop session)"
                .to_owned()
        }
        keyring::Error::NoDefaultStore => {
            "no keyring can be reached (no Secret Service on the session bus?)".to_owned()
        }
        keyring::Error::BadEncoding(mut bytes) | keyring::Error::BadDataFormat(mut bytes, _) => {
            bytes.zeroize();
            "the entry is not what a token store writes".to_owned()
        }
        keyring::Error::TooLong(name, limit) => {
            format!("the {name} is longer than this keyring's limit of {limit}")
        }
        keyring::Error::PlatformFailure(e) => format!("the keyring failed: {e}"),
        other => other.to_string(),
    }
}
