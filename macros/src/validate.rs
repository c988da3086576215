//! The rules a credentials struct must follow, each broken rule an error at
//! the token that breaks it, all of them collected in one pass.

use std::collections::HashSet;

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::LitStr;
use syn::spanned::Spanned;

use crate::input::{Field, Input, Kind};
use crate::{ty, unique};

pub(crate) fn check(input: &Input<'_>, errors: &mut Accumulator) {
    if !input.generics.params.is_empty() {
        errors.push(
            Error::custom("Credentials cannot be derived for a generic struct: give the fields concrete types")
                .with_span(&input.generics),
        );
    }
    if let Some(prefix) = &input.prefix {
        check_name(prefix, "prefix", errors);
    }
    if let Some(bundle) = &input.bundle {
        check_name(bundle, "bundle", errors);
    }
    check_profiles(input, errors);
    for field in &input.fields {
        match field.kind {
            Kind::Var => check_var(input, field, errors),
            Kind::Flatten => check_flatten(field, errors),
            Kind::Profile => check_profile_field(input, field, errors),
        }
        check_field_profiles(input, field, errors);
    }
    let profile_fields: Vec<&Field> = input
        .fields
        .iter()
        .filter(|f| f.kind == Kind::Profile)
        .collect();
    for extra in profile_fields.iter().skip(1) {
        errors.push(
            Error::custom("only one field can receive the profile")
                .with_span(&extra.attrs.profile.span()),
        );
    }
    // A clash repeated in every profile is reported once.
    let mut reported = HashSet::new();
    for list in input.profile_indices() {
        unique::check_unique(input, list, &mut reported, errors);
    }
}

/// `#[credentials(profiles(...))]`: a selecting variable, declared profiles
/// with valid prefixes, a default among them.
fn check_profiles(input: &Input<'_>, errors: &mut Accumulator) {
    let Some(attr) = &input.profiles_attr else {
        return;
    };
    match &attr.select {
        Some(select) => check_name(select, "select", errors),
        None => errors.push(
            Error::custom("`profiles` needs `select = \"...\"`: the variable that names the active profile, such as MCP_ENV")
                .with_span(&attr.span),
        ),
    }
    if attr.list.0.is_empty() {
        errors.push(
            Error::custom("`profiles` declares no profile: list them, e.g. `development(non_production), production`")
                .with_span(&attr.span),
        );
    }
    let mut seen: Vec<&syn::Ident> = Vec::new();
    for (ident, settings) in &attr.list.0 {
        if seen.contains(&ident) {
            errors.push(
                Error::custom(format!("profile `{ident}` is declared twice")).with_span(ident),
            );
        }
        seen.push(ident);
        if let Some(prefix) = &settings.prefix {
            check_name(prefix, "prefix", errors);
        }
    }
    if let Some(default) = &attr.default
        && !seen.iter().any(|ident| *ident == &default.value())
    {
        errors.push(
            Error::custom(format!(
                "the default profile `{}` is not declared; declared: {}",
                default.value(),
                declared(input)
            ))
            .with_span(default),
        );
    }
}

/// `profiles(...)` on a field: declared profiles only, once each, with
/// settings that fit the field.
fn check_field_profiles(input: &Input<'_>, field: &Field, errors: &mut Accumulator) {
    let Some(settings) = &field.attrs.profiles else {
        return;
    };
    let Some((first, _)) = settings.0.first() else {
        return;
    };
    if input.profiles_attr.is_none() {
        errors.push(
            Error::custom("per-profile settings need profiles: declare them with `#[credentials(profiles(...))]`")
                .with_span(first),
        );
        return;
    }
    let mut seen: Vec<&syn::Ident> = Vec::new();
    for (ident, s) in &settings.0 {
        if seen.contains(&ident) {
            errors.push(
                Error::custom(format!("profile `{ident}` is given settings twice"))
                    .with_span(ident),
            );
        }
        seen.push(ident);
        let Some(profile) = input.profiles.iter().find(|p| p.ident == *ident) else {
            errors.push(
                Error::custom(format!(
                    "unknown profile `{ident}`; declared: {}",
                    declared(input)
                ))
                .with_span(ident),
            );
            continue;
        };
        if let Some(env) = &s.env {
            check_name(env, "env", errors);
        }
        if s.required.is_present() && !field.is_option {
            errors.push(
                Error::custom("`required` applies to an `Option` field: this field is required in every profile")
                    .with_span(&s.required.span()),
            );
        }
        if let Some(default) = &s.default {
            if field.is_option {
                errors.push(
                    Error::custom("`default` on an `Option` field: unset already means `None`")
                        .with_span(&default.span),
                );
            } else if field.secret && profile.production {
                errors.push(
                    Error::custom(format!(
                        "a secret's default in `{ident}`, a production profile: it would be a credential hardcoded in \
                         source, used in production\nhint: only a profile marked `non_production` may give a secret a \
                         development-only default"
                    ))
                    .with_span(&default.span),
                );
            }
        }
    }
}

fn declared(input: &Input<'_>) -> String {
    let names: Vec<String> = input.profiles.iter().map(|p| p.ident.to_string()).collect();
    names.join(", ")
}

