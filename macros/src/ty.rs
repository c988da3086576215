//! What the derive can tell from a field's type as written. It sees tokens,
//! not resolved types: a type alias of `SecretString` needs
//! `#[credential(secret)]`.

use syn::{GenericArgument, PathArguments, Type};

/// The `T` of `Wrapper<T>`, for `Option` or `Vec` written with any path.
pub(crate) fn inner<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ungroup(ty) else {
        return None;
    };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>()[..] {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// Whether the type is one of secrecy's.
pub(crate) fn is_secret(ty: &Type) -> bool {
    const SECRET_TYPES: [&str; 3] = ["SecretString", "SecretBox", "SecretSlice"];
    match ungroup(ty) {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| SECRET_TYPES.iter().any(|name| last.ident == name)),
        _ => false,
    }
}

/// The type as a person writes it: `Vec<u16>`, not `Vec < u16 >`.
pub(crate) fn display(ty: &Type) -> String {
    let spaced = quote::quote!(#ty).to_string();
    let mut out = String::with_capacity(spaced.len());
    let mut chars = spaced.chars().peekable();
    while let Some(c) = chars.next() {
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
        if c == ' ' {
            let before = out.chars().last().is_some_and(word);
            let after = chars.peek().is_some_and(|&c| word(c));
            if !(before && after) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn ungroup(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => ungroup(&group.elem),
        Type::Paren(paren) => ungroup(&paren.elem),
        _ => ty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn finds_wrapped_types_by_last_segment() {
        let ty: Type = parse_quote!(::core::option::Option<u16>);
        assert_eq!(display(inner(&ty, "Option").unwrap()), "u16");
        let ty: Type = parse_quote!(Vec<SecretString>);
        assert!(is_secret(inner(&ty, "Vec").unwrap()));
        let ty: Type = parse_quote!(Option<u16, u8>);
        assert!(inner(&ty, "Option").is_none());
        assert!(inner(&parse_quote!(u16), "Option").is_none());
    }

    #[test]
    fn recognises_secrecy_types() {
        assert!(is_secret(&parse_quote!(secrecy::SecretString)));
        assert!(is_secret(&parse_quote!(SecretBox<u64>)));
        assert!(!is_secret(&parse_quote!(String)));
    }

    #[test]
    fn displays_types_compactly() {
        assert_eq!(display(&parse_quote!(Vec<u16>)), "Vec<u16>");
        assert_eq!(
            display(&parse_quote!(std::path::PathBuf)),
            "std::path::PathBuf"
        );
        assert_eq!(display(&parse_quote!(&'static str)), "&'static str");
        assert_eq!(
            display(&parse_quote!(HashMap<String, u8>)),
            "HashMap<String,u8>"
        );
    }
}
