//! The token file: tokens kept between runs, written atomically with mode
//! 0600, and refused when others can read it (as ssh refuses a private key).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::OAuthError;
use crate::resolve::http::SecretJson;

/// Tokens as the manager keeps them.
#[derive(Clone)]
pub(crate) struct Tokens {
    pub(crate) access_token: SecretString,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) expires_at: Option<SystemTime>,
    pub(crate) scopes: Vec<String>,
}

impl Tokens {
    /// Usable for at least `leeway` more.
    pub(crate) fn fresh(&self, leeway: Duration) -> bool {
        self.expires_at
            .is_none_or(|at| SystemTime::now() + leeway < at)
    }

    fn to_json(&self) -> Zeroizing<String> {
        let expires_at = self
            .expires_at
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        let value = json!({
            "access_token": self.access_token.expose_secret(),
            "refresh_token": self.refresh_token.as_ref().map(|t| t.expose_secret()),
            "expires_at": expires_at,
            "scopes": self.scopes,
        });
        Zeroizing::new(value.to_string())
    }

    fn from_json(bytes: Zeroizing<Vec<u8>>) -> Result<Tokens, String> {
        let mut json = SecretJson::parse(bytes, "the token file")?;
        let access_token =
            SecretString::from(json.take("access_token", "the token file")?.as_str());
        let refresh_token = match json.0.get("refresh_token") {
            None | Some(Value::Null) => None,
            Some(_) => Some(SecretString::from(
                json.take("refresh_token", "the token file")?.as_str(),
            )),
        };
        let expires_at = match json.0.get("expires_at") {
            None | Some(Value::Null) => None,
            Some(value) => {
                let secs = value
                    .as_u64()
                    .ok_or("expires_at is not a number of seconds")?;
                Some(UNIX_EPOCH + Duration::from_secs(secs))
            }
        };
        let scopes = match json.0.get("scopes") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        Ok(Tokens {
            access_token,
            refresh_token,
            expires_at,
            scopes,
        })
    }
}

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

    fn error(&self, reason: impl Into<String>) -> OAuthError {
        OAuthError::TokenFile {
            path: self.path.clone(),
            reason: reason.into(),
        }
    }

    /// The saved tokens, `None` when there is no file yet.
    pub(crate) fn load(&self) -> Result<Option<Tokens>, OAuthError> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error(format!("cannot read it: {e}"))),
        };
        let metadata = file
            .metadata()
            .map_err(|e| self.error(format!("cannot read it: {e}")))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(self.error(format!(
                    "it is readable or writable by others (mode {mode:04o}); run: chmod 600 {}",
                    self.path.display()
                )));
            }
        }
        let mut bytes = Zeroizing::new(Vec::with_capacity(metadata.len() as usize + 64));
        file.read_to_end(&mut bytes)
            .map_err(|e| self.error(format!("cannot read it: {e}")))?;
        Tokens::from_json(bytes)
            .map(Some)
            .map_err(|reason| self.error(format!("{reason}: delete it and log in again")))
    }

    /// Writes the tokens atomically: a temporary file (mode 0600) is written
    /// and synced, then renamed over the old one, so a crash at any point
    /// leaves the old file or the new one, never a torn or missing one.
    pub(crate) fn save(&self, tokens: &Tokens) -> Result<(), OAuthError> {
        let staged = self.stage(tokens)?;
        self.commit(staged)
    }

    /// The first half of [`save`](TokenFile::save): the new file, written and
    /// synced beside the old one.
    pub(crate) fn stage(&self, tokens: &Tokens) -> Result<PathBuf, OAuthError> {
        let name = self
            .path
            .file_name()
            .ok_or_else(|| self.error("it is not a file name"))?;
        let temporary = self.path.with_file_name(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let write = || -> io::Result<()> {
            let mut file = options.open(&temporary)?;
            file.write_all(tokens.to_json().as_bytes())?;
            file.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&temporary);
            self.error(format!("cannot write {}: {e}", temporary.display()))
        })?;
        Ok(temporary)
    }

    /// The second half: the rename, and a sync of the directory so the rename
    /// itself survives a crash.
    pub(crate) fn commit(&self, staged: PathBuf) -> Result<(), OAuthError> {
        fs::rename(&staged, &self.path)
            .map_err(|e| self.error(format!("cannot replace it: {e}")))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}
