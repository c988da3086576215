//! Secret references and bundles: every reference among the variables is
//! resolved at once, before the field that reads it (and every field after
//! it) is parsed, with resolver settings from
//! the source (never the bundle) and credentials from the reference's own
//! layer.

use super::{Loader, Lookup};
use crate::problem::{Invalid, InvalidKind, Problem};
use crate::resolve::{self, Bundle, Failed, Reference, Resolved};
use crate::source::{Text, Vars};
use crate::{Origin, ResolveFailure};

impl<'a> Loader<'a> {
    /// Reads the bundle variable, and fetches the bundle it names. Unset, there
    /// is no bundle (and no warning: it is an alternative supply); a failure
    /// is the variable's problem.
    pub(super) fn fetch_bundle(&mut self) -> Option<Vars> {
        let spec = &self.vars[self.next];
        self.next += 1;
        let text = match self.lookup(spec) {
            Ok(Some((origin, text))) => {
                self.origins.push(origin);
                text
            }
            Ok(None) => {
                self.origins.push(Origin::Unset);
                return None;
            }
            Err(problem) => {
                self.origins.push(Origin::Unset);
                self.invalid.push(Invalid::new(spec, problem));
                return None;
            }
        };
        let hidden = self.origins.last().and_then(Origin::hides_values);
        let layer = self
            .origins
            .last()
            .cloned()
            .unwrap_or(Origin::Unset)
            .layer();
        let fetched = Bundle::parse(text.as_str(), hidden)
            .map_err(|reason| Failed::new(ResolveFailure::Malformed, reason))
            .and_then(|bundle| {
                let mut settings = resolve::Settings::read(self.base, &[bundle.resolver()])?;
                settings.memory = self.memory.clone();
                #[cfg(feature = "scrub")]
                self.keep_secret_settings(&settings);
                settings.credentials_from(bundle.resolver().declared().credentials, &layer)?;
                let vars =
                    resolve::fetch_bundle(&bundle, &layer, &settings).map_err(|failed| Failed {
                        reason: format!("{bundle}: {}", failed.reason),
                        ..failed
                    })?;
                Ok((bundle, vars))
            });
        match fetched {
            Ok((bundle, vars)) => {
                self.bundle = Some(bundle.to_string());
                Some(vars)
            }
            Err(failed) => {
                let problem = Problem::new(InvalidKind::Bundle(failed.kind), failed.reason);
                self.invalid.push(Invalid::new(spec, problem));
                None
            }
        }
    }

    /// Keeps the resolvers' own secrets (a Vault token, an AWS secret key)
    /// for the load's scrubber: an upstream may echo them too.
    #[cfg(feature = "scrub")]
    fn keep_secret_settings(&mut self, settings: &resolve::Settings) {
        for setting in &settings.vars {
            if resolve::SECRET_SETTINGS.contains(&setting.name) {
                self.keep_secret(setting.name, setting.text.as_str());
            }
        }
    }

    /// Looks up every variable still to read, then resolves the references
    /// among their values, all at once.
    pub(super) fn prefetch(&mut self) {
        let mut fetched = Vec::with_capacity(self.vars.len() - self.next);
        let (mut references, mut indices, mut layers) = (Vec::new(), Vec::new(), Vec::new());
        for index in self.next..self.vars.len() {
            let mut lookup = self.lookup(&self.vars[index]);
            if let Ok(Some((origin, text))) = &lookup {
                match Reference::parse(text.as_str()) {
                    None => {}
                    // A secret manager's value is never a key to another
                    // secret: whoever writes the bundle would choose what
                    // the environment's credentials fetch.
                    Some(Ok(_)) if matches!(origin, Origin::Bundle(_)) => {
                        lookup = Err(Problem::new(
                            InvalidKind::Reference(ResolveFailure::Refused),
                            // Not quoted: what came from a bundle is secret.
                            "a reference (value hidden: from a bundle) is a value of the bundle, which is never resolved as a reference",
                        ));
                    }
                    Some(Ok(reference)) => {
                        references.push(reference);
                        indices.push(index);
                        layers.push(origin.clone().layer());
                    }
                    Some(Err(malformed)) => {
                        let hidden = match self.vars[index].secret() {
                            true => Some("secret"),
                            false => origin.hides_values(),
                        };
                        lookup = Err(Problem::new(
                            InvalidKind::MalformedReference,
                            malformed.reason(text.as_str(), hidden),
                        ));
                    }
                }
            }
            fetched.push(lookup);
        }
        let first = self.next;
        if !references.is_empty() {
            self.resolve_into(&mut fetched[..], first, references, indices, layers);
        }
        self.fetched = fetched.into_iter();
        self.prefetched = first;
    }

