//! What resolvers need from the environment of the load, read from the same
//! source as the variables (so a map in a test configures them too) but never
//! from a bundle. Each resolver declares the names it reads.

use std::path::Path;
use std::time::Duration;

use zeroize::Zeroizing;

use super::{Failed, FileSetting, Resolver};
use crate::redact::shown;
use crate::source::file::read_value_file;
use crate::{ResolveFailure, Source};

/// credenv's own setting: how long the resolvers of one load may take.
const TIMEOUT: &str = "CREDENV_RESOLVE_TIMEOUT";

/// What resolvers need from the environment of the load (read from the same
/// source as the variables, so a map in a test configures them too; never
/// from a bundle).
#[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    /// Every variable a resolver may need that is set (`VAULT_ADDR`, `PATH`,
    /// `OP_SERVICE_ACCOUNT_TOKEN`...), zeroized when the load ends.
    pub(crate) vars: Vec<Setting>,
    /// The live handle's memory, when a live handle loads.
    pub(crate) memory: Option<std::sync::Arc<super::Memory>>,
}

/// One setting, and the layer of the source it came from.
pub(crate) struct Setting {
    pub(crate) name: &'static str,
    pub(crate) text: Zeroizing<String>,
    pub(crate) layer: crate::Origin,
}

impl Settings {
    /// The settings that are set in `source` (never a bundle: the loader
    /// passes the source without it), each with the layer it came from;
    /// the files of the resolvers in `used` only.
    pub(crate) fn read(source: &dyn Source, used: &[Resolver]) -> Result<Settings, Failed> {
        let mut vars: Vec<Setting> = Vec::new();
        for name in Settings::names() {
            // Resolvers share some (`HOME`): each is read once.
            if vars.iter().any(|s| s.name == name) {
                continue;
            }
            let Some(setting) = (|| {
                let value = source.get(name)?;
                let text = value.text.ok().filter(|text| !text.as_str().is_empty())?;
                Some(Setting {
                    name,
                    text: Zeroizing::new(text.as_str().to_owned()),
                    layer: value.origin.layer(),
                })
            })() else {
                continue;
            };
            vars.push(setting);
        }
        for file in used.iter().filter_map(|r| r.declared().file.as_ref()) {
            if let Some(setting) = Settings::from_file(&vars, file)? {
                vars.push(setting);
            }
        }
        let timeout = match vars.iter().find(|s| s.name == TIMEOUT) {
            None => Settings::DEFAULT_TIMEOUT,
            Some(setting) => {
                let timeout = humantime::parse_duration(&setting.text).map_err(|_| {
                    let shown = shown(&setting.text, setting.layer.hides_values());
                    Failed::setting(format!("{TIMEOUT} is not a duration (got {shown})"))
                })?;
                // A load must end: a hostile `.env` cannot make it wait for
                // a year.
                if timeout > Settings::MAX_TIMEOUT {
                    return Err(Failed::setting(format!(
                        "{TIMEOUT} is over {}",
                        humantime::format_duration(Settings::MAX_TIMEOUT)
                    )));
                }
                timeout
            }
        };
        Ok(Settings {
            timeout,
            vars,
            memory: None,
        })
    }

    /// A resolver's credential from its file, when it is wanted (`when`),
    /// its setting and the others it stands in for are unset, and the file
    /// exists in a directory the process environment names (a `.env` that
    /// sets `HOME` must not pick whose token is sent).
    fn from_file(vars: &[Setting], file: &FileSetting) -> Result<Option<Setting>, Failed> {
        let set = |names: &[&str]| vars.iter().any(|s| names.contains(&s.name));
        if !set(file.when) || set(file.unless) {
            return Ok(None);
        }
        let Some(dir) = vars
            .iter()
            .find(|s| s.name == file.dir && s.layer == crate::Origin::Env)
        else {
            return Ok(None);
        };
        let path = Path::new(dir.text.as_str()).join(file.file);
        if !path.exists() {
            return Ok(None);
        }
        let text =
            read_value_file(&path).map_err(|e| Failed::setting(format!("{}: {e}", file.name)))?;
        Ok((!text.is_empty()).then(|| Setting {
            name: file.name,
            text,
            layer: dir.layer.clone(),
        }))
    }

