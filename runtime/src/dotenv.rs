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
        if let Some(why) = refusal(&text, env_lengths) {
            return Err(refuse(why));
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
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DotEnv::empty(path.as_ref())),
            other => other,
        }
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

/// The largest `.env` file, and the most its references may expand to.
const MAX_SIZE: usize = 1024 * 1024;

/// Why dotenvy must not parse `text`, if it must not: its references could
/// expand past [`MAX_SIZE`], or its layout would take dotenvy too long.
///
/// It reads the file as dotenvy 0.15.7 does, rule for rule (not as a shell
/// would: that is how guards go wrong): entries are cut as its line reader
/// cuts them, quotes spanning lines included, and each value is walked
/// through the states of its `parse_value`, so a reference counts exactly
/// where dotenvy substitutes one (`$A_` is `$A` then `_`; `${A.B}` is the key
/// `A.B`; nothing inside single quotes). Each reference counts as the longest
/// value its name has had, in the file so far or in the process environment
/// (`env_lengths`, asked only when the file holds a `$`): never less than
/// dotenvy builds. Only the UTF-8 part of the file is read: dotenvy
/// substitutes every line before one that is not.
fn refusal(text: &[u8], env_lengths: fn() -> HashMap<String, usize>) -> Option<&'static str> {
    let text = match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut lengths = match text.contains('$') {
        true => env_lengths(),
        false => HashMap::new(),
    };
    let (mut total, mut work) = (0usize, 0usize);
    for entry in entries(text) {
        // dotenvy trims an entry's leading blanks again after each line it
        // reads into it.
        let blanks = entry.len() - entry.trim_start().len();
        work = work.saturating_add(blanks.saturating_mul(entry.matches('\n').count()));
        let (key, length) = expanded(entry, &lengths);
        total = total.saturating_add(entry.len()).saturating_add(length);
        if let Some(key) = key {
            let longest = lengths.entry(key.to_owned()).or_insert(0);
            *longest = (*longest).max(length);
        }
    }
    if total > MAX_SIZE {
        Some("its $NAME references could expand to more than 1 MiB")
    } else if work > MAX_WORK {
        Some("its blank space spans so many lines that parsing would take too long")
    } else {
        None
    }
}

/// How much re-trimming of blank space the parse may take (dotenvy's line
/// reader is quadratic in it).
const MAX_WORK: usize = 1 << 26;

/// The key an entry defines and the most its value expands to, as dotenvy's
/// `parse_line` and `parse_value` read it, state for state.
fn expanded<'a>(entry: &'a str, lengths: &HashMap<String, usize>) -> (Option<&'a str>, usize) {
    let line = entry.strip_suffix('\n').unwrap_or(entry);
    let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
    if line.is_empty() || line.starts_with('#') {
        return (None, 0);
    }
    let Some((key, rest)) = parse_key(line) else {
        return (None, 0);
    };
    let (key, rest) = match (key, rest.strip_prefix('=')) {
        (_, Some(value)) => (key, value),
        ("export", None) => match parse_key(rest) {
            Some((key, rest)) => match rest.strip_prefix('=') {
                Some(value) => (key, value),
                None => return (None, 0),
            },
            None => return (None, 0),
        },
        _ => return (None, 0),
    };
    let input = rest.trim_start();
    if input.is_empty() || input.starts_with('#') {
        return (Some(key), 0);
    }
    #[derive(PartialEq)]
    enum Mode {
        None,
        Block,
        EscapedBlock,
    }
    let (mut strong, mut weak, mut escaped, mut expecting_end) = (false, false, false, false);
    let mut mode = Mode::None;
    let mut name = String::new();
    let mut output = 0usize;
    let substitute = |name: &mut String, output: &mut usize| {
        *output = output.saturating_add(lengths.get(name.as_str()).copied().unwrap_or(0));
        name.clear();
    };
    for c in input.chars() {
        if expecting_end {
            match c {
                ' ' | '\t' => continue,
                // A comment, or dotenvy's error: nothing more is built.
                _ => return (Some(key), output),
            }
        } else if escaped {
            match c {
                '\\' | '\'' | '"' | '$' | ' ' | 'n' => output += 1,
                _ => return (Some(key), output),
            }
            escaped = false;
        } else if strong {
            match c {
                '\'' => strong = false,
                _ => output += c.len_utf8(),
            }
        } else if mode != Mode::None {
            if c.is_alphanumeric() {
                name.push(c);
            } else if mode == Mode::Block {
                if c == '{' && name.is_empty() {
                    mode = Mode::EscapedBlock;
                } else {
                    substitute(&mut name, &mut output);
                    if c == '$' {
                        mode = Mode::Block;
                    } else {
                        mode = Mode::None;
                        output += c.len_utf8();
                    }
                }
            } else if c == '}' {
                mode = Mode::None;
                substitute(&mut name, &mut output);
            } else {
                name.push(c);
            }
        } else if c == '$' {
            mode = Mode::Block;
        } else if weak {
            match c {
                '"' => weak = false,
                '\\' => escaped = true,
                _ => output += c.len_utf8(),
            }
        } else {
            match c {
                '\'' => strong = true,
                '"' => weak = true,
                '\\' => escaped = true,
                ' ' | '\t' => expecting_end = true,
                _ => output += c.len_utf8(),
            }
        }
    }
    if mode != Mode::EscapedBlock && !strong && !weak {
        substitute(&mut name, &mut output);
    }
    (Some(key), output)
}

