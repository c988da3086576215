//! Declared checks (`min_len`, `max_len`, `starts_with`, `one_of`, `min`,
//! `max`, `min_items`, `max_items`): each literal validated here, the
//! field's defaults checked against them and against the field's type, and
//! the code: the spec's list of checks, and the parser's numeric bounds.

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitInt;

use crate::input::Field;
use crate::literal;

/// Every rule about the checks and defaults of a field that reads a
/// variable.
pub(crate) fn validate(field: &Field, errors: &mut Accumulator) {
    let a = &field.attrs;
    let mut error =
        |span: Span, message: String| errors.push(Error::custom(message).with_span(&span));
    let count = |lit: &Option<LitInt>, error: &mut dyn FnMut(Span, String)| {
        let lit = lit.as_ref()?;
        match lit.base10_parse::<usize>() {
            Ok(n) => Some((n, lit.span())),
            Err(_) => {
                error(lit.span(), "a count: a whole number, 0 or more".to_owned());
                None
            }
        }
    };
    let min_len = count(&a.min_len, &mut error);
    let max_len = count(&a.max_len, &mut error);
    let min_items = count(&a.min_items, &mut error);
    let max_items = count(&a.max_items, &mut error);
    for (low, high, what) in [(min_len, max_len, "len"), (min_items, max_items, "items")] {
        if let (Some((low, _)), Some((high, span))) = (low, high)
            && low > high
        {
            error(
                span,
                format!("`max_{what}` is below `min_{what}`: no value could pass"),
            );
        }
    }
    if !field.is_list() {
        for (key, lit) in [("min_items", &a.min_items), ("max_items", &a.max_items)] {
            if let Some(lit) = lit {
                error(
                    lit.span(),
                    format!(
                        "`{key}` applies only to a list (a `Vec` with `split`); for text, use `min_len` or `max_len`"
                    ),
                );
            }
        }
    }
    if let Some(prefix) = a.starts_with.as_ref().filter(|p| p.value().is_empty()) {
        error(
            prefix.span(),
            "`starts_with` needs a prefix, not \"\"".to_owned(),
        );
    }
    if let Some(words) = a.one_of.as_ref().filter(|w| w.words.is_empty()) {
        error(words.span, "`one_of` needs at least one word".to_owned());
    }
    let number = literal::known(&field.value_ty).filter(|ty| literal::NUMBERS.contains(ty));
    for bound in [&a.min, &a.max].into_iter().flatten() {
        match number {
            None => error(
                bound.span,
                "`min` and `max` apply only to a number type (u16, i64, f64, ...); for text, use `min_len` or `max_len`".to_owned(),
            ),
            Some(ty) => {
                if let Some(problem) = literal::problem(ty, &bound.text) {
                    error(bound.span, format!("`{}` is not a {ty}: {problem}", bound.text));
                }
            }
        }
    }
    if let (Some(ty), Some(min), Some(max)) = (number, &a.min, &a.max)
        && literal::less(ty, &max.text, &min.text)
    {
        error(
            max.span,
            "`max` is below `min`: no value could pass".to_owned(),
        );
    }
    for var in &field.vars {
        if let Some((text, span)) = &var.default {
            check_default(field, text, *span, number, &mut error);
        }
    }
}

/// A default must load: parse as the field's type (when the runtime parses
/// that type itself), and pass every declared check.
fn check_default(
    field: &Field,
    text: &str,
    span: Span,
    number: Option<&'static str>,
    error: &mut dyn FnMut(Span, String),
) {
    let a = &field.attrs;
    let items: Vec<&str> = match &a.split {
        Some(split) if field.vec => {
            let split = split.value();
            let items: Vec<&str> = text
                .split(split.as_str())
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            let count = items.len();
            let bound =
                |lit: &Option<LitInt>| lit.as_ref().and_then(|l| l.base10_parse::<usize>().ok());
            if bound(&a.min_items).is_some_and(|n| count < n)
                || bound(&a.max_items).is_some_and(|n| count > n)
            {
                error(
                    span,
                    format!("the default has {count} items, outside `min_items`/`max_items`"),
                );
            }
            items
        }
        _ => vec![text],
    };
    for item in items {
        if let Some(ty) = literal::known(&field.value_ty)
            && let Some(problem) = literal::problem(ty, item)
        {
            error(
                span,
                format!("the default {item:?} is not a valid {ty}: {problem}"),
            );
            continue;
        }
        let chars = item.chars().count();
        let len = |lit: &Option<LitInt>| lit.as_ref().and_then(|l| l.base10_parse::<usize>().ok());
        let broken = if len(&a.min_len).is_some_and(|n| chars < n) {
            Some("`min_len`")
        } else if len(&a.max_len).is_some_and(|n| chars > n) {
            Some("`max_len`")
        } else if a
            .starts_with
            .as_ref()
            .is_some_and(|p| !item.starts_with(&p.value()))
        {
            Some("`starts_with`")
        } else if a
            .one_of
            .as_ref()
            .is_some_and(|w| !w.words.iter().any(|w| w.value() == item))
        {
            Some("`one_of`")
        } else if let Some(ty) = number {
            let below = a
                .min
                .as_ref()
                .is_some_and(|min| literal::less(ty, item, &min.text));
            let above = a
                .max
                .as_ref()
                .is_some_and(|max| literal::less(ty, &max.text, item));
            match (below, above) {
                (true, _) => Some("`min`"),
                (_, true) => Some("`max`"),
                _ => None,
            }
        } else {
            None
        };
        if let Some(check) = broken {
            error(
                span,
                format!("the default {item:?} breaks {check}: it could never load"),
            );
        }
    }
}