    /// Every name a setting may have: credenv's own, and each compiled
    /// resolver's declared ones.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        std::iter::once(TIMEOUT).chain(
            Resolver::ALL
                .iter()
                .map(|resolver| resolver.declared())
                .flat_map(|declared| declared.settings.iter().chain(declared.credentials))
                .copied(),
        )
    }

    pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(5 * 60);

    /// The first of `names` that is set.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn get(&self, names: &[&str]) -> Option<&str> {
        self.find(names).map(|(_, text)| text)
    }

    /// The first of `names` that is set, as messages may show it: quoted,
    /// unless its layer hides values (a `.env` file, a secrets directory).
    #[cfg_attr(not(feature = "vault"), allow(dead_code))]
    pub(crate) fn shown(&self, names: &[&str]) -> Option<String> {
        self.setting(names)
            .map(|s| shown(&s.text, s.layer.hides_values()))
    }

    /// The layer the first of `names` that is set comes from.
    #[cfg_attr(not(feature = "vault"), allow(dead_code))]
    pub(crate) fn layer(&self, names: &[&str]) -> Option<&crate::Origin> {
        self.setting(names).map(|s| &s.layer)
    }

    /// The first of `names` that is set, and its name.
    #[cfg_attr(not(feature = "__resolve"), allow(dead_code))]
    pub(crate) fn find(&self, names: &[&str]) -> Option<(&'static str, &str)> {
        self.setting(names).map(|s| (s.name, s.text.as_str()))
    }

    /// The first of `names` that is set. Each must be declared by a
    /// resolver: an undeclared name would silently read as unset.
    fn setting(&self, names: &[&str]) -> Option<&Setting> {
        debug_assert!(
            names
                .iter()
                .all(|name| Settings::names().any(|n| n == *name)),
            "a resolver reads a setting it does not declare: {names:?}"
        );
        names
            .iter()
            .find_map(|name| self.vars.iter().find(|s| s.name == *name))
    }

    /// Refuses to resolve a reference (or fetch a bundle) written in `layer`
    /// with credentials (any of `credentials` that is set) from another.
    pub(crate) fn credentials_from(
        &self,
        credentials: &[&str],
        layer: &crate::Origin,
    ) -> Result<(), Failed> {
        match self
            .vars
            .iter()
            .find(|s| credentials.contains(&s.name) && s.layer != *layer)
        {
            None => Ok(()),
            Some(credential) => Err(Failed::new(
                ResolveFailure::Refused,
                format!(
                    "the reference comes from the {layer} but {} from the {}: a reference is resolved only with credentials from the same place",
                    credential.name, credential.layer
                ),
            )),
        }
    }

    /// Refuses an endpoint (the first of `endpoints` that is set) and a
    /// credential sent to it (any of `credentials`) from different layers:
    /// a repository's `.env` naming `VAULT_ADDR` must not receive the
    /// shell's `VAULT_TOKEN`.
    #[cfg_attr(not(any(feature = "vault", feature = "onepassword")), allow(dead_code))]
    pub(crate) fn same_layer(
        &self,
        endpoints: &[&str],
        credentials: &[&str],
    ) -> Result<(), Failed> {
        let Some(endpoint) = self.setting(endpoints) else {
            return Ok(());
        };
        match self
            .vars
            .iter()
            .filter(|s| credentials.contains(&s.name))
            .find(|s| s.layer != endpoint.layer)
        {
            None => Ok(()),
            Some(credential) => Err(Failed::new(
                ResolveFailure::Refused,
                format!(
                    "{} comes from the {} but {} from the {}: an endpoint and the credential sent to it must come from the same place",
                    endpoint.name, endpoint.layer, credential.name, credential.layer
                ),
            )),
        }
    }
}
