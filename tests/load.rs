//! Behaviour of generated loaders: names, requiredness, types, attributes,
//! and the one error that lists every problem.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use credenv::{
    Credentials, Error, ExposeSecret, FromValue, Origin, SecretBox, SecretString, Source, Value,
    ValueError, Vars,
};

fn problems(err: &Error) -> (Vec<&str>, Vec<(&str, &str)>) {
    (
        err.missing().map(|m| m.var()).collect(),
        err.invalid().map(|i| (i.var(), i.reason())).collect(),
    )
}

#[derive(Credentials)]
struct Creds {
    /// GitHub Personal Access Token
    github_token: SecretString,
    /// OpenAI API Key
    #[credential(env = "OPENAI_API_KEY")]
    openai_key: SecretString,
    /// Postgres connection string
    #[credential(secret)]
    database_url: String,
    /// Slack Bot Token (for notifications)
    slack_bot_token: Option<SecretString>,
    /// Port of the upstream API
    #[credential(default = 8080)]
    port: u16,
}

const ALL_SET: [(&str, &str); 3] = [
    ("GITHUB_TOKEN", "ghp-1"),
    ("OPENAI_API_KEY", "sk-1"),
    ("DATABASE_URL", "postgres://localhost/db"),
];

#[test]
fn loads_every_field_with_defaults_and_optionals() {
    let creds = Creds::from_source(&ALL_SET).unwrap();
    assert_eq!(creds.github_token.expose_secret(), "ghp-1");
    assert_eq!(creds.openai_key.expose_secret(), "sk-1");
    assert_eq!(creds.database_url, "postgres://localhost/db");
    assert!(creds.slack_bot_token.is_none());
    assert_eq!(creds.port, 8080);
}

