//! The files AWS's chain reads, read first by credenv: the chain is handed
//! them in memory (aws-types' `Fs` map) and reads nothing else.
//!
//! aws-config reads files with `std::fs::read`: whole, blocking, a FIFO or
//! `/dev/zero` as readily as a file, and with no home, `~/.aws/config`
//! relative to the working directory. Read here, each is a regular file
//! opened without blocking, under a cap, and a missing home means no
//! profile files at all. Only a load's process environment has files: a
//! reference of another layer gets none.

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use aws_types::os_shim_internal::Fs;

use super::names::{HOMES, PROFILE_FILES, TOKEN_FILES};
use crate::Origin;
use crate::resolve::{Failed, Settings};
use crate::source::file::{MAX_FILE_SIZE, open_regular, read_opened};

/// Profile files hold many profiles; a token or cache file is small.
const MAX_PROFILE_FILE: usize = 1024 * 1024;
/// Token cache files read from one cache directory, at most.
const MAX_CACHED: usize = 256;
/// Token files named by profiles read, at most.
const MAX_TOKEN_FILES: usize = 16;

/// The files of the chain for references of `layer`.
pub(super) fn files(settings: &Settings, layer: &Origin) -> Result<Fs, Failed> {
    let mut files = HashMap::new();
    if *layer != Origin::Env {
        return Ok(Fs::from_raw_map(files));
    }
    let env = |name: &str| {
        settings
            .vars
            .iter()
            .find(|s| s.name == name && s.layer == Origin::Env)
            .map(|s| s.text.as_str())
    };
    // As aws-runtime finds it: HOME, then (on Windows) USERPROFILE.
    let home = env(HOMES[0]).or_else(|| env(HOMES[1]).filter(|_| cfg!(windows)));
    // What the profile files point to: token files, token caches.
    let (mut token_files, mut sso) = (Vec::new(), false);
    for (name, default) in PROFILE_FILES {
        let Some(path) = expand(env(name).unwrap_or(default), home) else {
            continue;
        };
        match read(&path, MAX_PROFILE_FILE) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                token_files
                    .extend(profile_values(&text, "web_identity_token_file").map(PathBuf::from));
                sso |= text.contains("sso_");
                files.insert(path.into_os_string(), bytes);
            }
            // The defaults may well not exist; a named file must.
            Err(e) if e.kind() == io::ErrorKind::NotFound && env(name).is_none() => {}
            Err(e) => return Err(cannot_read(name, &path, &e)),
        }
    }
    for name in TOKEN_FILES {
        if let Some(path) = env(name) {
            let path = PathBuf::from(path);
            let bytes =
                read(&path, MAX_FILE_SIZE as usize).map_err(|e| cannot_read(name, &path, &e))?;
            files.insert(path.into_os_string(), bytes);
        }
    }
    // A profile's own token file; unreadable, the chain says so if it is
    // the profile in use. A few at most: a profile file is not a list of
    // every file on the machine.
    for path in token_files.into_iter().take(MAX_TOKEN_FILES) {
        if let Ok(bytes) = read(&path, MAX_FILE_SIZE as usize) {
            files.insert(path.into_os_string(), bytes);
        }
    }
    let mut caches = Vec::new();
    if sso {
        caches.extend(home.map(|h| Path::new(h).join(".aws/sso/cache")));
    }
    for dir in caches {
        read_cache(&dir, &mut files);
    }
    Ok(Fs::from_raw_map(files))
}

/// `path` with a leading `~` made the home, as aws-runtime does; `None`
/// when there is no home to make it.
fn expand(path: &str, home: Option<&str>) -> Option<PathBuf> {
    let mut parts = Path::new(path).components();
    match parts.next() {
        Some(Component::Normal(first)) if first == "~" => {
            let mut expanded = PathBuf::from(home?);
            expanded.extend(parts);
            Some(expanded)
        }
        _ => Some(PathBuf::from(path)),
    }
}

/// A regular file of at most `cap` bytes.
fn read(path: &Path, cap: usize) -> io::Result<Vec<u8>> {
    let (file, size) = open_regular(path)?;
    match read_opened(file, size, cap)? {
        Some(mut bytes) => Ok(std::mem::take(&mut *bytes)),
        None => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} KiB", cap / 1024),
        )),
    }
}

fn cannot_read(name: &str, path: &Path, e: &io::Error) -> Failed {
    Failed::setting(format!("{name}: cannot read {}: {e}", path.display()))
}

/// The values of `key = value` lines of the profile files.
fn profile_values<'a>(profiles: &'a str, key: &'a str) -> impl Iterator<Item = &'a str> {
    profiles.lines().filter_map(move |line| {
        let (name, value) = line.split_once('=')?;
        // Keys are case-insensitive, as aws-runtime reads them.
        name.trim()
            .eq_ignore_ascii_case(key)
            .then(|| value.trim())
            .filter(|v| !v.is_empty())
    })
}

/// The JSON files of SSO's token cache, as many as
/// `MAX_CACHED`; what cannot be read is left to the chain to miss.
fn read_cache(dir: &Path, files: &mut HashMap<std::ffi::OsString, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let json = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"));
    for path in json.take(MAX_CACHED) {
        if let Ok(bytes) = read(&path, MAX_FILE_SIZE as usize) {
            files.insert(path.into_os_string(), bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_needs_a_home() {
        assert_eq!(expand("~/.aws/config", None), None);
        assert_eq!(
            expand("~/.aws/config", Some("/home/u")),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        assert_eq!(expand("/etc/aws", None), Some(PathBuf::from("/etc/aws")));
    }

    #[test]
    fn finds_a_profiles_token_files() {
        let text = "[profile a]\nWeb_Identity_Token_File = /var/run/token\nrole_arn=x\n[b]\nweb_identity_token_file=\n";
        let found: Vec<_> = profile_values(text, "web_identity_token_file").collect();
        assert_eq!(found, ["/var/run/token"]);
    }
}
