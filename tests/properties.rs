//! Property tests: for arbitrary values of every variable (unset, empty,
//! valid, invalid, not UTF-8, control characters, `=`, huge) and arbitrary
//! extra variables, a load never panics, and its error lists exactly the
//! missing and invalid variables, in declaration order, as an independent
//! oracle says. No secret value ever reaches the report.

use std::collections::HashMap;

use credenv::{Credentials, SecretString, Source, Value};
use proptest::prelude::*;

#[derive(Credentials)]
#[allow(dead_code)]
struct Creds {
    name: String,
    port: u16,
    debug: bool,
    limit: Option<u32>,
    #[credential(default = 8080)]
    fallback: u16,
    #[credential(split = ",")]
    bytes: Vec<u8>,
    token: SecretString,
    #[credential(allow_empty)]
    suffix: String,
}

/// The variables in declaration order, with what the oracle knows of them.
const VARS: [(&str, Kind); 8] = [
    ("NAME", Kind::Text { required: true }),
    (
        "PORT",
        Kind::Parse {
            required: true,
            ok: |s| s.parse::<u16>().is_ok(),
        },
    ),
    (
        "DEBUG",
        Kind::Parse {
            required: true,
            ok: is_bool,
        },
    ),
    (
        "LIMIT",
        Kind::Parse {
            required: false,
            ok: |s| s.parse::<u32>().is_ok(),
        },
    ),
    (
        "FALLBACK",
        Kind::Parse {
            required: false,
            ok: |s| s.parse::<u16>().is_ok(),
        },
    ),
    (
        "BYTES",
        Kind::Parse {
            required: true,
            ok: is_byte_list,
        },
    ),
    ("TOKEN", Kind::Text { required: true }),
    ("SUFFIX", Kind::AllowEmpty),
];

#[derive(Clone, Copy)]
enum Kind {
    Text {
        required: bool,
    },
    Parse {
        required: bool,
        ok: fn(&str) -> bool,
    },
    AllowEmpty,
}

fn is_bool(s: &str) -> bool {
    ["true", "false", "1", "0", "yes", "no", "on", "off"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(s))
}

fn is_byte_list(s: &str) -> bool {
    s.split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .all(|i| i.parse::<u8>().is_ok())
}

fn no_items(s: &str) -> bool {
    s.split(',').all(|i| i.trim().is_empty())
}

/// One variable's value: `None` is not UTF-8.
type Raw = Option<String>;

/// A source of arbitrary values, non-UTF-8 ones included.
struct Arbitrary(HashMap<String, Raw>);

impl Source for Arbitrary {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        Some(match self.0.get(name)? {
            Some(text) => Value::new(text.as_str()),
            None => Value::not_unicode(),
        })
    }
}

/// What the load must report: (missing, invalid), in declaration order.
fn oracle(vars: &HashMap<String, Raw>) -> (Vec<&'static str>, Vec<&'static str>) {
    let (mut missing, mut invalid) = (Vec::new(), Vec::new());
    for (name, kind) in VARS {
        let required = match kind {
            Kind::Text { required } | Kind::Parse { required, .. } => required,
            Kind::AllowEmpty => true,
        };
        match vars.get(name) {
            // Unset, or empty (which counts as unset unless allowed).
            None => {
                if required {
                    missing.push(name);
                }
            }
            Some(Some(text)) if text.is_empty() && !matches!(kind, Kind::AllowEmpty) => {
                if required {
                    missing.push(name);
                }
            }
            // A list with no items counts as unset too.
            Some(Some(text)) if name == "BYTES" && is_byte_list(text) && no_items(text) => {
                if required {
                    missing.push(name);
                }
            }
            // Not UTF-8.
            Some(None) => invalid.push(name),
            Some(Some(text)) => {
                if let Kind::Parse { ok, .. } = kind
                    && !ok(text)
                {
                    invalid.push(name);
                }
            }
        }
    }
    (missing, invalid)
}

fn value() -> impl Strategy<Value = Raw> {
    prop_oneof![
        Just(Some(String::new())),
        Just(None),
        "(0|1|42|255|65535|65536|-1|true|False|yes|NO|on|maybe)".prop_map(Some),
        "[0-9, ]{0,12}".prop_map(Some),
        // Control characters, `=`, quotes, newlines, anything.
        "[\\x00-\\x1f=\"'\\\\a-z0-9 \u{7f}\u{e9}\u{1f600}]{0,40}".prop_map(Some),
        any::<String>().prop_map(Some),
        // Huge.
        (0usize..200_000).prop_map(|n| Some("7".repeat(n))),
    ]
}

fn vars() -> impl Strategy<Value = HashMap<String, Raw>> {
    let known = proptest::collection::vec(proptest::option::of(value()), VARS.len());
    let extra = proptest::collection::hash_map("[A-Z_=]{0,8}", value(), 0..4);
    (known, extra).prop_map(|(known, extra)| {
        let mut vars: HashMap<String, Raw> = extra;
        for ((name, _), value) in VARS.iter().zip(known) {
            vars.remove(*name);
            if let Some(value) = value {
                vars.insert((*name).to_owned(), value);
            }
        }
        // Keep `_FILE` variables for the file tests: none here.
        vars.retain(|name, _| !name.ends_with("_FILE"));
        vars
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_error_lists_exactly_the_missing_and_invalid_variables(vars in vars()) {
        let (missing, invalid) = oracle(&vars);
        match Creds::load(&Arbitrary(vars.clone())) {
            Ok(_) => prop_assert!(missing.is_empty() && invalid.is_empty(), "loaded, but expected {missing:?} {invalid:?}"),
            Err(err) => {
                let got_missing: Vec<&str> = err.missing().map(|m| m.var()).collect();
                let got_invalid: Vec<&str> = err.invalid().map(|i| i.var()).collect();
                prop_assert_eq!(got_missing, missing);
                prop_assert_eq!(got_invalid, invalid);
                // The token is a secret: no report shows it (unless another,
                // quotable value happens to contain it).
                if let Some(Some(token)) = vars.get("TOKEN")
                    && token.len() >= 8
                    && !vars.iter().any(|(n, v)| n != "TOKEN" && v.as_deref().is_some_and(|v| v.contains(token.as_str())))
                {
                    let report = format!("{err} {err:?}");
                    prop_assert!(!report.contains(token.as_str()), "the report quotes the token");
                }
            }
        }
    }
}
