//! 100 `vault://` references (a path each) against OpenBao behind a
//! loopback proxy that adds 100 ms to every request (`--features vault`, with `CREDENV_BAO` set
//! as ./scripts/test sets it): a load resolves them all at once, so it takes
//! a few round trips, not a hundred.
//!
//!     cargo bench -p credenv-bench --features vault --bench vault

#[path = "../../tests/support/servers.rs"]
mod servers;

use std::time::Duration;

use credenv::Credentials;
use credenv_bench::{credenv_100, vars};

/// What the proxy adds to each request.
const LATENCY: Duration = Duration::from_millis(100);

fn main() {
    divan::main();
}

/// A server, its proxy's address, and the variables of a load.
struct Setup {
    _bao: servers::Bao,
    _proxy: servers::Proxy,
    proxy: String,
    token: &'static str,
}

fn setup() -> Setup {
    let bao = servers::Bao::start();
    // The values the fixture's fields parse (String, u16, bool, Option), a
    // path each: a load fetches every distinct path once, all at once.
    for (name, value) in vars(100) {
        let path = format!("bench/{}", name.to_lowercase());
        bao.put(&path, &[("value", &value)]);
    }
    let proxy = servers::Proxy::start(bao.server.port, LATENCY);
    Setup {
        proxy: proxy.address(),
        _proxy: proxy,
        token: bao.token,
        _bao: bao,
    }
}

fn references(setup: &Setup) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = (0..100)
        .map(|i| (format!("F{i}"), format!("vault://secret/bench/f{i}#value")))
        .collect();
    vars.push(("VAULT_ADDR".into(), setup.proxy.clone()));
    vars.push(("VAULT_TOKEN".into(), setup.token.into()));
    vars
}

/// One load of 100 references: every fetch at once.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn hundred_references_at_once(bencher: divan::Bencher<'_, '_>) {
    let setup = setup();
    let vars = references(&setup);
    bencher.bench(|| credenv_100::Creds::from_source(&vars).unwrap());
}

/// The same, logging in with AppRole first (and revoking its token after).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn hundred_references_after_an_approle_login(bencher: divan::Bencher<'_, '_>) {
    let setup = setup();
    let dir = std::env::temp_dir().join(format!("credenv-bench-vault-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("bench.hcl");
    std::fs::write(
        &policy,
        "path \"secret/data/bench/*\" { capabilities = [\"read\"] }\n",
    )
    .unwrap();
    let bao = |args: &[&str]| {
        let out = setup._bao.bao(args);
        assert!(
            out.status.success(),
            "bao {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    bao(&["policy", "write", "bench", policy.to_str().unwrap()]);
    bao(&["auth", "enable", "approle"]);
    bao(&["write", "auth/approle/role/bench", "token_policies=bench"]);
    bao(&[
        "write",
        "auth/approle/role/bench/role-id",
        "role_id=bench-role",
    ]);
    bao(&[
        "write",
        "auth/approle/role/bench/custom-secret-id",
        "secret_id=bench-secret",
    ]);
    let mut vars = references(&setup);
    vars.retain(|(name, _)| name != "VAULT_TOKEN");
    vars.extend([
        ("VAULT_AUTH_METHOD".to_owned(), "approle".to_owned()),
        ("VAULT_ROLE_ID".to_owned(), "bench-role".to_owned()),
        ("VAULT_SECRET_ID".to_owned(), "bench-secret".to_owned()),
    ]);
    bencher.bench(|| credenv_100::Creds::from_source(&vars).unwrap());
}

/// The same 100 secrets fetched one after another (a load each), as a
/// loader that resolves one reference at a time would.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn hundred_references_one_at_a_time(bencher: divan::Bencher<'_, '_>) {
    #[derive(Credentials)]
    struct One {
        f0: String,
    }
    let setup = setup();
    let vars: Vec<Vec<(String, String)>> = (0..100)
        .map(|i| {
            vec![
                (
                    "F0".into(),
                    format!("vault://secret/bench/f{}#value", i / 4 * 4),
                ),
                ("VAULT_ADDR".into(), setup.proxy.clone()),
                ("VAULT_TOKEN".into(), setup.token.into()),
            ]
        })
        .collect();
    bencher.bench(|| {
        for vars in &vars {
            divan::black_box(One::from_source(vars).unwrap().f0);
        }
    });
}
