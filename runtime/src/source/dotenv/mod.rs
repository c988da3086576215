//! `.env` files (feature `dotenv`), read with dotenvy's iterators into a
//! source: the process environment is never changed.

mod bound;

use std::io;
use std::path::{Path, PathBuf};

use zeroize::Zeroize;

use super::file::{open_regular, read_opened};
use crate::{Origin, Source, Value, Vars};
use bound::{MAX_SIZE, entries, env_lengths, refusal};

/// The variables of a `.env` file, as a [`Source`]. Layer it under the
/// environment, which then wins: `T::from_source(&(Env, dotenv))`.
///
/// dotenvy's syntax applies: `NAME=value`, quotes, `#` comments, `export`,
/// and `${OTHER}` substitution (from the file and the process environment;
/// note that dotenvy reads `$MY_VAR` as `$MY` then `_VAR`: write `${MY_VAR}`).
///
/// **Where is `.env`?** [`DotEnv::load`] takes a path, and a relative one is
/// relative to the working directory, which an MCP client chooses (often
/// `/`): a server's `.env` is better found [beside its
/// executable](DotEnv::beside_executable), [through a
/// variable](DotEnv::from_path_var), or in [the user's configuration
/// directory](DotEnv::in_config_dir).
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
    /// The file to read again for a live handle, and whether it may be
    /// missing; none for a reader's text.
    file: Option<(PathBuf, Presence)>,
}

/// Whether a `.env` file must exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
}

impl DotEnv {
    /// Reads the file at `path`. A missing or unreadable file, or a line
    /// dotenvy cannot parse, is an error naming the path and the entry, never
    /// the line's contents.
    pub fn load(path: impl AsRef<Path>) -> io::Result<DotEnv> {
        let path = path.as_ref();
        let (file, size) =
            open_regular(path).map_err(|e| error(path, b"", dotenvy::Error::Io(e)))?;
        let mut dotenv = DotEnv::read(file, size, path)?;
        dotenv.file = Some((path.to_owned(), Presence::Required));
        Ok(dotenv)
    }

    /// Reads `.env` syntax from `reader`; `path` names it in errors and
    /// origins. Over 1 MiB, or with `$NAME` references that could expand past
    /// 1 MiB (a few lines that each repeat the one before are an expansion
    /// bomb), it is refused before it is parsed.
    pub fn from_reader(reader: impl io::Read, path: impl AsRef<Path>) -> io::Result<DotEnv> {
        DotEnv::read(reader, 0, path.as_ref())
    }

