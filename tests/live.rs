//! Live credentials: a handle that reloads when its files change, on an
//! interval or on demand, and keeps the last good load when a reload fails.
//! The file layouts are the real ones: the kubelet's Secret volume (key
//! links into `..data`, swapped by one rename), Docker's replacement by
//! rename, a file written in place.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use credenv::live::ReloadError;
use credenv::{
    Credentials, DotEnv, ExposeSecret, Live, Loaded, SecretString, SecretsDir, Source, Value, Watch,
};

#[path = "support/common.rs"]
mod common;
#[path = "support/servers.rs"]
mod servers;
use common::kubelet_publish;

const OLD: &str = "canary-live-old-4f1e";
const NEW: &str = "canary-live-new-9b2c";

#[derive(Credentials)]
struct Creds {
    /// API token
    api_token: SecretString,
    #[credential(default = 8080)]
    port: u16,
}

fn temp(name: &str) -> PathBuf {
    common::fresh_dir("live", name)
}

fn file_var(path: &Path) -> HashMap<String, String> {
    HashMap::from([("API_TOKEN_FILE".to_owned(), path.display().to_string())])
}

fn token(live: &Live<Creds>) -> String {
    live.current().api_token.expose_secret().to_owned()
}

/// Waits (at most 5 s: the README's promise) until `done`.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not within 5 s: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// No output of the handle holds either value.
fn assert_no_secret(live: &Live<Creds>) {
    let status = live.status();
    let shown = format!(
        "{live:?} {status:?} {}",
        status
            .last_error()
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    for canary in [OLD, NEW] {
        assert!(!shown.contains(canary), "{shown}");
    }
}

#[test]
fn the_kubelets_atomic_swap_is_seen_through_a_file_var_and_a_secrets_dir() {
    let mount = temp("kubelet");
    kubelet_publish(&mount, "2026_12_03_01_00_00.1", &[("api_token", OLD)]);
    let through_file = Creds::watch(file_var(&mount.join("api_token"))).unwrap();
    let through_dir = Creds::watch(SecretsDir::new(&mount)).unwrap();
    assert_eq!(token(&through_file), OLD);
    assert_eq!(token(&through_dir), OLD);

    kubelet_publish(&mount, "2026_12_03_01_05_00.2", &[("api_token", NEW)]);
    eventually("the file var sees the new token", || {
        token(&through_file) == NEW
    });
    eventually("the secrets dir sees the new token", || {
        token(&through_dir) == NEW
    });
    assert_eq!(through_file.status().generation(), 2);
    assert_no_secret(&through_file);
}

#[test]
fn a_file_replaced_by_rename_or_written_in_place_is_reloaded_once_complete() {
    let dir = temp("replace");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live = Creds::watch(file_var(&path)).unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    live.on_change(move |loaded: &Loaded<Creds>| {
        record
            .lock()
            .unwrap()
            .push(loaded.api_token.expose_secret().to_owned());
    });

    // Docker's way: a new file renamed over the old.
    let next = dir.join(".api_token.new");
    std::fs::write(&next, NEW).unwrap();
    std::fs::rename(&next, &path).unwrap();
    eventually("the renamed file is loaded", || token(&live) == NEW);

    // In place: truncated, then written in two parts. An empty file is a
    // missing variable, never loaded; the whole token is.
    use std::io::Write;
    let mut file = std::fs::File::create(&path).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    file.write_all(b"canary-live-").unwrap();
    file.flush().unwrap();
    std::thread::sleep(Duration::from_millis(30));
    file.write_all(b"third-77aa\n").unwrap();
    drop(file);
    eventually("the rewritten file is loaded", || {
        token(&live) == "canary-live-third-77aa"
    });
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().all(|t| !t.is_empty()), "{seen:?}");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("canary-live-third-77aa")
    );
}

#[test]
fn a_failed_reload_keeps_the_last_good_value_and_says_why() {
    let dir = temp("failure");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live = Creds::watch(file_var(&path)).unwrap();

    // Deleted: the variable's file is unreadable; the old token stays.
    std::fs::remove_file(&path).unwrap();
    eventually("the failure is recorded", || live.status().is_stale());
    assert_eq!(token(&live), OLD);
    let status = live.status();
    let error = status.last_error().unwrap();
    assert!(matches!(error, ReloadError::Load(_)), "{error:?}");
    assert!(error.to_string().contains("API_TOKEN"), "{error}");
    assert_eq!(status.generation(), 1);
    assert_no_secret(&live);

    // Back, with a new value: loaded, and no longer stale.
    std::fs::write(&path, NEW).unwrap();
    eventually("the file is back", || token(&live) == NEW);
    assert!(!live.status().is_stale());
}

