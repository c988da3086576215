//! Sources beyond the environment: layering, `.env` files, secrets
//! directories, and a source's own per-variable problems.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/common.rs"]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use credenv::{
    Credentials, DotEnv, Env, ExposeSecret, Origin, SecretString, SecretsDir, Source, Value,
};

#[derive(Credentials)]
struct Creds {
    /// API key
    api_key: SecretString,
    /// Database password
    db_password: Option<SecretString>,
    #[credential(default = 8080)]
    port: u16,
}

fn temp(name: &str) -> PathBuf {
    common::fresh_dir("sources", name)
}

#[test]
fn the_first_layer_that_has_a_variable_gives_it() {
    let top: HashMap<&str, &str> = HashMap::from([("PORT", "1")]);
    let middle = [("PORT", "2"), ("API_KEY", "from-middle")];
    let bottom = [("API_KEY", "from-bottom"), ("DB_PASSWORD", "pw")];
    let loaded = Creds::load(&(top, middle, bottom)).unwrap();
    assert_eq!(loaded.port, 1);
    assert_eq!(loaded.api_key.expose_secret(), "from-middle");
    assert_eq!(loaded.db_password.as_ref().unwrap().expose_secret(), "pw");
}

#[test]
fn a_dotenv_file_sits_under_the_environment() {
    let dir = temp("dotenv");
    let path = dir.join(".env");
    std::fs::write(
        &path,
        "# a comment\nexport API_KEY=\"k 1 # not a comment\"\nPORT=9000\nDB_PASSWORD='p\\w'\nEMPTY=\n",
    )
    .unwrap();
    let dotenv = DotEnv::load(&path).unwrap();
    assert_eq!(dotenv.vars().len(), 4);
    // The process environment (where none of these is set) wins, then .env.
    let loaded = Creds::load(&(Env, dotenv)).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "k 1 # not a comment");
    assert_eq!(loaded.db_password.as_ref().unwrap().expose_secret(), "p\\w");
    assert_eq!(loaded.port, 9000);
    assert_eq!(loaded.origin("PORT"), Some(&Origin::DotEnv(path.clone())));
    assert_eq!(
        loaded.origin("PORT").unwrap().to_string(),
        format!(".env file {}", path.display())
    );

    let overriding = [("PORT", "7")];
    let loaded = Creds::load(&(overriding, DotEnv::load(&path).unwrap())).unwrap();
    assert_eq!(
        (loaded.port, loaded.origin("PORT")),
        (7, Some(&Origin::Env))
    );
}

#[test]
fn dotenv_faults_name_the_file_and_entry_never_the_line() {
    let dir = temp("dotenv-bad");
    let missing = dir.join("missing.env");
    let err = DotEnv::load(&missing).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    assert!(
        err.to_string()
            .starts_with(&format!("cannot read {}", missing.display())),
        "{err}"
    );
    assert_eq!(DotEnv::load_if_exists(&missing).unwrap().vars().len(), 0);

    let bad = dir.join("bad.env");
    std::fs::write(
        &bad,
        "PORT=1\nAPI_KEY=\"canary-9d2f-unterminated\nOTHER=x\n",
    )
    .unwrap();
    let err = DotEnv::load(&bad).unwrap_err().to_string();
    assert!(!err.contains("canary"), "{err}");
    // The quote that never closes opens at line 2, column 9.
    assert_eq!(
        err,
        format!("cannot parse {}: line 2, column 9", bad.display())
    );
    // A 39-character line's error is within it (dotenvy counts from the
    // value).
    std::fs::write(&bad, "A=1\n# note\nPORT=8080 extra-words-here-no\n").unwrap();
    let err = DotEnv::load(&bad).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("cannot parse {}: line 3, column 11", bad.display())
    );
    std::fs::write(&bad, "A=1\n9KEY=x\n").unwrap();
    let err = DotEnv::load(&bad).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("cannot parse {}: line 2, column 1", bad.display())
    );
}