    /// Reads `reader`, which is expected to hold `size` bytes.
    fn read(reader: impl io::Read, size: u64, path: &Path) -> io::Result<DotEnv> {
        let text = read_opened(reader, size, MAX_SIZE)
            .map_err(|e| error(path, b"", dotenvy::Error::Io(e)))?;
        let refuse = |why: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("cannot parse {}: {why}", path.display()),
            )
        };
        let Some(text) = text else {
            return Err(refuse("it is larger than 1 MiB"));
        };
        if let Some(why) = refusal(&text, env_lengths) {
            return Err(refuse(why));
        }
        let mut vars = Vars::with_origin(Origin::DotEnv(path.to_owned()));
        for entry in dotenvy::from_read_iter(&text[..]) {
            let (name, value) = entry.map_err(|e| error(path, &text, e))?;
            vars.insert(name, value);
        }
        Ok(DotEnv { vars, file: None })
    }

    /// Like [`load`](DotEnv::load), but a missing file holds no variables.
    pub fn load_if_exists(path: impl AsRef<Path>) -> io::Result<DotEnv> {
        let path = path.as_ref();
        let mut dotenv = match DotEnv::load(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => DotEnv::empty(path),
            other => other?,
        };
        dotenv.file = Some((path.to_owned(), Presence::Optional));
        Ok(dotenv)
    }

    /// The file `name` in the executable's directory, if it exists. MCP
    /// clients start a server in a working directory of their choosing
    /// (often `/`), where a relative `.env` is not the project's; the
    /// executable's directory is where the server was installed.
    pub fn beside_executable(name: impl AsRef<Path>) -> io::Result<DotEnv> {
        let exe = std::env::current_exe()?;
        let dir = exe.parent().unwrap_or(Path::new("."));
        DotEnv::load_if_exists(dir.join(name))
    }

    /// The file that the process environment's variable `var` names
    /// (`APP_DOTENV=/etc/my-server/.env`); no variables when it is unset.
    /// A path that cannot be read is an error, since someone asked for it.
    pub fn from_path_var(var: &str) -> io::Result<DotEnv> {
        DotEnv::from_path_in(&crate::Env, var)
    }

    /// Like [`from_path_var`](DotEnv::from_path_var), with the variable read
    /// from `source` (a map in a test).
    pub fn from_path_in(source: &(impl Source + ?Sized), var: &str) -> io::Result<DotEnv> {
        let Some(value) = source.get(var) else {
            return Ok(DotEnv::empty(Path::new(var)));
        };
        match value.text {
            Ok(path) if !path.as_str().is_empty() => DotEnv::load(path.as_str()),
            Ok(_) => Ok(DotEnv::empty(Path::new(var))),
            Err(_) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{var} does not name a readable path"),
            )),
        }
    }

    /// `<config dir>/<app>/.env`, if it exists: `$XDG_CONFIG_HOME` or
    /// `~/.config` on Linux and other Unixes, `~/Library/Application
    /// Support` on macOS, `%APPDATA%` on Windows.
    pub fn in_config_dir(app: &str) -> io::Result<DotEnv> {
        match config_dir() {
            Some(dir) => DotEnv::load_if_exists(dir.join(app).join(".env")),
            None => Ok(DotEnv::empty(Path::new(".env"))),
        }
    }

    fn empty(path: &Path) -> DotEnv {
        DotEnv {
            vars: Vars::with_origin(Origin::DotEnv(path.to_owned())),
            file: None,
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

    fn may_hold_file_vars(&self) -> bool {
        self.vars.may_hold_file_vars()
    }

    fn may_hold_references(&self) -> bool {
        self.vars.may_hold_references()
    }

    fn paths(&self) -> Vec<PathBuf> {
        self.file.iter().map(|(path, _)| path.clone()).collect()
    }

    fn reread(&mut self) -> io::Result<()> {
        if let Some((path, presence)) = &self.file {
            let again = match presence {
                Presence::Required => DotEnv::load(path),
                Presence::Optional => DotEnv::load_if_exists(path),
            }?;
            self.vars = again.vars;
        }
        Ok(())
    }
}

/// The user's configuration directory, from the platform's variables.
fn config_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library/Application Support"))
    } else {
        var("XDG_CONFIG_HOME").or_else(|| var("HOME").map(|home| home.join(".config")))
    }
}

/// dotenvy's parse error quotes the whole line, which may hold a secret: the
/// line is zeroized and only its position in the file is reported.
fn error(path: &Path, text: &[u8], e: dotenvy::Error) -> io::Error {
    let path: PathBuf = path.to_owned();
    match e {
        dotenvy::Error::Io(e) => {
            io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
        }
        dotenvy::Error::LineParse(mut line, _) => {
            line.zeroize();
            let place = std::str::from_utf8(text)
                .ok()
                .and_then(position)
                .map(|(line, column)| format!("line {line}, column {column}"))
                .unwrap_or_else(|| "a line dotenvy cannot read".to_owned());
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("cannot parse {}: {place}", path.display()),
            )
        }
        other => io::Error::other(format!("cannot read {}: {other}", path.display())),
    }
}

/// Where the file's first parse error is, as a line and a column (in
/// characters, from 1). Entries are parsed one at a time, each as dotenvy
/// cuts it: substitution never fails, so the first entry that fails alone
/// is the one that failed.
fn position(text: &str) -> Option<(usize, usize)> {
    let mut first_line = 1;
    for entry in entries(text) {
        let failure = dotenvy::from_read_iter(entry.as_bytes()).find_map(Result::err);
        if let Some(dotenvy::Error::LineParse(mut shown, at)) = failure {
            // `shown` is the entry (a key's error: `at` bytes into it) or
            // the part after `=` (a value's error: `at` characters into it).
            let logical = entry.trim_end_matches(['\n', '\r']);
            let offset = if shown.len() < logical.len() && logical.ends_with(shown.as_str()) {
                let start = logical.len() - shown.len();
                start + shown.char_indices().nth(at).map_or(shown.len(), |(i, _)| i)
            } else {
                at.min(entry.len())
            };
            shown.zeroize();
            // At the end of an entry that spans lines: a quote never closed.
            // Point at where it opened.
            let offset = match offset >= logical.len() && logical.contains('\n') {
                true => entry.find(['"', '\'']).unwrap_or(0),
                false => offset,
            };
            let before = entry.get(..offset)?;
            let line = first_line + before.matches('\n').count();
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return Some((line, column));
        }
        first_line += entry.matches('\n').count();
    }
    None
}
