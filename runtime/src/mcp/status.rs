//! The credentials status report, for a `credentials_status` tool: names,
//! descriptions and origins, never a value.

use serde_json::{Value, json};

use crate::{Loaded, Origin};

/// A report of which credentials are set, defaulted or unset, and from where,
/// for a `credentials_status` tool. It holds names, descriptions and origins:
/// never a value.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// API token
///     api_token: SecretString,
///     notify_token: Option<SecretString>,
/// }
///
/// let loaded = Creds::load(&[("API_TOKEN", "t-1")])?;
/// let status = credenv::mcp::status(&loaded);
/// assert_eq!(status["credentials"][0]["name"], "API_TOKEN");
/// assert_eq!(status["credentials"][0]["status"], "set");
/// assert_eq!(status["credentials"][0]["origin"], "environment");
/// assert_eq!(status["credentials"][1]["status"], "unset");
/// assert!(!status.to_string().contains("t-1"));
/// # Ok::<(), credenv::Error>(())
/// ```
pub fn status<T>(loaded: &Loaded<T>) -> Value {
    let credentials: Vec<Value> = loaded
        .origins()
        .map(|(var, origin)| {
            let status = match origin {
                Origin::Default => "default",
                Origin::Unset => "unset",
                _ => "set",
            };
            json!({
                "name": var.name(),
                "description": var.description(),
                "required": var.required(),
                "secret": var.secret(),
                "status": status,
                "origin": origin.to_string(),
            })
        })
        .collect();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    json!({
        "profile": loaded.profile().map(|p| p.name()),
        "credentials": credentials,
        "warnings": warnings,
    })
}

/// [`status`] of a live handle's current generation, with what the handle
/// has done (feature `live`): under `"live"`, the generation, when it was
/// loaded and when the sources were last read (seconds since the Unix
/// epoch), whether the last reload failed
/// and why (variable names, never values), the watched paths and the
/// refresh interval.
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     api_token: SecretString,
/// }
///
/// let vars = std::collections::HashMap::from([("API_TOKEN".to_owned(), "t-1".to_owned())]);
/// let live = Creds::watch(vars)?;
/// let status = credenv::mcp::live_status(&live);
/// assert_eq!(status["live"]["generation"], 1);
/// assert_eq!(status["live"]["stale"], false);
/// assert_eq!(status["credentials"][0]["origin"], "environment");
/// assert!(!status.to_string().contains("t-1"));
/// # Ok::<(), credenv::live::ReloadError>(())
/// ```
#[cfg(feature = "live")]
pub fn live_status<T>(live: &crate::Live<T>) -> Value {
    let since_epoch = |time: std::time::SystemTime| {
        time.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    let handle = live.status();
    let mut status = self::status(&live.current());
    status["live"] = json!({
        "generation": handle.generation(),
        "loaded_at": since_epoch(handle.loaded_at()),
        "checked_at": since_epoch(handle.checked_at()),
        "stale": handle.is_stale(),
        "last_error": handle.last_error().map(ToString::to_string),
        "failed_at": handle.failed_at().map(since_epoch),
        "watched": handle.watched().iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "refresh_interval_secs": handle.interval().map(|i| i.as_secs()),
    });
    status
}
