//! The one pass's copies of the values a load reads, zeroized when
//! dropped.

use zeroize::Zeroizing;

/// The values copied, in chunks that never grow (a buffer that grew would
/// leave its old copy behind, unzeroized), each zeroized when dropped: a
/// load's values take one allocation, most often, not one each.
#[derive(Default)]
pub(super) struct Copies {
    /// The first chunk, empty until a value is copied: most loads' values
    /// fit in it.
    first: Zeroizing<String>,
    /// The chunks after it (chunk `n` is `more[n - 1]`).
    more: Vec<Zeroizing<String>>,
}

/// A value's place among the copies.
pub(super) struct Span {
    chunk: usize,
    start: usize,
    end: usize,
}

impl Copies {
    /// Inlined: a span returned through memory is read back before its
    /// stores land (a store-forwarding stall, BENCHMARKS.md).
    #[inline(always)]
    pub(super) fn push(&mut self, text: &str) -> Span {
        let last = self.more.last().unwrap_or(&self.first);
        if last.capacity() - last.len() < text.len() {
            self.grow(text.len());
        }
        let chunk = self.more.len();
        let copy = self.more.last_mut().unwrap_or(&mut self.first);
        let start = copy.len();
        copy.push_str(text);
        Span {
            chunk,
            start,
            end: copy.len(),
        }
    }

    /// A new chunk, with room for `needed` bytes at least.
    #[cold]
    fn grow(&mut self, needed: usize) {
        // The first chunk is small: it is allocated from glibc's per-thread
        // cache and zeroized whole. Until a value is copied, it is empty.
        match self.first.capacity() {
            0 => *self.first = String::with_capacity(needed.max(512)),
            _ => self
                .more
                .push(Zeroizing::new(String::with_capacity(needed.max(4096)))),
        }
    }

    /// How many bytes were copied.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.first.len() + self.more.iter().map(|chunk| chunk.len()).sum::<usize>()
    }

    pub(super) fn get(&self, span: &Span) -> &str {
        let chunk = match span.chunk {
            0 => &self.first,
            n => &self.more[n - 1],
        };
        &chunk[span.start..span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::Copies;

    #[test]
    fn copies_never_move_and_read_back_whole() {
        let mut copies = Copies::default();
        let texts: Vec<String> = (0..300).map(|i| "v".repeat(i * 7)).collect();
        let mut spans = Vec::new();
        for text in &texts {
            let span = copies.push(text);
            // Where the copy is, as written: a chunk that grew would move it.
            let at = copies.get(&span).as_ptr();
            spans.push((span, at));
        }
        for (text, (span, at)) in texts.iter().zip(&spans) {
            assert_eq!(copies.get(span), text);
            // An empty copy has no bytes to keep in place.
            if !text.is_empty() {
                assert_eq!(copies.get(span).as_ptr(), *at);
            }
        }
        assert!(copies.more.len() < texts.len() / 2);
    }
}
