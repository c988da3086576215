//! The holes a line-by-line security review found, one test each (the
//! review's item numbers in the names). Each failed before its fix.
//! Server-backed cases run against OpenBao and moto (tests/support/servers.rs);
//! where a server must misbehave (redirect, answer too much), a loopback
//! stand-in does, and its name says so.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/servers.rs"]
mod servers;

#[path = "support/common.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use credenv::{Credentials, DotEnv, Env, ExposeSecret, SecretString, SecretsDir, Source, Value};

const CANARY: &str = "canary-hardening-3e9a1f";

fn temp(name: &str) -> PathBuf {
    common::fresh_dir("hardening", name)
}

/// A loopback HTTP stand-in: answers every request with `answer`, and keeps
/// each request's head.
struct StandIn {
    address: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl StandIn {
    fn start(answer: String) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut head = vec![0; 16 * 1024];
                let read = stream.read(&mut head).unwrap_or(0);
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head[..read]).into_owned());
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        StandIn { address, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[derive(Credentials)]
struct Key {
    /// API key
    api_key: SecretString,
}

#[derive(Credentials)]
struct Port {
    /// Port
    port: u16,
}

fn error_text<T: Credentials>(source: &dyn Source) -> String {
    match T::load(&source) {
        Ok(_) => panic!("the load succeeded"),
        Err(e) => format!("{e}\n{e:?}"),
    }
}

// 1. The `.env` expansion bound does not depend on how names are read.

fn refused(text: &str) -> bool {
    match DotEnv::from_reader(text.as_bytes(), ".env") {
        Err(e) => e.to_string().contains("could expand to more than 1 MiB"),
        Ok(_) => false,
    }
}

#[test]
fn item_1_expansion_bombs_are_refused_however_names_are_read() {
    let seed = format!("A={}\n", "x".repeat(64));
    // dotenvy reads `$A_` as `$A` and `_`: a name-reading guard saw `A_`.
    let bare: String = (0..6)
        .map(|_| format!("A={}\n", "$A_".repeat(10)))
        .collect();
    assert!(refused(&format!("{seed}{bare}")), "bare $A_ chain");
    // `${A.B}` is dotenvy's key `A.B`.
    let dotted: String = (0..6)
        .map(|_| format!("A.B={}\n", "${A.B}".repeat(10)))
        .collect();
    assert!(
        refused(&format!("A.B=xxxxxxxxxxxxxxxx\n{dotted}")),
        "dotted"
    );
    // A `NAME=` inside a quoted value that spans lines is not a new entry.
    let quoted: String = (0..6)
        .map(|_| format!("A=\"\nB=x\n{}\"\n", "${A}".repeat(10)))
        .collect();
    assert!(refused(&format!("{seed}{quoted}")), "multi-line quoted");
    // Bytes that are not UTF-8 after the chain: dotenvy substitutes every
    // line before them (found by a review of the fix).
    let mut tail = format!("{seed}{bare}").into_bytes();
    tail.extend_from_slice(b"#\xff\n");
    assert!(
        DotEnv::from_reader(&tail[..], ".env")
            .is_err_and(|e| e.to_string().contains("could expand")),
        "a non-UTF-8 tail"
    );
    // A single-quoted `${` hides nothing: dotenvy substitutes the rest.
    let quoted_brace: String = (0..6)
        .map(|_| format!("A={}\n", "'${'${A}".repeat(10)))
        .collect();
    assert!(refused(&format!("{seed}{quoted_brace}")), "quoted brace");
    // Blank space that dotenvy would re-trim after every line it reads.
    let slow = format!("{}A=\"{}\"\n", " ".repeat(200_000), "\n".repeat(200_000));
    let err = DotEnv::from_reader(slow.as_bytes(), ".env").unwrap_err();
    assert!(err.to_string().contains("would take too long"), "{err}");
    // Ordinary files with many references are not refused.
    let ordinary: String = (0..200)
        .map(|i| format!("URL_{i}=https://${{HOST}}:${{PORT}}/v1/${{PATH_{i}}}\n"))
        .collect();
    let ordinary = format!("HOST=api.example.com\nPORT=443\n{ordinary}");
    assert!(DotEnv::from_reader(ordinary.as_bytes(), ".env").is_ok());
}

// 2. Tokens never follow redirects, and cleartext endpoints are refused.

#[test]
fn item_2_cleartext_endpoints_off_loopback_are_refused() {
    for (var, reference) in [
        ("VAULT_ADDR", "vault://secret/app#key"),
        ("BAO_ADDR", "vault://secret/app#key"),
        ("AWS_ENDPOINT_URL", "aws-sm://app"),
    ] {
        let vars = [
            (var, "http://secrets.example.com:8200"),
            ("VAULT_TOKEN", CANARY),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKIA"),
            ("AWS_SECRET_ACCESS_KEY", CANARY),
            ("API_KEY", reference),
        ];
        let err = error_text::<Key>(&vars);
        assert!(
            err.contains(&format!(
                "{var} is http:// to secrets.example.com: https is required, except on a loopback host"
            )),
            "{err}"
        );
        assert!(!err.contains(CANARY), "{err}");
    }
    let token_url = credenv::Url::parse("http://idp.example.com/token").unwrap();
    let err = credenv::oauth::TokenManager::builder("id", token_url)
        .build()
        .err()
        .unwrap();
    assert!(err.to_string().contains("https is required"), "{err}");
}

#[test]
fn item_2_a_redirect_is_not_followed_loopback_stand_in() {
    let target = StandIn::start(ok(r#"{"data":{"data":{"key":"stolen"}}}"#));
    let redirect = StandIn::start(format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {}/v1/secret/data/app\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        target.address
    ));
    let vars = [
        ("VAULT_ADDR", redirect.address.as_str()),
        ("VAULT_TOKEN", CANARY),
        ("API_KEY", "vault://secret/app#key"),
    ];
    let err = error_text::<Key>(&vars);
    assert!(
        target.requests().is_empty(),
        "the token followed the redirect"
    );
    assert_eq!(redirect.requests().len(), 1);
    assert!(!err.contains(CANARY), "{err}");
}

// 3. A value fetched for a non-secret field is never quoted.

#[test]
fn item_3_a_value_from_a_file_is_not_quoted_for_a_non_secret_field() {
    let dir = temp("item3");
    let file = dir.join("port");
    std::fs::write(&file, format!("{{\"password\":\"{CANARY}\"}}")).unwrap();
    let path = file.display().to_string();
    let err = error_text::<Port>(&[("PORT_FILE", path.as_str())]);
    assert!(
        err.contains("PORT (from file ")
            && err.contains(": expected u16 (value hidden: read from a file)"),
        "{err}"
    );
    assert!(!err.contains(CANARY), "{err}");

    let secrets = dir.join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    std::fs::write(secrets.join("port"), CANARY).unwrap();
    let err = error_text::<Port>(&SecretsDir::new(&secrets));
    assert!(!err.contains(CANARY), "{err}");

    let dotenv = DotEnv::from_reader(format!("PORT={CANARY}\n").as_bytes(), ".env").unwrap();
    let err = error_text::<Port>(&dotenv);
    assert!(!err.contains(CANARY), "{err}");
}

#[test]
fn item_3_a_whole_aws_secret_for_a_forgotten_key_is_not_quoted() {
    let json = format!(r#"{{"password":"{CANARY}","port":"8443"}}"#);
    let moto = servers::Moto::start(&[("app", &json)]);
    let mut vars: Vec<(&str, String)> = moto.env();
    vars.push(("PORT", "aws-sm://app".to_owned()));
    let err = error_text::<Port>(&vars);
    assert!(
        err.contains("PORT (from reference aws-sm://app (AWS credentials: static keys)): expected u16 (value hidden: resolved from a reference)"),
        "{err}"
    );
    assert!(!err.contains("canary"), "{err}");
}

// 4. `Value`'s `Debug` never shows the text.

#[test]
fn item_4_a_values_debug_is_redacted() {
    let shown = format!("{:?}", Value::new(CANARY));
    assert!(!shown.contains(CANARY), "{shown}");
    let vars = [("API_KEY", CANARY)];
    let shown = format!("{:?}", vars.get("API_KEY"));
    assert!(!shown.contains(CANARY), "{shown}");
    let shown = format!("{:?}", Env.get("PATH"));
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

// 6. `NAME_FILE` never hangs on a FIFO or a device, and never reads stdin.

/// Runs `load` on a thread, failing the test (instead of hanging it) when it
/// does not return within ten seconds.
fn within_10s<T: Send + 'static>(load: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(load());
    });
    receive
        .recv_timeout(Duration::from_secs(10))
        .expect("the load hung")
}

#[test]
fn item_6_a_fifo_or_device_as_name_file_is_refused_without_blocking() {
    let dir = temp("item6");
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed");
    let fifo = fifo.display().to_string();
    for path in [fifo.clone(), "/dev/stdin".into(), "/dev/zero".into()] {
        let shown = path.clone();
        let err = within_10s(move || error_text::<Key>(&[("API_KEY_FILE", path.as_str())]));
        assert!(err.contains("not a regular file"), "{shown}: {err}");
    }
    // The token file too.
    let token_url = credenv::Url::parse("http://127.0.0.1:9/token").unwrap();
    let err = within_10s(move || {
        credenv::oauth::TokenManager::builder("id", token_url)
            .token_file(fifo)
            .build()
            .err()
            .map(|e| e.to_string())
    });
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("not a regular file (a FIFO)")),
        "{err:?}"
    );
}