#[test]
fn a_secrets_directory_gives_one_file_per_variable() {
    let dir = temp("secrets");
    std::fs::write(dir.join("API_KEY"), "key-from-file\n").unwrap();
    std::fs::write(dir.join("db_password"), "pw").unwrap();
    let loaded = Creds::load(&SecretsDir::new(&dir)).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "key-from-file");
    assert_eq!(
        loaded.db_password.as_ref().unwrap().expose_secret(),
        "pw",
        "lower-case file names too"
    );
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::SecretsDir(dir.join("API_KEY")))
    );
    assert_eq!(loaded.origin("PORT"), Some(&Origin::Default));

    // The environment first, then the mounted secrets.
    let env = [("API_KEY", "from-env")];
    assert_eq!(
        Creds::from_source(&(env, SecretsDir::new(&dir)))
            .unwrap()
            .api_key
            .expose_secret(),
        "from-env"
    );
}

#[test]
fn unreadable_secrets_are_invalid_variables_naming_the_file() {
    let dir = temp("secrets-bad");
    std::fs::create_dir(dir.join("API_KEY")).unwrap(); // a directory, not a file
    std::fs::write(dir.join("db_password"), [b'x'; 64 * 1024 + 1]).unwrap();
    std::fs::write(dir.join("PORT"), b"canary-\xff").unwrap();
    let err = Creds::from_source(&SecretsDir::new(&dir)).unwrap_err();
    // API_KEY is a directory, where its file should be: not read.
    assert_eq!(err.missing().count(), 0);
    let invalid: Vec<String> = err.invalid().map(ToString::to_string).collect();
    assert_eq!(
        invalid,
        [
            format!(
                "API_KEY: cannot read {}: not a regular file (a directory)",
                dir.join("API_KEY").display()
            ),
            format!(
                "DB_PASSWORD: {} is larger than 64 KiB",
                dir.join("db_password").display()
            ),
            format!("PORT: {} is not valid UTF-8", dir.join("PORT").display()),
        ]
    );
    assert!(!err.to_string().contains("canary"));
}

#[test]
fn a_missing_directory_holds_nothing_and_names_cannot_leave_it() {
    let nowhere = SecretsDir::new("/nonexistent/credenv/secrets");
    assert!(nowhere.get("API_KEY").is_none());
    let dir = temp("secrets-escape");
    std::fs::write(dir.join("outside"), "x").unwrap();
    let inner = dir.join("inner");
    std::fs::create_dir(&inner).unwrap();
    let secrets = SecretsDir::new(&inner);
    for name in ["../outside", "..", ".", "", "a/b"] {
        assert!(secrets.get(name).is_none(), "{name}");
    }
}

/// A source with its own reasons.
struct Flaky;

impl Source for Flaky {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "API_KEY" => Some(Value::invalid("the vault is sealed")),
            _ => None,
        }
    }
}

#[test]
fn a_sources_own_problem_is_an_invalid_variable() {
    let err = Creds::from_source(&Flaky).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid variables:\n  - API_KEY: the vault is sealed"
    );
}

#[test]
fn an_expansion_bomb_is_refused_before_it_is_parsed() {
    let dir = temp("bomb");
    // Each line repeats the one before ten times: 446 bytes that dotenvy
    // alone would expand to a gigabyte.
    let mut bomb = String::from("A0=xxxxxxxxxx\n");
    for i in 1..=8 {
        bomb.push_str(&format!("A{i}={}\n", format!("${{A{}}}", i - 1).repeat(10)));
    }
    let path = dir.join(".env");
    std::fs::write(&path, &bomb).unwrap();
    let err = DotEnv::load(&path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert_eq!(
        err.to_string(),
        format!(
            "cannot parse {}: its $NAME references could expand to more than 1 MiB",
            path.display()
        )
    );

    // Ordinary substitution still works.
    std::fs::write(
        &path,
        "HOST=db.internal\nPORT=5432\nAPI_KEY=${HOST}:$PORT\n",
    )
    .unwrap();
    let loaded = Creds::load(&DotEnv::load(&path).unwrap()).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "db.internal:5432");

    let huge = dir.join("huge.env");
    std::fs::write(&huge, format!("A={}\n", "x".repeat(1024 * 1024))).unwrap();
    assert!(
        DotEnv::load(&huge)
            .unwrap_err()
            .to_string()
            .ends_with("it is larger than 1 MiB")
    );
}

/// Every `.env` the fuzzer once crashed on, and every seed, is read without
/// a panic: a value or a named error.
#[test]
fn the_fuzzers_dotenv_seeds_and_crashes_are_read_without_a_panic() {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/dotenv");
    let mut read = 0;
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let _ = DotEnv::from_reader(&bytes[..], &path);
        read += 1;
    }
    assert!(read >= 6, "the seeds are in {}", seeds.display());
}

