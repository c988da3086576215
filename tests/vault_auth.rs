//! Vault's auth methods (#13): a load logs in with AppRole, JWT or
//! Kubernetes against a real OpenBao (dev mode) on loopback, once per load,
//! fetches every reference with the token it obtained, and revokes it. For
//! Kubernetes, OpenBao asks a loopback stand-in for the TokenReview API,
//! since no cluster runs here.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/servers.rs"]
mod servers;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use credenv::{Credentials, ExposeSecret, SecretString};
use servers::Bao;

const CANARY: &str = "canary-vault-auth-41d7";
const ROLE_ID: &str = "canary-role-id-5be0";
const SECRET_ID: &str = "canary-secret-id-93fa";

#[derive(Credentials)]
struct Creds {
    /// API key
    api_key: SecretString,
    /// Webhook secret
    webhook_secret: SecretString,
}

const REFERENCES: [(&str, &str); 2] = [
    ("API_KEY", "vault://secret/apps/web#api_key"),
    ("WEBHOOK_SECRET", "vault://secret/apps/hooks#secret"),
];

/// Runs `bao` and returns its stdout, failing the test with its stderr.
fn bao(server: &Bao, args: &[&str]) -> String {
    let out = server.bao(args);
    assert!(
        out.status.success(),
        "bao {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A dev server with two secrets and a policy that reads them.
fn openbao() -> (Bao, PathBuf) {
    let server = Bao::start();
    server.put("apps/web", &[("api_key", CANARY)]);
    server.put("apps/hooks", &[("secret", "whsec-2")]);
    let dir = std::env::temp_dir().join(format!(
        "credenv-vault-auth-{}-{}",
        std::process::id(),
        server.server.port
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("read-apps.hcl");
    std::fs::write(
        &policy,
        "path \"secret/data/apps/*\" { capabilities = [\"read\"] }\n",
    )
    .unwrap();
    bao(
        &server,
        &["policy", "write", "read-apps", policy.to_str().unwrap()],
    );
    (server, dir)
}

/// How many tokens the server holds: a login that revokes its token leaves
/// the count as it was.
fn tokens(server: &Bao) -> usize {
    let list = bao(server, &["list", "-format=json", "auth/token/accessors"]);
    serde_json::from_str::<Vec<String>>(&list).unwrap().len()
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, format!("{text}\n")).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The invalid variables' messages, checked for every canary.
fn reasons(vars: &[(&str, &str)], canaries: &[&str]) -> Vec<String> {
    let err = Creds::from_source(vars).unwrap_err();
    let report = format!("{err} {err:?}");
    for canary in canaries {
        assert!(!report.contains(canary), "{report}");
    }
    err.invalid().map(ToString::to_string).collect()
}

fn every(reason: &str) -> Vec<String> {
    REFERENCES
        .iter()
        .map(|(name, reference)| format!("{name}: {reference}: {reason}"))
        .collect()
}

#[test]
fn approle_logs_in_once_fetches_every_reference_and_revokes_its_token() {
    let (server, dir) = openbao();
    bao(&server, &["auth", "enable", "approle"]);
    bao(
        &server,
        &[
            "write",
            "auth/approle/role/web",
            "token_policies=read-apps",
            "token_ttl=5m",
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/approle/role/web/role-id",
            &format!("role_id={ROLE_ID}"),
        ],
    );
    // Each secret id logs in once: a second login would fail.
    let once = |id: &str| {
        bao(
            &server,
            &[
                "write",
                "auth/approle/role/web/custom-secret-id",
                &format!("secret_id={id}"),
                "num_uses=1",
            ],
        );
    };
    once(SECRET_ID);
    let secret_file = write(&dir.join("secret-id"), SECRET_ID);
    let address = server.server.address.as_str();
    let mut vars = vec![
        ("VAULT_ADDR", address),
        ("VAULT_AUTH_METHOD", "approle"),
        ("VAULT_ROLE_ID", ROLE_ID),
        ("VAULT_SECRET_ID_FILE", secret_file.as_str()),
    ];
    vars.extend(REFERENCES);
    let before = tokens(&server);
    let creds = Creds::from_source(&vars).unwrap();
    assert_eq!(creds.api_key.expose_secret(), CANARY);
    assert_eq!(creds.webhook_secret.expose_secret(), "whsec-2");
    assert_eq!(tokens(&server), before, "the login's token is revoked");

    // The secret id given directly, and OpenBao's names.
    let second = format!("{SECRET_ID}-2");
    once(&second);
    let bao_names = [
        ("BAO_ADDR", address),
        ("BAO_AUTH_METHOD", "approle"),
        ("BAO_ROLE_ID", ROLE_ID),
        ("BAO_SECRET_ID", second.as_str()),
        REFERENCES[0],
        REFERENCES[1],
    ];
    assert_eq!(
        Creds::from_source(&bao_names)
            .unwrap()
            .api_key
            .expose_secret(),
        CANARY
    );
    assert_eq!(tokens(&server), before, "the login's token is revoked");

    // A method mounted elsewhere than its name.
    bao(&server, &["auth", "enable", "-path=ci/approle", "approle"]);
    bao(
        &server,
        &[
            "write",
            "auth/ci/approle/role/web",
            "token_policies=read-apps",
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/ci/approle/role/web/role-id",
            &format!("role_id={ROLE_ID}"),
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/ci/approle/role/web/custom-secret-id",
            &format!("secret_id={SECRET_ID}"),
        ],
    );
    let mut elsewhere = vars.clone();
    elsewhere.push(("VAULT_AUTH_PATH", "ci/approle"));
    assert_eq!(
        Creds::from_source(&elsewhere)
            .unwrap()
            .api_key
            .expose_secret(),
        CANARY
    );
}

#[test]
fn every_approle_failure_names_the_method_and_mount_never_a_secret() {
    let (server, dir) = openbao();
    bao(&server, &["auth", "enable", "approle"]);
    bao(
        &server,
        &["write", "auth/approle/role/web", "token_policies=read-apps"],
    );
    bao(
        &server,
        &[
            "write",
            "auth/approle/role/web/role-id",
            &format!("role_id={ROLE_ID}"),
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/approle/role/web/custom-secret-id",
            &format!("secret_id={SECRET_ID}"),
        ],
    );
    let address = server.server.address.as_str();
    let secret_file = write(&dir.join("secret-id"), SECRET_ID);
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut vars: Vec<(&str, &str)> =
            vec![("VAULT_ADDR", address), ("VAULT_AUTH_METHOD", "approle")];
        vars.extend(extra);
        vars.extend(REFERENCES);
        vars
    };
    let canaries = [CANARY, ROLE_ID, SECRET_ID, "canary-wrong"];

    let wrong = with(&[
        ("VAULT_ROLE_ID", ROLE_ID),
        ("VAULT_SECRET_ID", "canary-wrong"),
    ]);
    let denied = reasons(&wrong, &canaries);
    assert_eq!(
        denied,
        every(
            "Vault login with approle at auth/approle failed (400 Bad Request): invalid role or secret ID"
        )
    );

    let unset = with(&[("VAULT_ROLE_ID", ROLE_ID)]);
    assert_eq!(
        reasons(&unset, &canaries),
        every("VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE) is not set")
    );
    let mut both = with(&[("VAULT_ROLE_ID", ROLE_ID), ("VAULT_SECRET_ID", SECRET_ID)]);
    both.push(("VAULT_SECRET_ID_FILE", secret_file.as_str()));
    assert_eq!(
        reasons(&both, &canaries),
        every("both VAULT_SECRET_ID and VAULT_SECRET_ID_FILE are set; set only one")
    );
    let unknown = with(&[("VAULT_AUTH_METHOD", "ldap")]);
    assert_eq!(
        reasons(&unknown, &canaries),
        every("VAULT_AUTH_METHOD is \"ldap\": use token, approle, kubernetes or jwt")
    );

    // A secret id that was revoked.
    bao(
        &server,
        &[
            "write",
            "auth/approle/role/web/secret-id/destroy",
            &format!("secret_id={SECRET_ID}"),
        ],
    );
    let revoked = with(&[("VAULT_ROLE_ID", ROLE_ID), ("VAULT_SECRET_ID", SECRET_ID)]);
    assert_eq!(reasons(&revoked, &canaries), denied);
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Made by tests/support/jwt.py: a public key, a CA certificate of the same
/// key, and JWTs signed with it.
struct Signed {
    public_key: String,
    ca_cert: String,
    tokens: Vec<String>,
}

fn jwts(claims: &[serde_json::Value]) -> Signed {
    let python = servers::tool(
        "CREDENV_MOTO_SERVER",
        "moto's server, whose Python has `cryptography`",
    )
    .with_file_name("python");
    let mut child = Command::new(python)
        .arg("tests/support/jwt.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(claims).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "jwt.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |key: &str| made[key].as_str().unwrap().to_owned();
    Signed {
        public_key: text("public_key"),
        ca_cert: text("ca_cert"),
        tokens: made["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_owned())
            .collect(),
    }
}

#[test]
fn jwt_logs_in_with_a_signed_token_and_an_expired_one_is_a_named_error() {
    let (server, dir) = openbao();
    let now = now();
    let claims = |issued: u64, exp: u64| {
        serde_json::json!({
            "sub": "ci-job", "aud": "credenv", "iss": "https://ci.example",
            "iat": issued, "nbf": issued, "exp": exp,
        })
    };
    // Expired by more than OpenBao's 60 s of leeway.
    let signed = jwts(&[claims(now - 60, now + 600), claims(now - 900, now - 300)]);
    let (tokens, key_file) = (
        &signed.tokens,
        write(&dir.join("jwt.pub"), &signed.public_key),
    );
    bao(&server, &["auth", "enable", "jwt"]);
    bao(
        &server,
        &[
            "write",
            "auth/jwt/config",
            &format!("jwt_validation_pubkeys=@{key_file}"),
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/jwt/role/ci",
            "role_type=jwt",
            "user_claim=sub",
            "bound_audiences=credenv",
            "token_policies=read-apps",
        ],
    );
    let fresh = write(&dir.join("fresh.jwt"), &tokens[0]);
    let address = server.server.address.as_str();
    let mut vars = vec![
        ("VAULT_ADDR", address),
        ("VAULT_AUTH_METHOD", "jwt"),
        ("VAULT_ROLE", "ci"),
        ("VAULT_JWT_FILE", fresh.as_str()),
    ];
    vars.extend(REFERENCES);
    let before = self::tokens(&server);
    let creds = Creds::from_source(&vars).unwrap();
    assert_eq!(creds.api_key.expose_secret(), CANARY);
    assert_eq!(
        self::tokens(&server),
        before,
        "the login's token is revoked"
    );

    let mut expired = vec![
        ("VAULT_ADDR", address),
        ("VAULT_AUTH_METHOD", "jwt"),
        ("VAULT_ROLE", "ci"),
        ("VAULT_JWT", tokens[1].as_str()),
    ];
    expired.extend(REFERENCES);
    let reasons = reasons(&expired, &[CANARY, &tokens[1]]);
    assert_eq!(reasons.len(), 2);
    assert!(
        reasons[0].starts_with(
            "API_KEY: vault://secret/apps/web#api_key: Vault login with jwt at auth/jwt failed (400 Bad Request)"
        ),
        "{reasons:?}"
    );
    assert!(reasons[0].contains("expired"), "{reasons:?}");
}

/// A loopback HTTP server that gives every request `answer` (JSON) with
/// `status`, and counts the requests.
fn stand_in(status: &'static str, answer: String) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            counted.fetch_add(1, Ordering::SeqCst);
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (port, count)
}

/// A loopback stand-in for Kubernetes' TokenReview API: every token is the
/// service account `apps/web`, as a cluster's API server would answer for a
/// pod's projected token.
fn token_review_stand_in() -> u16 {
    let answer = serde_json::json!({
        "kind": "TokenReview",
        "apiVersion": "authentication.k8s.io/v1",
        "status": {
            "authenticated": true,
            "user": {
                "username": "system:serviceaccount:apps:web",
                "uid": "7a1c-web",
                "groups": ["system:serviceaccounts", "system:serviceaccounts:apps"]
            }
        }
    });
    stand_in("201 Created", answer.to_string()).0
}

#[test]
fn kubernetes_logs_in_with_the_service_account_token_against_a_loopback_token_review_stand_in() {
    let (server, dir) = openbao();
    let now = now();
    let signed = jwts(&[serde_json::json!({
        "iss": "kubernetes/serviceaccount",
        "sub": "system:serviceaccount:apps:web",
        "kubernetes.io/serviceaccount/namespace": "apps",
        "kubernetes.io/serviceaccount/service-account.name": "web",
        "kubernetes.io/serviceaccount/service-account.uid": "7a1c-web",
        "iat": now - 60, "exp": now + 600,
    })]);
    let tokens = &signed.tokens;
    let ca_file = write(&dir.join("ca.crt"), &signed.ca_cert);
    let review = token_review_stand_in();
    bao(&server, &["auth", "enable", "kubernetes"]);
    bao(
        &server,
        &[
            "write",
            "auth/kubernetes/config",
            &format!("kubernetes_host=http://127.0.0.1:{review}"),
            &format!("kubernetes_ca_cert=@{ca_file}"),
            "disable_local_ca_jwt=true",
        ],
    );
    bao(
        &server,
        &[
            "write",
            "auth/kubernetes/role/web",
            "bound_service_account_names=web",
            "bound_service_account_namespaces=apps",
            "token_policies=read-apps",
        ],
    );
    let token = write(&dir.join("token"), &tokens[0]);
    let address = server.server.address.as_str();
    let mut vars = vec![
        ("VAULT_ADDR", address),
        ("VAULT_AUTH_METHOD", "kubernetes"),
        ("VAULT_ROLE", "web"),
        ("VAULT_JWT_FILE", token.as_str()),
    ];
    vars.extend(REFERENCES);
    let before = self::tokens(&server);
    let creds = Creds::from_source(&vars).unwrap();
    assert_eq!(creds.webhook_secret.expose_secret(), "whsec-2");
    assert_eq!(
        self::tokens(&server),
        before,
        "the login's token is revoked"
    );

    // A role the service account is not bound to.
    let mut wrong_role = vars.clone();
    wrong_role[2] = ("VAULT_ROLE", "other");
    let reasons = reasons(&wrong_role, &[CANARY, &tokens[0]]);
    assert!(
        reasons[0].starts_with(
            "API_KEY: vault://secret/apps/web#api_key: Vault login with kubernetes at auth/kubernetes failed ("
        ),
        "{reasons:?}"
    );
}

#[test]
fn vault_cacert_trusts_a_private_ca_and_without_it_the_server_is_refused() {
    let server = Bao::start_tls();
    server.put("apps/web", &[("api_key", CANARY)]);
    server.put("apps/hooks", &[("secret", "whsec-2")]);
    let address = server.server.address.as_str();
    let cacert = server.cacert.as_ref().unwrap().to_str().unwrap();
    let mut vars = vec![
        ("VAULT_ADDR", address),
        ("VAULT_TOKEN", server.token),
        ("VAULT_CACERT", cacert),
    ];
    vars.extend(REFERENCES);
    let creds = Creds::from_source(&vars).unwrap();
    assert_eq!(creds.api_key.expose_secret(), CANARY);

    // Not trusted: the TLS handshake fails, named as such.
    let untrusted = reasons(
        &[vars[0], vars[1], REFERENCES[0], REFERENCES[1]],
        &[server.token],
    );
    assert!(
        untrusted[0].starts_with(&format!(
            "API_KEY: vault://secret/apps/web#api_key: cannot reach Vault at {address}: "
        )) && untrusted[0].contains("certificate"),
        "{untrusted:?}"
    );
    // A file that holds no certificate.
    let key = server
        .cacert
        .as_ref()
        .unwrap()
        .with_file_name("vault-key.pem");
    let mut wrong = vars.clone();
    wrong[2] = ("VAULT_CACERT", key.to_str().unwrap());
    assert_eq!(
        reasons(&wrong, &[server.token]),
        every(&format!(
            "VAULT_CACERT {}: holds no PEM certificate",
            key.display()
        ))
    );
}

#[test]
fn references_to_one_path_are_one_request_against_a_loopback_stand_in_for_vault() {
    let answer = serde_json::json!({"data": {"data": {"api_key": "k-1", "secret": "s-2"}}});
    let (port, requests) = stand_in("200 OK", answer.to_string());
    let address = format!("http://127.0.0.1:{port}");
    let vars = [
        ("VAULT_ADDR", address.as_str()),
        ("VAULT_TOKEN", "t"),
        ("API_KEY", "vault://secret/apps/web#api_key"),
        ("WEBHOOK_SECRET", "vault://secret/apps/web#secret"),
    ];
    let creds = Creds::from_source(&vars).unwrap();
    assert_eq!(creds.api_key.expose_secret(), "k-1");
    assert_eq!(creds.webhook_secret.expose_secret(), "s-2");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "one fetch for the path");
}

#[test]
fn a_repository_env_file_never_sends_the_machines_identity_or_a_file_it_names() {
    let (port, requests) = stand_in("200 OK", "{}".to_owned());
    let attacker = format!("http://127.0.0.1:{port}");
    let refused = |dotenv: String| {
        let dotenv = credenv::DotEnv::from_reader(dotenv.as_bytes(), "repo/.env").unwrap();
        let err = Creds::from_source(&dotenv).unwrap_err();
        err.invalid().map(ToString::to_string).collect::<Vec<_>>()
    };
    let kubernetes = refused(format!(
        "VAULT_ADDR={attacker}\nVAULT_AUTH_METHOD=kubernetes\nVAULT_ROLE=x\n\
         API_KEY=vault://secret/apps/web#api_key\nWEBHOOK_SECRET=vault://secret/apps/hooks#secret\n"
    ));
    assert_eq!(
        kubernetes,
        every(
            "VAULT_ADDR comes from the .env file repo/.env: a login sends the service-account token only to an address from the environment"
        )
    );
    let file = refused(format!(
        "VAULT_ADDR={attacker}\nVAULT_AUTH_METHOD=jwt\nVAULT_JWT_FILE=/etc/hostname\n\
         API_KEY=vault://secret/apps/web#api_key\nWEBHOOK_SECRET=vault://secret/apps/hooks#secret\n"
    ));
    assert_eq!(
        file,
        every(
            "VAULT_ADDR comes from the .env file repo/.env: a login sends the file VAULT_JWT_FILE names only to an address from the environment"
        )
    );
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[test]
fn a_mount_path_that_would_climb_out_of_auth_is_refused() {
    let vars = [
        ("VAULT_ADDR", "http://127.0.0.1:1"),
        ("VAULT_AUTH_METHOD", "approle"),
        ("VAULT_AUTH_PATH", ".\t./.\t./sys/seal"),
        REFERENCES[0],
        REFERENCES[1],
    ];
    assert_eq!(
        reasons(&vars, &[]),
        every("VAULT_AUTH_PATH is not a mount path (got \".\\t./.\\t./sys/seal\")")
    );
}

#[test]
fn a_vault_message_that_repeats_a_secret_is_dropped_against_a_loopback_stand_in() {
    let echo = serde_json::json!({"errors": [format!("invalid secret id {SECRET_ID}")]});
    let (port, _) = stand_in("400 Bad Request", echo.to_string());
    let address = format!("http://127.0.0.1:{port}");
    let vars = [
        ("VAULT_ADDR", address.as_str()),
        ("VAULT_AUTH_METHOD", "approle"),
        ("VAULT_ROLE_ID", ROLE_ID),
        ("VAULT_SECRET_ID", SECRET_ID),
        REFERENCES[0],
        REFERENCES[1],
    ];
    assert_eq!(
        reasons(&vars, &[SECRET_ID, ROLE_ID]),
        every("Vault login with approle at auth/approle failed (400 Bad Request)")
    );
    // A short secret too, and a JWT's parts.
    let echo = serde_json::json!({"errors": ["bad id a7", "bad claims eyJzdWIiOiJjaSJ9"]});
    let (port, _) = stand_in("400 Bad Request", echo.to_string());
    let address = format!("http://127.0.0.1:{port}");
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJlLWNhbmFyeQ";
    let short = [
        ("VAULT_ADDR", address.as_str()),
        ("VAULT_AUTH_METHOD", "approle"),
        ("VAULT_ROLE_ID", "r"),
        ("VAULT_SECRET_ID", "a7"),
        REFERENCES[0],
        REFERENCES[1],
    ];
    assert_eq!(
        reasons(&short, &[]),
        every(
            "Vault login with approle at auth/approle failed (400 Bad Request): bad claims eyJzdWIiOiJjaSJ9"
        )
    );
    let jwt_vars = [
        ("VAULT_ADDR", address.as_str()),
        ("VAULT_AUTH_METHOD", "jwt"),
        ("VAULT_JWT", jwt),
        REFERENCES[0],
        REFERENCES[1],
    ];
    assert_eq!(
        reasons(&jwt_vars, &[jwt]),
        every("Vault login with jwt at auth/jwt failed (400 Bad Request): bad id a7")
    );
}
