//! A multi-pattern matcher whose every table is zeroized on drop: the
//! patterns sorted by their first two bytes, and a bitmap of which two-byte
//! starts any pattern has, so a scan looks at each position once and
//! compares only where a pattern could start.

use zeroize::Zeroizing;

pub(super) struct Matcher {
    /// The patterns, by their first two bytes, longest first among equals;
    /// each with the index of its name.
    patterns: Vec<(Zeroizing<Vec<u8>>, usize)>,
    /// Bit `b0 << 8 | b1` is set when a pattern starts with bytes `b0 b1`.
    starts: Zeroizing<Vec<u64>>,
    /// Bit `b0` is set when a pattern starts with byte `b0`: most positions
    /// are passed over on this small table alone.
    firsts: Zeroizing<[u64; 4]>,
}

impl Matcher {
    /// Patterns of two bytes or more (shorter ones are never given).
    pub(super) fn new(mut patterns: Vec<(Zeroizing<Vec<u8>>, usize)>) -> Matcher {
        patterns.retain(|(pattern, _)| pattern.len() >= 2);
        patterns.sort_by(|(a, _), (b, _)| a[..2].cmp(&b[..2]).then(b.len().cmp(&a.len())));
        let mut starts = Zeroizing::new(vec![0u64; 1 << 10]);
        let mut firsts = Zeroizing::new([0u64; 4]);
        for (pattern, _) in &patterns {
            let key = start(pattern);
            starts[key >> 6] |= 1 << (key & 63);
            firsts[usize::from(pattern[0] >> 6)] |= 1 << (pattern[0] & 63);
        }
        Matcher {
            patterns,
            starts,
            firsts,
        }
    }

    /// The first position at or after `at` where a pattern may start.
    pub(super) fn next_candidate(&self, text: &[u8], at: usize) -> Option<usize> {
        text.get(at..)?
            .iter()
            .position(|&b| self.firsts[usize::from(b >> 6)] & (1 << (b & 63)) != 0)
            .map(|offset| at + offset)
    }

    /// The longest pattern at `at` in `text`: its length and name.
    pub(super) fn longest_at(&self, text: &[u8], at: usize) -> Option<(usize, usize)> {
        let rest = text.get(at..)?;
        if rest.len() < 2 {
            return None;
        }
        let key = start(rest);
        if self.starts[key >> 6] & (1 << (key & 63)) == 0 {
            return None;
        }
        let first = self
            .patterns
            .partition_point(|(pattern, _)| pattern[..2] < rest[..2]);
        self.patterns[first..]
            .iter()
            .take_while(|(pattern, _)| pattern[..2] == rest[..2])
            .find(|(pattern, _)| rest.starts_with(pattern))
            .map(|(pattern, name)| (pattern.len(), *name))
    }
}

/// A text's first two bytes as a bitmap index.
fn start(text: &[u8]) -> usize {
    usize::from(text[0]) << 8 | usize::from(text[1])
}
