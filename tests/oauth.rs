//! The OAuth token manager against real OAuth servers on loopback, from npm:
//! oauth2-mock-server 9 (its hooks play a strict or failing server) and
//! oidc-provider (real client authentication, rotating refresh tokens, reuse
//! detection). ./scripts/test installs both.

#[path = "support/common.rs"]
mod common;
#[path = "support/servers.rs"]
mod servers;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use credenv::Credentials;
use credenv::oauth::{Grant, OAuthCredentials, OAuthError, TokenManager};
use credenv::{ExposeSecret, SecretString, Url};
use servers::{Server, free_port, silent_port, tool};

const SECRET: &str = "canary-client-secret-0a1b";

/// A server from tests/support/oauth, and its log of token requests.
struct Oauth {
    server: Server,
}

impl Oauth {
    fn start(script: &str, args: &[&str]) -> Oauth {
        let node_modules = tool("CREDENV_NODE_MODULES", "the OAuth servers from npm");
        // ES modules find packages from the script's directory up: run a copy
        // (one per server: tests start servers at the same time) beside the
        // installed node_modules.
        // On another port when another test's server took this one.
        let command = |port: u16| {
            let copy = node_modules
                .parent()
                .unwrap()
                .join(format!("{port}-{script}"));
            std::fs::copy(Path::new("tests/support/oauth").join(script), &copy).unwrap();
            let mut command = Command::new("node");
            command.arg(&copy).arg(port.to_string()).args(args);
            command
        };
        Oauth {
            server: Server::start_fresh(free_port, "http", command),
        }
    }

    fn mock(mode: &str) -> Oauth {
        Oauth::start("mock.mjs", &[mode])
    }

    fn token_url(&self) -> Url {
        Url::parse(&format!("{}/token", self.server.address)).unwrap()
    }

    /// The token requests the server has seen, `grant_type scope` each.
    fn requests(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.server.log()).unwrap();
        log.lines()
            .filter_map(|l| l.strip_prefix("token-request "))
            .map(str::to_owned)
            .collect()
    }
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("credenv-oauth-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A token file holding an expired access token and `refresh`, mode 0600.
fn expired_token_file(name: &str, refresh: &str) -> PathBuf {
    let path = dir(name).join("tokens.json");
    write_private(&path, &expired_json(refresh));
    path
}

/// An expired access token and `refresh`, as a store holds them.
fn expired_json(refresh: &str) -> String {
    let past = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 60;
    format!(
        r#"{{"access_token": "canary-old-access", "refresh_token": "{refresh}", "expires_at": {past}}}"#
    )
}

fn write_private(path: &Path, contents: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn saved(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn client_credentials_get_a_token_once_and_reuse_it() {
    let oauth = Oauth::mock("ok");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .client_secret(SecretString::from(SECRET))
        .grant(Grant::ClientCredentials)
        .scopes(["read"])
        .build()
        .unwrap();
    runtime().block_on(async {
        let first = tokens.access_token().await.unwrap();
        let second = tokens.access_token().await.unwrap();
        assert_eq!(
            first.secret().expose_secret(),
            second.secret().expose_secret()
        );
        assert!(first.expires_at().unwrap() > SystemTime::now() + Duration::from_secs(3000));
        assert!(
            format!("{first:?}").contains("[REDACTED]") && !format!("{first:?}").contains("ey")
        );
    });
    // Least privilege: exactly the scopes asked for.
    assert_eq!(oauth.requests(), ["client_credentials read"]);
}

#[test]
fn an_expired_token_is_refreshed_and_the_rotated_refresh_token_saved() {
    let oauth = Oauth::mock("ok");
    let path = expired_token_file("refresh", "canary-refresh-1");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    let token = runtime().block_on(tokens.access_token()).unwrap();
    assert_ne!(token.secret().expose_secret(), "canary-old-access");
    assert_eq!(oauth.requests(), ["refresh_token "]);
    let file = saved(&path);
    assert_eq!(file["access_token"], token.secret().expose_secret());
    let rotated = file["refresh_token"].as_str().unwrap();
    assert!(
        !rotated.is_empty() && rotated != "canary-refresh-1",
        "the rotated refresh token is kept"
    );
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn without_rotation_the_refresh_token_is_kept() {
    let oauth = Oauth::mock("no-rotation");
    let path = expired_token_file("keep", "canary-refresh-kept");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    runtime().block_on(tokens.access_token()).unwrap();
    assert_eq!(saved(&path)["refresh_token"], "canary-refresh-kept");
}

#[test]
fn a_hundred_concurrent_callers_cause_one_refresh() {
    let oauth = Oauth::mock("ok");
    let path = expired_token_file("single-flight", "canary-refresh-2");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    let secrets = runtime().block_on(async {
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let tokens = tokens.clone();
                tokio::spawn(async move {
                    tokens
                        .access_token()
                        .await
                        .unwrap()
                        .secret()
                        .expose_secret()
                        .to_owned()
                })
            })
            .collect();
        let mut secrets = Vec::new();
        for task in tasks {
            secrets.push(task.await.unwrap());
        }
        secrets
    });
    assert_eq!(oauth.requests().len(), 1, "{:?}", oauth.requests());
    assert!(secrets.iter().all(|s| s == &secrets[0]));
}

#[test]
fn without_a_refresh_token_authorization_is_required() {
    let oauth = Oauth::mock("ok");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(dir("none").join("tokens.json"))
        .build()
        .unwrap();
    let err = runtime().block_on(tokens.access_token()).unwrap_err();
    assert_eq!(err, OAuthError::AuthorizationRequired);
    assert_eq!(
        err.to_string(),
        "authorization required: there is no refresh token yet; log in first"
    );
}

#[test]
fn a_token_file_others_can_read_or_that_is_corrupt_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let url = Url::parse("http://127.0.0.1:1/token").unwrap();
    let open = expired_token_file("open", "canary-refresh-3");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = TokenManager::builder("client", url.clone())
        .token_file(&open)
        .build()
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "token file {0}: it is readable or writable by others (mode 0644); run: chmod 600 {0}",
            open.display()
        )
    );
    let corrupt = dir("corrupt").join("tokens.json");
    write_private(&corrupt, "{\"access_token\": \"canary-torn");
    let err = TokenManager::builder("client", url)
        .token_file(&corrupt)
        .build()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.ends_with("the token file is not JSON: delete it and log in again"),
        "{err}"
    );
    assert!(!err.contains("canary"), "{err}");
}