    /// The lookup of `vars[index]`, the first value of a plain source that
    /// may be a reference: it and every variable after it are looked up
    /// ahead, and their references resolved at once (none before it was
    /// one).
    #[cold]
    pub(super) fn prefetch_from(&mut self, index: usize) -> Lookup<'a> {
        debug_assert_eq!(self.prefetched, usize::MAX, "nothing was looked up ahead");
        self.next = index;
        self.prefetch();
        self.next = index + 1;
        self.fetched.next().expect("every variable is prefetched")
    }

    /// Resolves `references`, the values of the variables at `indices` (by
    /// index into `vars`) read from `layers`, all at once, into their
    /// lookups among `fetched` (which starts at `vars[first]`).
    fn resolve_into(
        &mut self,
        fetched: &mut [Lookup<'a>],
        first: usize,
        references: Vec<Reference>,
        indices: Vec<usize>,
        layers: Vec<Origin>,
    ) {
        let mut resolvers: Vec<_> = references.iter().map(Reference::resolver).collect();
        resolvers.sort_unstable_by_key(|r| r.feature());
        resolvers.dedup();
        let results: Vec<Result<Resolved, Failed>> =
            match resolve::Settings::read(self.base, &resolvers) {
                Ok(mut settings) => {
                    settings.memory = self.memory.clone();
                    #[cfg(feature = "scrub")]
                    self.keep_secret_settings(&settings);
                    // A reference is resolved with credentials from its own
                    // layer: a repository's `.env` must not name which secret
                    // the shell's token fetches. Refused ones are never sent.
                    let refused: Vec<Result<(), Failed>> = references
                        .iter()
                        .zip(&layers)
                        .map(|(reference, layer)| {
                            settings.credentials_from(
                                reference.resolver().declared().credentials,
                                layer,
                            )
                        })
                        .collect();
                    let accepted: Vec<(Reference, Origin)> = references
                        .iter()
                        .zip(&layers)
                        .zip(&refused)
                        .filter(|(_, refused)| refused.is_ok())
                        .map(|((reference, layer), _)| (reference.clone(), layer.clone()))
                        .collect();
                    let mut resolved = resolve::resolve_all(&accepted, &settings).into_iter();
                    refused
                        .into_iter()
                        .map(|refused| match refused {
                            Ok(()) => resolved.next().unwrap_or_else(|| {
                                Err(Failed::new(ResolveFailure::Failed, "not resolved"))
                            }),
                            Err(reason) => Err(reason),
                        })
                        .collect()
                }
                Err(reason) => references.iter().map(|_| Err(reason.clone())).collect(),
            };
        for ((index, reference), result) in indices.into_iter().zip(&references).zip(results) {
            let lookup = match result {
                Ok(resolved) if resolved.secret.is_empty() && !self.vars[index].allow_empty() => {
                    Err(Problem::new(
                        InvalidKind::Reference(ResolveFailure::Empty),
                        format!("{reference} resolved to an empty value"),
                    ))
                }
                Ok(resolved) => Ok(Some((
                    Origin::Reference(Resolved::origin_text(
                        resolved.through.as_deref(),
                        &reference.to_string(),
                    )),
                    Text::Owned(resolved.secret),
                ))),
                Err(failed) => Err(Problem::new(
                    InvalidKind::Reference(failed.kind),
                    format!("{reference}: {}", failed.reason),
                )),
            };
            fetched[index - first] = lookup;
        }
    }
}
