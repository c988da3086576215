//! A buffer for bytes that may be secret: capped, and zeroized whenever it
//! lets go of memory, when it grows as well as when it is dropped.
//!
//! `Vec`'s own growth frees the old block as it was, so a secret read into a
//! growing `Vec` leaves copies behind; this buffer grows by hand.

use std::io::{self, Read};

use zeroize::Zeroizing;

/// Bytes read or received, at most `cap` of them.
pub(crate) struct SecretBuf {
    bytes: Zeroizing<Vec<u8>>,
    cap: usize,
}

/// More than the cap would have been held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl SecretBuf {
    /// An empty buffer with room for `expected` bytes (a file's size, a
    /// `Content-Length`), never more than `cap` allows.
    pub(crate) fn new(expected: usize, cap: usize) -> SecretBuf {
        SecretBuf {
            // One byte past the cap tells a full buffer from a larger input.
            bytes: Zeroizing::new(Vec::with_capacity(expected.min(cap) + 1)),
            cap,
        }
    }

    /// Appends `chunk`, or refuses it when the buffer would pass its cap.
    #[cfg_attr(not(feature = "__http"), allow(dead_code))]
    pub(crate) fn extend(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        let len = self.bytes.len() + chunk.len();
        if len > self.cap {
            return Err(TooLarge);
        }
        self.reserve(len);
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// Reads `reader` to its end: `Ok(Err(TooLarge))` once it passes the cap.
    /// It reads straight into the buffer, through no intermediate copy.
    pub(crate) fn read_all(&mut self, mut reader: impl Read) -> io::Result<Result<(), TooLarge>> {
        loop {
            let len = self.bytes.len();
            if len > self.cap {
                return Ok(Err(TooLarge));
            }
            if len == self.bytes.capacity() {
                self.reserve((2 * len).max(1024).min(self.cap + 1));
            }
            let room = self.bytes.capacity();
            self.bytes.resize(room, 0);
            let read = reader.read(&mut self.bytes[len..]);
            self.bytes.truncate(len + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => return Ok(Ok(())),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Room for `len` bytes in all: a larger block, the old one zeroized.
    fn reserve(&mut self, len: usize) {
        if len <= self.bytes.capacity() {
            return;
        }
        let mut grown = Zeroizing::new(Vec::with_capacity(len.max(2 * self.bytes.capacity())));
        grown.extend_from_slice(&self.bytes);
        // The old block is zeroized as it is dropped here.
        self.bytes = grown;
    }

    /// The bytes held.
    pub(crate) fn into_bytes(self) -> Zeroizing<Vec<u8>> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_cap_and_refuses_more() {
        let mut buf = SecretBuf::new(0, 10);
        assert_eq!(buf.read_all(&b"0123456789"[..]).unwrap(), Ok(()));
        assert_eq!(&buf.into_bytes()[..], b"0123456789");
        let mut buf = SecretBuf::new(4, 10);
        assert_eq!(buf.read_all(&b"0123456789x"[..]).unwrap(), Err(TooLarge));
    }

    #[test]
    fn extends_up_to_the_cap() {
        let mut buf = SecretBuf::new(2, 5);
        buf.extend(b"abc").unwrap();
        buf.extend(b"de").unwrap();
        assert_eq!(buf.extend(b"f"), Err(TooLarge));
        assert_eq!(&buf.into_bytes()[..], b"abcde");
    }

    #[test]
    fn reads_a_large_input_in_many_steps() {
        let input = vec![7u8; 100_000];
        let mut buf = SecretBuf::new(0, 1 << 20);
        assert_eq!(buf.read_all(&input[..]).unwrap(), Ok(()));
        assert_eq!(buf.into_bytes().len(), 100_000);
    }
}
