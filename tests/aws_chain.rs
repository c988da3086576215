//! `aws-sm://` with no static key in the environment: AWS's default chain
//! against moto (STS and Secrets Manager, IAM checks on) for web identity,
//! profiles, `credential_process` and `role_arn`; and, since no EC2 or ECS
//! runs here, a loopback stand-in that follows the documented protocols of
//! the container endpoint and IMDSv2 (`tests/support/aws_metadata.py`).

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/servers.rs"]
mod servers;

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use credenv::{Credentials, ExposeSecret, Origin, SecretString};
use servers::{Moto, Server};

const CANARY: &str = "canary-aws-chain-5e81a2";
const TOKEN_CANARY: &str = "canary-identity-token-77c3f9d1";

#[derive(Credentials)]
struct Creds {
    /// API key
    api_key: SecretString,
    /// Signing secret
    signing_secret: Option<SecretString>,
}

fn temp(name: &str) -> PathBuf {
    common::fresh_dir("aws", name)
}

fn moto() -> Moto {
    Moto::start(&[
        ("prod/app", &format!(r#"{{"api_key": "{CANARY}"}}"#)),
        ("prod/signing", "whsec-2"),
    ])
}

/// What every test sets: moto for every AWS service (STS too), and
/// instance metadata at a closed port, so the chain never reaches for a
/// real one.
fn base(moto: &Moto) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", moto.server.address.clone()),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            format!("http://127.0.0.1:{}", servers::free_port()),
        ),
        ("API_KEY", "aws-sm://prod/app#api_key".to_owned()),
    ]
}

fn loads_through(vars: &[(&'static str, String)], through: &str) {
    let loaded = Creds::load(&vars.to_vec()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::Reference(format!(
            "aws-sm://prod/app#api_key (AWS credentials: {through})"
        )))
    );
}

fn error(vars: &[(&'static str, String)], secrets: &[&str]) -> String {
    let err = Creds::from_source(&vars.to_vec()).unwrap_err();
    let report = format!("{err} {err:?}");
    for secret in secrets.iter().chain(&[CANARY, TOKEN_CANARY]) {
        assert!(!report.contains(secret), "{report}");
    }
    err.to_string()
}

#[test]
fn web_identity_assumes_the_role_through_sts() {
    let moto = moto();
    let dir = temp("web-identity");
    let token = dir.join("token");
    std::fs::write(&token, TOKEN_CANARY).unwrap();
    let mut vars = base(&moto);
    vars.extend([
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", path(&token)),
        ("AWS_ROLE_ARN", moto.role_arn.clone()),
        ("AWS_ROLE_SESSION_NAME", "credenv-test".to_owned()),
    ]);
    // (base: endpoint, metadata, API_KEY; then region, token file, role.)
    loads_through(&vars, "web identity");

    // A token file that is not there.
    let mut missing = vars.clone();
    missing[4].1 = path(&dir.join("absent"));
    let err = error(&missing, &[]);
    assert!(
        err.contains(
            "API_KEY: aws-sm://prod/app#api_key: AWS_WEB_IDENTITY_TOKEN_FILE: cannot read "
        ) && err.ends_with("absent: No such file or directory (os error 2)"),
        "{err}"
    );

    // A FIFO with no writer: refused, not waited on.
    let fifo = dir.join("fifo");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo is needed for this test"
    );
    missing[4].1 = path(&fifo);
    let err = error(&missing, &[]);
    assert!(err.ends_with("fifo: not a regular file (a FIFO)"), "{err}");
}

#[test]
fn profiles_give_keys_region_a_credential_process_and_an_assumed_role() {
    let moto = moto();
    let home = temp("profiles");
    let aws = home.join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let process = home.join("credentials.sh");
    std::fs::write(
        &process,
        format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{}\", \"SecretAccessKey\": \"{}\"}}'\n",
            moto.access_key_id, moto.secret_access_key
        ),
    )
    .unwrap();
    let failing = home.join("failing.sh");
    std::fs::write(
        &failing,
        format!("#!/bin/sh\necho '{CANARY}' >&2\nexit 3\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    for script in [&process, &failing] {
        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[dev]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            moto.access_key_id, moto.secret_access_key
        ),
    )
    .unwrap();
    std::fs::write(
        aws.join("config"),
        format!(
            "[profile dev]\nregion = eu-west-1\n\n\
             [profile proc]\nregion = eu-west-1\ncredential_process = {}\n\n\
             [profile assumer]\nregion = eu-west-1\nrole_arn = {}\nsource_profile = dev\n\n\
             [profile failing]\nregion = eu-west-1\ncredential_process = {}\n",
            process.display(),
            moto.role_arn,
            failing.display()
        ),
    )
    .unwrap();
    let with_profile = |profile: &str| {
        let mut vars = base(&moto);
        vars.push(("HOME", path(&home)));
        vars.push(("AWS_PROFILE", profile.to_owned()));
        vars
    };
    // The region comes from the profile too: AWS_REGION is not set.
    loads_through(&with_profile("dev"), "profile dev");
    loads_through(&with_profile("proc"), "profile proc, credential_process");
    loads_through(&with_profile("assumer"), "profile assumer, role assumed");

    // A failing credential_process: its exit shown, its stderr not.
    let err = error(&with_profile("failing"), &[]);
    assert!(
        err.contains("AWS's credential chain failed: ") && err.contains("exited with"),
        "{err}"
    );

    let mut nosuch = with_profile("nosuch");
    nosuch.push(("AWS_REGION", "eu-west-1".to_owned()));
    let err = error(&nosuch, &[&moto.secret_access_key]);
    assert!(
        err.contains("API_KEY: aws-sm://prod/app#api_key: no AWS credentials: ")
            && err.contains("profile nosuch of the profile files"),
        "{err}"
    );
}

/// The stand-in, handing out moto's temporary credentials of the role.
fn metadata_stand_in(moto: &Moto, container_token: &str) -> Server {
    let python = servers::tool("CREDENV_MOTO_SERVER", "moto's server").with_file_name("python");
    let port = servers::free_port();
    let keys = serde_json::json!({
        "id": moto.temporary.0, "secret": moto.temporary.1, "token": moto.temporary.2,
    });
    let keys_file = temp(&format!("metadata-{port}")).join("keys.json");
    std::fs::write(&keys_file, keys.to_string()).unwrap();
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!(
            "exec {} tests/support/aws_metadata.py {port} {container_token} < {}",
            python.display(),
            keys_file.display()
        ),
    ]);
    Server::start(command, port, "http")
}