#[test]
fn a_crash_between_write_and_rename_leaves_the_old_file() {
    let oauth = Oauth::mock("ok");
    let path = expired_token_file("crash", "canary-refresh-4");
    let before = std::fs::read_to_string(&path).unwrap();
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    // The refresh happens, but the process "dies" after the temporary file is
    // written and synced, before the rename.
    let staged = runtime().block_on(tokens.__refresh_and_stage()).unwrap();
    assert!(staged.exists());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "the old file is intact"
    );
    // A new process starts from the old file, which still works.
    let restarted = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    runtime().block_on(restarted.access_token()).unwrap();
}

/// Each fault of the token endpoint, and what the caller gets: only
/// transport errors and 5xx are retried.
#[test]
fn token_endpoint_faults_are_clear_errors_without_tokens() {
    let rt = runtime();
    let refresh = |url: Url, name: &str| {
        let path = expired_token_file(name, "canary-refresh-5");
        let tokens = TokenManager::builder("client", url)
            .client_secret(SecretString::from(SECRET))
            .token_file(&path)
            .timeout(Duration::from_secs(1))
            .retries(3, Duration::from_millis(10))
            .build()
            .unwrap();
        rt.block_on(tokens.access_token()).unwrap_err()
    };

    let failing = Oauth::mock("server-error");
    let err = refresh(failing.token_url(), "500");
    assert_eq!(
        err.to_string(),
        format!(
            "the token endpoint is unavailable: {}: it answered 500 Internal Server Error",
            failing.token_url()
        )
    );
    assert_eq!(failing.requests().len(), 3, "a 5xx is retried");

    let flaky = Oauth::mock("flaky");
    let path = expired_token_file("flaky", "canary-refresh-6");
    let tokens = TokenManager::builder("client", flaky.token_url())
        .token_file(&path)
        .retries(3, Duration::from_millis(10))
        .build()
        .unwrap();
    rt.block_on(tokens.access_token()).unwrap();
    assert_eq!(flaky.requests().len(), 3, "two 503s, then tokens");

    let grant = Oauth::mock("invalid-grant");
    let err = refresh(grant.token_url(), "grant");
    assert_eq!(
        err,
        OAuthError::Rejected {
            error: "invalid_grant".into(),
            description: Some("The refresh token is expired or revoked".into())
        }
    );
    assert_eq!(grant.requests().len(), 1, "a refusal is not retried");

    let client = Oauth::mock("invalid-client");
    let err = refresh(client.token_url(), "client");
    assert_eq!(
        err.to_string(),
        "the token endpoint refused: invalid_client: Client authentication failed"
    );
    assert_eq!(client.requests().len(), 1);

    let not_a_token = Oauth::mock("not-a-token");
    let err = refresh(not_a_token.token_url(), "not-a-token");
    assert_eq!(
        err.to_string(),
        "the token endpoint's answer is invalid: not a token response"
    );

    let down = Url::parse(&format!("http://127.0.0.1:{}/token", free_port())).unwrap();
    assert_eq!(
        refresh(down.clone(), "down").to_string(),
        format!("the token endpoint is unavailable: {down}: it cannot be reached")
    );

    let slow = Url::parse(&format!("http://127.0.0.1:{}/token", silent_port())).unwrap();
    assert_eq!(
        refresh(slow.clone(), "slow").to_string(),
        format!("the token endpoint is unavailable: {slow}: it did not answer in time")
    );

    let broken = broken_json_endpoint();
    let err = refresh(broken, "broken");
    assert_eq!(
        err.to_string(),
        "the token endpoint's answer is invalid: not valid JSON (at access_token)"
    );
    assert!(!err.to_string().contains("canary"));
}

/// A token endpoint answering 200 with JSON cut off mid-token.
fn broken_json_endpoint() -> Url {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0; 4096];
            let _ = stream.read(&mut request);
            let body = r#"{"access_token": "canary-cut-off"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    Url::parse(&format!("http://127.0.0.1:{port}/token")).unwrap()
}

/// In a process of its own, as a server runs: the example's tracing
/// subscriber writes to stderr. (In a test binary, other threads hitting the
/// same log line can race a scoped subscriber.)
#[test]
fn failures_are_logged_without_tokens_or_secrets() {
    let oauth = Oauth::mock("invalid-grant");
    let path = expired_token_file("logged", "canary-refresh-7");
    let out = Command::new(common::example("oauth_token"))
        .env_clear()
        .env("OAUTH_CLIENT_ID", "client")
        .env("OAUTH_CLIENT_SECRET", SECRET)
        .env("OAUTH_TOKEN_URL", oauth.token_url().as_str())
        .env("OAUTH_TOKEN_FILE", &path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("WARN credenv: OAuth token request failed")
            && stderr.contains("invalid_grant"),
        "{stderr}"
    );
    assert!(stderr.contains(
        "error: the token endpoint refused: invalid_grant: The refresh token is expired or revoked"
    ));
    assert!(
        !stderr.contains("canary") && out.stdout.is_empty(),
        "{stderr}"
    );
}

