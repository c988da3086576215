//! `NAME_FILE` indirection: a variable's value read from a file, as Docker and
//! Kubernetes mount secrets.

use std::io::Read;
use std::path::Path;

use zeroize::{Zeroize, Zeroizing};

/// Larger files are refused: a secret is small, and a misnamed path (a log,
/// a device) must not be read into memory.
pub(crate) const MAX_FILE_SIZE: u64 = 64 * 1024;

/// The file's contents minus one trailing newline, or why it cannot be used.
/// The reason names the path, never the contents.
pub(crate) fn read_value_file(path: &Path) -> Result<Zeroizing<String>, String> {
    let shown = path.display();
    let cannot_read = |e: std::io::Error| format!("cannot read {shown}: {e}");
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file
        .metadata()
        .map_err(cannot_read)?
        .len()
        .min(MAX_FILE_SIZE);
    // Room for the whole file and then some: reading never reallocates (which
    // would free an unzeroized partial copy) nor goes through std's small
    // probe buffer on the stack.
    let mut bytes = Zeroizing::new(Vec::with_capacity(size as usize + 64));
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(format!(
            "{shown} is larger than {} KiB",
            MAX_FILE_SIZE / 1024
        ));
    }
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

    #[test]
    fn names_the_path_of_an_unreadable_file() {
        let err = read_value_file(Path::new("/nonexistent/credenv")).unwrap_err();
        assert!(
            err.starts_with("cannot read /nonexistent/credenv: "),
            "{err}"
        );
    }
}
