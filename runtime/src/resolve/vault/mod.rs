//! `vault://<mount>/<path>#<key>`: a key of a KV v2 secret in HashiCorp Vault
//! or OpenBao, at `VAULT_ADDR` (or `BAO_ADDR`), in `VAULT_NAMESPACE` (or
//! `BAO_NAMESPACE`) when set. A load opens one session (`session`): with
//! `VAULT_TOKEN`, or a login (`login`: AppRole, Kubernetes, JWT) whose token
//! it revokes at the end. The address must be https (http only on
//! loopback), and it and every credential must come from the same source
//! layer.

mod login;
mod names;
mod session;

use zeroize::Zeroizing;

use super::executor::{backstop, within};
use super::memory::Current;
use super::{Declared, Failed, FileSetting, Settings, Versioned};
use crate::ResolveFailure;
use crate::http;
use crate::http::json::Object;
use session::Session;

pub(super) const DECLARED: Declared = Declared {
    settings: names::OTHERS,
    credentials: names::CREDENTIALS,
    // As the vault and bao CLIs: `vault login` leaves the token there.
    file: Some(FileSetting {
        name: "VAULT_TOKEN",
        dir: "HOME",
        file: ".vault-token",
        when: names::ADDRESS,
        unless: names::CREDENTIALS,
    }),
};

/// The secret's data, every key of the path: the JSON text of its object.
/// A live handle's reload that knows the version it has asks first whether
/// that is still the current one (a metadata read, no secret in it), and
/// fetches the data only when it is not.
async fn fetch(
    session: &Session,
    settings: &Settings,
    mount: &str,
    path: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    match settings.memory.as_deref() {
        None => Ok(fetch_data(session, mount, path).await?.data),
        Some(memory) => {
            memory
                .fetch(
                    session.place(mount, path),
                    async || current_version(session, mount, path).await,
                    async || fetch_data(session, mount, path).await,
                )
                .await
        }
    }
}

/// The current version of the secret at `mount/path`, from its metadata.
async fn current_version(session: &Session, mount: &str, path: &str) -> Current {
    let segments = [mount, "metadata"].into_iter().chain(path.split('/'));
    let Ok(request) = session.request(reqwest::Method::GET, segments) else {
        return Current::Unknown;
    };
    let Ok(response) = request.send().await else {
        return Current::Unknown;
    };
    match response.status().as_u16() {
        200 => {}
        403 => return Current::Denied,
        _ => return Current::Unknown,
    }
    let Ok(body) = http::body(response, "Vault", &session.shown).await else {
        return Current::Unknown;
    };
    let metadata = Object::parse(&body, "").ok();
    let metadata = metadata.as_ref().and_then(|answer| answer.object("data"));
    let current = metadata.as_ref().and_then(|data| {
        let version = data.raw("current_version")?;
        let state = data.object("versions")?.object(version)?;
        // Deleted (or due to be) or destroyed: the data fetch says so.
        let live = state.raw("deletion_time").is_none_or(|time| time == "\"\"")
            && state.raw("destroyed") != Some("true");
        live.then(|| versioned(version, state.raw("created_time")?))
            .flatten()
    });
    current.map_or(Current::Unknown, Current::Version)
}

/// A version as a live handle's memory compares it: its number and when it
/// was created (a secret deleted and written again starts at 1 again).
fn versioned(number: &str, created: &str) -> Option<String> {
    Some(format!("{number} {created}"))
}

/// The secret's data and version, fetched.
async fn fetch_data(session: &Session, mount: &str, path: &str) -> Result<Versioned, Failed> {
    let place = format!("{mount}/{path}");
    let shown = session.shown.as_str();
    let segments = [mount, "data"].into_iter().chain(path.split('/'));
    let request = session.request(reqwest::Method::GET, segments)?;
    let response = request
        .send()
        .await
        .map_err(|e| http::failure("Vault", shown, &e, session.timeout))?;
    let status = response.status();
    let body = http::body(response, "Vault", shown).await?;
    match status.as_u16() {
        200 => {}
        403 => {
            return Err(Failed::new(
                ResolveFailure::Denied,
                format!(
                    "Vault denied access to {place} ({status}): check {} and its policy",
                    session.credential()
                ),
            ));
        }
        404 => {
            let reason = format!("no secret at {place} ({status})");
            return Err(Failed::new(ResolveFailure::NotFound, reason));
        }
        _ => {
            let reason = format!(
                "Vault answered {status} for {place}{}",
                vault_errors(&body, &[session.token()])
            );
            return Err(Failed::new(ResolveFailure::Failed, reason));
        }
    }
    let answer = Object::parse(&body, "Vault's answer").map_err(Failed::answer)?;
    let answer = answer.object("data");
    let version = answer.as_ref().and_then(|data| {
        let metadata = data.object("metadata")?;
        versioned(metadata.raw("version")?, metadata.raw("created_time")?)
    });
    match answer.as_ref().and_then(|data| data.raw("data")) {
        Some(data) if data.starts_with('{') => Ok(Versioned {
            version,
            data: Zeroizing::new(data.as_bytes().to_vec()),
            fetched: std::time::Instant::now(),
        }),
        // A deleted or destroyed version answers with null data.
        _ => Err(Failed::new(
            ResolveFailure::NotFound,
            format!(
                "no data at {place}: is {mount} a KV version 2 mount, and the secret not deleted?"
            ),
        )),
    }
}