#[test]
fn the_first_login_uses_pkce_and_a_loopback_redirect() {
    let oauth = Oauth::mock("ok");
    let path = dir("login").join("tokens.json");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .auth_url(Url::parse(&format!("{}/authorize", oauth.server.address)).unwrap())
        .scopes(["openid", "offline_access"])
        .token_file(&path)
        .build()
        .unwrap();
    let rt = runtime();
    assert_eq!(
        rt.block_on(tokens.access_token()).unwrap_err(),
        OAuthError::AuthorizationRequired
    );
    let opened = Arc::new(Mutex::new(None));
    let seen = opened.clone();
    // The "browser": follows the authorization URL, whose redirect lands on
    // the manager's loopback listener.
    let open = move |url: &Url| {
        *seen.lock().unwrap() = Some(url.clone());
        let url = url.clone();
        std::thread::spawn(move || {
            let browser = tokio::runtime::Runtime::new().unwrap();
            let _ = browser.block_on(reqwest::get(url));
        });
    };
    let token = rt
        .block_on(tokens.authorize(0, Duration::from_secs(30), open))
        .unwrap();
    let url = opened.lock().unwrap().clone().unwrap();
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let has = |key: &str| query.iter().any(|(k, _)| k == key);
    assert!(has("code_challenge") && has("state"), "{url}");
    assert!(
        query.contains(&("code_challenge_method".into(), "S256".into())),
        "{url}"
    );
    assert!(
        query.contains(&("scope".into(), "openid offline_access".into())),
        "{url}"
    );
    assert_eq!(saved(&path)["access_token"], token.secret().expose_secret());
    assert!(saved(&path)["refresh_token"].is_string());
    // From now on, refreshes.
    assert_eq!(
        rt.block_on(tokens.access_token())
            .unwrap()
            .secret()
            .expose_secret(),
        token.secret().expose_secret()
    );
}

/// oidc-provider: real client authentication, rotation, reuse detection.
struct Oidc {
    oauth: Oauth,
    refresh_token: String,
}

