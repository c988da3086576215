//! Where output leaves a server besides its replies: log lines and panics.

use std::io::{self, Write};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::Scrubber;

/// A writer that scrubs what it is given before passing it on, a line at a
/// time: it keeps the text until a line ends (or it is flushed or dropped,
/// or 64 KiB wait), so a secret split across two writes of a line is still
/// found. For a `tracing` subscriber, one per event:
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

    /// Scrubs and passes on the first `len` bytes kept.
    fn pass_on(&mut self, len: usize) -> io::Result<()> {
        if len == 0 {
            return Ok(());
        }
        let rest = Zeroizing::new(self.pending[len..].to_vec());
        let mut line = std::mem::replace(&mut self.pending, rest);
        line.truncate(len);
        let text = match String::from_utf8_lossy(&line) {
            std::borrow::Cow::Borrowed(text) => self.scrubber.scrub(text).into_owned(),
            std::borrow::Cow::Owned(text) => {
                let text = Zeroizing::new(text);
                self.scrubber.scrub(&text).into_owned()
            }
        };
        let text = Zeroizing::new(text);
        self.inner.write_all(text.as_bytes())
    }
}

/// Text kept waiting for the end of its line, at most.
const MAX_PENDING: usize = 64 * 1024;

impl<W: Write> Write for ScrubWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let lines = self
            .pending
            .iter()
            .rposition(|&b| b == b'\n')
            .map(|i| i + 1);
        match lines {
            Some(lines) => self.pass_on(lines)?,
            None if self.pending.len() > MAX_PENDING => self.pass_on(self.pending.len())?,
            None => {}
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on(self.pending.len())?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for ScrubWriter<W> {
    fn drop(&mut self) {
        let _ = self.pass_on(self.pending.len());
    }
}

/// Replaces the panic hook with one that prints the panic's message to
/// stderr scrubbed by `scrubber()` (called when a panic happens: pass a
/// live handle's current one), with where it happened, and a backtrace when
/// `RUST_BACKTRACE` asks for one (a backtrace holds no value). A panic in
/// a load about to be swapped in is scrubbed of the secrets current then,
/// not of the new ones.
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
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            eprintln!("stack backtrace:\n{backtrace}");
        }
    }));
}
