//! What a field's source text gives: its variable's name (SCREAMING_SNAKE
//! case of the field's name) and its description (the doc comment).

use syn::{Expr, ExprLit, Lit, Meta};

/// `github_token` → `GITHUB_TOKEN`; `r#type` → `TYPE`; `apiKey` → `API_KEY`.
pub(crate) fn screaming_snake(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let mut out = String::with_capacity(name.len() + 4);
    let mut after_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && after_lower {
            out.push('_');
        }
        out.extend(c.to_uppercase());
        after_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    out
}

/// The first paragraph of the doc comment, its lines joined by spaces.
pub(crate) fn description(attrs: &[syn::Attribute]) -> String {
    let docs: Vec<String> = attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let lines = docs.iter().flat_map(|doc| doc.split('\n')).map(str::trim);
    let paragraph: Vec<&str> = lines
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    paragraph.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screaming_snake_case() {
        let case = |s: &str| screaming_snake(&syn::Ident::new(s, proc_macro2::Span::call_site()));
        assert_eq!(case("github_token"), "GITHUB_TOKEN");
        assert_eq!(case("apiKey"), "API_KEY");
        assert_eq!(case("oauth2Token"), "OAUTH2_TOKEN");
        assert_eq!(screaming_snake(&syn::parse_str("r#type").unwrap()), "TYPE");
    }
}
