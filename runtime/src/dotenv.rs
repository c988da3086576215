//! `.env` files (feature `dotenv`), read with dotenvy's iterators into a
//! source: the process environment is never changed.

use std::io;
use std::path::{Path, PathBuf};

use std::collections::HashMap;
use std::io::Read;

use zeroize::{Zeroize, Zeroizing};

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
    /// origins. Over 1 MiB, or with `$NAME` references that could expand past
    /// 1 MiB (a few lines that each repeat the one before are an expansion
    /// bomb), it is refused before it is parsed.
    pub fn from_reader(reader: impl io::Read, path: impl AsRef<Path>) -> io::Result<DotEnv> {
        let path = path.as_ref();
        let mut text = Zeroizing::new(Vec::new());
        reader
            .take(MAX_SIZE as u64 + 1)
            .read_to_end(&mut text)
            .map_err(|e| error(path, 0, None, dotenvy::Error::Io(e)))?;
        let refuse = |why: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("cannot parse {}: {why}", path.display()),
            )
        };
        if text.len() > MAX_SIZE {
            return Err(refuse("it is larger than 1 MiB"));
        }
        if expansion_bound(&text) > MAX_SIZE {
            return Err(refuse(
                "its $NAME references could expand to more than 1 MiB",
            ));
        }
        let mut vars = Vars::with_origin(Origin::DotEnv(path.to_owned()));
        let mut last: Option<String> = None;
        for (index, entry) in dotenvy::from_read_iter(&text[..]).enumerate() {
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

/// The largest `.env` file, and the most its references may expand to.
const MAX_SIZE: usize = 1024 * 1024;

/// An upper bound of the file's size once dotenvy has replaced every
/// `$NAME` and `${NAME}` with the value it names (an earlier line's, or the
/// process environment's), computed with lengths alone, in one pass. It
/// counts every reference, quoted or escaped or not, so it never
/// underestimates; dotenvy itself has no bound.
fn expansion_bound(text: &[u8]) -> usize {
    let mut lengths: HashMap<&[u8], usize> = HashMap::new();
    let mut total = 0usize;
    let mut current: Option<&[u8]> = None;
    for line in text.split(|&b| b == b'\n') {
        let trimmed = line.trim_ascii_start();
        let trimmed = trimmed.strip_prefix(b"export ").unwrap_or(trimmed);
        // A line with `NAME=` starts a variable; any other adds to the one
        // before (a quoted value may span lines).
        let (name, value) = match trimmed.iter().position(|&b| b == b'=') {
            Some(at)
                if trimmed[..at]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') =>
            {
                (Some(trimmed[..at].trim_ascii()), &trimmed[at + 1..])
            }
            _ => (None, line),
        };
        let length = expanded_length(value, &lengths);
        total = total.saturating_add(length);
        match name {
            Some(name) => {
                lengths.insert(name, length);
                current = Some(name);
            }
            None => {
                if let Some(length_so_far) = current.and_then(|name| lengths.get_mut(name)) {
                    *length_so_far = length_so_far.saturating_add(length);
                }
            }
        }
    }
    total
}

fn expanded_length(value: &[u8], lengths: &HashMap<&[u8], usize>) -> usize {
    let name_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let mut length = 0usize;
    let mut rest = value;
    while let Some(at) = rest.iter().position(|&b| b == b'$') {
        length = length.saturating_add(at);
        rest = &rest[at + 1..];
        let braced = rest.first() == Some(&b'{');
        let start = usize::from(braced);
        let end = start + rest[start..].iter().take_while(|b| name_byte(b)).count();
        let name = &rest[start..end];
        let referenced = lengths.get(name).copied().unwrap_or_else(|| {
            std::str::from_utf8(name)
                .ok()
                .and_then(std::env::var_os)
                .map_or(0, |v| v.len())
        });
        length = length.saturating_add(referenced.max(1));
        rest = &rest[end + usize::from(braced && rest.get(end) == Some(&b'}'))..];
    }
    length.saturating_add(rest.len())
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
