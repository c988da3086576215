//! Signing out: every stored copy read, the store emptied, the tokens
//! forgotten here, and each copy revoked at the provider (RFC 7009).

use super::store::Tokens;
use super::{OAuthError, TokenManager};

impl TokenManager {
    /// Signs out: deletes the tokens from the store (the file, or the
    /// keyring's entry, and a token file `keyring-or-file` left behind),
    /// forgets them here, and revokes every copy at the provider when it
    /// has a revocation endpoint (`OAUTH_REVOCATION_URL`, RFC 7009). The
    /// next `access_token()` needs a login (or, with `client_credentials`,
    /// gets a new token); so does the next refresh of another process that
    /// shares the store.
    ///
    /// Stored tokens that cannot be used (JSON that is not a store's,
    /// another endpoint's tokens, a token file that is too large or not a
    /// regular file) are deleted unrevoked, with a warning. A store that
    /// cannot be read (a locked keyring, a token file this user cannot
    /// read) is an error before anything is deleted.
    ///
    /// Tokens are kept only where nothing ended them: a store that cannot
    /// be deleted is an error, and the manager keeps its tokens unless
    /// they were revoked (the error then names the failed revocations
    /// too). A revocation that fails after the store was deleted is
    /// [`OAuthError::NotRevoked`]: every copy is still sent to be revoked,
    /// and the tokens are gone here.
    pub async fn sign_out(&self) -> Result<(), OAuthError> {
        // Held throughout: no refresh saves tokens while they are deleted
        // and revoked, and tokens kept are still here to keep.
        let mut held = self.inner.tokens.lock().await;
        let client = self.inner.client.current();
        let (mut copies, deleted) = match &self.inner.store {
            Some(store) => {
                let lock = store.lock().await?;
                let copies = store.copies().await?;
                (copies, store.delete(&lock).await)
            }
            None => (Vec::new(), Ok(())),
        };
        let failures = match &client.revocation {
            Some(revocation) => {
                copies.extend(held.clone());
                copies.extend(self.unsaved());
                let mut failures = Vec::new();
                for (i, tokens) in copies.iter().enumerate() {
                    if copies[..i].iter().any(|sent| sent.same(tokens)) {
                        continue;
                    }
                    if let Err(why) = revocation.revoke(&self.inner.http_client, tokens).await {
                        failures.push(why);
                    }
                }
                Some(failures)
            }
            None => None,
        };
        let revoked = failures.as_ref().is_some_and(Vec::is_empty);
        if deleted.is_ok() || revoked {
            *held = None;
            self.take_unsaved();
        }
        match (deleted, failures) {
            (Err(e), Some(failures)) if !failures.is_empty() => {
                Err(not_revoked_either(e, &failures))
            }
            (Err(e), _) => Err(e),
            (Ok(()), Some(failures)) if !failures.is_empty() => {
                Err(OAuthError::NotRevoked(failures.join("; ")))
            }
            (Ok(()), _) => Ok(()),
        }
    }

    /// A copy of the tokens whose save failed, if any.
    fn unsaved(&self) -> Option<Tokens> {
        self.inner.unsaved.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The store's `error`, which also says that the revocations failed: the
/// tokens are then kept, both here and in the store.
fn not_revoked_either(error: OAuthError, failures: &[String]) -> OAuthError {
    let also = format!(
        "; the provider did not revoke the tokens either ({}), so they are kept",
        failures.join("; ")
    );
    match error {
        OAuthError::TokenFile { path, reason } => OAuthError::TokenFile {
            path,
            reason: reason + &also,
        },
        OAuthError::Keyring {
            service,
            account,
            reason,
        } => OAuthError::Keyring {
            service,
            account,
            reason: reason + &also,
        },
        other => other,
    }
}
