//! The rules a credentials struct must follow, each broken rule an error at
//! the token that breaks it, all of them collected in one pass.

use std::collections::HashMap;

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::LitStr;
use syn::spanned::Spanned;

use crate::input::{Field, Input};
use crate::ty;

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
    for field in &input.fields {
        if field.attrs.flatten.is_present() {
            check_flatten(field, errors);
        } else {
            check_var(field, errors);
        }
    }
    check_unique(&input.fields, errors);
}

fn check_flatten(field: &Field, errors: &mut Accumulator) {
    let a = &field.attrs;
    let keys: [(&str, Option<Span>); 7] = [
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
    ];
    for (key, span) in keys {
        if let Some(span) = span {
            errors.push(
                Error::custom(format!(
                    "`{key}` cannot be used with `flatten`: the flattened struct's own fields declare their variables"
                ))
                .with_span(&span),
            );
        }
    }
    if field.optional {
        errors.push(
            Error::custom("`flatten` needs a Credentials struct, not an `Option`: make the nested struct's fields optional instead")
                .with_span(&a.ty),
        );
    }
    if let Some(prefix) = &a.prefix {
        check_name(prefix, "prefix", errors);
    }
}

fn check_var(field: &Field, errors: &mut Accumulator) {
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
        if field.optional {
            error(
                default.span,
                "`default` on an `Option` field: unset already means `None`; remove `default` or the `Option`",
            );
        } else if field.secret {
            error(
                default.span,
                "a secret cannot have a `default`: it would be a credential hardcoded in source\n\
                 hint: set it in the environment, or in a file named by the variable's _FILE",
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
}

/// An environment variable name, or a prefix of one: `=` ends a name, NUL
/// ends the environment entry, and whitespace is never what was meant.
fn check_name(lit: &LitStr, key: &str, errors: &mut Accumulator) {
    let name = lit.value();
    let problem = if name.is_empty() && key == "env" {
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

/// Two fields reading one variable, or one field reading another's `_FILE`.
fn check_unique(fields: &[Field], errors: &mut Accumulator) {
    let vars: Vec<&Field> = fields
        .iter()
        .filter(|f| !f.attrs.flatten.is_present())
        .collect();
    let mut seen: HashMap<&str, &Field> = HashMap::new();
    for field in &vars {
        if let Some(first) = seen.get(field.name.as_str()) {
            errors.push(
                Error::custom(format!(
                    "two fields read `{}`: field `{}` already does{}",
                    field.name,
                    first.ident,
                    match field.attrs.env {
                        Some(_) => "",
                        None => "\nhint: this field's name after the struct's prefix is that variable; give one of them `env = \"...\"`",
                    },
                ))
                .with_span(&name_span(field)),
            );
        } else {
            seen.insert(&field.name, field);
        }
    }
    for field in &vars {
        let owner = field
            .name
            .strip_suffix("_FILE")
            .and_then(|base| seen.get(base));
        if let Some(owner) = owner {
            errors.push(
                Error::custom(format!(
                    "`{}` is taken: `{}=/path` is how field `{}` reads its value from a file; rename one of the two",
                    field.name, field.name, owner.ident
                ))
                .with_span(&name_span(field)),
            );
        }
    }
}

fn name_span(field: &Field) -> Span {
    match &field.attrs.env {
        Some(env) => env.span(),
        None => field.ident.span(),
    }
}
