//! `op://` references, read with 1Password's CLI: `op read`, whose contract is
//! the value on stdout, a message on stderr and a non-zero exit on failure.

use std::process::Stdio;

use zeroize::{Zeroize, Zeroizing};

use super::{Declared, Failed, Settings};
use crate::ResolveFailure;
use crate::buffer::SecretBuf;

/// The most `op read` may print: a secret is small.
const MAX_OUTPUT: usize = 1024 * 1024;

/// The variables `op` needs, passed on from the load's source when it has
/// them (otherwise `op` inherits the process's).
pub(super) const DECLARED: Declared = Declared {
    settings: &[
        "PATH",
        "OP_SERVICE_ACCOUNT_TOKEN",
        "OP_CONNECT_HOST",
        "OP_CONNECT_TOKEN",
        "OP_ACCOUNT",
    ],
    credentials: &["OP_SERVICE_ACCOUNT_TOKEN", "OP_CONNECT_TOKEN"],
    file: None,
};

pub(super) async fn read(
    reference: &str,
    settings: &Settings,
) -> Result<Zeroizing<String>, Failed> {
    // `op` is found through PATH and handed the token: a PATH from a `.env`
    // file or a secrets directory could run another program with it.
    if let Some(path) = settings.vars.iter().find(|s| s.name == "PATH")
        && path.layer != crate::Origin::Env
    {
        return Err(Failed::new(
            ResolveFailure::Refused,
            format!(
                "PATH comes from the {}: credenv finds op only through the process environment's PATH",
                path.layer
            ),
        ));
    }
    settings.same_layer(&["OP_CONNECT_HOST"], &["OP_CONNECT_TOKEN"])?;
    let mut command = tokio::process::Command::new("op");
    command
        .args(["read", "--no-newline", reference])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for name in DECLARED.settings {
        if let Some(value) = settings.get(&[name]) {
            command.env(name, value);
        }
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Failed::setting("the 1Password CLI (op) is not installed or not on PATH")
        }
        _ => Failed::setting(format!("cannot run the 1Password CLI (op): {e}")),
    })?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let run = async {
        // Both pipes at once, each capped: `op` cannot fill memory, nor
        // block on a full stderr while stdout is read.
        let stderr = tokio::spawn(capped(stderr, 64 * 1024));
        let stdout = capped(stdout, MAX_OUTPUT).await;
        let stderr = stderr.await.ok().and_then(Result::ok).flatten();
        let status = child.wait().await;
        (stdout, stderr, status)
    };
    let (stdout, stderr, status) =
        tokio::time::timeout(settings.timeout, run)
            .await
            .map_err(|_| {
                let timeout = humantime::format_duration(settings.timeout);
                let reason = format!("op read did not finish within {timeout}");
                Failed::new(ResolveFailure::Timeout, reason)
            })?;
    let status = status.map_err(|e| failed(format!("cannot run the 1Password CLI (op): {e}")))?;
    let stdout = stdout.map_err(|e| failed(format!("cannot read what op read printed: {e}")))?;
    let Some(mut stdout) = stdout else {
        return Err(Failed::answer("op read printed more than 1 MiB"));
    };
    if !status.success() {
        let stderr = stderr.unwrap_or_default();
        let message = String::from_utf8_lossy(&stderr);
        let message = message
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim();
        let message: String = message.chars().take(300).collect();
        return Err(failed(format!("op read failed ({status}): {message}")));
    }
    let mut text = match String::from_utf8(std::mem::take(&mut *stdout)) {
        Ok(text) => Zeroizing::new(text),
        Err(e) => {
            e.into_bytes().zeroize();
            return Err(Failed::answer(
                "op read printed a value that is not valid UTF-8",
            ));
        }
    };
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// `op` failed: it ran, and said why (which names no secret).
fn failed(reason: String) -> Failed {
    Failed::new(ResolveFailure::Failed, reason)
}

/// Everything a pipe gives, up to `cap` bytes (`None` past it), in a
/// buffer zeroized on drop and as it grows.
async fn capped(
    pipe: Option<impl tokio::io::AsyncRead + Unpin>,
    cap: usize,
) -> std::io::Result<Option<Zeroizing<Vec<u8>>>> {
    use tokio::io::AsyncReadExt;
    let mut buffer = SecretBuf::new(0, cap);
    let Some(mut pipe) = pipe else {
        return Ok(Some(buffer.into_bytes()));
    };
    let mut chunk = Zeroizing::new([0u8; 4096]);
    loop {
        let read = pipe.read(&mut chunk[..]).await?;
        if read == 0 {
            return Ok(Some(buffer.into_bytes()));
        }
        if buffer.extend(&chunk[..read]).is_err() {
            return Ok(None);
        }
    }
}
