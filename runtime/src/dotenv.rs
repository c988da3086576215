//! `.env` files (feature `dotenv`), read with dotenvy's iterators into a
//! source: the process environment is never changed.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use zeroize::Zeroize;

use crate::file::{open_regular, read_opened};
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
        let (file, size) =
            open_regular(path).map_err(|e| error(path, b"", dotenvy::Error::Io(e)))?;
        DotEnv::read(file, size, path)
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
        if expansion_bound(&text, env_lengths) > MAX_SIZE {
            return Err(refuse(
                "its $NAME references could expand to more than 1 MiB",
            ));
        }
        let mut vars = Vars::with_origin(Origin::DotEnv(path.to_owned()));
        for entry in dotenvy::from_read_iter(&text[..]) {
            let (name, value) = entry.map_err(|e| error(path, &text, e))?;
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
/// reference (`$NAME`, `${NAME}`) with the value it names, in one pass.
///
/// It reads the file as dotenvy 0.15.7 does, rule for rule (not as a shell
/// would: that is how guards go wrong): entries are cut as its line reader
/// cuts them, quotes spanning lines included; a key is
/// `[A-Za-z_][A-Za-z0-9_.]*` after an optional `export`; `$NAME` names the
/// run of alphanumerics after the `$` (so `$A_` is `$A` then `_`) and
/// `${NAME}` everything up to the `}` (so `${A.B}` is the key `A.B`). Each
/// reference counts as the longest value its name has had, in the file so
/// far or in the process environment (`env_lengths`, asked only when the
/// file holds a `$`), whether or not dotenvy would substitute it there (in
/// single quotes, escaped): never less than dotenvy builds.
fn expansion_bound(text: &[u8], env_lengths: fn() -> HashMap<String, usize>) -> usize {
    let Ok(text) = std::str::from_utf8(text) else {
        // dotenvy refuses it before substituting anything.
        return text.len();
    };
    let mut lengths = match text.contains('$') {
        true => env_lengths(),
        false => HashMap::new(),
    };
    let mut total = 0usize;
    for entry in entries(text) {
        let mut length = entry.len();
        let mut rest = entry;
        while let Some(at) = rest.find('$') {
            rest = &rest[at + 1..];
            let name = match rest.strip_prefix('{') {
                Some(braced) => braced.split('}').next().unwrap_or(braced),
                None => {
                    let end = rest
                        .find(|c: char| !c.is_alphanumeric())
                        .unwrap_or(rest.len());
                    &rest[..end]
                }
            };
            let value = lengths.get(name).copied().unwrap_or(0);
            length = length.saturating_add(value);
        }
        total = total.saturating_add(length);
        if let Some(key) = key(entry) {
            let longest = lengths.entry(key.to_owned()).or_insert(0);
            *longest = (*longest).max(length);
        }
    }
    total
}

/// The key an entry defines, as dotenvy's `parse_key` reads it.
fn key(entry: &str) -> Option<&str> {
    fn parse(text: &str) -> Option<(&str, &str)> {
        let text = text.trim_start();
        if !text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(text.len());
        Some((&text[..end], text[end..].trim_start()))
    }
    let (key, rest) = parse(entry)?;
    match (key, rest.starts_with('=')) {
        ("export", false) => parse(rest).map(|(key, _)| key),
        _ => Some(key),
    }
}

/// Each variable of the process environment's name and value length (each
/// copy of a value std makes is zeroized).
fn env_lengths() -> HashMap<String, usize> {
    std::env::vars_os()
        .filter_map(|(name, value)| {
            let mut bytes = value.into_encoded_bytes();
            let length = bytes.len();
            bytes.zeroize();
            Some((name.into_string().ok()?, length))
        })
        .collect()
}

/// The file's entries as dotenvy 0.15.7's line reader (`QuotedLines`) cuts
/// them: a line, and the lines after it while a quote, an escape or a
/// trailing blank is open; a comment ends one.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut state = Cut::Complete;
        let mut end = 0;
        for line in rest.split_inclusive('\n') {
            end += line.len();
            if rest[..end].trim_start().starts_with('#') {
                break;
            }
            state = Cut::after_line(state, line);
            if matches!(state, Cut::Complete | Cut::Comment) {
                break;
            }
        }
        let (entry, after) = rest.split_at(end);
        rest = after;
        Some(entry)
    })
}

/// dotenvy's `ParseState`, transition for transition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cut {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    Comment,
    WhiteSpace,
}

impl Cut {
    fn after_line(mut state: Cut, line: &str) -> Cut {
        for c in line.chars() {
            state = match state {
                Cut::WhiteSpace => match c {
                    '#' => return Cut::Comment,
                    '\\' => Cut::Escape,
                    '"' => Cut::WeakOpen,
                    '\'' => Cut::StrongOpen,
                    _ => Cut::Complete,
                },
                Cut::Escape => Cut::Complete,
                Cut::Complete => match c {
                    c if c.is_whitespace() && c != '\n' && c != '\r' => Cut::WhiteSpace,
                    '\\' => Cut::Escape,
                    '"' => Cut::WeakOpen,
                    '\'' => Cut::StrongOpen,
                    _ => Cut::Complete,
                },
                Cut::WeakOpen => match c {
                    '\\' => Cut::WeakOpenEscape,
                    '"' => Cut::Complete,
                    _ => Cut::WeakOpen,
                },
                Cut::WeakOpenEscape => Cut::WeakOpen,
                Cut::StrongOpen => match c {
                    '\\' => Cut::StrongOpenEscape,
                    '\'' => Cut::Complete,
                    _ => Cut::StrongOpen,
                },
                Cut::StrongOpenEscape => Cut::StrongOpen,
                Cut::Comment => return Cut::Comment,
            };
        }
        state
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
