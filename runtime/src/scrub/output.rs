//! Where output leaves a server besides its replies: log lines and panics.

use std::io::{self, Write};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::Scrubber;

/// A writer that scrubs what it is given before passing it on, whole: it
/// keeps the text until it is flushed or dropped, so a secret split across
/// two writes is still found. For a `tracing` subscriber, one per event:
///
/// ```
/// # use std::sync::Arc;
/// # let scrubber = Arc::new(credenv::scrub::Scrubber::new([("API_TOKEN", "sk-live-4f9a2c1e")]));
/// use credenv::scrub::ScrubWriter;
/// let make_writer = move || ScrubWriter::new(std::io::stderr(), Arc::clone(&scrubber));
/// // tracing_subscriber::fmt().with_writer(make_writer).init();
/// # let mut writer = make_writer();
/// # use std::io::Write;
/// # writeln!(writer, "calling with sk-live-4f9a2c1e").unwrap();
/// ```
pub struct ScrubWriter<W: Write> {
    inner: W,
    scrubber: Arc<Scrubber>,
    pending: Zeroizing<Vec<u8>>,
}

impl<W: Write> ScrubWriter<W> {
    /// Writes to `inner`, scrubbed by `scrubber`.
    pub fn new(inner: W, scrubber: Arc<Scrubber>) -> Self {
        ScrubWriter {
            inner,
            scrubber,
            pending: Zeroizing::new(Vec::new()),
        }
    }

    fn pass_on(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut *self.pending);
        let pending = Zeroizing::new(pending);
        let text = String::from_utf8_lossy(&pending);
        self.inner.write_all(self.scrubber.scrub(&text).as_bytes())
    }
}

impl<W: Write> Write for ScrubWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for ScrubWriter<W> {
    fn drop(&mut self) {
        let _ = self.pass_on();
    }
}

/// Replaces the panic hook with one that prints the panic's message to
/// stderr scrubbed by `scrubber()` (called when a panic happens: pass a
/// live handle's current one), with where it happened.
pub fn install_panic_hook(scrubber: impl Fn() -> Arc<Scrubber> + Send + Sync + 'static) {
    std::panic::set_hook(Box::new(move |info| {
        let message = match (
            info.payload().downcast_ref::<&str>(),
            info.payload().downcast_ref::<String>(),
        ) {
            (Some(message), _) => (*message).to_owned(),
            (_, Some(message)) => message.clone(),
            _ => "a panic without a message".to_owned(),
        };
        let message = Zeroizing::new(message);
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        eprintln!(
            "thread '{thread}' panicked{place}:\n{}",
            scrubber().scrub(&message)
        );
    }));
}