// 8. `VarSpec`'s `Debug` hides a secret's (non-production) default.

#[derive(Credentials)]
#[credentials(profiles(select = "APP_ENV", dev(non_production), prod))]
struct Profiled {
    /// API key
    #[credential(profiles(dev(default = "canary-hardening-3e9a1f")))]
    api_key: SecretString,
}

#[test]
fn item_8_a_var_specs_debug_hides_a_secrets_default() {
    let shown = format!(
        "{:?} {:#?}",
        Profiled::vars_for_profile("dev"),
        Profiled::vars_for_profile("dev")
    );
    assert!(shown.contains("[REDACTED]"), "{shown}");
    assert!(!shown.contains(CANARY), "{shown}");
}

// 9. A validator's message about a secret is never shown, in any form.

#[derive(Credentials)]
struct Validated {
    /// Token
    #[credential(validate = escaped)]
    token: SecretString,
    /// Account (from a file here, so treated as secret)
    #[credential(validate = escaped_plain)]
    account: Option<String>,
}

fn escaped(token: &SecretString) -> Result<(), String> {
    Err(format!("bad token {:?}", token.expose_secret()))
}

fn escaped_plain(account: &str) -> Result<(), String> {
    Err(format!("bad account {account:?}"))
}

#[test]
fn item_9_a_validators_message_about_a_secret_is_hidden() {
    // `{:?}` escapes the quote: a filter on the raw text missed it.
    let secret = format!("{CANARY}\"quoted");
    let dir = temp("item9");
    std::fs::write(dir.join("account"), &secret).unwrap();
    let account = dir.join("account").display().to_string();
    let vars = [("TOKEN", secret.as_str()), ("ACCOUNT_FILE", &account)];
    let err = error_text::<Validated>(&vars);
    assert!(
        err.contains("TOKEN: rejected by its validator (message hidden: secret)"),
        "{err}"
    );
    assert!(
        err.contains("): rejected by its validator (message hidden: read from a file)"),
        "{err}"
    );
    assert!(!err.contains("canary"), "{err}");
}