impl Oidc {
    fn start() -> Oidc {
        let oauth = Oauth::start("oidc.mjs", &[]);
        // Printed once the server listens, a moment after the port accepts.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let line = loop {
            let log = std::fs::read_to_string(oauth.server.log()).unwrap();
            if let Some(line) = log.lines().find(|l| l.starts_with('{')) {
                break line.to_owned();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "oidc-provider printed no refresh token: {log}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let seeded: serde_json::Value = serde_json::from_str(&line).unwrap();
        let refresh_token = seeded["refresh_token"].as_str().unwrap().to_owned();
        Oidc {
            oauth,
            refresh_token,
        }
    }

    fn token_url(&self) -> Url {
        Url::parse(&format!("{}/token", self.oauth.server.address)).unwrap()
    }

    fn manager(&self, secret: &str, file: &Path) -> TokenManager {
        TokenManager::builder("credenv-test", self.token_url())
            .client_secret(SecretString::from(secret))
            .token_file(file)
            .build()
            .unwrap()
    }
}

#[test]
fn oidc_provider_authenticates_the_client_and_rotates_refresh_tokens() {
    let oidc = Oidc::start();
    let rt = runtime();
    let wrong = expired_token_file("oidc-wrong", &oidc.refresh_token);
    let err = rt
        .block_on(oidc.manager("canary-wrong-secret", &wrong).access_token())
        .unwrap_err();
    assert!(
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_client"),
        "{err}"
    );

    let path = expired_token_file("oidc", &oidc.refresh_token);
    let tokens = oidc.manager("credenv-test-secret", &path);
    rt.block_on(tokens.access_token()).unwrap();
    let rotated = saved(&path)["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(
        rotated, oidc.refresh_token,
        "oidc-provider rotates refresh tokens"
    );
    rt.block_on(tokens.refresh()).unwrap();
    assert_ne!(
        saved(&path)["refresh_token"].as_str().unwrap(),
        rotated,
        "each rotation is kept"
    );

    let clients = TokenManager::builder("credenv-test", oidc.token_url())
        .client_secret(SecretString::from("credenv-test-secret"))
        .grant(Grant::ClientCredentials)
        .scopes(["api:read"])
        .build()
        .unwrap();
    rt.block_on(clients.access_token()).unwrap();
}

#[test]
fn a_rotated_client_secret_is_used_without_a_restart() {
    let oidc = Oidc::start();
    let rt = runtime();
    // The client secret in a mounted file, wrong at first.
    let secret = dir("rotated-secret").join("client_secret");
    std::fs::write(&secret, "canary-wrong-secret").unwrap();
    let vars = std::collections::HashMap::from([
        ("OAUTH_CLIENT_ID".to_owned(), "credenv-test".to_owned()),
        (
            "OAUTH_CLIENT_SECRET_FILE".to_owned(),
            secret.display().to_string(),
        ),
        ("OAUTH_TOKEN_URL".to_owned(), oidc.token_url().to_string()),
        ("OAUTH_GRANT".to_owned(), "client_credentials".to_owned()),
        ("OAUTH_SCOPES".to_owned(), "api:read".to_owned()),
    ]);
    let live = OAuthCredentials::watch(vars).unwrap();
    let tokens = TokenManager::from_live(&live).unwrap().build().unwrap();
    let err = rt.block_on(tokens.access_token()).unwrap_err();
    assert!(
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_client"),
        "{err}"
    );
    std::fs::write(&secret, "credenv-test-secret").unwrap();
    live.reload().unwrap();
    rt.block_on(tokens.access_token()).unwrap();

    // The file goes only to a token endpoint of the process environment,
    // never to one a repository's `.env` names.
    let shell = std::collections::HashMap::from([
        ("OAUTH_CLIENT_ID".to_owned(), "credenv-test".to_owned()),
        (
            "OAUTH_CLIENT_SECRET_FILE".to_owned(),
            secret.display().to_string(),
        ),
    ]);
    let repo =
        credenv::DotEnv::from_reader(&b"OAUTH_TOKEN_URL=https://evil.example/token\n"[..], ".env")
            .unwrap();
    let loaded = OAuthCredentials::load(&(shell, repo)).unwrap();
    let err = TokenManager::from_loaded(&loaded).err().unwrap();
    assert!(
        err.to_string().contains("must come from the same place"),
        "{err}"
    );
    // Nor may a `.env` choose which file goes to the shell's endpoint.
    let shell = std::collections::HashMap::from([
        ("OAUTH_CLIENT_ID".to_owned(), "credenv-test".to_owned()),
        ("OAUTH_TOKEN_URL".to_owned(), oidc.token_url().to_string()),
    ]);
    let line = format!("OAUTH_CLIENT_SECRET_FILE={}\n", secret.display());
    let repo = credenv::DotEnv::from_reader(line.as_bytes(), ".env").unwrap();
    let loaded = OAuthCredentials::load(&(shell, repo)).unwrap();
    let err = TokenManager::from_loaded(&loaded).err().unwrap();
    assert!(
        err.to_string()
            .contains("OAUTH_CLIENT_SECRET from the .env file"),
        "{err}"
    );
}

#[test]
fn a_reused_rotated_refresh_token_is_refused_and_revokes_the_grant() {
    let oidc = Oidc::start();
    let rt = runtime();
    // Two copies of the same refresh token: one manager rotates it; the
    // other, with the stale copy, reuses it, and the server revokes the grant.
    let first = expired_token_file("reuse-a", &oidc.refresh_token);
    let stale = expired_token_file("reuse-b", &oidc.refresh_token);
    let a = oidc.manager("credenv-test-secret", &first);
    rt.block_on(a.access_token()).unwrap();
    let err = rt
        .block_on(oidc.manager("credenv-test-secret", &stale).access_token())
        .unwrap_err();
    assert!(
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_grant"),
        "{err}"
    );
    let err = rt.block_on(a.refresh()).unwrap_err();
    assert!(
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_grant"),
        "the grant is revoked: {err}"
    );
}

/// Another process's sign-out (here, a second manager on the same file)
/// sticks: the next refresh finds the store empty and needs a login, and
/// writes nothing back.
#[test]
fn a_sign_out_elsewhere_needs_a_login_at_the_next_refresh() {
    let oidc = Oidc::start();
    let rt = runtime();
    let path = expired_token_file("signed-out-elsewhere", &oidc.refresh_token);
    let a = oidc.manager("credenv-test-secret", &path);
    let b = oidc.manager("credenv-test-secret", &path);
    rt.block_on(a.access_token()).unwrap();
    // b takes the tokens a refreshed.
    rt.block_on(b.access_token()).unwrap();
    rt.block_on(a.sign_out()).unwrap();
    assert!(!path.exists());
    assert_eq!(
        rt.block_on(b.refresh()).unwrap_err(),
        OAuthError::AuthorizationRequired
    );
    assert!(!path.exists(), "nothing written back");
    assert_eq!(
        rt.block_on(b.access_token()).unwrap_err(),
        OAuthError::AuthorizationRequired,
        "forgotten in memory too"
    );
}

/// Signing out revokes even the tokens of a token file others can read
/// (which a load refuses), then deletes it.
#[test]
fn signing_out_revokes_the_tokens_of_a_token_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let oidc = Oidc::start();
    let path = expired_token_file("sign-out-0644", &oidc.refresh_token);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let revocation = Url::parse(&format!("{}/revocation", oidc.token_url())).unwrap();
    let builder = TokenManager::builder("credenv-test", oidc.token_url())
        .client_secret(SecretString::from("credenv-test-secret"))
        .revocation_url(revocation)
        .token_file(&path);
    runtime().block_on(builder.sign_out()).unwrap();
    assert!(!path.exists());
    let copy = expired_token_file("sign-out-0644-copy", &oidc.refresh_token);
    let err = runtime()
        .block_on(oidc.manager("credenv-test-secret", &copy).access_token())
        .unwrap_err();
    assert!(
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_grant"),
        "revoked: {err}"
    );
}

/// A revocation endpoint that cannot be reached: the tokens are deleted
/// here all the same, and the error names the endpoint, never a token.
#[test]
fn a_failed_revocation_is_an_error_after_the_tokens_are_deleted() {
    let oidc = Oidc::start();
    let path = expired_token_file("not-revoked", &oidc.refresh_token);
    let revocation = format!("http://127.0.0.1:{}/revoke", free_port());
    let builder = || {
        TokenManager::builder("credenv-test", oidc.token_url())
            .client_secret(SecretString::from("credenv-test-secret"))
            .token_file(&path)
    };
    let tokens = builder()
        .revocation_url(Url::parse(&revocation).unwrap())
        .build()
        .unwrap();
    let err = runtime().block_on(tokens.sign_out()).unwrap_err();
    assert!(matches!(&err, OAuthError::NotRevoked(_)), "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("{revocation}: it cannot be reached")),
        "{text}"
    );
    assert!(!text.contains(&oidc.refresh_token) && !text.contains("canary"));
    assert!(!path.exists());
    // Only https, or http on loopback.
    let err = builder()
        .revocation_url(Url::parse("http://idp.example/revoke").unwrap())
        .build()
        .err()
        .unwrap();
    assert!(err.to_string().contains("revocation endpoint"), "{err}");
}

