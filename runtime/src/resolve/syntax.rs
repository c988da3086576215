//! Reference and bundle syntax: `op://…`, `vault://<mount>/<path>[#<key>]`,
//! `aws-sm://<name-or-arn>[#<key>]`. What is written is not a secret, so
//! errors and origins show it.

use super::Resolver;
use crate::redact::{quote, shown};

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reference {
    /// `op://vault/item/[section/]field`, read with `op read`.
    OnePassword(String),
    /// `vault://<mount>/<path>#<key>`: a key of a KV v2 secret.
    Vault {
        mount: String,
        path: String,
        key: String,
    },
    /// `aws-sm://<name-or-arn>[#<json-key>]`.
    AwsSecretsManager { id: String, key: Option<String> },
}

impl Reference {
    /// Whether `text` may be a reference. Most values are not: their first
    /// byte, or the `://` where a scheme starting with it would end, says
    /// so.
    pub(crate) fn may_be(text: &[u8]) -> bool {
        let scheme = match text.first() {
            Some(b'o') => "op".len(),
            Some(b'v') => "vault".len(),
            Some(b'a') => "aws-sm".len(),
            _ => return false,
        };
        text.get(scheme..scheme + 3) == Some(b"://")
    }

    /// `None` when `text` is not a reference at all; an error when it starts
    /// like one but is malformed.
    pub(crate) fn parse(text: &str) -> Option<Result<Reference, Malformed>> {
        if !Reference::may_be(text.as_bytes()) {
            return None;
        }
        if let Some(rest) = text.strip_prefix("op://") {
            let segments: Vec<&str> = rest.split('/').collect();
            let ok = (3..=4).contains(&segments.len()) && segments.iter().all(|s| !s.is_empty());
            return Some(match ok {
                true => Ok(Reference::OnePassword(text.to_owned())),
                false => Err(Malformed("op://<vault>/<item>/[<section>/]<field>")),
            });
        }
        if let Some(rest) = text.strip_prefix("vault://") {
            let parsed = rest.split_once('#').and_then(|(location, key)| {
                let (mount, path) = location.split_once('/')?;
                let ok = segments_ok(location) && !key.is_empty();
                ok.then(|| Reference::Vault {
                    mount: mount.into(),
                    path: path.into(),
                    key: key.into(),
                })
            });
            return Some(parsed.ok_or(Malformed("vault://<mount>/<path>#<key>")));
        }
        if let Some(rest) = text.strip_prefix("aws-sm://") {
            let (id, key) = match rest.split_once('#') {
                Some((id, key)) => (id, Some(key)),
                None => (rest, None),
            };
            let ok = !id.is_empty() && key.is_none_or(|k| !k.is_empty());
            return Some(match ok {
                true => Ok(Reference::AwsSecretsManager {
                    id: id.into(),
                    key: key.map(Into::into),
                }),
                false => Err(Malformed("aws-sm://<name-or-arn>[#<json-key>]")),
            });
        }
        None
    }

    /// The resolver that reads it.
    pub(crate) fn resolver(&self) -> Resolver {
        match self {
            Reference::OnePassword(_) => Resolver::OnePassword,
            Reference::Vault { .. } => Resolver::Vault,
            Reference::AwsSecretsManager { .. } => Resolver::AwsSecretsManager,
        }
    }
}

/// The reference as written: not a secret, so errors and origins show it.
impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::OnePassword(reference) => f.write_str(reference),
            Reference::Vault { mount, path, key } => write!(f, "vault://{mount}/{path}#{key}"),
            Reference::AwsSecretsManager { id, key: None } => write!(f, "aws-sm://{id}"),
            Reference::AwsSecretsManager { id, key: Some(key) } => write!(f, "aws-sm://{id}#{key}"),
        }
    }
}

/// A whole secret whose keys supply variables: `vault://<mount>/<path>` or
/// `aws-sm://<name-or-arn>`, without a `#key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bundle {
    Vault { mount: String, path: String },
    AwsSecretsManager { id: String },
}

impl Bundle {
    /// `hidden` says why the text may not be quoted, if it may not.
    pub(crate) fn parse(text: &str, hidden: Option<&str>) -> Result<Bundle, String> {
        let form = "write vault://<mount>/<path> or aws-sm://<name-or-arn>, without a #key";
        let parsed = if let Some(rest) = text.strip_prefix("vault://") {
            rest.split_once('/')
                .filter(|_| segments_ok(rest.trim_end_matches('/')) && !text.contains('#'))
                .map(|(mount, path)| Bundle::Vault {
                    mount: mount.into(),
                    path: path.trim_end_matches('/').into(),
                })
        } else if let Some(id) = text.strip_prefix("aws-sm://") {
            (!id.is_empty() && !id.contains('#'))
                .then(|| Bundle::AwsSecretsManager { id: id.into() })
        } else {
            None
        };
        parsed.ok_or_else(|| match hidden {
            None => format!("{} is not a bundle: {form}", quote(text)),
            Some(why) => format!("not a bundle (value hidden: {why}): {form}"),
        })
    }

