//! Where a token manager keeps its tokens between runs: a file (mode 0600,
//! written atomically), or (feature `keyring`) the OS keyring. Each holds
//! the same JSON (`tokens`), which names the token endpoint that issued
//! it, and each has a lock file that a refresh holds, so processes sharing
//! one store refresh once between them.

#[cfg(feature = "keyring")]
mod call;
mod file;
#[cfg(feature = "keyring")]
mod keyring;
mod lock;
mod tokens;

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

pub(crate) use file::TokenFile;
#[cfg(feature = "keyring")]
pub(crate) use keyring::{KeyringEntry, Opened};
pub(crate) use tokens::Tokens;

use super::OAuthError;

/// A manager's store.
pub(crate) struct Store {
    /// The token endpoint's URL: written with the tokens, and checked when
    /// they are read.
    issuer: String,
    /// The latest `saved_at` read or written: a save is stamped later
    /// still, so that the copy saved last is the newest even if the clock
    /// went back (among copies this process has read).
    seen: std::sync::atomic::AtomicU64,
    place: Place,
    /// With `keyring-or-file` and a keyring: the token file, which holds
    /// tokens kept while no keyring could be reached. They are read from
    /// it (when saved after the entry's), and moved into the entry by the
    /// next save.
    #[cfg(feature = "keyring")]
    left_behind: Option<TokenFile>,
}

enum Place {
    File(TokenFile),
    #[cfg(feature = "keyring")]
    Keyring(KeyringEntry),
}

