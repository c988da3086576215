//! How a load proves itself to Vault, by `VAULT_AUTH_METHOD`: the
//! environment's token (`token`, the default), or a login with AppRole,
//! Kubernetes or JWT that obtains one.

use std::path::Path;

use zeroize::Zeroizing;

use super::names::*;
use crate::http::json::{self, Object};
use crate::resolve::syntax::segment_ok;
use crate::resolve::{Failed, Settings};
use crate::source::file::read_value_file;
use crate::{Origin, ResolveFailure};

/// Where a pod's service-account token is mounted.
const SERVICE_ACCOUNT_TOKEN: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/// A way to log in, and the mount it is enabled at.
pub(super) struct Login {
    method: Method,
    /// `auth/<path>`: `VAULT_AUTH_PATH`, else the method's name.
    path: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    AppRole,
    Kubernetes,
    Jwt,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::AppRole => "approle",
            Method::Kubernetes => "kubernetes",
            Method::Jwt => "jwt",
        }
    }
}

/// A login request's JSON body (zeroized), and the secrets it holds, which
/// no message may repeat.
pub(super) struct Body {
    pub(super) json: Zeroizing<Vec<u8>>,
    pub(super) secrets: Vec<Zeroizing<String>>,
}

impl std::fmt::Display for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at auth/{}", self.method.name(), self.path)
    }
}

impl Login {
    /// The login `VAULT_AUTH_METHOD` asks for; `None` for `token`, which
    /// logs in with nothing (the environment holds the token).
    pub(super) fn from(settings: &Settings) -> Result<Option<Login>, Failed> {
        let method = match settings.find(AUTH_METHOD) {
            None => return Ok(None),
            Some((_, "token")) => return Ok(None),
            Some((_, "approle")) => Method::AppRole,
            Some((_, "kubernetes")) => Method::Kubernetes,
            Some((_, "jwt")) => Method::Jwt,
            Some((var, _)) => {
                let got = settings.shown(AUTH_METHOD).unwrap_or_default();
                return Err(Failed::setting(format!(
                    "{var} is {got}: use token, approle, kubernetes or jwt"
                )));
            }
        };
        let path = match settings.find(AUTH_PATH) {
            Some((var, path)) => {
                let path = path.trim_matches('/');
                if !path.split('/').all(segment_ok) {
                    let got = settings.shown(AUTH_PATH).unwrap_or_default();
                    return Err(Failed::setting(format!(
                        "{var} is not a mount path (got {got})"
                    )));
                }
                path.to_owned()
            }
            None => method.name().to_owned(),
        };
        Ok(Some(Login { method, path }))
    }

    /// The path segments of the login endpoint, after `v1`.
    pub(super) fn endpoint(&self) -> impl Iterator<Item = &str> {
        std::iter::once("auth")
            .chain(self.path.split('/'))
            .chain(std::iter::once("login"))
    }