    /// The resolver that fetches it.
    pub(crate) fn resolver(&self) -> Resolver {
        match self {
            Bundle::Vault { .. } => Resolver::Vault,
            Bundle::AwsSecretsManager { .. } => Resolver::AwsSecretsManager,
        }
    }
}

impl std::fmt::Display for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bundle::Vault { mount, path } => write!(f, "vault://{mount}/{path}"),
            Bundle::AwsSecretsManager { id } => write!(f, "aws-sm://{id}"),
        }
    }
}

/// A Vault location's segments (`mount/path/…`): two or more, none empty,
/// none `.` or `..`, which would leave the secret's place in Vault's API.
fn segments_ok(location: &str) -> bool {
    let segments: Vec<&str> = location.split('/').collect();
    segments.len() >= 2 && segments.iter().all(|s| segment_ok(s))
}

/// A path segment that stays one: not empty, `.` or `..`, and without a
/// control character (the URL parser drops tabs and newlines, so `.\t.`
/// would become `..`).
pub(crate) fn segment_ok(segment: &str) -> bool {
    !matches!(segment, "" | "." | "..") && !segment.chars().any(char::is_control)
}

/// A value that starts like a reference but is not one: the form to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed(&'static str);

impl Malformed {
    /// The message: a hidden value (`hidden` says why), which may be the
    /// secret itself rather than a reference, is not quoted.
    pub(crate) fn reason(self, text: &str, hidden: Option<&str>) -> String {
        format!(
            "malformed reference {}: write {}",
            shown(text, hidden),
            self.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A load resolves nothing when no value `may_be` a reference.
    #[test]
    fn every_scheme_is_told_by_may_be() {
        for text in ["op://v/i/f", "vault://secret/app#key", "aws-sm://app#key"] {
            assert!(Reference::may_be(text.as_bytes()), "{text}");
            assert!(Reference::parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn parses_each_scheme_and_rejects_malformed_ones() {
        assert_eq!(Reference::parse("plain"), None);
        assert_eq!(Reference::parse("https://x"), None);
        assert_eq!(
            Reference::parse("op://Private/github/token"),
            Some(Ok(Reference::OnePassword(
                "op://Private/github/token".into()
            )))
        );
        assert!(
            Reference::parse("op://Private/github/section/token")
                .unwrap()
                .is_ok()
        );
        assert_eq!(
            Reference::parse("vault://secret/apps/web#api_key"),
            Some(Ok(Reference::Vault {
                mount: "secret".into(),
                path: "apps/web".into(),
                key: "api_key".into()
            }))
        );
        assert_eq!(
            Reference::parse("aws-sm://arn:aws:secretsmanager:eu-west-1:1:secret:app#key"),
            Some(Ok(Reference::AwsSecretsManager {
                id: "arn:aws:secretsmanager:eu-west-1:1:secret:app".into(),
                key: Some("key".into())
            }))
        );
        assert_eq!(
            Reference::parse("aws-sm://app"),
            Some(Ok(Reference::AwsSecretsManager {
                id: "app".into(),
                key: None
            }))
        );
        for bad in [
            "op://",
            "op://a/b",
            "op://a//c",
            "vault://secret#k",
            "vault://secret/app",
            "vault://secret/app#",
            "vault://secret/../sys/seal#k",
            "vault://secret/./app#k",
            "aws-sm://",
            "aws-sm://a#",
        ] {
            let malformed = Reference::parse(bad).unwrap().unwrap_err();
            let shown = malformed.reason(bad, None);
            assert!(
                shown.starts_with(&format!("malformed reference {bad:?}: write ")),
                "{shown}"
            );
            let hidden = malformed.reason(bad, Some("secret"));
            assert!(hidden.starts_with("malformed reference (value hidden: secret): write "));
            assert!(!hidden.contains(&format!("{bad:?}")));
        }
    }

    #[test]
    fn references_display_as_written() {
        for text in [
            "op://a/b/c",
            "vault://secret/app#k",
            "aws-sm://app",
            "aws-sm://app#k",
        ] {
            assert_eq!(Reference::parse(text).unwrap().unwrap().to_string(), text);
        }
    }
}