/// Runs `work` in one session: opened (one login at most) and worked by
/// one deadline, then closed (a login's token revoked) within another, even
/// when the work ran out of time.
async fn in_session<T>(
    client: &reqwest::Client,
    settings: &Settings,
    work: impl AsyncFnOnce(&Session) -> T,
) -> Result<T, Failed> {
    let backstop = backstop(settings);
    let deadline = tokio::time::Instant::now() + backstop;
    let timed_out = || {
        let address = settings.get(names::ADDRESS).unwrap_or_default();
        let after = humantime::format_duration(backstop);
        let reason = format!(
            "Vault at {} did not answer within {after}",
            address.trim_end_matches('/')
        );
        Failed::new(ResolveFailure::Timeout, reason)
    };
    let session = match tokio::time::timeout_at(deadline, Session::open(client, settings)).await {
        Ok(session) => session?,
        Err(_) => return Err(timed_out()),
    };
    let work =
        futures_util::future::join(work(&session), session.renew(settings.memory.as_deref()));
    let done = tokio::time::timeout_at(deadline, work)
        .await
        .map(|(done, ())| done);
    let _ = within(settings, async {
        session.close().await;
        Ok(())
    })
    .await;
    done.map_err(|_| timed_out())
}

/// A bundle: the whole secret at `mount/path`, in a session of its own.
pub(crate) async fn read_bundle(
    client: &reqwest::Client,
    settings: &Settings,
    mount: &str,
    path: &str,
) -> Result<Zeroizing<Vec<u8>>, Failed> {
    in_session(client, settings, async |session| {
        fetch(session, settings, mount, path).await
    })
    .await?
}

/// The keys `wanted` (mount, path, key) through one session: one fetch per
/// distinct path, all at once, so the keys of a path come from one version
/// of it. Results are in the order of `wanted`.
pub(crate) async fn read_all(
    client: &reqwest::Client,
    settings: &Settings,
    wanted: &[(&str, &str, &str)],
) -> Vec<Result<Zeroizing<String>, Failed>> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut paths: Vec<(&str, &str)> = wanted
        .iter()
        .map(|&(mount, path, _)| (mount, path))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let fetched = in_session(client, settings, async |session| {
        let fetches = paths
            .iter()
            .map(|&(mount, path)| fetch(session, settings, mount, path));
        futures_util::future::join_all(fetches).await
    })
    .await;
    let fetched = match fetched {
        Ok(fetched) => fetched,
        Err(failed) => return wanted.iter().map(|_| Err(failed.clone())).collect(),
    };
    wanted
        .iter()
        .map(|&(mount, path, key)| {
            let data = match paths.binary_search(&(mount, path)).map(|i| &fetched[i]) {
                Ok(Ok(data)) => data,
                Ok(Err(failed)) => return Err(failed.clone()),
                Err(_) => return Err(Failed::new(ResolveFailure::Failed, "not fetched")),
            };
            let place = format!("{mount}/{path}");
            super::key(
                &Object::parse(data, &place).map_err(Failed::answer)?,
                key,
                &place,
            )
        })
        .collect()
}

/// `: <Vault's own messages>` from an error answer. Vault names no secret
/// it was sent, but a message that holds one of `secrets` (whole, or a
/// `.`-separated part of a JWT, of 8 bytes or more) is dropped all the same; control
/// characters are replaced, and the whole is cut at 512 characters.
fn vault_errors(body: &[u8], secrets: &[&str]) -> String {
    let messages = Object::parse(body, "")
        .ok()
        .and_then(|answer| serde_json::from_str::<Vec<String>>(answer.raw("errors")?).ok())
        .unwrap_or_default();
    let shown: Vec<String> = messages
        .iter()
        .filter_map(|message| crate::redact::foreign(message, secrets))
        .collect();
    match shown.is_empty() {
        true => String::new(),
        false => format!(": {}", crate::redact::cut(&shown.join("; "), 512)),
    }
}