/// A key as dotenvy's `parse_key` reads it (after blanks), and the rest of
/// the line after the blanks that follow it.
fn parse_key(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if !line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(line.len());
    Some((&line[..end], line[end..].trim_start()))
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
        // dotenvy asks, after each line, whether the entry so far starts
        // with `#` once trimmed: decided by its first non-blank character.
        let mut first: Option<char> = None;
        for line in rest.split_inclusive('\n') {
            end += line.len();
            if first.is_none() {
                first = line.chars().find(|c| !c.is_whitespace());
            }
            if first == Some('#') {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What dotenvy builds, in bytes of values.
    fn built(text: &str) -> usize {
        dotenvy::from_read_iter(text.as_bytes())
            .filter_map(Result::ok)
            .map(|(_, value)| value.len())
            .sum()
    }

    fn bound(text: &str) -> usize {
        let mut lengths = HashMap::new();
        let mut total = 0;
        for entry in entries(text) {
            let (key, length) = expanded(entry, &lengths);
            total += length;
            if let Some(key) = key {
                let longest = lengths.entry(key.to_owned()).or_insert(0);
                *longest = (*longest).max(length);
            }
        }
        total
    }

    #[test]
    fn the_bound_is_what_dotenvy_builds() {
        for text in [
            "A=xyz\nB=$A$A\nC=${B}-${B}\n",
            "A=xyz\nB=$A_$A_\n",
            "A.B=xy\nC=${A.B}${A.B}\n",
            "A=xyz\nB='$A'\\$A\n",
            "A=xyz\nexport B=$A\nexport=$A\n",
            "A=xyz\nB=\"multi\nline $A!\"\n",
            "# comment $A\nA=1\nB='${'${A}\n",
        ] {
            assert_eq!(bound(text), built(text), "{text:?}");
        }
        // An entry dotenvy refuses midway is counted up to where it stopped;
        // a comment after a blank is counted too (dotenvy cuts it off).
        for text in ["A=xyz\nB='$A'\"$A\"\\$A\n", "A=xyz\nB=$A #$A$A\n"] {
            assert!(bound(text) >= built(text), "{text:?}");
        }
    }

    #[test]
    fn entries_are_cut_as_dotenvy_cuts_them() {
        let text = "A=1\n# x 'open\nB=\"a\nb\"\n  C='c' # 'd\nD=2";
        let cut: Vec<&str> = entries(text).collect();
        assert_eq!(
            cut,
            [
                "A=1\n",
                "# x 'open\n",
                "B=\"a\nb\"\n",
                "  C='c' # 'd\n",
                "D=2"
            ]
        );
    }
}