/// A manager on a token file with `revocation` (or none), whose refresh
/// token has been spent once, and its first access token.
fn refreshed_manager(
    oauth: &Oauth,
    name: &str,
    revocation: Option<&str>,
) -> (TokenManager, PathBuf, String) {
    let path = expired_token_file(name, "canary-refresh-kept");
    let mut builder = TokenManager::builder("client", oauth.token_url())
        .client_secret(SecretString::from(SECRET))
        .token_file(&path);
    if let Some(revocation) = revocation {
        builder = builder.revocation_url(Url::parse(revocation).unwrap());
    }
    let tokens = builder.build().unwrap();
    let first = runtime().block_on(tokens.access_token()).unwrap();
    let first = first.secret().expose_secret().to_owned();
    (tokens, path, first)
}

/// A store that cannot be deleted (here a directory stands where the token
/// file was): the manager keeps its tokens unless a revocation ended them,
/// and the error says what failed, never a token.
#[test]
fn a_store_that_cannot_be_deleted_keeps_the_tokens_nothing_revoked() {
    let oauth = Oauth::mock("ok");
    let unreachable = format!("http://127.0.0.1:{}/revoke", free_port());
    let revoke = format!("{}/revoke", oauth.server.address);
    let rt = runtime();
    let undeletable = |path: &Path| {
        std::fs::remove_file(path).unwrap();
        std::fs::create_dir(path).unwrap();
        std::fs::write(path.join("inside"), "").unwrap();
    };
    // The revocation fails too: both are named, and the tokens kept.
    let (tokens, path, first) = refreshed_manager(&oauth, "kept", Some(&unreachable));
    undeletable(&path);
    let err = rt.block_on(tokens.sign_out()).unwrap_err();
    assert!(matches!(&err, OAuthError::TokenFile { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("cannot delete it"), "{text}");
    assert!(
        text.contains("the provider did not revoke every copy either")
            && text.contains(&format!("{unreachable}: it cannot be reached"))
            && text.contains("are kept here"),
        "{text}"
    );
    assert!(!text.contains("canary") && !text.contains(SECRET), "{text}");
    let after = rt.block_on(tokens.access_token()).unwrap();
    assert_eq!(after.secret().expose_secret(), first, "kept in memory");
    // No revocation endpoint: nothing ended them, they are kept.
    let (tokens, path, first) = refreshed_manager(&oauth, "kept-no-endpoint", None);
    undeletable(&path);
    let err = rt.block_on(tokens.sign_out()).unwrap_err();
    assert!(!err.to_string().contains("revoke"), "{err}");
    let after = rt.block_on(tokens.access_token()).unwrap();
    assert_eq!(after.secret().expose_secret(), first, "kept in memory");
    // Revoked: forgotten here, and the error is the store's alone.
    let (tokens, path, _) = refreshed_manager(&oauth, "ended-undeletable", Some(&revoke));
    undeletable(&path);
    let err = rt.block_on(tokens.sign_out()).unwrap_err();
    assert!(matches!(&err, OAuthError::TokenFile { .. }), "{err}");
    assert!(!err.to_string().contains("revoke"), "{err}");
    assert!(rt.block_on(tokens.access_token()).is_err(), "forgotten");
    assert_eq!(oauth.requests().len(), 3, "one refresh a manager, no more");
}

/// A sign-out cancelled while its revocation waits on a silent endpoint:
/// the store is deleted and the tokens are already forgotten here.
#[test]
fn a_sign_out_cancelled_during_revocation_leaves_no_tokens_behind() {
    let oauth = Oauth::mock("ok");
    let silent = format!("http://127.0.0.1:{}/revoke", servers::silent_port());
    let (tokens, path, _) = refreshed_manager(&oauth, "cancelled", Some(&silent));
    let rt = runtime();
    let cancelled = rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(500), tokens.sign_out()).await
    });
    assert!(cancelled.is_err(), "the revocation is still waiting");
    assert!(!path.exists());
    assert_eq!(
        rt.block_on(tokens.access_token()).unwrap_err(),
        OAuthError::AuthorizationRequired
    );
}

/// What stands at the token file's path and cannot hold tokens (a FIFO,
/// a file over 1 MiB) is deleted at sign-out, without waiting on the FIFO
/// and with nothing to revoke; a directory there cannot be deleted, which
/// is an error.
#[test]
fn sign_out_deletes_a_fifo_or_an_oversized_file_at_the_token_path() {
    let fifo = dir("sign-out-fifo").join("tokens.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    let large = dir("sign-out-large").join("tokens.json");
    write_private(&large, &"x".repeat(1024 * 1024 + 1));
    let token_url = Url::parse("http://127.0.0.1:9/token").unwrap();
    for path in [&fifo, &large] {
        let builder = TokenManager::builder("client", token_url.clone()).token_file(path);
        runtime().block_on(builder.sign_out()).unwrap();
        assert!(!path.exists(), "{}", path.display());
    }
    let directory = dir("sign-out-directory").join("tokens.json");
    std::fs::create_dir(&directory).unwrap();
    let builder = TokenManager::builder("client", token_url).token_file(&directory);
    let err = runtime().block_on(builder.sign_out()).unwrap_err();
    assert!(err.to_string().contains("cannot delete it"), "{err}");
}

/// Stored tokens name the token endpoint that issued them: another
/// endpoint's manager refuses them (its refresh token would be sent to the
/// wrong server), without showing what the file holds.
#[test]
fn tokens_issued_by_another_token_endpoint_are_refused() {
    let oauth = Oauth::mock("ok");
    let path = dir("issuer").join("tokens.json");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .client_secret(SecretString::from(SECRET))
        .grant(Grant::ClientCredentials)
        .token_file(&path)
        .build()
        .unwrap();
    runtime().block_on(tokens.access_token()).unwrap();
    assert_eq!(saved(&path)["token_url"], oauth.token_url().as_str());
    let other = Url::parse("http://127.0.0.1:9/token").unwrap();
    let err = TokenManager::builder("client", other)
        .token_file(&path)
        .build()
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("issued by another token endpoint than http://127.0.0.1:9/token"),
        "{text}"
    );
    assert!(!text.contains(oauth.token_url().as_str()), "{text}");
}