#[test]
fn the_error_lists_every_problem_missing_first_in_declaration_order() {
    let err = Creds::from_source(&[("PORT", "abc"), ("OPENAI_API_KEY", "sk-1")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing required variables:\n  \
         - GITHUB_TOKEN: GitHub Personal Access Token\n  \
         - DATABASE_URL: Postgres connection string\n\
         invalid variables:\n  \
         - PORT: expected u16: invalid digit found in string (got \"abc\")"
    );
    let missing: Vec<_> = err.missing().map(|m| (m.var(), m.description())).collect();
    assert_eq!(
        missing,
        [
            ("GITHUB_TOKEN", "GitHub Personal Access Token"),
            ("DATABASE_URL", "Postgres connection string")
        ]
    );
    assert_eq!(err.invalid().len(), 1);
    let invalid = err.invalid().next().unwrap();
    assert_eq!(invalid.description(), "Port of the upstream API");
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn only_invalid_problems_print_only_that_section() {
    let err =
        Creds::from_source(&[ALL_SET[0], ALL_SET[1], ALL_SET[2], ("PORT", "70000")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid variables:\n  - PORT: expected u16: number too large to fit in target type (got \"70000\")"
    );
}

#[test]
fn empty_counts_as_unset() {
    let err = Creds::from_source(&[("GITHUB_TOKEN", ""), ALL_SET[1], ALL_SET[2]]).unwrap_err();
    assert_eq!(problems(&err), (vec!["GITHUB_TOKEN"], vec![]));
    let loaded = Creds::load(&[
        ALL_SET[0],
        ALL_SET[1],
        ALL_SET[2],
        ("SLACK_BOT_TOKEN", ""),
        ("PORT", ""),
    ])
    .unwrap();
    assert!(loaded.slack_bot_token.is_none());
    assert_eq!(loaded.port, 8080, "an empty value takes the default");
    assert_eq!(loaded.origin("PORT"), Some(&Origin::Default));
}

#[test]
fn unset_optionals_are_warnings_returned_as_data() {
    let loaded = Creds::load(&ALL_SET).unwrap();
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["optional SLACK_BOT_TOKEN is not set: Slack Bot Token (for notifications)"]
    );
    assert_eq!(loaded.warnings()[0].var(), "SLACK_BOT_TOKEN");
    assert_eq!(
        loaded.warnings()[0].description(),
        "Slack Bot Token (for notifications)"
    );

    let loaded = Creds::load(&[
        ALL_SET[0],
        ALL_SET[1],
        ALL_SET[2],
        ("SLACK_BOT_TOKEN", "xoxb"),
    ])
    .unwrap();
    assert!(loaded.warnings().is_empty());
    assert_eq!(
        loaded.slack_bot_token.as_ref().unwrap().expose_secret(),
        "xoxb"
    );
}

#[test]
fn loaded_reports_the_origin_of_every_variable() {
    let loaded = Creds::load(&ALL_SET).unwrap();
    let origins: Vec<(String, String)> = loaded
        .origins()
        .map(|(spec, origin)| (spec.name().to_owned(), origin.to_string()))
        .collect();
    assert_eq!(
        origins,
        [
            ("GITHUB_TOKEN".into(), "environment".into()),
            ("OPENAI_API_KEY".into(), "environment".into()),
            ("DATABASE_URL".into(), "environment".into()),
            ("SLACK_BOT_TOKEN".into(), "unset".into()),
            ("PORT".into(), "default".into()),
        ]
    );
    assert_eq!(loaded.origin("NOT_A_FIELD"), None);
    let creds: Creds = loaded.into_inner();
    assert_eq!(creds.port, 8080);
}

#[test]
fn debug_shows_values_and_redacts_secrets() {
    let creds = Creds::from_source(&[ALL_SET[0], ALL_SET[1], ALL_SET[2], ("SLACK_BOT_TOKEN", "x")])
        .unwrap();
    assert_eq!(
        format!("{creds:?}"),
        "Creds { github_token: [REDACTED], openai_key: [REDACTED], database_url: [REDACTED], \
         slack_bot_token: Some([REDACTED]), port: 8080 }"
    );
}

#[test]
fn vars_describe_each_variable_in_declaration_order() {
    let vars = Creds::vars();
    let names: Vec<_> = vars.iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        [
            "GITHUB_TOKEN",
            "OPENAI_API_KEY",
            "DATABASE_URL",
            "SLACK_BOT_TOKEN",
            "PORT"
        ]
    );
    let required: Vec<_> = vars.iter().map(|v| v.required()).collect();
    assert_eq!(required, [true, true, true, false, false]);
    let secret: Vec<_> = vars.iter().map(|v| v.secret()).collect();
    assert_eq!(secret, [true, true, true, true, false]);
    assert_eq!(vars[4].default(), Some("8080"));
    assert_eq!(vars[4].type_name(), "u16");
    assert_eq!(vars[0].file_name(), "GITHUB_TOKEN_FILE");
    assert_eq!(vars[3].description(), "Slack Bot Token (for notifications)");
    // The trait's and the inherent functions agree.
    assert_eq!(<Creds as Credentials>::vars(), vars);
}

#[test]
fn every_source_kind_loads() {
    let hash: HashMap<String, String> = ALL_SET
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let btree: BTreeMap<String, String> = hash.clone().into_iter().collect();
    let vars: Vars = ALL_SET.into_iter().collect();
    let pairs: Vec<(String, String)> = hash.clone().into_iter().collect();
    let boxed: Box<dyn Source> = Box::new(hash.clone());
    for source in [
        &hash as &dyn Source,
        &btree,
        &vars,
        &pairs,
        &ALL_SET,
        &boxed,
    ] {
        assert_eq!(Creds::from_source(&source).unwrap().port, 8080);
    }
    assert_eq!(Creds::from_source(&ALL_SET[..]).unwrap().port, 8080);
}

#[test]
fn a_later_pair_wins_in_a_list_of_pairs() {
    let creds = Creds::from_source(&[
        ALL_SET[0],
        ALL_SET[1],
        ALL_SET[2],
        ("PORT", "1"),
        ("PORT", "2"),
    ])
    .unwrap();
    assert_eq!(creds.port, 2);
}

#[derive(Credentials)]
#[credentials(prefix = "APP_")]
#[allow(non_snake_case)]
struct Prefixed {
    api_key: String,
    #[credential(env = "EXACT_NAME")]
    exact: String,
    r#type: Option<String>,
    camelCase: Option<String>,
}

#[test]
fn the_prefix_applies_to_derived_names_only() {
    let names: Vec<_> = Prefixed::vars().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        ["APP_API_KEY", "EXACT_NAME", "APP_TYPE", "APP_CAMEL_CASE"]
    );
    let p = Prefixed::from_source(&[("APP_API_KEY", "a"), ("EXACT_NAME", "b"), ("APP_TYPE", "c")])
        .unwrap();
    assert_eq!(
        (p.api_key.as_str(), p.exact.as_str(), p.r#type.as_deref()),
        ("a", "b", Some("c"))
    );
    assert_eq!(
        format!("{p:?}"),
        r#"Prefixed { api_key: "a", exact: "b", type: Some("c"), camelCase: None }"#
    );
}

/// A type with `FromStr` only.
#[derive(Debug, PartialEq)]
struct Region(String);

impl std::str::FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "eu" | "us" => Ok(Region(s.to_owned())),
            _ => Err("unknown region, use eu or us".to_owned()),
        }
    }
}