// 10. An endpoint and the credential sent to it come from one layer, and a
// bundle never configures a resolver.

#[test]
fn item_10_a_dotenv_endpoint_never_receives_the_environments_token() {
    let attacker = StandIn::start(ok(r#"{"data":{"data":{"key":"x"}}}"#));
    let dotenv = DotEnv::from_reader(
        format!("VAULT_ADDR={}\n", attacker.address).as_bytes(),
        "repo/.env",
    )
    .unwrap();
    let env = [
        ("VAULT_TOKEN", CANARY),
        ("API_KEY", "vault://secret/app#key"),
    ];
    let err = error_text::<Key>(&(env, dotenv));
    assert!(
        err.contains(
            "VAULT_ADDR comes from the .env file repo/.env but VAULT_TOKEN from the environment"
        ),
        "{err}"
    );
    assert!(attacker.requests().is_empty(), "the token was sent");
    assert!(!err.contains(CANARY), "{err}");
}

#[derive(Credentials)]
#[credentials(bundle = "APP_SECRETS")]
struct Bundled {
    /// API key
    api_key: SecretString,
    /// Webhook
    webhook: Option<SecretString>,
}

#[test]
fn item_10_a_bundle_never_supplies_resolver_settings() {
    let bao = servers::Bao::start();
    let attacker = StandIn::start(ok(r#"{"data":{"data":{"key":"x"}}}"#));
    bao.put(
        "apps/web",
        &[
            ("api_key", "k-1"),
            ("vault_addr", attacker.address.as_str()),
            ("bao_addr", attacker.address.as_str()),
        ],
    );
    bao.put("apps/hook", &[("secret", "whsec-1")]);
    let vars = [
        ("BAO_ADDR", bao.server.address.as_str()),
        ("BAO_TOKEN", bao.token),
        ("APP_SECRETS", "vault://secret/apps/web"),
        ("WEBHOOK", "vault://secret/apps/hook#secret"),
    ];
    let loaded = Bundled::load(&vars).unwrap();
    assert_eq!(loaded.webhook.as_ref().unwrap().expose_secret(), "whsec-1");
    assert!(
        attacker.requests().is_empty(),
        "the bundle redirected Vault"
    );

    // A bundle's value is never itself resolved: whoever writes the bundle
    // would choose what the environment's token fetches.
    bao.put(
        "apps/web",
        &[
            ("api_key", "k-1"),
            ("webhook", "vault://secret/apps/hook#secret"),
        ],
    );
    let err = error_text::<Bundled>(&&vars[..3]);
    assert!(
        err.contains("is a value of the bundle, which is never resolved as a reference"),
        "{err}"
    );
    assert!(
        !err.contains("apps/hook"),
        "a bundle's value is hidden: {err}"
    );
}

// Found by a cold review of the fixes above.

#[test]
fn review_a_reference_in_dotenv_is_not_resolved_with_the_environments_token() {
    let vault = StandIn::start(ok(r#"{"data":{"data":{"key":"prod-secret"}}}"#));
    let env = [
        ("VAULT_ADDR", vault.address.as_str()),
        ("VAULT_TOKEN", CANARY),
    ];
    let dotenv =
        DotEnv::from_reader(&b"API_KEY=vault://secret/prod#key\n"[..], "repo/.env").unwrap();
    let err = error_text::<Key>(&(env, dotenv));
    assert!(
        err.contains(
            "the reference comes from the .env file repo/.env but VAULT_TOKEN from the environment"
        ),
        "{err}"
    );
    assert!(vault.requests().is_empty(), "the reference was resolved");
}

#[test]
fn review_hostile_settings_are_named_errors() {
    let vars = [
        ("AWS_REGION", "evil.example/"),
        ("AWS_ACCESS_KEY_ID", "AKIA"),
        ("AWS_SECRET_ACCESS_KEY", CANARY),
        ("API_KEY", "aws-sm://app"),
    ];
    let err = error_text::<Key>(&vars);
    assert!(err.contains("AWS_REGION is not a region name"), "{err}");
    let vars = [
        ("CREDENV_RESOLVE_TIMEOUT", "100years"),
        ("API_KEY", "vault://secret/app#key"),
    ];
    let err = error_text::<Key>(&vars);
    assert!(err.contains("CREDENV_RESOLVE_TIMEOUT is over 5m"), "{err}");
    let err = error_text::<Key>(&[("API_KEY", "vault://secret/../sys/seal#k")]);
    assert!(err.contains("malformed reference"), "{err}");
}

// 13. Every answer's size is capped.

#[test]
fn item_13_an_endless_answer_is_cut_off_loopback_stand_in() {
    let huge = format!(
        r#"{{"data":{{"data":{{"key":"{}"}}}}}}"#,
        "x".repeat(3 << 20)
    );
    let server = StandIn::start(ok(&huge));
    let vars = [
        ("VAULT_ADDR", server.address.as_str()),
        ("VAULT_TOKEN", CANARY),
        ("API_KEY", "vault://secret/app#key"),
    ];
    let err = error_text::<Key>(&vars);
    assert!(
        err.contains(&format!(
            "Vault at {} answered with more than 1024 KiB",
            server.address
        )),
        "{err}"
    );
}

// 14. SigV4 signs the endpoint's path. moto does not check the signed path,
// so a loopback stand-in takes the request and botocore checks it.

#[test]
fn item_14_an_aws_endpoint_with_a_path_is_signed_for_that_path_botocore_check() {
    let server = StandIn::start(ok(r#"{"SecretString":"s-1"}"#));
    let secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let endpoint = format!("{}/gateway/secrets%20manager/", server.address);
    let vars = [
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", secret_key),
        ("AWS_ENDPOINT_URL", &endpoint),
        ("API_KEY", "aws-sm://app"),
    ];
    let loaded = Key::load(&vars).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "s-1");
    let request = server.requests().pop().unwrap();
    assert!(
        request.starts_with("POST /gateway/secrets%20manager HTTP/1.1"),
        "{request}"
    );
    let python = servers::tool("CREDENV_MOTO_SERVER", "moto's server").with_file_name("python");
    let mut check = std::process::Command::new(python)
        .args(["tests/support/sigv4_check.py", secret_key])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(request.as_bytes())
        .unwrap();
    let out = check.wait_with_output().unwrap();
    let verdict = String::from_utf8_lossy(&out.stdout);
    assert_eq!(verdict.trim(), "match", "botocore: {verdict}");
}

// 15. A secrets directory's links stay inside it; kebab-case keys are found.

#[test]
fn item_15_a_secrets_directory_link_out_of_it_is_refused() {
    let dir = temp("item15");
    let outside = dir.join("outside");
    std::fs::write(&outside, CANARY).unwrap();
    let secrets = dir.join("secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    std::os::unix::fs::symlink(&outside, secrets.join("api_key")).unwrap();
    let err = error_text::<Key>(&SecretsDir::new(&secrets));
    assert!(err.contains("links outside the secrets directory"), "{err}");
    assert!(!err.contains(CANARY), "{err}");
    std::fs::remove_file(secrets.join("api_key")).unwrap();
    std::os::unix::fs::symlink("../outside", secrets.join("api_key")).unwrap();
    let err = error_text::<Key>(&SecretsDir::new(&secrets));
    assert!(err.contains("links outside"), "{err}");
}

#[test]
fn item_15_the_kubelets_layout_and_kebab_case_keys_load() {
    // What the kubelet's atomic writer makes for a Secret volume.
    let dir = temp("item15-kubelet");
    let data = dir.join("..2026_12_03_08_00_00.123456789");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("api-key"), "k-kebab\n").unwrap();
    std::os::unix::fs::symlink("..2026_12_03_08_00_00.123456789", dir.join("..data")).unwrap();
    std::os::unix::fs::symlink("..data/api-key", dir.join("api-key")).unwrap();
    let loaded = Key::load(&SecretsDir::new(&dir)).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "k-kebab");
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&credenv::Origin::SecretsDir(dir.join("api-key")))
    );
    // `NAME`, then `name`, then `name-with-dashes`.
    std::fs::write(dir.join("api_key"), "k-lower").unwrap();
    let loaded = Key::load(&SecretsDir::new(&dir)).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "k-lower");
    std::fs::write(dir.join("API_KEY"), "k-upper").unwrap();
    let loaded = Key::load(&SecretsDir::new(&dir)).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), "k-upper");
}

/// The runtime's unsafe code is one module, which reads the environment in
/// place (`deny(unsafe_code)` lets a module allow it; this keeps it to one).
#[test]
fn unsafe_code_is_allowed_in_one_module_only() {
    fn files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            match path.is_dir() {
                true => files(&path, out),
                false => out.push(path),
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("runtime/src");
    let mut all = Vec::new();
    files(&root, &mut all);
    let allowing: Vec<String> = all
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path).is_ok_and(|s| s.contains("allow(unsafe_code)"))
        })
        .map(|path| path.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert_eq!(allowing, ["source/env/environ.rs"]);
}