#[test]
fn the_example_prints_only_the_expiry() {
    let example = common::example("oauth_token");
    let out = Command::new(&example).env_clear().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("OAUTH_CLIENT_ID: OAuth client ID"));

    let oauth = Oauth::mock("ok");
    let out = Command::new(&example)
        .env_clear()
        .env("OAUTH_CLIENT_ID", "client")
        .env("OAUTH_CLIENT_SECRET", SECRET)
        .env("OAUTH_TOKEN_URL", oauth.token_url().as_str())
        .env("OAUTH_GRANT", "client_credentials")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("access token valid for 59m"), "{stdout}");
    assert!(!stdout.contains("ey") && !String::from_utf8_lossy(&out.stderr).contains("canary"));
}

/// Review item 12: processes sharing a token file with a rotating provider
/// refresh once between them (the file's lock, and a re-read under it), so
/// oidc-provider never sees a refresh token spent twice.
#[test]
fn processes_sharing_a_token_file_spend_each_refresh_token_once() {
    let oidc = Oidc::start();
    let path = expired_token_file("shared", &oidc.refresh_token);
    let example = common::example("oauth_token");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(&example)
                .env_clear()
                .env("OAUTH_CLIENT_ID", "credenv-test")
                .env("OAUTH_CLIENT_SECRET", "credenv-test-secret")
                .env("OAUTH_TOKEN_URL", oidc.token_url().as_str())
                .env("OAUTH_TOKEN_FILE", &path)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("canary"), "{stderr}");
    }
    let rotated = saved(&path)["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rotated, oidc.refresh_token);
    // The grant is alive: the saved refresh token still works.
    let tokens = oidc.manager("credenv-test-secret", &path);
    runtime().block_on(tokens.refresh()).unwrap();
}

/// Review item 12: a rotated refresh token that cannot be saved is not used.
#[test]
fn a_rotated_token_that_cannot_be_saved_is_an_error() {
    let oauth = Oauth::mock("ok");
    // A name so long that the file beside it, written first, cannot exist
    // (names stop at 255 bytes), even for root.
    let path = dir("unsaveable").join("t".repeat(235));
    write_private(
        &path,
        r#"{"access_token": "canary-old-access", "refresh_token": "canary-refresh", "expires_at": 1}"#,
    );
    let tokens = TokenManager::builder("client", oauth.token_url())
        .token_file(&path)
        .build()
        .unwrap();
    let err = runtime().block_on(tokens.access_token()).unwrap_err();
    assert!(matches!(err, OAuthError::TokenFile { .. }), "{err}");
    assert!(!err.to_string().contains("canary"), "{err}");
    assert!(saved(&path)["refresh_token"] == "canary-refresh");
    // The next call tries to save the kept tokens again, and never spends
    // the refresh token they replaced.
    let again = runtime().block_on(tokens.access_token()).unwrap_err();
    assert!(matches!(again, OAuthError::TokenFile { .. }), "{again}");
    assert_eq!(oauth.requests().len(), 1, "one refresh, not two");
}

/// Review item 11: the loopback login ignores an idle connection and a
/// callback whose state is not the login's (even an `error` one), and ends
/// on its own redirect.
#[test]
fn the_login_ignores_idle_connections_and_foreign_callbacks() {
    let oauth = Oauth::mock("ok");
    let path = dir("login-hostile").join("tokens.json");
    let tokens = TokenManager::builder("client", oauth.token_url())
        .auth_url(Url::parse(&format!("{}/authorize", oauth.server.address)).unwrap())
        .token_file(&path)
        .build()
        .unwrap();
    let open = move |url: &Url| {
        let url = url.clone();
        let redirect = url
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| Url::parse(&v).unwrap())
            .unwrap();
        let port = redirect.port().unwrap();
        std::thread::spawn(move || {
            use std::io::Write;
            // An idle connection that never sends anything.
            let idle = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            // Another page's forged callback, ending the login with an error.
            let mut forged = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            forged
                .write_all(b"GET /callback?error=access_denied&state=forged HTTP/1.1\r\n\r\n")
                .unwrap();
            let browser = tokio::runtime::Runtime::new().unwrap();
            let _ = browser.block_on(reqwest::get(url));
            drop(idle);
        });
    };
    let token = runtime()
        .block_on(tokens.authorize(0, Duration::from_secs(30), open))
        .unwrap();
    assert_eq!(saved(&path)["access_token"], token.secret().expose_secret());
}

/// A keyring test: oidc-provider, a HOME of its own, and the example's
/// environment (`OAUTH_TOKEN_STORE=store`, the client, its revocation
/// endpoint, `OAUTH_TOKEN_FILE` under HOME), with `EXAMPLE`, `SEED` (an
/// expired access token and oidc-provider's refresh token, as a store holds
/// them) and `ACCOUNT` (the entry's account) for the scripts.
struct KeyringCase {
    oidc: Oidc,
    home: PathBuf,
    token_file: PathBuf,
    envs: Vec<(String, String)>,
}