/// A type with both: `FromValue` wins.
#[derive(Debug, PartialEq)]
struct Level(u8);

impl std::str::FromStr for Level {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Level)
    }
}

impl FromValue for Level {
    fn from_value(text: &str) -> Result<Self, ValueError> {
        match text {
            "low" => Ok(Level(1)),
            "high" => Ok(Level(9)),
            _ => Err(ValueError::new("use low or high")),
        }
    }
}

fn parse_hex(text: &str) -> Result<u32, std::num::ParseIntError> {
    u32::from_str_radix(text.trim_start_matches("0x"), 16)
}

fn at_least_two(items: &[String]) -> Result<(), String> {
    if items.len() >= 2 {
        Ok(())
    } else {
        Err(format!("need two scopes, got {}", items.len()))
    }
}

#[derive(Credentials)]
struct Typed {
    debug: bool,
    timeout: Duration,
    ratio: f64,
    path: PathBuf,
    addr: SocketAddr,
    url: credenv::Url,
    region: Region,
    level: Level,
    #[credential(parse_with = parse_hex)]
    mask: u32,
    #[credential(split = ",")]
    ports: Vec<u16>,
    #[credential(split = " ", validate = at_least_two)]
    scopes: Vec<String>,
    #[credential(split = ";")]
    hosts: Option<Vec<String>>,
    #[credential(default = "30s")]
    grace: Duration,
    #[credential(default = -5)]
    offset: i32,
    #[credential(default = 0.5)]
    share: f32,
    #[credential(default = true)]
    verbose: bool,
    #[credential(default = 'x')]
    marker: char,
    #[credential(default = "https://api.example.com/")]
    base: url::Url,
    #[credential(default = "a, b")]
    tags: LooseList,
    pin: SecretBox<u64>,
}

/// Any FromStr type, including one parsing lists its own way.
#[derive(Debug)]
struct LooseList(Vec<String>);

impl std::str::FromStr for LooseList {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(LooseList(
            s.split(',').map(|x| x.trim().to_owned()).collect(),
        ))
    }
}

const TYPED: [(&str, &str); 13] = [
    ("DEBUG", "Yes"),
    ("TIMEOUT", "1m 30s"),
    ("RATIO", "0.25"),
    ("PATH", "/etc/app"),
    ("ADDR", "127.0.0.1:9000"),
    ("URL", "https://example.com/v1"),
    ("REGION", "eu"),
    ("LEVEL", "high"),
    ("MASK", "0xff"),
    ("PORTS", "80, 443,,8080,"),
    ("SCOPES", "read  write"),
    ("PIN", "1234"),
    ("HOSTS", "a;b"),
];

#[test]
fn typed_fields_parse() {
    let t = Typed::from_source(&TYPED).unwrap();
    assert!(t.debug);
    assert_eq!(t.timeout, Duration::from_secs(90));
    assert_eq!(t.ratio, 0.25);
    assert_eq!(t.path, PathBuf::from("/etc/app"));
    assert_eq!(t.addr, "127.0.0.1:9000".parse().unwrap());
    assert_eq!(t.url.as_str(), "https://example.com/v1");
    assert_eq!(t.region, Region("eu".into()));
    assert_eq!(t.level, Level(9), "FromValue wins over FromStr");
    assert_eq!(t.mask, 255);
    assert_eq!(
        t.ports,
        [80, 443, 8080],
        "items trimmed, empty items skipped"
    );
    assert_eq!(t.scopes, ["read", "write"]);
    assert_eq!(
        t.hosts.as_deref(),
        Some(&["a".to_string(), "b".to_string()][..])
    );
    assert_eq!(t.grace, Duration::from_secs(30));
    assert_eq!(t.offset, -5);
    assert_eq!(t.share, 0.5);
    assert!(t.verbose);
    assert_eq!(t.marker, 'x');
    assert_eq!(t.base.as_str(), "https://api.example.com/");
    assert_eq!(t.tags.0, ["a", "b"]);
    assert_eq!(*t.pin.expose_secret(), 1234);
    assert_eq!(Typed::vars()[9].separator(), Some(","));
    assert_eq!(Typed::vars()[9].type_name(), "u16");
}

