//! A fingerprint of everything a load read, so that a live handle can tell a
//! reload that found nothing new without keeping a second copy of any
//! secret. It is keyed SipHash (two keys, 128 bits) with keys drawn once per
//! process; it never leaves the process, so nobody can test a guess
//! against it.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

/// The digest of one load, built variable by variable.
pub(crate) struct Digest {
    low: std::hash::DefaultHasher,
    high: std::hash::DefaultHasher,
}

impl Digest {
    pub(crate) fn new() -> Self {
        static KEYS: OnceLock<(RandomState, RandomState)> = OnceLock::new();
        let (low, high) = KEYS.get_or_init(|| (RandomState::new(), RandomState::new()));
        Digest {
            low: low.build_hasher(),
            high: high.build_hasher(),
        }
    }

    /// Adds the variable at `index`: its text, or `None` when it had none.
    pub(crate) fn add(&mut self, index: usize, text: Option<&str>) {
        // Zeros pad each text to SipHash's 8-byte block, so no byte of it
        // waits in the hasher's buffer (which is not zeroized).
        const PAD: [u8; 8] = [0; 8];
        let text = text.map(str::as_bytes);
        for hasher in [&mut self.low, &mut self.high] {
            // u64s, not usizes: eight bytes on every target.
            hasher.write_u64(index as u64);
            hasher.write_u64(text.map_or(u64::MAX, |text| text.len() as u64));
            if let Some(text) = text {
                hasher.write(text);
                hasher.write(&PAD[..(8 - text.len() % 8) % 8]);
            }
        }
    }

    /// The digest of one text alone (a token, to know it again).
    #[cfg_attr(not(feature = "__managers"), allow(dead_code))]
    pub(crate) fn of(text: &str) -> u128 {
        let mut digest = Digest::new();
        digest.add(0, Some(text));
        digest.finish()
    }

    pub(crate) fn finish(&self) -> u128 {
        (u128::from(self.high.finish()) << 64) | u128::from(self.low.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::Digest;

    fn digest(texts: &[Option<&str>]) -> u128 {
        let mut digest = Digest::new();
        for (index, text) in texts.iter().enumerate() {
            digest.add(index, *text);
        }
        digest.finish()
    }

    #[test]
    fn the_same_reads_give_the_same_digest_and_any_change_another() {
        let base = digest(&[Some("k-1"), None, Some("x")]);
        assert_eq!(base, digest(&[Some("k-1"), None, Some("x")]));
        assert_ne!(base, digest(&[Some("k-2"), None, Some("x")]));
        assert_ne!(base, digest(&[Some("k-1"), Some(""), Some("x")]));
        assert_ne!(base, digest(&[Some("k-1x"), None, Some("")]));
        assert_ne!(base, digest(&[Some("k-1"), None]));
    }
}
