//! `NAME_FILE` indirection: a variable's value read from a file, as Docker and
//! Kubernetes mount secrets.

use std::fs::File;
use std::io;
use std::path::Path;

use zeroize::{Zeroize, Zeroizing};

use crate::buffer::SecretBuf;

/// Larger files are refused: a secret is small, and a misnamed path (a log,
/// a device) must not be read into memory.
pub(crate) const MAX_FILE_SIZE: u64 = 64 * 1024;

/// Opens `path` for reading if it is a regular file, and returns its size.
///
/// It opens without blocking, so a FIFO with no writer or a terminal cannot
/// hang the caller, and then refuses anything but a regular file: a FIFO,
/// a device, `/dev/stdin` (an MCP server's JSON-RPC input), a directory.
pub(crate) fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never become a terminal's controlling process by opening it.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        let kind = kind(&metadata);
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            NotRegular(kind),
        ));
    }
    Ok((file, metadata.len()))
}

/// [`open_regular`]'s error for what is not a regular file: told apart from
/// an `open` that failed (whose EINVAL is `InvalidInput` too).
#[derive(Debug)]
pub(crate) struct NotRegular(&'static str);

impl NotRegular {
    /// Whether `error` is this one.
    #[cfg(feature = "oauth")]
    pub(crate) fn is(error: &io::Error) -> bool {
        error
            .get_ref()
            .is_some_and(|inner| inner.is::<NotRegular>())
    }
}

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a regular file ({})", self.0)
    }
}

impl std::error::Error for NotRegular {}

/// What a path that is not a regular file is, in a word.
fn kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// Reads an opened file of `size` bytes (at most `cap`) into a buffer
/// zeroized on drop and on every reallocation, should the file grow while it
/// is read. `Ok(None)`: it holds more than `cap`.
pub(crate) fn read_opened(
    file: impl io::Read,
    size: u64,
    cap: usize,
) -> io::Result<Option<Zeroizing<Vec<u8>>>> {
    if size > cap as u64 {
        return Ok(None);
    }
    let mut buf = SecretBuf::new(size as usize, cap);
    Ok(buf.read_all(file)?.ok().map(|()| buf.into_bytes()))
}

/// The file's contents minus one trailing newline, or why it cannot be used.
/// The reason names the path, never the contents.
pub(crate) fn read_value_file(path: &Path) -> Result<Zeroizing<String>, String> {
    let shown = path.display();
    let cannot_read = |e: io::Error| format!("cannot read {shown}: {e}");
    let (file, size) = open_regular(path).map_err(cannot_read)?;
    let Some(mut bytes) = read_opened(file, size, MAX_FILE_SIZE as usize).map_err(cannot_read)?
    else {
        return Err(format!(
            "{shown} is larger than {} KiB",
            MAX_FILE_SIZE / 1024
        ));
    };
    let mut text = match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Zeroizing::new(text),
        Err(e) => {
            e.into_bytes().zeroize();
            return Err(format!("{shown} is not valid UTF-8"));
        }
    };
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("credenv-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    #[test]
    fn trims_one_trailing_newline() {
        let path = temp_file("newline", b"s3cret\n\n");
        assert_eq!(read_value_file(&path).unwrap().as_str(), "s3cret\n");
        let path = temp_file("crlf", b"s3cret\r\n");
        assert_eq!(read_value_file(&path).unwrap().as_str(), "s3cret");
    }

    #[test]
    fn refuses_large_and_non_utf8_files_without_quoting_them() {
        let path = temp_file("large", &vec![b'x'; MAX_FILE_SIZE as usize + 1]);
        let err = read_value_file(&path).unwrap_err();
        assert!(err.ends_with("is larger than 64 KiB"), "{err}");
        let path = temp_file("binary", b"canary\xff");
        let err = read_value_file(&path).unwrap_err();
        assert!(
            err.ends_with("is not valid UTF-8") && !err.contains("canary"),
            "{err}"
        );
        let exact = temp_file("exact", &vec![b'x'; MAX_FILE_SIZE as usize]);
        assert!(read_value_file(&exact).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_fifos_and_devices_without_blocking() {
        let fifo = temp_file("fifo-placeholder", b"");
        let fifo = fifo.with_file_name("fifo");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo is needed for this test"
        );
        let err = read_value_file(&fifo).unwrap_err();
        assert!(err.ends_with(": not a regular file (a FIFO)"), "{err}");
        let err = read_value_file(Path::new("/dev/null")).unwrap_err();
        assert_eq!(err, "cannot read /dev/null: not a regular file (a device)");
        let err = read_value_file(Path::new("/")).unwrap_err();
        assert_eq!(err, "cannot read /: not a regular file (a directory)");
    }

    #[test]
    fn names_the_path_of_an_unreadable_file() {
        let err = read_value_file(Path::new("/nonexistent/credenv")).unwrap_err();
        assert!(
            err.starts_with("cannot read /nonexistent/credenv: "),
            "{err}"
        );
    }
}