#[test]
fn each_invalid_value_names_the_variable_and_the_expected_type() {
    let bad: [(&str, &str); 13] = [
        ("DEBUG", "maybe"),
        ("TIMEOUT", "30"),
        ("RATIO", "half"),
        ("PATH", "/ok"),
        ("ADDR", "localhost"),
        ("URL", "/relative"),
        ("REGION", "mars"),
        ("LEVEL", "7"),
        ("MASK", "zz"),
        ("PORTS", "80,http"),
        ("SCOPES", "read"),
        ("PIN", "12ab"),
        ("HOSTS", "a"),
    ];
    let err = Typed::from_source(&bad).unwrap_err();
    let (missing, invalid) = problems(&err);
    assert!(missing.is_empty());
    let expected = [
        (
            "DEBUG",
            "expected bool: use true/false, 1/0, yes/no or on/off (got \"maybe\")",
        ),
        (
            "TIMEOUT",
            "expected Duration: time unit needed, for example 30sec or 30ms; write a duration such as 30s, 5m or 250ms (got \"30\")",
        ),
        (
            "RATIO",
            "expected f64: invalid float literal (got \"half\")",
        ),
        (
            "ADDR",
            "expected SocketAddr: invalid socket address syntax (got \"localhost\")",
        ),
        (
            "URL",
            "expected credenv::Url: relative URL without a base; write an absolute URL such as https://api.example.com (got \"/relative\")",
        ),
        (
            "REGION",
            "expected Region: unknown region, use eu or us (got \"mars\")",
        ),
        ("LEVEL", "expected Level: use low or high (got \"7\")"),
        (
            "MASK",
            "expected u32: invalid digit found in string (got \"zz\")",
        ),
        (
            "PORTS",
            "expected a \",\"-separated list of u16: item 2: invalid digit found in string (got \"http\")",
        ),
        (
            "SCOPES",
            "rejected by its validator: need two scopes, got 1",
        ),
        ("PIN", "expected SecretBox<u64> (value hidden: secret)"),
    ];
    assert_eq!(invalid, expected);
}