/// Keys that make no sense beside `flatten` or `profile`.
fn other_keys(field: &Field) -> Vec<(&'static str, Span)> {
    let a = &field.attrs;
    let keys: [(&str, Option<Span>); 9] = [
        ("env", a.env.as_ref().map(LitStr::span)),
        ("default", a.default.as_ref().map(|d| d.span)),
        ("secret", a.secret.is_present().then(|| a.secret.span())),
        (
            "allow_empty",
            a.allow_empty.is_present().then(|| a.allow_empty.span()),
        ),
        ("split", a.split.as_ref().map(LitStr::span)),
        ("parse_with", a.parse_with.as_ref().map(Spanned::span)),
        ("validate", a.validate.as_ref().map(Spanned::span)),
        (
            "profiles",
            a.profiles
                .as_ref()
                .and_then(|p| p.0.first())
                .map(|(i, _)| i.span()),
        ),
        (
            "profile",
            (field.kind == Kind::Flatten && a.profile.is_present()).then(|| a.profile.span()),
        ),
    ];
    let mut keys: Vec<(&'static str, Span)> = keys
        .into_iter()
        .filter_map(|(key, span)| Some((key, span?)))
        .collect();
    keys.extend(crate::checks::keys(field));
    if field.kind == Kind::Profile {
        keys.extend(a.exact_prefix.as_ref().map(|p| ("exact_prefix", p.span())));
    }
    keys
}

fn check_flatten(field: &Field, errors: &mut Accumulator) {
    for (key, span) in other_keys(field) {
        errors.push(
            Error::custom(format!(
                "`{key}` cannot be used with `flatten`: the flattened struct's own fields declare their variables"
            ))
            .with_span(&span),
        );
    }
    if field.is_option {
        errors.push(
            Error::custom("`flatten` needs a Credentials struct, not an `Option`: make the nested struct's fields optional instead")
                .with_span(&field.attrs.ty),
        );
    }
    if let Some(prefix) = &field.attrs.prefix {
        check_name(prefix, "prefix", errors);
        if let Some(exact) = &field.attrs.exact_prefix {
            errors.push(
                Error::custom("`exact_prefix` replaces `prefix`: keep one")
                    .with_span(&exact.span()),
            );
        }
    }
    if let Some(exact) = &field.attrs.exact_prefix {
        check_name(exact, "prefix", errors);
    }
}

fn check_profile_field(input: &Input<'_>, field: &Field, errors: &mut Accumulator) {
    let span = field.attrs.profile.span();
    if input.profiles_attr.is_none() {
        errors.push(
            Error::custom("`profile` receives the active profile, but the struct declares none: add `#[credentials(profiles(...))]`")
                .with_span(&span),
        );
    }
    for (key, span) in other_keys(field) {
        errors.push(
            Error::custom(format!(
                "`{key}` cannot be used with `profile`: the profile's own variable is `select`"
            ))
            .with_span(&span),
        );
    }
    if let Some(prefix) = &field.attrs.prefix {
        errors.push(Error::custom("`prefix` applies only with `flatten`").with_span(prefix));
    }
    if field.is_option || field.vec {
        errors.push(
            Error::custom("the profile is always known: its field is not an `Option` or a `Vec`")
                .with_span(&field.attrs.ty),
        );
    }
}

fn check_var(input: &Input<'_>, field: &Field, errors: &mut Accumulator) {
    let a = &field.attrs;
    let mut error =
        |span: Span, message: &str| errors.push(Error::custom(message).with_span(&span));
    if let Some(prefix) = &a.prefix {
        error(
            prefix.span(),
            "`prefix` on a field only applies with `flatten`; to name this field's variable, use `env = \"...\"`",
        );
    }
    if let Some(default) = &a.default {
        if field.is_option {
            error(
                default.span,
                "`default` on an `Option` field: unset already means `None`; remove `default` or the `Option`",
            );
        } else if field.secret {
            let hint = match input.profiles_attr {
                Some(_) => {
                    "give it a default in a `non_production` profile only: `profiles(development(default = ...))`"
                }
                None => "set it in the environment, or in a file named by the variable's _FILE",
            };
            error(
                default.span,
                &format!(
                    "a secret cannot have a `default`: it would be a credential hardcoded in source\nhint: {hint}"
                ),
            );
        }
        if a.allow_empty.is_present() {
            error(
                a.allow_empty.span(),
                "`allow_empty` contradicts `default`: an empty value would silently replace the default; keep one",
            );
        }
    }
    match (&a.split, field.vec) {
        (None, true) => error(
            a.ty.span(),
            "a `Vec` field is a list: add `split = \",\"` (or another separator) to say how its items are separated",
        ),
        (Some(split), false) => error(split.span(), "`split` applies only to a `Vec<T>` field"),
        (Some(split), true) if split.value().is_empty() => {
            error(split.span(), "`split` needs a separator, not \"\"")
        }
        _ => {}
    }
    if ty::inner(&field.value_ty, "Option").is_some() {
        error(
            a.ty.span(),
            "a nested `Option` cannot be told apart from unset; use a single `Option`",
        );
    }
    if let Some(env) = &a.env {
        check_name(env, "env", errors);
    }
    if let Some(exact) = &a.exact_prefix {
        errors.push(Error::custom("`exact_prefix` applies only with `flatten`").with_span(exact));
    }
    crate::checks::validate(field, errors);
}

/// An environment variable name, or a prefix of one: `=` ends a name, NUL
/// ends the environment entry, and whitespace is never what was meant.
fn check_name(lit: &LitStr, key: &str, errors: &mut Accumulator) {
    let name = lit.value();
    let problem = if name.is_empty() && matches!(key, "env" | "select" | "bundle") {
        Some("is empty")
    } else if name.contains('=') {
        Some("contains `=`, which ends a name in the environment")
    } else if name.contains('\0') {
        Some("contains a NUL character")
    } else if name.chars().any(char::is_whitespace) {
        Some("contains whitespace")
    } else {
        None
    };
    if let Some(problem) = problem {
        errors.push(
            Error::custom(format!("invalid variable name: `{key}` {problem}")).with_span(lit),
        );
    }
}
