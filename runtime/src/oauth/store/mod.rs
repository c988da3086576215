//! Where a token manager keeps its tokens between runs: a file (mode 0600,
//! written atomically), or (feature `keyring`) the OS keyring. Each holds
//! the same JSON, and each has a lock file that a refresh holds, so
//! processes sharing one store refresh once between them.

mod file;
#[cfg(feature = "keyring")]
mod keyring;

use std::fs::File;
use std::path::Path;

pub(crate) use file::{TokenFile, Tokens};
#[cfg(feature = "keyring")]
pub(crate) use keyring::KeyringEntry;

use super::OAuthError;

/// A manager's store.
pub(crate) enum Store {
    File(TokenFile),
    #[cfg(feature = "keyring")]
    Keyring(KeyringEntry),
}

impl Store {
    /// The stored tokens; `None` when nothing is stored yet.
    pub(crate) fn load(&self) -> Result<Option<Tokens>, OAuthError> {
        match self {
            Store::File(file) => file.load(),
            #[cfg(feature = "keyring")]
            Store::Keyring(entry) => entry.load(),
        }
    }

    /// Stores `tokens`, whole, before they are used.
    pub(crate) fn save(&self, tokens: &Tokens) -> Result<(), OAuthError> {
        match self {
            Store::File(file) => file.save(tokens),
            #[cfg(feature = "keyring")]
            Store::Keyring(entry) => entry.save(tokens),
        }
    }

    /// Deletes what is stored (nothing stored is not an error).
    pub(crate) fn delete(&self) -> Result<(), OAuthError> {
        match self {
            Store::File(file) => file.delete(),
            #[cfg(feature = "keyring")]
            Store::Keyring(entry) => entry.delete(),
        }
    }

    /// The store's lock, held for a refresh.
    pub(crate) async fn lock(&self) -> Result<File, OAuthError> {
        match self {
            Store::File(file) => file.lock().await,
            #[cfg(feature = "keyring")]
            Store::Keyring(entry) => entry.lock().await,
        }
    }

    /// The token file, for a file store.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Store::File(file) => Some(file.path()),
            #[cfg(feature = "keyring")]
            Store::Keyring(_) => None,
        }
    }

    /// The file store, for what only it can do (stage a write).
    pub(crate) fn file(&self) -> Option<&TokenFile> {
        match self {
            Store::File(file) => Some(file),
            #[cfg(feature = "keyring")]
            Store::Keyring(_) => None,
        }
    }
}
