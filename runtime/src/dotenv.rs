//! `.env` files (feature `dotenv`), read with dotenvy's iterators into a
//! source: the process environment is never changed.

use std::io;
use std::path::{Path, PathBuf};

use zeroize::Zeroize;

use crate::{Origin, Source, Value, Vars};

/// The variables of a `.env` file, as a [`Source`]. Layer it under the
/// environment, which then wins: `T::from_source(&(Env, dotenv))`.
///
/// dotenvy's syntax applies: `NAME=value`, quotes, `#` comments, `export`,
/// and `${OTHER}` substitution (from the file and the process environment).
///
/// ```
/// use credenv::{Credentials, DotEnv, Env, Origin};
///
/// #[derive(Credentials)]
/// struct Creds {
///     api_key: credenv::SecretString,
///     #[credential(default = 8080)]
///     port: u16,
/// }
///
/// # let path = std::env::temp_dir().join("credenv-doc.env");
/// # std::fs::write(&path, "API_KEY=k-1\nPORT=9000\n").unwrap();
/// let dotenv = DotEnv::load(&path)?;
/// let loaded = Creds::load(&(Env, dotenv))?;
/// assert_eq!(loaded.port, 9000);
/// assert_eq!(loaded.origin("API_KEY"), Some(&Origin::DotEnv(path)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DotEnv {
    vars: Vars,
}

impl DotEnv {
    /// Reads the file at `path`. A missing or unreadable file, or a line
    /// dotenvy cannot parse, is an error naming the path and the entry, never
    /// the line's contents.
    pub fn load(path: impl AsRef<Path>) -> io::Result<DotEnv> {
        let path = path.as_ref();
        let file =
            std::fs::File::open(path).map_err(|e| error(path, 0, None, dotenvy::Error::Io(e)))?;
        DotEnv::from_reader(file, path)
    }

    /// Reads `.env` syntax from `reader`; `path` names it in errors and
    /// origins.
    pub fn from_reader(reader: impl io::Read, path: impl AsRef<Path>) -> io::Result<DotEnv> {
        let path = path.as_ref();
        let mut vars = Vars::with_origin(Origin::DotEnv(path.to_owned()));
        let mut last: Option<String> = None;
        for (index, entry) in dotenvy::from_read_iter(reader).enumerate() {
            let (name, value) = entry.map_err(|e| error(path, index + 1, last.as_deref(), e))?;
            last = Some(name.clone());
            vars.insert(name, value);
        }
        Ok(DotEnv { vars })
    }

    /// Like [`load`](DotEnv::load), but a missing file holds no variables.
    pub fn load_if_exists(path: impl AsRef<Path>) -> io::Result<DotEnv> {
        match DotEnv::load(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DotEnv {
                vars: Vars::with_origin(Origin::DotEnv(path.as_ref().to_owned())),
            }),
            other => other,
        }
    }

    /// The file's variables.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }
}

impl Source for DotEnv {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.vars.get(name)
    }
}

/// dotenvy's parse error quotes the whole line, which may hold a secret: the
/// line is zeroized and only its position is reported.
fn error(path: &Path, entry: usize, after: Option<&str>, e: dotenvy::Error) -> io::Error {
    let path: PathBuf = path.to_owned();
    match e {
        dotenvy::Error::Io(e) => {
            io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
        }
        dotenvy::Error::LineParse(mut line, column) => {
            line.zeroize();
            let place = match after {
                Some(name) => format!("entry {entry} (after {name})"),
                None => format!("entry {entry}"),
            };
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "cannot parse {}: {place}, at character {}",
                    path.display(),
                    column + 1
                ),
            )
        }
        other => io::Error::other(format!("cannot read {}: {other}", path.display())),
    }
}
