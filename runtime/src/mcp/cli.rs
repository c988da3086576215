//! A ready-made command line for a server: `--print-config [CLIENT]`,
//! `--print-env-example`, `--print-vars` (each with `--profile NAME`) and
//! `--check`. credenv never writes to stdout (a stdio server's protocol),
//! so it returns the text, and the server prints it.

use std::path::{Path, PathBuf};

use super::{Client, ServerEntry};
use crate::{Credentials, Origin, Source, VarSpec};

/// A server's command line: the flags credenv answers, from the struct's
/// variables and the server's [`ServerEntry`].
///
/// ```
/// use credenv::{Credentials, SecretString};
/// use credenv::mcp::{Cli, ServerEntry};
///
/// #[derive(Credentials)]
/// struct Creds {
///     /// API token
///     api_token: SecretString,
/// }
///
/// let cli = Cli::new(ServerEntry::new("example", "/usr/local/bin/example"));
/// let answer = cli.answer::<Creds>(["--print-config", "vscode"]).unwrap();
/// assert!(answer.stdout.contains("${input:api-token}"));
///
/// let source = [("API_TOKEN", "t-canary")];
/// let answer = cli.answer_from::<Creds, _>(["--check"], &source).unwrap();
/// assert_eq!(answer.code, 0);
/// assert!(!answer.stdout.contains("t-canary"));
///
/// // Not one of credenv's flags: the server goes on and serves.
/// assert!(cli.answer::<Creds>(["--verbose"]).is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Cli {
    entry: ServerEntry,
    one_password: Option<(String, String)>,
}

/// What the command line asked for: what to print on stdout and on stderr,
/// and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// What to print on stdout (a configuration, a report).
    pub stdout: String,
    /// What to print on stderr (a usage error).
    pub stderr: String,
    /// The exit code: 0, 1 when `--check` finds the server would not
    /// start, 2 for a usage error.
    pub code: i32,
}

const USAGE: &str = "\
credenv's flags:
  --print-config [CLIENT]   the client's configuration for this server; CLIENT is one of
                            claude-desktop (the default), claude-code, claude-code-add,
                            vscode, cursor, mcpb, server-json
  --print-env-example       a .env.example of every variable
  --print-vars              a markdown table of every variable
  --profile NAME            with the above: only that profile's variables
  --check                   whether the server would start, variable by variable (no value shown)
";

impl Cli {
    /// The command line of the server `entry`.
    pub fn new(entry: ServerEntry) -> Cli {
        Cli {
            entry,
            one_password: None,
        }
    }

    /// Also answers `--print-1password-config`: Claude Desktop's entry with
    /// `op run` and `op://<vault>/<item>/<NAME>` for each secret.
    pub fn one_password(mut self, vault: impl Into<String>, item: impl Into<String>) -> Cli {
        self.one_password = Some((vault.into(), item.into()));
        self
    }

    /// The answer to the process's arguments, with `--check` reading the
    /// process environment (to check a `.env` file too, pass the server's
    /// source to [`answer_from`](Cli::answer_from)); `None` when the first
    /// argument is not one of credenv's flags (the server serves), or is
    /// not UTF-8.
    pub fn run<T: Credentials>(&self) -> Option<Answer> {
        let mut args = std::env::args_os().skip(1);
        let first = args.next()?.into_string().ok()?;
        let mut words = vec![first];
        for arg in args {
            match arg.into_string() {
                Ok(arg) => words.push(arg),
                Err(_) => words.push("(not UTF-8)".to_owned()),
            }
        }
        self.answer::<T>(words)
    }

