//! Copies of a secret that credenv makes are zeroized before their memory is
//! freed. The proof is a global allocator that, while armed, scans every block
//! being freed for the canary: a copy that was dropped (or left behind by a
//! reallocation) without zeroizing is counted.
//!
//! Inputs are `&'static str` literals, so the test itself makes no heap copy
//! of the canary; every heap copy is credenv's (or secrecy's, which zeroizes
//! on drop). Each test runs the scenario in a child process, where nothing
//! else allocates concurrently and the environment can hold the canary.

#![allow(unsafe_code)] // the scanning allocator

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use credenv::{Credentials, Env, SecretBox, SecretString, Source, Value, Vars};

const CANARY: &[u8] = b"canary-91c4e2f8a7d3-zeroize";

struct Scanning;

static ARMED: AtomicBool = AtomicBool::new(false);
static LEAKED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; `dealloc` only reads
// the block it is about to free, which the caller still owns.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(CANARY.len()).any(|w| w == CANARY) {
                LEAKED.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

#[allow(dead_code)] // loaded only to be dropped
#[derive(Credentials)]
struct Creds {
    api_key: SecretString,
    slack: Option<SecretString>,
    pin: SecretBox<u64>,
    #[credential(split = ",")]
    keys: Vec<SecretString>,
}

/// Another profile's variable is only checked for presence.
#[allow(dead_code)]
#[derive(Credentials)]
#[credentials(profiles(
    select = "ZEROIZE_PROFILE",
    dev(prefix = "DEV_", non_production),
    prod(prefix = "PROD_")
))]
struct Profiled {
    token: Option<SecretString>,
}

/// A reference, which makes the load read the resolvers' settings.
#[allow(dead_code)]
#[derive(Credentials)]
struct Referenced {
    webhook: Option<String>,
}

/// Runs `scenario` armed and returns how many freed blocks held the canary.
fn leaks(scenario: impl FnOnce()) -> usize {
    LEAKED.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    scenario();
    ARMED.store(false, Ordering::SeqCst);
    LEAKED.load(Ordering::SeqCst)
}

fn canary() -> &'static str {
    std::str::from_utf8(CANARY).unwrap()
}

/// The scenarios, each run by the child process the test starts.
fn scenario(name: &str) -> usize {
    let dir = std::env::temp_dir().join(format!("credenv-zeroize-{}", std::process::id()));
    match name {
        "map" => leaks(|| {
            let vars = [
                ("API_KEY", canary()),
                ("SLACK", canary()),
                ("PIN", "7"),
                ("KEYS", canary()),
            ];
            let creds = Creds::from_source(&vars).unwrap();
            drop(creds);
        }),
        "file" => {
            std::fs::create_dir_all(&dir).unwrap();
            // Large enough that a growing buffer would have reallocated.
            let big = [canary(); 300].join(",");
            std::fs::write(dir.join("key"), format!("{}\n", canary())).unwrap();
            std::fs::write(dir.join("keys"), &big).unwrap();
            let key = dir.join("key").to_str().unwrap().to_owned();
            let keys = dir.join("keys").to_str().unwrap().to_owned();
            leaks(|| {
                let vars = [
                    ("API_KEY_FILE", key.as_str()),
                    ("PIN", "7"),
                    ("KEYS_FILE", keys.as_str()),
                ];
                let creds = Creds::from_source(&vars).unwrap();
                drop(creds);
            })
        }
        "vars" => leaks(|| {
            let mut vars: Vars = [("API_KEY", canary()), ("PIN", "7"), ("KEYS", "a")]
                .into_iter()
                .collect();
            vars.insert("API_KEY", "replaced");
            vars.insert("SLACK", canary());
            drop(Creds::from_source(&vars).unwrap());
        }),
        "env_small" | "env_padded" | "env_large" => leaks(|| drop(Creds::from_env().unwrap())),
        "env_lookups" => leaks(|| drop(Creds::load(&LookupsOnly).unwrap())),
        "error" => leaks(|| {
            // Invalid secrets: the error holds no copy, and none is left behind.
            let vars = [("API_KEY", canary()), ("PIN", canary()), ("KEYS", canary())];
            drop(Creds::from_source(&vars).unwrap_err());
        }),
        // Review item 7: a presence check drops the value it looked up.
        "presence" => leaks(|| drop(Profiled::load(&Env).unwrap())),
        // The resolvers' settings (VAULT_TOKEN) are copied, then dropped.
        "settings" => leaks(|| {
            let vars = (Env, [("WEBHOOK", "vault://secret/app#key")]);
            drop(Referenced::load(&vars).unwrap_err());
        }),
        // The token file, with an escaped token (serde_json would unescape
        // it through a scratch buffer).
        "token_file" => {
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("tokens.json");
            let json = format!(
                r#"{{"access_token": "\"{0}", "refresh_token": "{0}\n", "expires_at": null}}"#,
                canary()
            );
            std::fs::write(&path, json).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            let url = credenv::Url::parse("http://127.0.0.1:9/token").unwrap();
            leaks(|| {
                let manager = credenv::oauth::TokenManager::builder("id", url)
                    .token_file(&path)
                    .build()
                    .unwrap();
                drop(manager);
            })
        }
        // Without zeroizing, the same copy is caught.
        "control" => leaks(|| drop(String::from(canary()))),
        other => panic!("unknown scenario {other}"),
    }
}