/// `.with_checks(&[...])` for the field's spec, when it declares any.
pub(crate) fn spec(field: &Field, krate: &syn::Path) -> Option<TokenStream> {
    let a = &field.attrs;
    let count = |lit: &Option<LitInt>| lit.as_ref().and_then(|l| l.base10_parse::<usize>().ok());
    let mut checks = Vec::new();
    if let Some(prefix) = &a.starts_with {
        checks.push(quote!(#krate::Check::StartsWith(#prefix)));
    }
    if let Some(n) = count(&a.min_len) {
        checks.push(quote!(#krate::Check::MinLen(#n)));
    }
    if let Some(n) = count(&a.max_len) {
        checks.push(quote!(#krate::Check::MaxLen(#n)));
    }
    if let Some(words) = &a.one_of {
        let words = &words.words;
        checks.push(quote!(#krate::Check::OneOf(&[#(#words),*])));
    }
    for (bound, variant) in [(&a.min, quote!(Min)), (&a.max, quote!(Max))] {
        if let Some(bound) = bound {
            let text = &bound.text;
            checks.push(quote!(#krate::Check::#variant(#text)));
        }
    }
    if let Some(n) = count(&a.min_items) {
        checks.push(quote!(#krate::Check::MinItems(#n)));
    }
    if let Some(n) = count(&a.max_items) {
        checks.push(quote!(#krate::Check::MaxItems(#n)));
    }
    (!checks.is_empty()).then(|| quote!(.with_checks(&[#(#checks),*])))
}

/// The parser, keeping a number within `min` and `max` when declared.
pub(crate) fn parser(field: &Field, parser: TokenStream, krate: &syn::Path) -> TokenStream {
    let a = &field.attrs;
    if a.min.is_none() && a.max.is_none() {
        return parser;
    }
    let ty = &field.value_ty;
    let suffix = literal::known(ty).unwrap_or_default();
    let bound = |bound: &Option<crate::attr::DefaultValue>| match bound {
        Some(bound) => {
            let value: syn::Expr = syn::parse_str(&format!("{}{suffix}", bound.text))
                .unwrap_or_else(|_| syn::parse_quote_spanned!(bound.span=> ::core::unreachable!()));
            quote!(::core::option::Option::Some::<#ty>(#value))
        }
        None => quote!(::core::option::Option::None::<#ty>),
    };
    let (min, max) = (bound(&a.min), bound(&a.max));
    quote!(#krate::__private::bounded(#parser, #min, #max))
}

/// The checks' keys as written, for the rules of `flatten` and `profile`.
pub(crate) fn keys(field: &Field) -> Vec<(&'static str, Span)> {
    let a = &field.attrs;
    let ints = [
        ("min_len", &a.min_len),
        ("max_len", &a.max_len),
        ("min_items", &a.min_items),
        ("max_items", &a.max_items),
    ];
    let mut keys: Vec<(&'static str, Span)> = ints
        .into_iter()
        .filter_map(|(key, lit)| Some((key, lit.as_ref()?.span())))
        .collect();
    keys.extend(a.starts_with.as_ref().map(|p| ("starts_with", p.span())));
    keys.extend(a.one_of.as_ref().map(|w| ("one_of", w.span)));
    keys.extend(a.min.as_ref().map(|b| ("min", b.span)));
    keys.extend(a.max.as_ref().map(|b| ("max", b.span)));
    keys
}
