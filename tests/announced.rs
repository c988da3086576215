//! How a load learns which values are secret references: what sources
//! announce (`may_hold_references`), what it does with a reference a
//! source did not announce, and how it finds one in a plain source (a map,
//! a list of pairs, the environment's one pass) as it reads.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/common.rs"]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use credenv::{Credentials, SecretString, Source, Value};

fn temp(name: &str) -> PathBuf {
    common::fresh_dir("announced", name)
}

/// Maps, pairs and `Vars` tell whether a value may be a secret reference
/// by its first bytes (a load from one of them alone need not ask), and a
/// load from one that holds one still resolves it (here: names a malformed
/// one).
#[test]
fn sources_tell_whether_they_may_hold_references() {
    #[derive(Credentials)]
    struct Creds {
        api_key: SecretString,
    }
    let plain = HashMap::from([("API_KEY".to_string(), "op-not-a-reference".to_string())]);
    assert!(!plain.may_hold_references());
    assert!(Creds::from_source(&plain).is_ok());
    let reference = HashMap::from([("API_KEY".to_string(), "op://vault/item".to_string())]);
    assert!(reference.may_hold_references());
    let err = Creds::from_source(&reference).err().unwrap();
    assert!(err.to_string().contains("op://<vault>/<item>"), "{err}");
    assert!(!err.to_string().contains("op://vault/item"), "{err}");
    let btree: std::collections::BTreeMap<&str, &str> = [("A", "vault://x/y#k")].into();
    assert!(btree.may_hold_references());
    assert!([("A", "aws-sm://app")].may_hold_references());
    assert!(![("A", "aws-sm:/app"), ("B", "value")].may_hold_references());
    let mut vars = credenv::Vars::with_origin(credenv::Origin::Env);
    vars.insert("A", "plain");
    assert!(!vars.may_hold_references());
    vars.insert("B", "op://v/i/f");
    assert!(vars.may_hold_references());
}

/// A source that says it holds no reference and then gives one (as the
/// environment would if it changed during a load): the value is refused,
/// not used as plain text, and not quoted.
#[test]
fn a_reference_a_source_did_not_announce_is_refused() {
    #[derive(Credentials)]
    struct Creds {
        api_key: SecretString,
    }
    struct Wrong;
    impl Source for Wrong {
        fn get(&self, name: &str) -> Option<Value<'_>> {
            (name == "API_KEY").then(|| Value::new("op://vault/item/canary-field"))
        }
        fn may_hold_file_vars(&self) -> bool {
            false
        }
        fn may_hold_references(&self) -> bool {
            false
        }
    }
    let err = Creds::from_source(&Wrong).err().unwrap();
    let invalid = err.invalid().next().unwrap();
    assert_eq!(
        invalid.kind(),
        &credenv::InvalidKind::Reference(credenv::ResolveFailure::Refused)
    );
    assert!(
        err.to_string().contains("starts like a secret reference"),
        "{err}"
    );
    assert!(!err.to_string().contains("canary-field"), "{err}");
}

/// A plain source (a map, a list of pairs, the environment's one pass) is
/// not asked: the load sees each value as it reads it, and the first that
/// may be a reference has it and every later variable looked up ahead and
/// resolved at once. Here a malformed one, after a plain value: reported as
/// malformed, named without its text, never read as plain text.
#[test]
fn a_plain_source_s_reference_is_found_as_the_load_reads() {
    #[derive(Credentials)]
    struct Creds {
        region: String,
        api_key: SecretString,
        port: u16,
    }
    struct Plain;
    impl Source for Plain {
        fn get(&self, name: &str) -> Option<Value<'_>> {
            self.__text(name).map(Value::new)
        }
        fn may_hold_file_vars(&self) -> bool {
            false
        }
        fn may_hold_references(&self) -> bool {
            unreachable!("a plain source is not asked")
        }
        fn __plain(&self) -> bool {
            true
        }
        fn __text(&self, name: &str) -> Option<&str> {
            match name {
                "REGION" => Some("eu-west-1"),
                "API_KEY" => Some("op://vault/canary-item"),
                "PORT" => Some("not-a-port"),
                _ => None,
            }
        }
    }
    let err = Creds::from_source(&Plain).err().unwrap();
    let kinds: Vec<_> = err.invalid().map(|i| (i.var(), *i.kind())).collect();
    assert_eq!(
        kinds,
        [
            ("API_KEY", credenv::InvalidKind::MalformedReference),
            ("PORT", credenv::InvalidKind::Unparsable),
        ]
    );
    assert!(err.to_string().contains("op://<vault>/<item>"), "{err}");
    assert!(!err.to_string().contains("canary-item"), "{err}");
}

/// A map with no reference among its values, whose `NAME_FILE`'s file
/// holds one: the file's value is still checked as a reference (here a
/// malformed one, named without its text).
#[test]
fn a_reference_in_a_name_file_s_file_is_still_resolved() {
    #[derive(Credentials)]
    struct Creds {
        api_key: SecretString,
    }
    let file = temp("a-reference-in-a-file").join("key");
    std::fs::write(&file, "op://vault/item\n").unwrap();
    let map = HashMap::from([("API_KEY_FILE".to_string(), file.display().to_string())]);
    assert!(!map.may_hold_references());
    let err = Creds::from_source(&map).err().unwrap();
    assert!(err.to_string().contains("op://<vault>/<item>"), "{err}");
    assert!(!err.to_string().contains("op://vault/item"), "{err}");
}

/// The first value of a map that may be a reference is found where the
/// load reads it, in a list's items or a flattened struct's fields too:
/// here malformed ones, reported without their text.
#[test]
fn a_map_s_first_reference_may_be_in_a_list_or_a_flattened_struct() {
    #[derive(Credentials)]
    struct Inner {
        token: SecretString,
    }
    #[derive(Credentials)]
    struct Outer {
        region: String,
        #[credential(split = ",")]
        keys: Vec<SecretString>,
        #[credential(flatten)]
        inner: Inner,
    }
    for (keys, token, bad) in [
        ("op://vault/canary-a", "plain", "KEYS"),
        ("a,b", "op://vault/canary-b", "TOKEN"),
    ] {
        let map = HashMap::from([("REGION", "eu"), ("KEYS", keys), ("TOKEN", token)]);
        let err = Outer::from_source(&map).err().unwrap();
        let invalid: Vec<_> = err.invalid().map(|i| (i.var(), *i.kind())).collect();
        assert_eq!(invalid, [(bad, credenv::InvalidKind::MalformedReference)]);
        assert!(!err.to_string().contains("canary"), "{err}");
    }
}