impl KeyringCase {
    fn new(name: &str, store: &str) -> KeyringCase {
        let oidc = Oidc::start();
        let home = dir(name);
        let token_file = home.join("tokens.json");
        let token_url = oidc.token_url().to_string();
        let envs = [
            ("OAUTH_CLIENT_ID", "credenv-test".to_owned()),
            ("OAUTH_CLIENT_SECRET", "credenv-test-secret".to_owned()),
            ("OAUTH_TOKEN_URL", token_url.clone()),
            ("OAUTH_REVOCATION_URL", format!("{token_url}/revocation")),
            ("OAUTH_TOKEN_STORE", store.to_owned()),
            ("OAUTH_TOKEN_FILE", token_file.display().to_string()),
            (
                "EXAMPLE",
                common::example("oauth_token").display().to_string(),
            ),
            ("SEED", expired_json(&oidc.refresh_token)),
            ("ACCOUNT", format!("credenv-test@{token_url}")),
        ];
        KeyringCase {
            oidc,
            home,
            token_file,
            envs: envs.map(|(k, v)| (k.to_owned(), v)).to_vec(),
        }
    }

    /// Runs `script` in the keyring session; its stdout and stderr.
    fn run(&self, script: &str) -> (String, String) {
        let out = in_keyring_session(&self.home, &self.envs, script);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stdout}\n{stderr}");
        (stdout, stderr)
    }

    /// A refresh token is refused by oidc-provider (revoked, or spent).
    fn refused(&self, refresh: &str) -> bool {
        let name = self.home.file_name().unwrap().to_str().unwrap();
        let path = expired_token_file(&format!("{name}-refused"), refresh);
        let err = runtime()
            .block_on(
                self.oidc
                    .manager("credenv-test-secret", &path)
                    .access_token(),
            )
            .unwrap_err();
        matches!(&err, OAuthError::Rejected { error, .. } if error == "invalid_grant")
    }
}

/// Runs `script` (sh) in a private D-Bus session whose GNOME Keyring is
/// unlocked for the test (the distribution's gnome-keyring, dbus and
/// libsecret-tools, which ./scripts/test installs), with `home` as HOME and
/// `envs`; returns its output.
fn in_keyring_session(
    home: &Path,
    envs: &[(String, String)],
    script: &str,
) -> std::process::Output {
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        assert!(
            found.status.success(),
            "{tool} is missing: run ./scripts/test, which installs gnome-keyring, dbus and libsecret-tools"
        );
    }
    let session = format!(
        "printf %s credenv-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n{script}"
    );
    Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &session])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap()
}

const ENTRY: &str = r#"service credenv username "$ACCOUNT""#;

#[test]
fn the_keyring_keeps_the_rotated_tokens_and_no_file_is_written() {
    let case = KeyringCase::new("keyring-home", "keyring");
    let (stdout, stderr) = case.run(&format!(
        r#"printf %s "$SEED" | secret-tool store --label=seed {ENTRY} || exit 9
"$EXAMPLE" || exit 10
"$EXAMPLE" || exit 11
echo ---
secret-tool lookup {ENTRY}
echo
echo ---
"$EXAMPLE" --sign-out || exit 12
secret-tool lookup {ENTRY} && exit 13
"$EXAMPLE"
echo "exit $?""#
    ));
    let parts: Vec<&str> = stdout.split("---\n").collect();
    assert!(parts[0].contains("access token valid for"), "{stdout}");
    // Where it went: the entry holds the rotated tokens, JSON as a file
    // would, with the endpoint that issued them, and no file was written.
    let stored: serde_json::Value = serde_json::from_str(parts[1].trim()).unwrap();
    let rotated = stored["refresh_token"].as_str().unwrap();
    assert_ne!(
        rotated, case.oidc.refresh_token,
        "the rotated refresh token was stored"
    );
    assert!(
        stored["access_token"]
            .as_str()
            .is_some_and(|t| t != "canary-old-access")
    );
    assert_eq!(stored["token_url"], case.oidc.token_url().as_str());
    assert!(!case.token_file.exists());
    // Signed out: the entry is gone, the refresh token revoked at the
    // provider, and a login is required.
    assert!(parts[2].contains("signed out"), "{stdout}");
    assert!(case.refused(rotated), "revoked at sign-out");
    assert!(parts[2].contains("exit 1"), "{stdout}");
    // (The example would log in: it has no authorization endpoint to.)
    assert!(stderr.contains("no authorization endpoint"), "{stderr}");
    assert!(
        !stderr.contains("canary") && !stderr.contains(rotated),
        "{stderr}"
    );
}

/// keyring-or-file with a keyring: tokens a token file kept (while no
/// keyring could be reached) are used, and moved into the entry by the next
/// save; when the file and the entry both hold tokens, the copy saved last
/// is the one used; signing out deletes both.
#[test]
fn keyring_or_file_moves_the_file_s_tokens_into_the_entry_and_reads_the_newest_copy() {
    let case = KeyringCase::new("keyring-move", "keyring-or-file");
    let newer = r#"{"access_token": "canary-newer-access", "refresh_token": "canary-newer-refresh", "expires_at": 1, "saved_at": 99999999999}"#;
    let (stdout, stderr) = case.run(&format!(
        r#"printf %s "$SEED" > "$OAUTH_TOKEN_FILE" && chmod 600 "$OAUTH_TOKEN_FILE" || exit 9
"$EXAMPLE" || exit 10
[ -e "$OAUTH_TOKEN_FILE" ] && exit 11
secret-tool lookup {ENTRY} || exit 12
echo
echo ---
printf %s "$SEED" > "$OAUTH_TOKEN_FILE" && chmod 600 "$OAUTH_TOKEN_FILE" || exit 13
"$EXAMPLE" || exit 14
echo ---
printf %s '{newer}' > "$OAUTH_TOKEN_FILE" && chmod 600 "$OAUTH_TOKEN_FILE" || exit 15
"$EXAMPLE"
echo "exit $?"
echo ---
"$EXAMPLE" --sign-out
[ -e "$OAUTH_TOKEN_FILE" ] && exit 16
secret-tool lookup {ENTRY} && exit 17
echo done"#
    ));
    let parts: Vec<&str> = stdout.split("---\n").collect();
    assert!(parts[0].contains("access token valid for"), "{stdout}");
    let moved = parts[0].lines().find(|l| l.starts_with('{')).unwrap();
    let moved: serde_json::Value = serde_json::from_str(moved).unwrap();
    let rotated = moved["refresh_token"].as_str().unwrap();
    // An older copy in the file (written before `saved_at` was kept): the
    // entry's is used.
    assert!(parts[1].contains("access token valid for"), "{stdout}");
    // A newer one: the file's is used (its refresh token is refused).
    assert!(parts[2].contains("exit 1"), "{stdout}");
    assert!(stderr.contains("invalid_grant"), "{stderr}");
    // Signing out deletes both (oidc-provider says the file's refresh
    // token is not one of its own, which is still a 200).
    assert!(parts[3].contains("signed out\ndone"), "{stdout}\n{stderr}");
    assert!(case.refused(rotated), "the entry's copy is revoked too");
    assert!(!stderr.contains("canary"), "{stderr}");
}