/// A map that records every name a load asks it for.
struct Recording(HashMap<String, String>, std::cell::RefCell<Vec<String>>);

impl Source for Recording {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        self.1.borrow_mut().push(name.to_owned());
        self.0.get(name).map(|v| Value::new(v.as_str()))
    }

    fn may_hold_file_vars(&self) -> bool {
        self.0.may_hold_file_vars()
    }
}

#[test]
fn a_source_without_file_vars_is_never_asked_for_one() {
    #[derive(Credentials)]
    struct Creds {
        api_key: SecretString,
        #[credential(default = 8080)]
        port: u16,
    }
    let map = |pairs: &[(&str, &str)]| {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Recording(vars.collect(), Default::default())
    };
    let plain = map(&[("API_KEY", "k-1")]);
    Creds::from_source(&plain).unwrap();
    assert_eq!(*plain.1.borrow(), ["API_KEY", "PORT"]);

    // One name ending in `_FILE` anywhere, and every variable's is asked.
    let file = temp("a-source-without-file-vars").join("key");
    std::fs::write(&file, "k-2\n").unwrap();
    let with_file = map(&[("API_KEY_FILE", file.to_str().unwrap())]);
    let creds = Creds::from_source(&with_file).unwrap();
    assert_eq!(creds.api_key.expose_secret(), "k-2");
    assert_eq!(
        *with_file.1.borrow(),
        ["API_KEY", "API_KEY_FILE", "PORT", "PORT_FILE"]
    );
    // Both set is still an error, whatever the source.
    let both = map(&[("API_KEY", "k-1"), ("API_KEY_FILE", file.to_str().unwrap())]);
    let err = Creds::from_source(&both).unwrap_err();
    assert!(
        err.to_string()
            .contains("both API_KEY and API_KEY_FILE are set")
    );
}

/// A map read through its text (the fast path) and through `get` alone
/// (a wrapper that forwards nothing else) loads the same: values, origins,
/// warnings and every problem's words, with profiles and placeholders.
#[test]
fn a_map_loads_the_same_through_its_text_and_through_get() {
    #[derive(Credentials)]
    #[credentials(profiles(
        select = "APP_ENV",
        default = "dev",
        dev(non_production),
        prod(prefix = "PROD_")
    ))]
    struct Creds {
        api_key: SecretString,
        #[credential(default = 8080)]
        port: u16,
        region: Option<String>,
        #[credential(allow_empty)]
        suffix: String,
        debug: Option<bool>,
    }
    struct GetOnly<'a>(&'a HashMap<String, String>);
    impl Source for GetOnly<'_> {
        fn get(&self, name: &str) -> Option<Value<'_>> {
            Source::get(self.0, name)
        }
    }
    let cases: [&[(&str, &str)]; 5] = [
        &[
            ("API_KEY", "k-3"),
            ("REGION", "vault:/not-quite"),
            ("SUFFIX", "op://v/i"),
        ],
        &[
            ("API_KEY", "k-1"),
            ("PORT", "9000"),
            ("SUFFIX", ""),
            ("REGION", ""),
        ],
        &[
            ("API_KEY", "${API_KEY}"),
            ("PORT", "http"),
            ("DEBUG", "maybe"),
        ],
        &[
            ("APP_ENV", "prod"),
            ("PROD_API_KEY", "k-2"),
            ("PROD_SUFFIX", "-p"),
            ("API_KEY", "x"),
        ],
        &[("APP_ENV", "prod"), ("PROD_PORT", "<PROD_PORT>")],
    ];
    for case in cases {
        let map: HashMap<String, String> = case
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let seen = |loaded: Result<credenv::Loaded<Creds>, credenv::Error>| match loaded {
            Ok(loaded) => format!(
                "{loaded:?} {:?} {:?}",
                loaded
                    .origins()
                    .map(|(spec, origin)| (spec.name(), origin.clone()))
                    .collect::<Vec<_>>(),
                loaded
                    .warnings()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
            Err(error) => error.to_string(),
        };
        assert_eq!(
            seen(Creds::load(&map)),
            seen(Creds::load(&GetOnly(&map))),
            "{case:?}"
        );
    }
}