    /// The answer to `args` (without the program's name), with `--check`
    /// reading the process environment.
    pub fn answer<T: Credentials>(
        &self,
        args: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Option<Answer> {
        self.answer_from::<T, _>(args, &crate::Env)
    }

    /// The answer to `args`, with `--check` reading `source`.
    pub fn answer_from<T: Credentials, S: Source + ?Sized>(
        &self,
        args: impl IntoIterator<Item = impl AsRef<str>>,
        source: &S,
    ) -> Option<Answer> {
        let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let (flag, rest) = args.split_first()?;
        let answer = match flag.as_str() {
            "--print-config" | "--print-env-example" | "--print-vars" => {
                self.print::<T>(flag, rest)
            }
            "--print-1password-config" if self.one_password.is_some() => {
                self.print::<T>(flag, rest)
            }
            "--check" if rest.is_empty() => Ok(check::<T, S>(&self.entry.name, source)),
            "--check" => Err("--check takes no arguments".to_owned()),
            // A typo of one of credenv's flags is not the server's.
            other if other.starts_with("--print-") || other.starts_with("--check") => {
                Err(format!("unknown flag {other:?}"))
            }
            _ => return None,
        };
        Some(answer.unwrap_or_else(|reason| {
            let one_password = match self.one_password {
                Some(_) => "  --print-1password-config  Claude Desktop's entry under `op run`\n",
                None => "",
            };
            Answer {
                stdout: String::new(),
                stderr: format!("{reason}\n\n{USAGE}{one_password}"),
                code: 2,
            }
        }))
    }

    /// A `--print-*` flag and what follows it.
    fn print<T: Credentials>(&self, flag: &str, rest: &[String]) -> Result<Answer, String> {
        let (mut client, mut profile) = (None, None);
        let mut rest = rest.iter();
        while let Some(arg) = rest.next() {
            match arg.as_str() {
                "--profile" => {
                    let name = rest.next().ok_or("--profile needs a profile's name")?;
                    profile = Some(name.as_str());
                }
                name if flag == "--print-config" && client.is_none() => {
                    client = Some(name.parse::<Client>()?);
                }
                other => return Err(format!("{flag} does not take {other:?}")),
            }
        }
        let vars: &[VarSpec] = match profile {
            None => T::vars(),
            Some(name) => T::vars_for_profile(name)
                .ok_or_else(|| format!("no profile {name:?} in this server's credentials"))?,
        };
        let text = match flag {
            "--print-config" => self
                .entry
                .config(client.unwrap_or(Client::ClaudeDesktop), vars),
            "--print-1password-config" => {
                let (vault, item) = self.one_password.as_ref().ok_or("not configured")?;
                let config = self.entry.claude_desktop_1password(vars, vault, item);
                serde_json::to_string_pretty(&config).unwrap_or_default()
            }
            "--print-env-example" => crate::template::env_example(vars),
            _ => crate::template::markdown_table(vars),
        };
        Ok(Answer {
            stdout: format!("{}\n", text.trim_end()),
            stderr: String::new(),
            code: 0,
        })
    }
}

/// `--check`: every variable's state and origin (never a value), the
/// load's warnings, files others can read; exit 0 when the server would
/// start. References and bundles are resolved, as the server would.
fn check<T: Credentials, S: Source + ?Sized>(name: &str, source: &S) -> Answer {
    let loaded = T::load(source);
    let vars: &[VarSpec] = match &loaded {
        Ok(loaded) => loaded.vars(),
        Err(error) => error
            .profile()
            .and_then(|profile| T::vars_for_profile(profile.name()))
            .unwrap_or(T::vars()),
    };
    let width = vars.iter().map(|v| v.name().len()).max().unwrap_or(0);
    let mut out = format!("{name}: credentials\n");
    let mut files: Vec<PathBuf> = source.paths();
    let mut line = |name: &str, state: &str, detail: String| {
        let line = match detail.is_empty() {
            true => format!("  {name:<width$}  {state}"),
            false => format!("  {name:<width$}  {state:<9} {detail}"),
        };
        out.push_str(&line);
        out.push('\n');
    };
    let (problems, warnings) = match &loaded {
        Ok(loaded) => {
            for (var, origin) in loaded.origins() {
                let (state, detail) = match origin {
                    Origin::Default => ("defaulted", String::new()),
                    Origin::Unset => ("unset", "optional".to_owned()),
                    origin => ("set", format!("from {origin}")),
                };
                if let Origin::File(path) | Origin::SecretsDir(path) | Origin::DotEnv(path) = origin
                {
                    files.push(path.clone());
                }
                line(var.name(), state, detail);
            }
            let warnings: Vec<String> = loaded.warnings().iter().map(|w| w.to_string()).collect();
            (0, warnings)
        }
        Err(error) => {
            for var in vars {
                let missing = error.missing().find(|m| m.var() == var.name());
                let invalid = error.invalid().find(|i| i.var() == var.name());
                match (missing, invalid) {
                    (Some(_), _) => line(
                        var.name(),
                        "missing",
                        super::entry::described(var).to_owned(),
                    ),
                    (_, Some(invalid)) => line(var.name(), "invalid", invalid.reason().to_owned()),
                    _ => line(var.name(), "ok", String::new()),
                }
                if let Some(Ok(path)) = source.get(var.file_name()).map(|v| v.text) {
                    files.push(PathBuf::from(path.as_str()));
                }
            }
            (error.missing().len() + error.invalid().len(), Vec::new())
        }
    };
    files.sort();
    files.dedup();
    let readable = files.iter().filter_map(|path| readable_by_others(path));
    for warning in warnings.into_iter().chain(readable) {
        out.push_str(&format!("warning: {warning}\n"));
    }
    let (verdict, code) = match problems {
        0 => ("the server would start".to_owned(), 0),
        1 => ("the server would not start: 1 problem".to_owned(), 1),
        n => (format!("the server would not start: {n} problems"), 1),
    };
    out.push_str(&verdict);
    out.push('\n');
    Answer {
        stdout: out,
        stderr: String::new(),
        code,
    }
}

/// Why `path` is a risk: a file its group or others can read.
fn readable_by_others(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)?;
        let mode = meta.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then(|| {
            let path = path.display();
            format!("{path} is readable by its group or others (mode {mode:04o}): chmod 600 {path}")
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
