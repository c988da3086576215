//! Literals checked at compile time: a `default`, `min` or `max` written for
//! a type whose parser is the runtime's own (numbers, `bool`, `char`,
//! durations, IP and socket addresses) is parsed here, as the runtime would,
//! so a literal that could never load is an error at the literal.

use syn::Type;

/// The number types `min` and `max` apply to.
pub(crate) const NUMBERS: [&str; 14] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64",
];

/// The type's name when the runtime parses it itself: its last path
/// segment, without generics (`std::time::Duration` is `Duration`).
pub(crate) fn known(ty: &Type) -> Option<&'static str> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if !last.arguments.is_none() || path.qself.is_some() {
        return None;
    }
    const OTHERS: [&str; 7] = [
        "bool",
        "char",
        "Duration",
        "IpAddr",
        "Ipv4Addr",
        "Ipv6Addr",
        "SocketAddr",
    ];
    let name = last.ident.to_string();
    NUMBERS
        .iter()
        .chain(&OTHERS)
        .find(|known| **known == name)
        .copied()
}

/// Why `text` does not parse as the runtime's `ty`, if it does not.
pub(crate) fn problem(ty: &str, text: &str) -> Option<String> {
    fn check<T: std::str::FromStr>(text: &str) -> Option<String>
    where
        T::Err: std::fmt::Display,
    {
        text.parse::<T>().err().map(|e| e.to_string())
    }
    match ty {
        "u8" => check::<u8>(text),
        "u16" => check::<u16>(text),
        "u32" => check::<u32>(text),
        "u64" => check::<u64>(text),
        "u128" => check::<u128>(text),
        "usize" => check::<usize>(text),
        "i8" => check::<i8>(text),
        "i16" => check::<i16>(text),
        "i32" => check::<i32>(text),
        "i64" => check::<i64>(text),
        "i128" => check::<i128>(text),
        "isize" => check::<isize>(text),
        "f32" => check::<f32>(text),
        "f64" => check::<f64>(text),
        "char" => check::<char>(text),
        "IpAddr" => check::<std::net::IpAddr>(text),
        "Ipv4Addr" => check::<std::net::Ipv4Addr>(text),
        "Ipv6Addr" => check::<std::net::Ipv6Addr>(text),
        "SocketAddr" => check::<std::net::SocketAddr>(text),
        // The runtime's words, in any case.
        "bool" => {
            const WORDS: [&str; 8] = ["true", "false", "1", "0", "yes", "no", "on", "off"];
            (!WORDS.iter().any(|w| w.eq_ignore_ascii_case(text)))
                .then(|| "use true/false, 1/0, yes/no or on/off".to_owned())
        }
        "Duration" => humantime::parse_duration(text)
            .err()
            .map(|e| format!("{e}; write a duration such as \"30s\", \"5m\" or \"250ms\"")),
        _ => None,
    }
}

/// `a < b` for two literals of the number type `ty` that both parse.
pub(crate) fn less(ty: &str, a: &str, b: &str) -> bool {
    match ty {
        "f32" | "f64" => matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(a), Ok(b)) if a < b),
        _ => {
            matches!((a.parse::<i128>(), b.parse::<i128>()), (Ok(a), Ok(b)) if a < b)
                || matches!((a.parse::<u128>(), b.parse::<u128>()), (Ok(a), Ok(b)) if a < b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_the_runtime_does() {
        assert_eq!(problem("u16", "8080"), None);
        assert!(problem("u16", "five").is_some());
        assert!(problem("u16", "70000").is_some());
        assert_eq!(problem("bool", "Yes"), None);
        assert!(problem("bool", "maybe").is_some());
        assert_eq!(problem("Duration", "30s"), None);
        assert!(
            problem("Duration", "5")
                .unwrap()
                .contains("time unit needed")
        );
        assert_eq!(problem("SocketAddr", "127.0.0.1:80"), None);
        assert!(problem("IpAddr", "localhost").is_some());
        assert_eq!(problem("String", "anything"), None);
    }

    #[test]
    fn known_types_by_their_last_segment() {
        assert_eq!(
            known(&syn::parse_quote!(std::time::Duration)),
            Some("Duration")
        );
        assert_eq!(known(&syn::parse_quote!(u16)), Some("u16"));
        assert_eq!(known(&syn::parse_quote!(String)), None);
        assert_eq!(known(&syn::parse_quote!(Vec<u16>)), None);
    }

    #[test]
    fn compares_numbers() {
        assert!(less("u16", "1", "2"));
        assert!(!less("i32", "2", "-1"));
        assert!(less("f64", "0.5", "1"));
    }
}
