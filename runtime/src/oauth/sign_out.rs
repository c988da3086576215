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
    /// another endpoint's tokens, a FIFO or a file over 1 MiB at the token
    /// path) are not revoked: they are deleted, with a warning. A store
    /// that cannot be read (a locked keyring, a token file this user cannot
    /// read) is an error before anything is deleted.
    ///
    /// Tokens are kept only where nothing ended them. Once the store is
    /// deleted, the tokens here are forgotten before any revocation is
    /// sent (a sign-out cancelled meanwhile leaves none behind), and a
    /// revocation that fails is [`OAuthError::NotRevoked`]. A store that
    /// cannot be deleted is an error, and the manager keeps its tokens
    /// unless they were revoked (the error then names the failed
    /// revocations too).
    pub async fn sign_out(&self) -> Result<(), OAuthError> {
        // Held throughout: no refresh saves tokens while they are deleted
        // and revoked.
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
        copies.extend(held.clone());
        copies.extend(self.unsaved());
        if deleted.is_ok() {
            *held = None;
            self.take_unsaved();
        }
        let Some(revocation) = &client.revocation else {
            return deleted;
        };
        let mut failed: Vec<&Tokens> = Vec::new();
        let mut failures = Vec::new();
        for (i, tokens) in copies.iter().enumerate() {
            if copies[..i].iter().any(|sent| sent.same(tokens)) {
                continue;
            }
            if let Err(why) = revocation.revoke(&self.inner.http_client, tokens).await {
                failed.push(tokens);
                failures.push(why);
            }
        }
        let Err(e) = deleted else {
            return match failures.is_empty() {
                true => Ok(()),
                false => Err(OAuthError::NotRevoked(failures.join("; "))),
            };
        };
        // Still stored: what is kept here is what no revocation ended.
        let revoked = |tokens: &Tokens| !failed.iter().any(|f| f.same(tokens));
        if held.as_ref().is_some_and(revoked) {
            *held = None;
        }
        if self.unsaved().as_ref().is_some_and(revoked) {
            self.take_unsaved();
        }
        match failures.is_empty() {
            true => Err(e),
            false => Err(not_revoked_either(e, &failures)),
        }
    }

    /// A copy of the tokens whose save failed, if any.
    fn unsaved(&self) -> Option<Tokens> {
        self.inner.unsaved.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The store's `error`, which also says which revocations failed: those
/// tokens may still be stored, and are kept here.
fn not_revoked_either(error: OAuthError, failures: &[String]) -> OAuthError {
    let also = format!(
        "; the provider did not revoke every copy either ({}): the copies not revoked may still be stored, and are kept here",
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