#[test]
fn a_bad_default_is_reported_as_a_bad_default() {
    // A type the runtime parses itself has its default checked at compile
    // time (tests/ui/fail/default_does_not_parse.rs); another's is checked
    // at load time.
    #[derive(Debug)]
    struct Level;
    impl std::str::FromStr for Level {
        type Err = String;
        fn from_str(s: &str) -> Result<Self, String> {
            Err(format!("no level {s}"))
        }
    }
    #[derive(Credentials)]
    struct BadDefault {
        #[credential(default = "soon")]
        level: Level,
    }
    let err = BadDefault::from_source(&[("X", "")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid defaults: fix the attributes:\n  - LEVEL: expected Level: no level soon (got \"soon\")"
    );
    assert_eq!(
        err.invalid().next().unwrap().origin(),
        Some(&credenv::Origin::Default)
    );
}

#[test]
fn allow_empty_keeps_an_empty_value() {
    #[derive(Credentials)]
    struct Empty {
        #[credential(allow_empty)]
        suffix: String,
        #[credential(allow_empty)]
        note: Option<String>,
        #[credential(allow_empty, split = ",")]
        list: Vec<String>,
    }
    let e = Empty::from_source(&[("SUFFIX", ""), ("NOTE", ""), ("LIST", "")]).unwrap();
    assert_eq!(
        (e.suffix.as_str(), e.note.as_deref(), e.list.len()),
        ("", Some(""), 0)
    );
    let err = Empty::from_source(&[("NOTE", "")]).unwrap_err();
    assert_eq!(
        problems(&err).0,
        ["SUFFIX", "LIST"],
        "unset is still missing"
    );
}

fn starts_with_sk(key: &SecretString) -> Result<(), &'static str> {
    if key.expose_secret().starts_with("sk-") {
        Ok(())
    } else {
        Err("must start with sk-")
    }
}

fn port_in_range(port: &u16) -> Result<(), String> {
    if *port >= 1024 {
        Ok(())
    } else {
        Err(format!("{port} is a privileged port"))
    }
}

#[derive(Credentials)]
struct Validated {
    #[credential(validate = starts_with_sk)]
    api_key: SecretString,
    #[credential(validate = port_in_range, default = 8080)]
    port: u16,
    #[credential(validate = port_in_range)]
    admin_port: Option<u16>,
}

#[test]
fn validators_run_after_parsing_and_report_their_message() {
    let v = Validated::from_source(&[("API_KEY", "sk-1"), ("ADMIN_PORT", "9000")]).unwrap();
    assert_eq!((v.port, v.admin_port), (8080, Some(9000)));
    let err = Validated::from_source(&[("API_KEY", "pk-1"), ("PORT", "80"), ("ADMIN_PORT", "22")])
        .unwrap_err();
    assert_eq!(
        problems(&err).1,
        [
            (
                "API_KEY",
                "rejected by its validator (message hidden: secret)"
            ),
            ("PORT", "rejected by its validator: 80 is a privileged port"),
            (
                "ADMIN_PORT",
                "rejected by its validator: 22 is a privileged port"
            ),
        ]
    );
}

mod nested {
    use super::*;

    /// Database credentials, reusable under several prefixes.
    #[derive(Credentials)]
    #[credentials(prefix = "DB_")]
    pub(crate) struct Db {
        /// Database host
        pub(crate) host: String,
        /// Database password
        pub(crate) password: SecretString,
    }

    #[derive(Credentials)]
    #[credentials(prefix = "APP_")]
    pub(crate) struct App {
        /// API key
        pub(crate) api_key: SecretString,
        #[credential(flatten)]
        pub(crate) primary: Db,
        #[credential(flatten, prefix = "REPLICA_")]
        pub(crate) replica: Db,
        pub(crate) region: Option<String>,
    }
}

#[test]
fn flattened_structs_read_their_names_under_the_prefixes() {
    use nested::App;
    let names: Vec<_> = App::vars().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        [
            "APP_API_KEY",
            "APP_DB_HOST",
            "APP_DB_PASSWORD",
            "APP_REPLICA_DB_HOST",
            "APP_REPLICA_DB_PASSWORD",
            "APP_REGION"
        ]
    );
    assert_eq!(App::vars()[1].description(), "Database host");
    assert_eq!(App::vars()[4].file_name(), "APP_REPLICA_DB_PASSWORD_FILE");
    let vars = [
        ("APP_API_KEY", "k"),
        ("APP_DB_HOST", "db1"),
        ("APP_DB_PASSWORD", "p1"),
        ("APP_REPLICA_DB_HOST", "db2"),
        ("APP_REPLICA_DB_PASSWORD", "p2"),
    ];
    let loaded = App::load(&vars).unwrap();
    assert_eq!(loaded.primary.host, "db1");
    assert_eq!(loaded.replica.password.expose_secret(), "p2");
    assert_eq!(loaded.warnings()[0].var(), "APP_REGION");
    assert_eq!(
        format!("{:?}", *loaded),
        "App { api_key: [REDACTED], primary: Db { host: \"db1\", password: [REDACTED] }, \
         replica: Db { host: \"db2\", password: [REDACTED] }, region: None }"
    );
    let err = App::from_source(&[("APP_DB_HOST", "db1")]).unwrap_err();
    assert_eq!(
        problems(&err).0,
        [
            "APP_API_KEY",
            "APP_DB_PASSWORD",
            "APP_REPLICA_DB_HOST",
            "APP_REPLICA_DB_PASSWORD"
        ]
    );
}

#[test]
#[should_panic(expected = "in Clash, DB_HOST is read for both DB_HOST and DB_HOST")]
fn two_fields_reading_one_variable_through_flatten_panic_at_first_use() {
    #[derive(Credentials)]
    struct Clash {
        #[credential(env = "DB_HOST")]
        _host: String,
        #[credential(flatten)]
        _db: nested::Db,
    }
    let _ = Clash::vars();
}

/// A source that answers with a non-UTF-8 value, as the process environment
/// can on Unix.
struct Raw;

impl Source for Raw {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "GITHUB_TOKEN" | "DATABASE_URL_FILE" => Some(Value::not_unicode()),
            "OPENAI_API_KEY" => Some(Value::new("sk")),
            _ => None,
        }
    }
}