/// A store's lock, held for a refresh, a save or a deletion. A keyring call
/// still running when it was given up on holds it too, until it returns.
pub(crate) struct Lock(#[cfg_attr(not(feature = "keyring"), allow(dead_code))] Arc<[File]>);

impl Store {
    /// The token file `file`, for the tokens of `issuer`.
    pub(crate) fn file(file: TokenFile, issuer: &str) -> Store {
        Store {
            issuer: issuer.to_owned(),
            seen: Default::default(),
            place: Place::File(file),
            #[cfg(feature = "keyring")]
            left_behind: None,
        }
    }

    /// The keyring's `entry`, and the token file `left_behind` by a
    /// `keyring-or-file` store that could not reach a keyring.
    #[cfg(feature = "keyring")]
    pub(crate) fn keyring(
        entry: KeyringEntry,
        left_behind: Option<TokenFile>,
        issuer: &str,
    ) -> Store {
        Store {
            issuer: issuer.to_owned(),
            seen: Default::default(),
            place: Place::Keyring(entry),
            left_behind,
        }
    }

    /// The stored tokens; `None` when nothing is stored yet.
    pub(crate) async fn load(&self) -> Result<Option<Tokens>, OAuthError> {
        let held = match &self.place {
            Place::File(file) => file.read()?,
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.read().await?,
        };
        self.tokens(held)
    }

    /// Every copy the store holds (the entry's, and the file's left
    /// behind), for a sign-out to revoke: a token file others can read
    /// too. A copy that cannot hold tokens (not a store's JSON, another
    /// endpoint's, a token file too large or not a regular file) is passed
    /// over with a warning (it is deleted unrevoked, when it can be); one
    /// that cannot be read at all (a locked keyring) is an error, before
    /// anything is deleted.
    pub(crate) async fn copies(&self) -> Result<Vec<Tokens>, OAuthError> {
        let mut copies = Vec::new();
        let held = match &self.place {
            Place::File(file) => file.read_for_sign_out()?,
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => Ok(entry.read().await?),
        };
        copies.push((held, &self.place));
        #[cfg(feature = "keyring")]
        let left = self
            .left_behind
            .as_ref()
            .map(|file| Place::File(file.clone()));
        #[cfg(feature = "keyring")]
        if let Some(place @ Place::File(file)) = &left {
            copies.push((file.read_for_sign_out()?, place));
        }
        let mut tokens = Vec::new();
        for (held, place) in copies {
            match held.and_then(|held| self.parse(held, place)) {
                Ok(Some((copy, _))) => tokens.push(copy),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(target: "credenv", error = %e, "these stored OAuth tokens cannot be read as tokens, so they are not revoked");
                }
            }
        }
        Ok(tokens)
    }

    /// The tokens and save time of what `place` held.
    fn parse(
        &self,
        held: Option<Zeroizing<Vec<u8>>>,
        place: &Place,
    ) -> Result<Option<(Tokens, u64)>, OAuthError> {
        let Some(held) = held else {
            return Ok(None);
        };
        Tokens::from_json(&held, &self.issuer, place.name())
            .inspect(|(_, saved_at)| {
                self.seen
                    .fetch_max(*saved_at, std::sync::atomic::Ordering::SeqCst);
            })
            .map(Some)
            .map_err(|why| place.error(format!("{why}: {}", place.start_over())))
    }

    /// [`load`](Store::load), for a caller outside async code (`build`).
    pub(crate) fn load_blocking(&self) -> Result<Option<Tokens>, OAuthError> {
        let held = match &self.place {
            Place::File(file) => file.read()?,
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.read_blocking()?,
        };
        self.tokens(held)
    }

    /// The tokens of what the store `held`, or of the file left behind:
    /// when both hold tokens (a move into the entry cut short, or a process
    /// that found no keyring), the copy saved last.
    fn tokens(&self, held: Option<Zeroizing<Vec<u8>>>) -> Result<Option<Tokens>, OAuthError> {
        let held = self.parse(held, &self.place)?;
        #[cfg(feature = "keyring")]
        if let Some(file) = &self.left_behind
            && let Some((tokens, saved_at)) =
                self.parse(file.read()?, &Place::File(file.clone()))?
            && held.as_ref().is_none_or(|(_, held_at)| saved_at > *held_at)
        {
            return Ok(Some(tokens));
        }
        Ok(held.map(|(tokens, _)| tokens))
    }

    /// Stores `tokens`, whole, before they are used.
    #[cfg_attr(not(feature = "keyring"), allow(unused_variables))]
    pub(crate) async fn save(&self, lock: &Lock, tokens: &Tokens) -> Result<(), OAuthError> {
        let json = tokens.to_json(&self.issuer, self.stamp());
        match &self.place {
            Place::File(file) => file.write(&json)?,
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.write(&lock.0, &json).await?,
        }
        // Moved: the file no longer holds any. A file that cannot be
        // deleted holds an older copy, which the next read passes over.
        #[cfg(feature = "keyring")]
        if let Some(file) = &self.left_behind
            && let Err(e) = file.delete()
        {
            tracing::warn!(target: "credenv", error = %e, "the token file left behind is not deleted");
        }
        Ok(())
    }

    /// Deletes what is stored (nothing stored is not an error), in the
    /// file left behind too: each is tried, and the first failure is the
    /// error.
    #[cfg_attr(not(feature = "keyring"), allow(unused_variables))]
    pub(crate) async fn delete(&self, lock: &Lock) -> Result<(), OAuthError> {
        let deleted = match &self.place {
            Place::File(file) => file.delete(),
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.delete(&lock.0).await,
        };
        #[cfg(feature = "keyring")]
        if let Some(file) = &self.left_behind {
            return deleted.and(file.delete());
        }
        deleted
    }

    /// The store's lock (and the lock of the file left behind, which the
    /// processes that found no keyring take).
    pub(crate) async fn lock(&self) -> Result<Lock, OAuthError> {
        let first = match &self.place {
            Place::File(file) => file.lock().await?,
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.lock().await?,
        };
        #[cfg_attr(not(feature = "keyring"), allow(unused_mut))]
        let mut files = vec![first];
        #[cfg(feature = "keyring")]
        if let Some(file) = &self.left_behind {
            files.push(file.lock().await?);
        }
        Ok(Lock(files.into()))
    }

    /// The token file, for a file store.
    pub(crate) fn token_file(&self) -> Option<&TokenFile> {
        match &self.place {
            Place::File(file) => Some(file),
            #[cfg(feature = "keyring")]
            Place::Keyring(_) => None,
        }
    }

    /// The token file's path, for a file store.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.token_file().map(TokenFile::path)
    }

    /// The JSON of `tokens`, as this store writes it (for a test's crash).
    pub(crate) fn json(&self, tokens: &Tokens) -> Zeroizing<Vec<u8>> {
        tokens.to_json(&self.issuer, self.stamp())
    }

    /// The `saved_at` of a save now: the time, or later than any copy
    /// read or saved here before.
    fn stamp(&self) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let seen = self.seen.load(std::sync::atomic::Ordering::SeqCst);
        let stamp = now.max(seen.saturating_add(1));
        self.seen
            .fetch_max(stamp, std::sync::atomic::Ordering::SeqCst);
        stamp
    }
}

impl Place {
    fn error(&self, reason: String) -> OAuthError {
        match self {
            Place::File(file) => file.error(reason),
            #[cfg(feature = "keyring")]
            Place::Keyring(entry) => entry.error(reason),
        }
    }

    /// What its messages call it.
    fn name(&self) -> &'static str {
        match self {
            Place::File(_) => "the token file",
            #[cfg(feature = "keyring")]
            Place::Keyring(_) => "the entry",
        }
    }

    /// What to do about stored tokens that cannot be used.
    fn start_over(&self) -> &'static str {
        match self {
            Place::File(_) => "delete it and log in again",
            #[cfg(feature = "keyring")]
            Place::Keyring(_) => "delete the entry and log in again",
        }
    }
}