#[test]
fn a_dotenv_file_is_read_again_and_an_invalid_value_is_not_swapped_in() {
    let dir = temp("dotenv");
    let path = dir.join(".env");
    std::fs::write(&path, format!("API_TOKEN={OLD}\nPORT=9000\n")).unwrap();
    let live = Creds::watch(DotEnv::load(&path).unwrap()).unwrap();
    assert_eq!(live.current().port, 9000);

    std::fs::write(&path, format!("API_TOKEN={NEW}\nPORT=not-a-port\n")).unwrap();
    // (A reload may also catch the file truncated, before it is written.)
    let refused = || {
        let status = live.status();
        status.is_stale()
            && status
                .last_error()
                .is_some_and(|e| e.to_string().contains("PORT"))
    };
    eventually("the invalid port is refused", refused);
    assert_eq!(token(&live), OLD);
    assert_no_secret(&live);

    std::fs::write(&path, format!("API_TOKEN={NEW}\nPORT=9001\n")).unwrap();
    eventually("the fixed file is loaded", || live.current().port == 9001);
    assert_eq!(token(&live), NEW);
}

#[test]
fn a_poll_stands_in_for_file_events() {
    let dir = temp("poll");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live: Live<Creds> = Watch::new()
        .poll(Duration::from_millis(100))
        .start(file_var(&path))
        .unwrap();
    std::fs::write(&path, NEW).unwrap();
    eventually("the poll sees the change", || token(&live) == NEW);
}

/// A source whose value changes with no file to watch, as a secret
/// manager's does: the interval is what finds it.
struct Counter(Arc<AtomicUsize>);

impl Source for Counter {
    fn get(&self, name: &str) -> Option<Value<'_>> {
        (name == "API_TOKEN").then(|| {
            let read = self.0.fetch_add(1, Ordering::SeqCst);
            Value::new(format!("token-{read}"))
        })
    }
}

#[test]
fn the_interval_reloads_a_source_without_files() {
    let reads = Arc::new(AtomicUsize::new(0));
    let live: Live<Creds> = Watch::new()
        .interval(Duration::from_secs(1))
        .start(Counter(Arc::clone(&reads)))
        .unwrap();
    assert_eq!(token(&live), "token-0");
    assert_eq!(live.status().interval(), Some(Duration::from_secs(1)));
    eventually("the interval reloads", || live.status().generation() >= 2);
    assert_ne!(token(&live), "token-0");
}

#[test]
fn a_reload_that_finds_nothing_new_keeps_the_generation_and_tells_nobody() {
    let dir = temp("unchanged");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live = Creds::watch(file_var(&path)).unwrap();
    let told = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&told);
    live.on_change(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    let first = live.status();
    // Read again, and written again with the same bytes: nothing new.
    assert_eq!(live.reload().unwrap(), 1);
    std::fs::write(&path, OLD).unwrap();
    assert_eq!(live.reload().unwrap(), 1);
    let status = live.status();
    assert_eq!(told.load(Ordering::SeqCst), 0);
    assert_eq!(status.loaded_at(), first.loaded_at());
    assert!(status.checked_at() >= first.checked_at());
    std::fs::write(&path, NEW).unwrap();
    assert_eq!(live.reload().unwrap(), 2);
    assert_eq!(told.load(Ordering::SeqCst), 1);
}

#[test]
fn the_refresh_interval_setting_is_checked() {
    let vars = |interval: &str| {
        HashMap::from([
            ("API_TOKEN".to_owned(), OLD.to_owned()),
            ("CREDENV_REFRESH_INTERVAL".to_owned(), interval.to_owned()),
        ])
    };
    let live = Creds::watch(vars("2m")).unwrap();
    assert_eq!(live.status().interval(), Some(Duration::from_secs(120)));
    let err = Creds::watch(vars("soon")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CREDENV_REFRESH_INTERVAL is not a duration (such as 5m)"
    );
    let err = Creds::watch(vars("10ms")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the refresh interval (CREDENV_REFRESH_INTERVAL) is under a second"
    );
    // Nothing fetched, nothing set: no interval, only file events.
    let live = Creds::watch(HashMap::from([("API_TOKEN".to_owned(), OLD.to_owned())])).unwrap();
    assert_eq!(live.status().interval(), None);
    // The first load's problems are the handle's error.
    let err = Creds::watch(HashMap::<String, String>::new()).unwrap_err();
    assert!(
        matches!(err, ReloadError::Load(_)) && err.to_string().contains("API_TOKEN"),
        "{err}"
    );
}