fn requests(server: &Server) -> Vec<String> {
    std::fs::read_to_string(server.log())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_container_endpoint_is_asked_once_with_its_token_loopback_stand_in() {
    let moto = moto();
    let container_token = "canary-container-token-0b9e";
    let stand_in = metadata_stand_in(&moto, container_token);
    let mut vars = base(&moto);
    vars.extend([
        ("AWS_REGION", "eu-west-1".to_owned()),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/v2/credentials/task", stand_in.address),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            container_token.to_owned(),
        ),
        ("SIGNING_SECRET", "aws-sm://prod/signing".to_owned()),
    ]);
    let loaded = Creds::load(&vars).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(
        loaded.signing_secret.as_ref().unwrap().expose_secret(),
        "whsec-2"
    );
    assert_eq!(
        loaded.origin("SIGNING_SECRET"),
        Some(&Origin::Reference(
            "aws-sm://prod/signing (AWS credentials: container endpoint)".into()
        ))
    );
    // The status report names the provider, never a key.
    let status = credenv::mcp::status(&loaded).to_string();
    assert!(
        status.contains("reference aws-sm://prod/signing (AWS credentials: container endpoint)"),
        "{status}"
    );
    for secret in [&*moto.temporary.1, &*moto.temporary.2, container_token] {
        assert!(!status.contains(secret), "{status}");
    }
    // One caller for the load, however many references.
    assert_eq!(requests(&stand_in), ["GET /v2/credentials/task authorized"]);

    // The token from a file (EKS Pod Identity's way), and a wrong one.
    let dir = temp("container-token");
    std::fs::write(dir.join("token"), container_token).unwrap();
    let mut from_file = vars.clone();
    from_file[5] = (
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        path(&dir.join("token")),
    );
    loads_through(&from_file[..6], "container endpoint");
    let mut wrong = vars.clone();
    wrong[5].1 = "canary-wrong-container-token".to_owned();
    let err = error(
        &wrong[..6],
        &["canary-wrong-container-token", container_token],
    );
    assert!(
        err.contains("API_KEY: aws-sm://prod/app#api_key: AWS's credential chain failed"),
        "{err}"
    );
}

#[test]
fn ec2_instance_metadata_gives_the_roles_credentials_loopback_stand_in() {
    let moto = moto();
    let stand_in = metadata_stand_in(&moto, "unused");
    let mut vars = base(&moto);
    vars[1].1 = stand_in.address.clone();
    vars.push(("AWS_REGION", "eu-west-1".to_owned()));
    loads_through(&vars, "EC2 instance metadata");
    let seen = requests(&stand_in);
    assert_eq!(seen[0], "PUT /latest/api/token authorized", "{seen:?}");
    assert!(
        seen[1..].iter().all(|r| r.ends_with(" authorized")),
        "{seen:?}"
    );
}

#[test]
fn a_dotenv_reference_never_uses_the_machines_credentials() {
    let moto = moto();
    let home = temp("dotenv");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        format!(
            "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            moto.access_key_id, moto.secret_access_key
        ),
    )
    .unwrap();
    let env = [("HOME", path(&home))];
    let dotenv = credenv::DotEnv::from_reader(
        format!(
            "AWS_REGION=eu-west-1\nAWS_ENDPOINT_URL={}\nAPI_KEY=aws-sm://prod/app#api_key\n",
            moto.server.address
        )
        .as_bytes(),
        "repo/.env",
    )
    .unwrap();
    let err = Creds::from_source(&(env.clone(), dotenv)).unwrap_err();
    assert!(
        err.to_string().contains(
            "API_KEY: aws-sm://prod/app#api_key: no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the .env file repo/.env: \
             AWS's default chain (profiles, web identity, container, instance metadata) serves references from the process environment only"
        ),
        "{err}"
    );
    // A profile chosen by the environment does not serve a `.env`'s reference.
    let env = [("HOME", path(&home)), ("AWS_PROFILE", "default".to_owned())];
    let dotenv = credenv::DotEnv::from_reader(
        "API_KEY=aws-sm://prod/app#api_key\n".as_bytes(),
        "repo/.env",
    )
    .unwrap();
    let err = Creds::from_source(&(env, dotenv)).unwrap_err();
    assert!(
        err.to_string().contains(
            "the reference comes from the .env file repo/.env but AWS_PROFILE from the environment"
        ),
        "{err}"
    );
}

fn path(path: &Path) -> String {
    path.display().to_string()
}
