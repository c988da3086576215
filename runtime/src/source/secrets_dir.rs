//! A secrets directory: one file per variable, as Docker Swarm and Compose
//! mount secrets in `/run/secrets` and Kubernetes mounts a Secret's keys.

use std::path::{Path, PathBuf};

use super::file::read_value_file;
use crate::{Origin, Source, Value};

/// Reads the variable `NAME` from the first of the files `NAME`, `name` (its
/// lower case, as Docker secrets are usually named) and `name-with-dashes`
/// (as Kubernetes Secret keys usually are) in a directory. A file is read as
/// `NAME_FILE` is: a regular file, one trailing newline trimmed, at most
/// 64 KiB, UTF-8; an unreadable one is an invalid variable. A missing
/// directory holds nothing, so the same program runs where no secrets are
/// mounted.
///
/// Links are followed only while they stay inside the directory: the
/// kubelet's `key -> ..data/key` and `..data -> ..<timestamp>` do, a link to
/// `/etc/passwd` or `../other` does not and is an invalid variable.
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
    fn paths(&self) -> Vec<PathBuf> {
        vec![self.dir.clone()]
    }

    fn get(&self, name: &str) -> Option<Value<'_>> {
        // A name that could leave the directory is never a variable's.
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        let kebab = lower.replace('_', "-");
        let path = [name.to_owned(), lower, kebab]
            .into_iter()
            .map(|file| self.dir.join(file))
            .find(|path| path.symlink_metadata().is_ok())?;
        let value = match self.inside(&path).and_then(|real| read_value_file(&real)) {
            Ok(mut text) => Value::new(std::mem::take(&mut *text)),
            Err(reason) => Value::invalid(reason),
        };
        Some(value.with_origin(Origin::SecretsDir(path)))
    }
}

impl SecretsDir {
    /// Where `path` really is, if that is inside the directory.
    fn inside(&self, path: &Path) -> Result<PathBuf, String> {
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let dir = self.dir.canonicalize().map_err(cannot)?;
        let real = path.canonicalize().map_err(cannot)?;
        match real.starts_with(&dir) {
            true => Ok(real),
            false => Err(format!(
                "{} links outside the secrets directory {}",
                path.display(),
                self.dir.display()
            )),
        }
    }
}
