//! `op://` references, read with 1Password's CLI: `op read`, whose contract is
//! the value on stdout, a message on stderr and a non-zero exit on failure.

use std::process::Stdio;

use zeroize::{Zeroize, Zeroizing};

use super::Settings;

/// The variables `op` needs, passed on from the load's source when it has
/// them (otherwise `op` inherits the process's).
const PASSED_ON: &[&str] = &[
    "PATH",
    "OP_SERVICE_ACCOUNT_TOKEN",
    "OP_CONNECT_HOST",
    "OP_CONNECT_TOKEN",
    "OP_ACCOUNT",
];

pub(super) async fn read(
    reference: &str,
    settings: &Settings,
) -> Result<Zeroizing<String>, String> {
    // `op` is found through PATH and handed the token: a PATH from a `.env`
    // file or a secrets directory could run another program with it.
    if let Some(path) = settings.vars.iter().find(|s| s.name == "PATH")
        && path.layer != crate::Origin::Env
    {
        return Err(format!(
            "PATH comes from the {}: credenv finds op only through the process environment's PATH",
            path.layer
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
    for name in PASSED_ON {
        if let Some(value) = settings.get(&[name]) {
            command.env(name, value);
        }
    }
    let output = tokio::time::timeout(settings.timeout, command.output())
        .await
        .map_err(|_| {
            format!(
                "op read did not finish within {}",
                humantime::format_duration(settings.timeout)
            )
        })?;
    let output = output.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "the 1Password CLI (op) is not installed or not on PATH".to_owned()
        }
        _ => format!("cannot run the 1Password CLI (op): {e}"),
    })?;
    let mut stdout = Zeroizing::new(output.stdout);
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let message = message
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim();
        let message: String = message.chars().take(300).collect();
        return Err(format!("op read failed ({}): {message}", output.status));
    }
    let mut text = match String::from_utf8(std::mem::take(&mut *stdout)) {
        Ok(text) => Zeroizing::new(text),
        Err(e) => {
            e.into_bytes().zeroize();
            return Err("op read printed a value that is not valid UTF-8".to_owned());
        }
    };
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}
