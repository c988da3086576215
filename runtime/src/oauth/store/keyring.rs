//! The OS keyring (feature `keyring`): the Secret Service on Linux (GNOME
//! Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows, through the `keyring` crate. One entry, named by a service and
//! an account the user can see (and delete) in the keyring's own tools,
//! holds the JSON a token file would.

use std::fs::File;
use std::path::PathBuf;

use zeroize::Zeroizing;

use super::Tokens;
use crate::oauth::OAuthError;

/// An entry of the OS keyring.
pub(crate) struct KeyringEntry {
    service: String,
    account: String,
    entry: keyring::Entry,
}

impl KeyringEntry {
    /// The entry `service`/`account`; an error when no keyring can be
    /// reached (no Secret Service on the session bus, say).
    pub(crate) fn open(service: &str, account: &str) -> Result<KeyringEntry, OAuthError> {
        let error = |e: keyring::Error| OAuthError::Keyring {
            service: service.to_owned(),
            account: account.to_owned(),
            reason: reason(&e),
        };
        keyring::Entry::store_status()
            .as_ref()
            .map_err(|e| error(clone_error(e)))?;
        let entry = keyring::Entry::new(service, account).map_err(error)?;
        Ok(KeyringEntry {
            service: service.to_owned(),
            account: account.to_owned(),
            entry,
        })
    }

    fn error(&self, reason: impl Into<String>) -> OAuthError {
        OAuthError::Keyring {
            service: self.service.clone(),
            account: self.account.clone(),
            reason: reason.into(),
        }
    }

    pub(crate) fn load(&self) -> Result<Option<Tokens>, OAuthError> {
        match self.entry.get_secret() {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                Tokens::from_json(&bytes)
                    .map(Some)
                    .map_err(|why| self.error(format!("{why}: delete the entry and log in again")))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(self.error(reason(&e))),
        }
    }

    pub(crate) fn save(&self, tokens: &Tokens) -> Result<(), OAuthError> {
        let json = tokens.to_json();
        self.entry
            .set_secret(&json)
            .map_err(|e| self.error(format!("cannot store the tokens: {}", reason(&e))))
    }

    pub(crate) fn delete(&self) -> Result<(), OAuthError> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(self.error(format!("cannot delete the entry: {}", reason(&e)))),
        }
    }

    /// A lock file in the user's cache directory (`$XDG_CACHE_HOME`, else
    /// `~/.cache`, under `credenv/`), as the keyring has no lock of its own.
    pub(crate) async fn lock(&self) -> Result<File, OAuthError> {
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
        // The names as a file name: anything but letters, digits, `-._` as `_`.
        let name: String = format!("{}-{}", self.service, self.account)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        // Within a file name's 255 bytes.
        let name: String = name.chars().take(200).collect();
        let path = dir.join(format!(".keyring-{name}.lock"));
        super::file::lock(&path, |reason| self.error(reason)).await
    }
}

/// What went wrong, in the keyring crate's words (which hold no secret:
/// names and platform messages).
fn reason(error: &keyring::Error) -> String {
    match error {
        keyring::Error::NoStorageAccess(_) => {
            "the keyring is locked or refuses access (unlock it, or log in to the desktop session)"
                .to_owned()
        }
        keyring::Error::NoDefaultStore => {
            "no keyring can be reached (no Secret Service on the session bus?)".to_owned()
        }
        // These hold the entry's bytes: never shown.
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            "the entry is not what a token store writes".to_owned()
        }
        keyring::Error::PlatformFailure(e) => format!("the keyring failed: {e}"),
        other => other.to_string(),
    }
}

/// `keyring::Error` is not `Clone`; the store's status is kept by the crate.
fn clone_error(error: &keyring::Error) -> keyring::Error {
    match error {
        keyring::Error::NoDefaultStore => keyring::Error::NoDefaultStore,
        other => keyring::Error::Invalid("store".to_owned(), other.to_string()),
    }
}
