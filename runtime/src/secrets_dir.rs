//! A secrets directory: one file per variable, as Docker Swarm and Compose
//! mount secrets in `/run/secrets` and Kubernetes mounts a Secret's keys.

use std::path::{Path, PathBuf};

use crate::file::read_value_file;
use crate::{Origin, Source, Value};

/// Reads the variable `NAME` from the file `NAME`, or else `name` (its lower
/// case, as Docker secrets are usually named), in a directory. A file is read
/// as `NAME_FILE` is: one trailing newline trimmed, at most 64 KiB, UTF-8; an
/// unreadable one is an invalid variable. A missing directory holds nothing,
/// so the same program runs where no secrets are mounted.
///
/// ```
/// use credenv::{Credentials, Env, SecretString, SecretsDir};
///
/// #[derive(Credentials)]
/// struct Creds {
///     db_password: SecretString,
/// }
///
/// # let dir = std::env::temp_dir().join("credenv-doc-secrets");
/// # std::fs::create_dir_all(&dir).unwrap();
/// # std::fs::write(dir.join("db_password"), "pw\n").unwrap();
/// // The environment first, then the mounted secrets.
/// let creds = Creds::from_source(&(Env, SecretsDir::new(&dir)))?;
/// # use credenv::ExposeSecret;
/// # assert_eq!(creds.db_password.expose_secret(), "pw");
/// # Ok::<(), credenv::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SecretsDir {
    dir: PathBuf,
}

impl SecretsDir {
    /// The directory `dir`, e.g. `/run/secrets`.
    pub fn new(dir: impl AsRef<Path>) -> Self {
        SecretsDir {
            dir: dir.as_ref().to_owned(),
        }
    }
}

impl Source for SecretsDir {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        // A name that could leave the directory is never a variable's.
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return None;
        }
        let path = [name.to_owned(), name.to_ascii_lowercase()]
            .into_iter()
            .map(|file| self.dir.join(file))
            .find(|path| path.is_file())?;
        let value = match read_value_file(&path) {
            Ok(mut text) => Value::new(std::mem::take(&mut *text)),
            Err(reason) => Value::invalid(reason),
        };
        Some(value.with_origin(Origin::SecretsDir(path)))
    }
}
