//! Documentation and templates made from a struct's variables: a
//! `.env.example` and a markdown table. Pass `T::vars()`, or
//! `T::vars_for_profile(name)` for one profile. Nothing here can show a
//! secret: [`VarSpec`] holds no value, and never a secret's default.

use std::fmt::Write;

use crate::{Role, VarSpec};

/// A `.env.example`: each variable with its description and whether it is
/// required or secret; non-secret defaults filled in, everything else empty
/// (which credenv reads as unset).
///
/// ```
/// use credenv::{Credentials, SecretString};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// GitHub Personal Access Token
///     github_token: SecretString,
///     /// Port of the upstream API
///     #[credential(default = 8080)]
///     port: u16,
/// }
///
/// let lines = [
///     "# GitHub Personal Access Token (required, secret)",
///     "GITHUB_TOKEN=",
///     "",
///     "# Port of the upstream API (default 8080)",
///     "PORT=8080",
/// ];
/// assert_eq!(credenv::template::env_example(Creds::vars()), lines.join("\n") + "\n");
/// ```
pub fn env_example(vars: &[VarSpec]) -> String {
    let mut out = String::new();
    for (index, var) in vars.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let about = match var.description() {
            "" => String::new(),
            description => format!("{description} "),
        };
        let _ = writeln!(out, "# {about}({})", facts(var).join(", "));
        let _ = writeln!(
            out,
            "{}={}",
            var.name(),
            dotenv_quote(var.default().unwrap_or(""))
        );
    }
    out
}

/// A markdown table of the variables: name, required, secret, default,
/// description.
///
/// ```
/// use credenv::Credentials;
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// Port | of the API
///     #[credential(default = 8080)]
///     port: u16,
/// }
///
/// assert_eq!(
///     credenv::template::markdown_table(Creds::vars()),
///     "| Variable | Required | Secret | Default | Description |\n\
///      |---|---|---|---|---|\n\
///      | `PORT` | no | no | `8080` | Port \\| of the API |\n",
/// );
/// ```
pub fn markdown_table(vars: &[VarSpec]) -> String {
    let mut out = String::from(
        "| Variable | Required | Secret | Default | Description |\n|---|---|---|---|---|\n",
    );
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    for var in vars {
        let default = var.default().map(|d| format!("`{d}`")).unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            var.name(),
            yes_no(var.required()),
            yes_no(var.secret()),
            default.replace('|', "\\|"),
            var.description().replace('|', "\\|"),
        );
    }
    out
}

/// `required`, `optional` or `default 8080`; then `secret`, and for a list
/// its separator. A profile's list names its profile in the selector.
pub(crate) fn facts(var: &VarSpec) -> Vec<String> {
    if let (Role::ProfileSelector, Some(profile)) = (var.role(), var.default()) {
        return vec![format!("set to {profile} for this profile")];
    }
    let mut facts = vec![match (var.required(), var.default()) {
        (true, _) => "required".to_owned(),
        (false, Some(default)) => format!("default {default}"),
        (false, None) => "optional".to_owned(),
    }];
    if var.secret() {
        facts.push("secret".to_owned());
    }
    if let Some(separator) = var.separator() {
        facts.push(format!("a {separator:?}-separated list"));
    }
    facts.extend(var.checks().iter().map(ToString::to_string));
    facts
}

/// A value as a `.env` line needs it: bare when safe, else double-quoted
/// with `\` and `"` escaped.
fn dotenv_quote(value: &str) -> String {
    let bare = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@,+%".contains(c));
    if bare {
        value.to_owned()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