#[derive(Credentials)]
struct Pair {
    /// One half
    left: String,
    /// The other half
    right: String,
}

#[test]
fn readers_during_hundreds_of_swaps_see_whole_generations() {
    let dir = temp("torn");
    let path = dir.join(".env");
    std::fs::write(&path, "LEFT=0\nRIGHT=0\n").unwrap();
    let live: Live<Pair> = Watch::new().start(DotEnv::load(&path).unwrap()).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (live, stop) = (live.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut seen = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let now = live.current();
                    assert_eq!(now.left, now.right, "a torn generation");
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for n in 1..=300 {
        std::fs::write(&path, format!("LEFT={n}\nRIGHT={n}\n")).unwrap();
        live.reload().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
    assert_eq!(live.current().left, "300");
    // One generation a value, however often the watcher read it too.
    assert_eq!(live.status().generation(), 301);
}

#[tokio::test]
async fn changes_wake_an_async_task_and_end_with_the_handle() {
    let dir = temp("changes");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live = Creds::watch(file_var(&path)).unwrap();
    let mut changes = live.changes();
    std::fs::write(&path, NEW).unwrap();
    let next = tokio::time::timeout(Duration::from_secs(5), changes.next())
        .await
        .expect("a change within 5 s")
        .unwrap();
    assert_eq!(next.api_token.expose_secret(), NEW);
    drop(live);
    assert!(changes.next().await.is_none());
}

#[test]
fn a_new_vault_version_is_fetched_on_the_interval_and_a_manager_down_keeps_the_old() {
    let bao = servers::Bao::start();
    bao.put("apps/live", &[("token", OLD)]);
    let vars = HashMap::from([
        ("VAULT_ADDR".to_owned(), bao.server.address.clone()),
        ("VAULT_TOKEN".to_owned(), bao.token.to_owned()),
        (
            "API_TOKEN".to_owned(),
            "vault://secret/apps/live#token".to_owned(),
        ),
    ]);
    // A reference with no interval set: every five minutes.
    let by_default = Creds::watch(vars.clone()).unwrap();
    assert_eq!(
        by_default.status().interval(),
        Some(Duration::from_secs(300))
    );
    drop(by_default);

    let live: Live<Creds> = Watch::new()
        .interval(Duration::from_secs(1))
        .start(vars)
        .unwrap();
    assert_eq!(token(&live), OLD);
    bao.put("apps/live", &[("token", NEW)]);
    eventually("the new version is fetched", || token(&live) == NEW);

    // OpenBao stops: the token stays, the failure is recorded.
    drop(bao);
    eventually("the failure is recorded", || live.status().is_stale());
    assert_eq!(token(&live), NEW);
    let error = live.status().last_error().unwrap().to_string();
    assert!(
        error.contains("API_TOKEN: vault://secret/apps/live#token"),
        "{error}"
    );
    assert!(!error.contains("root-token-canary"), "{error}");
    assert_no_secret(&live);
}

#[test]
fn an_unchanged_vault_version_is_not_fetched_again() {
    let bao = servers::Bao::start();
    bao.put("apps/counted", &[("token", OLD)]);
    bao.put("apps/data-only", &[("token", OLD)]);
    // Counted on the way to the real server.
    let proxy = servers::Proxy::start(bao.server.port, Duration::ZERO);
    let vars = |token: &str, path: &str| {
        HashMap::from([
            ("VAULT_ADDR".to_owned(), proxy.address()),
            ("VAULT_TOKEN".to_owned(), token.to_owned()),
            (
                "API_TOKEN".to_owned(),
                format!("vault://secret/{path}#token"),
            ),
        ])
    };
    let counts = |path: &str| {
        (
            proxy.requests(&format!("GET /v1/secret/data/{path} ")),
            proxy.requests(&format!("GET /v1/secret/metadata/{path} ")),
        )
    };
    let live = Creds::watch(vars(bao.token, "apps/counted")).unwrap();
    assert_eq!(counts("apps/counted"), (1, 0));
    // Reloads ask whether the version changed, and fetch nothing.
    assert_eq!(live.reload().unwrap(), 1);
    assert_eq!(live.reload().unwrap(), 1);
    assert_eq!(counts("apps/counted"), (1, 2));
    // A new version is fetched, once.
    bao.put("apps/counted", &[("token", NEW)]);
    assert_eq!(live.reload().unwrap(), 2);
    assert_eq!(token(&live), NEW);
    assert_eq!(counts("apps/counted"), (2, 3));
    assert_no_secret(&live);

    // A token that may read the data, not the metadata: asked once, then
    // the data is fetched each time.
    let limited = bao.token_with_policy(
        "data-only",
        "path \"secret/data/apps/data-only\" { capabilities = [\"read\"] }\n",
        &[],
    );
    let live = Creds::watch(vars(&limited, "apps/data-only")).unwrap();
    for _ in 0..3 {
        assert_eq!(live.reload().unwrap(), 1);
    }
    assert_eq!(counts("apps/data-only"), (4, 1));
    assert_eq!(token(&live), OLD);

    // What one token read is never handed to another: a token that may
    // read only the metadata gets nothing from the memory.
    let metadata_only = bao.token_with_policy(
        "metadata-only",
        "path \"secret/metadata/apps/counted\" { capabilities = [\"read\"] }\n",
        &[],
    );
    let dir = temp("metadata-only");
    let env = dir.join(".env");
    let dotenv = |token: &str| {
        let line = format!(
            "VAULT_ADDR={}\nVAULT_TOKEN={}\nAPI_TOKEN=vault://secret/apps/counted#token\n",
            proxy.address(),
            token.trim()
        );
        std::fs::write(&env, line).unwrap();
    };
    dotenv(bao.token);
    // No file events (a poll once an hour): only the reloads below.
    let live: Live<Creds> = Watch::new()
        .poll(Duration::from_secs(3600))
        .start(DotEnv::load(&env).unwrap())
        .unwrap();
    assert_eq!(token(&live), NEW);
    let before = counts("apps/counted").0;
    dotenv(&metadata_only);
    let err = live.reload().unwrap_err().to_string();
    assert!(err.contains("denied"), "{err}");
    assert_eq!(
        counts("apps/counted").0,
        before + 1,
        "the data was asked for"
    );
    assert!(!err.contains(&metadata_only), "{err}");
}

#[test]
fn a_periodic_vault_token_is_renewed_while_the_handle_lives() {
    let bao = servers::Bao::start();
    bao.put("apps/renewed", &[("token", OLD)]);
    // Valid for 4 s unless renewed.
    let periodic = bao.token_with_policy(
        "renewed",
        "path \"secret/data/apps/renewed\" { capabilities = [\"read\"] }\n",
        &["-period=4s"],
    );
    let proxy = servers::Proxy::start(bao.server.port, Duration::ZERO);
    let vars = HashMap::from([
        ("VAULT_ADDR".to_owned(), proxy.address()),
        ("VAULT_TOKEN".to_owned(), periodic.clone()),
        (
            "API_TOKEN".to_owned(),
            "vault://secret/apps/renewed#token".to_owned(),
        ),
    ]);
    let renewals = || proxy.requests("POST /v1/auth/token/renew-self ");
    // A long interval: the renewals (every 2 s, half the period) drive it.
    let live: Live<Creds> = Watch::new()
        .interval(Duration::from_secs(3600))
        .start(vars)
        .unwrap();
    assert_eq!(renewals(), 1);
    assert_eq!(live.reload().unwrap(), 1);
    assert_eq!(renewals(), 1, "renewed again before half its period");
    // Past the token's first period, it still reads: it was renewed.
    std::thread::sleep(Duration::from_secs(7));
    assert!(renewals() >= 3, "{} renewals", renewals());
    bao.put("apps/renewed", &[("token", NEW)]);
    assert_eq!(live.reload().unwrap(), 2);
    assert_eq!(token(&live), NEW);
    assert!(!live.status().is_stale());
    // A root token is not renewable: tried once, not again.
    let root = HashMap::from([
        ("VAULT_ADDR".to_owned(), proxy.address()),
        ("VAULT_TOKEN".to_owned(), bao.token.to_owned()),
        (
            "API_TOKEN".to_owned(),
            "vault://secret/apps/renewed#token".to_owned(),
        ),
    ]);
    let before = renewals();
    let live = Creds::watch(root).unwrap();
    live.reload().unwrap();
    assert_eq!(renewals(), before + 1);
    assert!(!format!("{live:?}").contains(&periodic));
}

#[test]
fn a_new_secrets_manager_version_is_fetched_on_the_interval() {
    let moto = servers::Moto::start(&[("prod/live", OLD)]);
    let mut vars: HashMap<String, String> = moto
        .env()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    vars.insert("API_TOKEN".to_owned(), "aws-sm://prod/live".to_owned());
    let live: Live<Creds> = Watch::new()
        .interval(Duration::from_secs(1))
        .start(vars)
        .unwrap();
    assert_eq!(token(&live), OLD);
    moto.put_secret("prod/live", NEW);
    eventually("the new version is fetched", || token(&live) == NEW);
    assert_no_secret(&live);
}

#[test]
fn an_unchanged_secrets_manager_version_is_not_fetched_again() {
    let moto = servers::Moto::start(&[("prod/counted", OLD)]);
    // Counted on the way to moto, which checks every signature.
    let proxy = servers::Proxy::start(moto.server.port, Duration::ZERO);
    let mut vars: HashMap<String, String> = moto
        .env()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    vars.insert("AWS_ENDPOINT_URL".to_owned(), proxy.address());
    vars.insert("API_TOKEN".to_owned(), "aws-sm://prod/counted".to_owned());
    let counts = || {
        (
            proxy.requests("x-amz-target: secretsmanager.GetSecretValue"),
            proxy.requests("x-amz-target: secretsmanager.DescribeSecret"),
        )
    };
    let live = Creds::watch(vars).unwrap();
    assert_eq!(counts(), (1, 0));
    assert_eq!(live.reload().unwrap(), 1);
    assert_eq!(live.reload().unwrap(), 1);
    assert_eq!(counts(), (1, 2));
    moto.put_secret("prod/counted", NEW);
    assert_eq!(live.reload().unwrap(), 2);
    assert_eq!(token(&live), NEW);
    assert_eq!(counts(), (2, 3));
    assert_no_secret(&live);
}

#[test]
fn other_files_in_the_directory_do_not_reload() {
    let dir = temp("busy");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live = Creds::watch(file_var(&path)).unwrap();
    for n in 0..200 {
        std::fs::write(dir.join(format!("unrelated-{n}.log")), "x").unwrap();
    }
    // A change after the noise is still seen, and is the only reload.
    std::fs::write(&path, NEW).unwrap();
    eventually("the token's change is seen", || token(&live) == NEW);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(live.status().generation(), 2);
}

#[test]
fn a_relative_path_is_watched() {
    let dir = temp("relative");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    // The same file, relative to the test's working directory.
    let cwd = std::env::current_dir().unwrap();
    let mut relative = PathBuf::new();
    for _ in cwd.components().skip(1) {
        relative.push("..");
    }
    relative.push(path.strip_prefix("/").unwrap());
    let live = Creds::watch(file_var(&relative)).unwrap();
    std::fs::write(&path, NEW).unwrap();
    eventually("the change is seen", || token(&live) == NEW);
}

#[test]
fn a_directory_removed_and_made_again_is_watched_again() {
    let dir = temp("remade");
    let secrets = dir.join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    std::fs::write(secrets.join("api_token"), OLD).unwrap();
    let live = Creds::watch(SecretsDir::new(&secrets)).unwrap();
    std::fs::remove_dir_all(&secrets).unwrap();
    std::fs::create_dir_all(&secrets).unwrap();
    std::fs::write(secrets.join("api_token"), NEW).unwrap();
    eventually("the new directory's file is read", || token(&live) == NEW);
    // And its next change too: the new directory is the one watched.
    std::fs::write(secrets.join("api_token"), "canary-live-third-77aa").unwrap();
    eventually("the next change is seen", || {
        token(&live) == "canary-live-third-77aa"
    });
}

#[derive(Credentials)]
struct Fussy {
    /// API token
    #[credential(validate = no_panic_word)]
    api_token: String,
}

fn no_panic_word(token: &String) -> Result<(), String> {
    assert!(token != "panic", "the validator panicked");
    Ok(())
}

#[test]
fn a_reload_that_panics_is_recorded_and_the_watcher_goes_on() {
    let dir = temp("panics");
    let path = dir.join("api_token");
    std::fs::write(&path, OLD).unwrap();
    let live: Live<Fussy> = Fussy::watch(file_var(&path)).unwrap();
    std::fs::write(&path, "panic").unwrap();
    eventually("the panic is recorded", || {
        matches!(live.status().last_error(), Some(ReloadError::Panicked))
    });
    assert_eq!(live.current().api_token, OLD);
    std::fs::write(&path, NEW).unwrap();
    eventually("the next change is seen", || {
        live.current().api_token == NEW
    });
}

#[test]
fn intervals_too_large_mean_never_and_tiny_polls_are_refused() {
    let vars = HashMap::from([("API_TOKEN".to_owned(), OLD.to_owned())]);
    let live: Live<Creds> = Watch::new()
        .interval(Duration::MAX)
        .poll(Duration::MAX)
        .start(vars.clone())
        .unwrap();
    assert_eq!(live.reload().unwrap(), 1);
    let err = Watch::new()
        .poll(Duration::ZERO)
        .start::<Creds, _>(vars)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the poll interval (Watch::poll) is under 100 ms"
    );
}