/// A locked keyring (no prompter can open here) is a clear error, never a
/// fallback; so is a session bus that never answers (a loopback stand-in:
/// a socket that accepts and stays silent), within the keyring timeout.
#[test]
fn a_locked_keyring_or_a_silent_session_bus_is_a_clear_error() {
    let case = KeyringCase::new("keyring-locked", "keyring-or-file");
    let (stdout, stderr) = case.run(&format!(
        r#"printf %s "$SEED" | secret-tool store --label=seed {ENTRY} || exit 9
secret-tool lock --collection=login 2>/dev/null
secret-tool lookup {ENTRY} 2>/dev/null && exit 10
"$EXAMPLE"
echo "exit $?""#
    ));
    assert!(stdout.contains("exit 1"), "{stdout}");
    assert!(stderr.contains("locked or refuses access"), "{stderr}");
    assert!(!case.token_file.exists(), "no fallback");
    assert!(!stderr.contains("canary") && !stdout.contains("canary"));

    let bus = case.home.join("silent-bus");
    servers::silent_socket(&bus);
    let started = std::time::Instant::now();
    let out = Command::new(common::example("oauth_token"))
        .env_clear()
        .env("HOME", &case.home)
        .envs(case.envs.iter().map(|(k, v)| (k, v)))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", bus.display()),
        )
        .env("OAUTH_KEYRING_TIMEOUT", "1s")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("did not answer within 1s"), "{stderr}");
    assert!(!stderr.contains("canary"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it did not hang"
    );
    assert!(!case.token_file.exists(), "no fallback");
}

/// A corrupt entry is a clear error that shows none of it; signing out
/// deletes it without reading it.
#[test]
fn a_corrupt_entry_is_a_clear_error_and_sign_out_deletes_it() {
    let case = KeyringCase::new("keyring-corrupt", "keyring");
    let (stdout, stderr) = case.run(&format!(
        r#"printf %s 'canary-corrupt {{' | secret-tool store --label=seed {ENTRY} || exit 9
"$EXAMPLE"
echo "exit $?"
"$EXAMPLE" --sign-out || exit 10
secret-tool lookup {ENTRY} && exit 11
echo done"#
    ));
    assert!(stdout.contains("exit 1\nsigned out\ndone"), "{stdout}");
    assert!(
        stderr.contains("not JSON: delete the entry and log in again"),
        "{stderr}"
    );
    assert!(!stderr.contains("canary"), "{stderr}");
}

#[test]
fn without_a_keyring_the_store_says_so_or_falls_back_to_the_file() {
    let oauth = Oauth::mock("ok");
    let home = dir("no-keyring");
    let token_file = home.join("tokens.json");
    let run = |store: &str| {
        Command::new(common::example("oauth_token"))
            .env_clear()
            .env("HOME", &home)
            .env("OAUTH_CLIENT_ID", "credenv-test")
            .env("OAUTH_CLIENT_SECRET", SECRET)
            .env("OAUTH_TOKEN_URL", oauth.token_url().as_str())
            .env("OAUTH_GRANT", "client_credentials")
            .env("OAUTH_TOKEN_FILE", &token_file)
            .env("OAUTH_TOKEN_STORE", store)
            // No session bus: no Secret Service to reach.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .output()
            .unwrap()
    };
    let out = run("keyring");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let entry = format!("keyring entry credenv/credenv-test@{}", oauth.token_url());
    assert!(stderr.contains(&entry), "{stderr}");
    assert!(!token_file.exists());
    let out = run("keyring-or-file");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("kept in the token file instead"),
        "{stderr}"
    );
    assert!(token_file.exists());
    assert!(!stderr.contains(SECRET), "{stderr}");
}

/// oidc-provider never sees a refresh token spent twice, with the tokens in
/// the keyring: the processes take the keyring store's lock file in turn.
#[test]
fn processes_sharing_a_keyring_entry_spend_each_refresh_token_once() {
    let case = KeyringCase::new("keyring-shared", "keyring");
    let (stdout, _) = case.run(&format!(
        r#"printf %s "$SEED" | secret-tool store --label=seed {ENTRY} || exit 9
pids=""
for i in 1 2 3 4; do "$EXAMPLE" > "$HOME/out-$i" 2>&1 & pids="$pids $!"; done
failed=0
for pid in $pids; do wait "$pid" || failed=1; done
cat "$HOME"/out-*
[ "$failed" = 0 ] || exit 10
# The grant is alive: the stored refresh token still works.
"$EXAMPLE" || exit 11
"#
    ));
    assert_eq!(
        stdout.matches("access token valid for").count(),
        5,
        "{stdout}"
    );
    assert!(!stdout.contains("canary"), "{stdout}");
}