#[test]
fn non_utf8_values_are_invalid_never_converted() {
    let err = Creds::from_source(&Raw).unwrap_err();
    assert_eq!(
        problems(&err).1,
        [
            ("GITHUB_TOKEN", "not valid UTF-8"),
            ("DATABASE_URL", "DATABASE_URL_FILE is not valid UTF-8")
        ]
    );
}

mod file {
    use super::*;

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("credenv-test-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(name: &str, contents: &[u8]) -> String {
        let path = dir().join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }

    #[test]
    fn name_file_supplies_the_value_trimmed_of_its_newline() {
        let token = write("token", b"ghp-from-file\n");
        let port = write("port", b"9000\r\n");
        let loaded = Creds::load(&[
            ("GITHUB_TOKEN_FILE", token.as_str()),
            ("OPENAI_API_KEY", "sk-1"),
            ("DATABASE_URL", "pg"),
            ("PORT_FILE", &port),
        ])
        .unwrap();
        assert_eq!(loaded.github_token.expose_secret(), "ghp-from-file");
        assert_eq!(loaded.port, 9000);
        assert_eq!(
            loaded.origin("GITHUB_TOKEN"),
            Some(&Origin::File(token.into()))
        );
    }

    #[test]
    fn file_faults_are_invalid_variables_naming_the_path_never_the_contents() {
        let big = write("big", &vec![b'z'; 64 * 1024 + 1]);
        let empty = write("empty", b"");
        let binary = write("binary", b"canary-\xff");
        let token = write("both", b"x");
        let err = Creds::from_source(&[
            ("GITHUB_TOKEN", "set"),
            ("GITHUB_TOKEN_FILE", token.as_str()),
            ("OPENAI_API_KEY_FILE", "/nonexistent/credenv/key"),
            ("DATABASE_URL_FILE", &big),
            ("SLACK_BOT_TOKEN_FILE", &binary),
            ("PORT_FILE", &empty),
        ])
        .unwrap_err();
        let report = err.to_string();
        assert!(
            !report.contains("canary") && !report.contains("zzzz"),
            "{report}"
        );
        assert_eq!(
            problems(&err).1,
            [
                (
                    "GITHUB_TOKEN",
                    "both GITHUB_TOKEN and GITHUB_TOKEN_FILE are set; set only one"
                ),
                (
                    "OPENAI_API_KEY",
                    "OPENAI_API_KEY_FILE: cannot read /nonexistent/credenv/key: No such file or directory (os error 2)"
                ),
                (
                    "DATABASE_URL",
                    &*format!("DATABASE_URL_FILE: {big} is larger than 64 KiB")
                ),
                (
                    "SLACK_BOT_TOKEN",
                    &*format!("SLACK_BOT_TOKEN_FILE: {binary} is not valid UTF-8")
                ),
                ("PORT", &*format!("PORT_FILE: {empty} is empty")),
            ]
        );
    }

    #[test]
    fn a_directory_is_an_unreadable_file() {
        let dir = dir();
        let err = Creds::from_source(&[
            ("GITHUB_TOKEN_FILE", dir.to_str().unwrap()),
            ("OPENAI_API_KEY", "sk"),
            ("DATABASE_URL", "pg"),
        ])
        .unwrap_err();
        let reason = err.invalid().next().unwrap().reason();
        assert!(
            reason.starts_with("GITHUB_TOKEN_FILE: cannot read "),
            "{reason}"
        );
    }

    #[test]
    fn an_empty_direct_value_gives_way_to_the_file() {
        let token = write("token2", b"from-file");
        let creds = Creds::from_source(&[
            ("GITHUB_TOKEN", ""),
            ("GITHUB_TOKEN_FILE", token.as_str()),
            ("OPENAI_API_KEY", "sk"),
            ("DATABASE_URL", "pg"),
        ])
        .unwrap();
        assert_eq!(creds.github_token.expose_secret(), "from-file");
    }
}

#[test]
fn the_trait_works_in_generic_code() {
    fn names<T: Credentials>() -> Vec<String> {
        T::vars().iter().map(|v| v.name().to_owned()).collect()
    }
    fn load<T: Credentials>(vars: &[(&str, &str)]) -> Result<T, Error> {
        T::from_source(vars)
    }
    assert_eq!(names::<Creds>().len(), 5);
    assert_eq!(load::<Creds>(&ALL_SET).unwrap().port, 8080);
}