    /// The login request.
    pub(super) fn body(&self, settings: &Settings) -> Result<Body, Failed> {
        let fields: Vec<(&str, Zeroizing<String>)> = match self.method {
            Method::AppRole => vec![
                (
                    "role_id",
                    required(settings, ROLE_ID, "the AppRole's role id")?,
                ),
                (
                    "secret_id",
                    secret(settings, SECRET_ID, SECRET_ID_FILE)?.ok_or_else(|| {
                        Failed::setting("VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE) is not set")
                    })?,
                ),
            ],
            Method::Kubernetes => {
                let jwt = match secret(settings, JWT, JWT_FILE)? {
                    Some(jwt) => jwt,
                    None => {
                        from_the_environment(settings, "the service-account token")?;
                        read_value_file(Path::new(SERVICE_ACCOUNT_TOKEN)).map_err(|e| {
                            Failed::setting(format!(
                                "no service-account token (set VAULT_JWT_FILE): {e}"
                            ))
                        })?
                    }
                };
                vec![
                    ("role", required(settings, ROLE, "the Vault role")?),
                    ("jwt", jwt),
                ]
            }
            Method::Jwt => {
                let jwt = secret(settings, JWT, JWT_FILE)?
                    .ok_or_else(|| Failed::setting("VAULT_JWT (or VAULT_JWT_FILE) is not set"))?;
                let mut fields = vec![("jwt", jwt)];
                // Without a role, the mount's `default_role` applies.
                if let Some(role) = settings.get(ROLE) {
                    fields.push(("role", Zeroizing::new(role.to_owned())));
                }
                fields
            }
        };
        // Room for the worst escaping, so the buffer never reallocates.
        let room: usize = fields.iter().map(|(k, v)| k.len() + 6 * v.len() + 6).sum();
        let mut body = Zeroizing::new(Vec::with_capacity(room + 2));
        body.push(b'{');
        for (index, (key, value)) in fields.iter().enumerate() {
            if index > 0 {
                body.push(b',');
            }
            // The keys are this file's own words.
            body.extend_from_slice(format!("\"{key}\":").as_bytes());
            json::write_str(&mut body, value);
        }
        body.push(b'}');
        let secrets = fields
            .into_iter()
            .filter(|(key, _)| *key != "role")
            .map(|(_, value)| value)
            .collect();
        Ok(Body {
            json: body,
            secrets,
        })
    }

    /// The client token of a login's answer.
    pub(super) fn token(&self, answer: &[u8]) -> Result<Zeroizing<String>, Failed> {
        let answer = Object::parse(answer, "Vault's login answer").map_err(Failed::answer)?;
        answer
            .object("auth")
            .ok_or_else(|| Failed::answer(format!("Vault's login with {self} answered no auth")))?
            .text("client_token", "Vault's login answer")
            .map_err(Failed::answer)
    }

    /// A failed login: the method and mount, Vault's status and messages,
    /// without anything the request sent.
    pub(super) fn refused(&self, status: reqwest::StatusCode, messages: &str) -> Failed {
        let kind = match status.as_u16() {
            400 | 401 | 403 => ResolveFailure::Denied,
            _ => ResolveFailure::Failed,
        };
        Failed::new(
            kind,
            format!("Vault login with {self} failed ({status}){messages}"),
        )
    }
}

/// A setting that must be set for this method.
fn required(settings: &Settings, names: &[&str], what: &str) -> Result<Zeroizing<String>, Failed> {
    settings
        .get(names)
        .map(|text| Zeroizing::new(text.to_owned()))
        .ok_or_else(|| Failed::setting(format!("{} ({what}) is not set", names[0])))
}

/// A credential set directly or through its `_FILE`, never both (the rule
/// of every variable).
fn secret(
    settings: &Settings,
    names: &[&str],
    file_names: &[&str],
) -> Result<Option<Zeroizing<String>>, Failed> {
    match (settings.find(names), settings.find(file_names)) {
        (Some((name, _)), Some((file_name, _))) => Err(Failed::setting(format!(
            "both {name} and {file_name} are set; set only one"
        ))),
        (Some((_, text)), None) => Ok(Some(Zeroizing::new(text.to_owned()))),
        (None, Some((file_name, path))) => {
            // It comes from the address's layer (`Session::open`).
            from_the_environment(settings, &format!("the file {file_name} names"))?;
            read_value_file(Path::new(path))
                .map(Some)
                .map_err(|e| Failed::setting(format!("{file_name}: {e}")))
        }
        (None, None) => Ok(None),
    }
}

/// A file a login sends belongs to whoever wrote it, not to the layer that
/// names it: a repository's `.env` naming the address must not send the
/// pod's service-account token, or any file it names, to its server.
fn from_the_environment(settings: &Settings, what: &str) -> Result<(), Failed> {
    match settings.layer(ADDRESS) {
        Some(Origin::Env) | None => Ok(()),
        Some(layer) => Err(Failed::new(
            ResolveFailure::Refused,
            format!(
                "VAULT_ADDR comes from the {layer}: a login sends {what} only to an address from the environment"
            ),
        )),
    }
}