/// Runs `name` in a child process (this test binary, re-entered through the
/// `child` test) and returns its count.
fn run_in_child(name: &str) -> usize {
    let mut command = Command::new(std::env::current_exe().unwrap());
    // A load reads the environment in one pass that copies the variables it
    // reads, in a small environment as in a large one.
    match name {
        "env_small" | "env_lookups" | "env_large" => drop(command.env_clear()),
        "env_padded" => drop(command.envs((0..1000).map(|i| (format!("PAD_{i}"), "x")))),
        _ => {}
    }
    command
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env("ZEROIZE_SCENARIO", name)
        .env("API_KEY", canary())
        .env("SLACK", canary())
        .env("PIN", "7")
        .env("PROD_TOKEN", canary())
        .env("VAULT_TOKEN", canary())
        .env("KEYS", format!("{0},{0}", canary()));
    if name == "env_large" {
        // Values beyond the pass's first chunk of copies, into later ones.
        command.env("SLACK", [canary(); 300].join(""));
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let count = stdout
        .split("leaked blocks: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next());
    count
        .unwrap_or_else(|| panic!("no count in {stdout}"))
        .parse()
        .unwrap()
}

#[test]
fn child() {
    if let Ok(name) = std::env::var("ZEROIZE_SCENARIO") {
        println!("leaked blocks: {}", scenario(&name));
    }
}

#[test]
fn the_scanner_sees_a_copy_that_is_not_zeroized() {
    assert_eq!(run_in_child("control"), 1);
}

#[test]
fn values_from_a_map_leave_no_copy() {
    assert_eq!(run_in_child("map"), 0);
}

#[test]
fn values_from_files_leave_no_copy() {
    assert_eq!(run_in_child("file"), 0);
}

#[test]
fn values_in_vars_leave_no_copy() {
    assert_eq!(run_in_child("vars"), 0);
}

/// A source of the program's own that reads the environment through
/// `Env::get`, one lookup a name, as a load does for a name it did not
/// announce (a resolver's setting).
struct LookupsOnly;

impl Source for LookupsOnly {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        Env.get(name)
    }
}

#[test]
fn the_process_environment_looked_up_leaves_no_copy() {
    assert_eq!(run_in_child("env_lookups"), 0);
}

#[test]
fn the_process_environment_read_in_one_pass_leaves_no_copy() {
    assert_eq!(run_in_child("env_small"), 0);
    assert_eq!(run_in_child("env_padded"), 0);
    assert_eq!(run_in_child("env_large"), 0);
}

#[test]
fn a_failed_load_leaves_no_copy() {
    assert_eq!(run_in_child("error"), 0);
}

#[test]
fn a_presence_check_leaves_no_copy() {
    assert_eq!(run_in_child("presence"), 0);
}

#[test]
fn the_resolvers_settings_leave_no_copy() {
    assert_eq!(run_in_child("settings"), 0);
}

#[test]
fn the_token_file_leaves_no_copy() {
    assert_eq!(run_in_child("token_file"), 0);
}
