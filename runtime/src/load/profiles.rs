//! Profiles: the selecting variable picks one profile's variables, and a
//! variable only other profiles read is a warning when set.

use super::Loader;
use crate::problem::{Invalid, InvalidKind, Problem, Warning, WarningKind};
use crate::redact::shown;
use crate::{Profile, VarSpec, profile};

impl<'a> Loader<'a> {
    /// Reads the selecting variable, the first of every profile's list (its
    /// default is the default profile's name), and returns the active
    /// profile's index. `None` means an unreadable or unknown profile, recorded
    /// as the load's only problem: no profile's variables would mean anything.
    pub(super) fn select_profile(&mut self, profiles: &'static [Profile]) -> Option<usize> {
        let (spec, read) = self.read();
        let read = read?;
        let Some(index) = profile::find(profiles, read.text.as_str()) else {
            let reason = format!(
                "unknown profile {}; use {}",
                shown(read.text.as_str(), self.hidden(spec, read.index)),
                profile::names(profiles)
            );
            let problem = Problem::new(InvalidKind::UnknownProfile, reason);
            let invalid = Invalid::new(spec, problem).from(self.origins.get(read.index));
            self.invalid.push(invalid);
            return None;
        };
        self.profile = Some(profiles[index]);
        Some(index)
    }

    /// Warns of each variable that only other profiles read and that is set:
    /// `PROD_API_KEY` in staging is a mistake, or a credential shared across
    /// environments.
    pub(super) fn warn_other_profiles(
        &mut self,
        profiles: &[Profile],
        active: usize,
        vars_of: fn(usize) -> &'static [VarSpec],
    ) {
        let read_here = |name: &str| self.vars.iter().any(|s| s.name() == name);
        let mut others: Vec<&'static VarSpec> = Vec::new();
        for index in (0..profiles.len()).filter(|&i| i != active) {
            for spec in &vars_of(index)[1..] {
                if !read_here(spec.name()) && !others.iter().any(|o| o.name() == spec.name()) {
                    others.push(spec);
                }
            }
        }
        let profile = profiles[active];
        for spec in others {
            let set = self.present(spec.name(), false).is_some()
                || self.present(spec.file_name(), false).is_some();
            if set {
                self.warnings
                    .push(Warning::new(spec, WarningKind::OtherProfile(profile)));
            }
        }
    }
}
