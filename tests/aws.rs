//! `aws-sm://` references and bundles against moto's AWS server on loopback,
//! with IAM access control on, so every request's SigV4 signature is checked.

// Like std's, the derived `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "support/servers.rs"]
mod servers;

use credenv::{Credentials, ExposeSecret, Origin, SecretString};
use servers::Moto;

const CANARY: &str = "canary-aws-2b7c94";

#[derive(Credentials)]
struct Creds {
    /// API key
    api_key: SecretString,
    /// Signing secret
    signing_secret: Option<SecretString>,
    #[credential(default = 8080)]
    port: u16,
}

fn with<'a>(
    moto: &'a [(&'static str, String)],
    vars: &[(&'static str, &'a str)],
) -> Vec<(&'static str, String)> {
    let mut all: Vec<(&'static str, String)> = moto.to_vec();
    all.extend(vars.iter().map(|(k, v)| (*k, (*v).to_owned())));
    all
}

#[test]
fn aws_references_resolve_against_moto() {
    let app = format!(r#"{{"api_key": "{CANARY}", "port": 8443}}"#);
    let moto = Moto::start(&[("prod/app", &app), ("prod/signing", "whsec-plain")]);
    let env = moto.env();
    let vars = with(
        &env,
        &[
            ("API_KEY", "aws-sm://prod/app#api_key"),
            ("SIGNING_SECRET", "aws-sm://prod/signing"),
            ("PORT", "aws-sm://prod/app#port"),
        ],
    );
    let loaded = Creds::load(&vars).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(
        loaded.signing_secret.as_ref().unwrap().expose_secret(),
        "whsec-plain"
    );
    assert_eq!(loaded.port, 8443);
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::Reference(
            "aws-sm://prod/app#api_key (AWS credentials: static keys)".into()
        ))
    );
    assert!(!format!("{:?} {:?}", *loaded, loaded.warnings()).contains("canary"));
}

#[test]
fn every_aws_fault_is_an_invalid_variable_naming_the_reference() {
    let moto = Moto::start(&[
        ("prod/app", r#"{"api_key": "k"}"#),
        ("prod/plain", "not json"),
    ]);
    let env = moto.env();
    let reasons = |vars: Vec<(&'static str, String)>| -> Vec<String> {
        let err = Creds::from_source(&vars).unwrap_err();
        let report = format!("{err} {err:?}");
        assert!(
            !report.contains(&moto.secret_access_key) && !report.contains("canary"),
            "{report}"
        );
        err.invalid().map(ToString::to_string).collect()
    };

    let faults = with(
        &env,
        &[
            ("API_KEY", "aws-sm://prod/missing"),
            ("SIGNING_SECRET", "aws-sm://prod/plain#key"),
            ("PORT", "aws-sm://prod/app#no_such_key"),
        ],
    );
    assert_eq!(
        reasons(faults),
        [
            // (moto answers 404 where AWS answers 400: the message goes by the exception.)
            "API_KEY: aws-sm://prod/missing: no secret prod/missing (404 Not Found)",
            "SIGNING_SECRET: aws-sm://prod/plain#key: the secret prod/plain is not JSON",
            "PORT: aws-sm://prod/app#no_such_key: no key \"no_such_key\" in the secret prod/app",
        ]
    );

    let mut wrong_key = env.clone();
    wrong_key[2].1 = "canary-wrong-secret-key".to_owned();
    wrong_key.push(("API_KEY", "aws-sm://prod/app#api_key".to_owned()));
    assert_eq!(
        reasons(wrong_key),
        [
            "API_KEY: aws-sm://prod/app#api_key: AWS rejected the credentials (SignatureDoesNotMatch, 403 Forbidden): \
          check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ]
    );
    let mut unknown_key = env.clone();
    unknown_key[1].1 = "AKIAUNKNOWN".to_owned();
    unknown_key.push(("API_KEY", "aws-sm://prod/app#api_key".to_owned()));
    assert!(reasons(unknown_key)[0].contains("AWS rejected the credentials (InvalidClientTokenId"));

    let down = format!("http://127.0.0.1:{}", servers::free_port());
    let mut unreachable = env.clone();
    unreachable[3].1 = down.clone();
    unreachable.push(("API_KEY", "aws-sm://prod/app#api_key".to_owned()));
    assert_eq!(
        reasons(unreachable),
        [format!(
            "API_KEY: aws-sm://prod/app#api_key: cannot reach AWS Secrets Manager at {down}"
        )]
    );
    let mut slow = env.clone();
    let silent = format!("http://127.0.0.1:{}", servers::silent_port());
    slow[3].1 = silent.clone();
    slow.push(("CREDENV_RESOLVE_TIMEOUT", "1s".to_owned()));
    slow.push(("API_KEY", "aws-sm://prod/app#api_key".to_owned()));
    assert_eq!(
        reasons(slow),
        [format!(
            "API_KEY: aws-sm://prod/app#api_key: AWS Secrets Manager at {silent} did not answer within 1s"
        )]
    );

    // No instance metadata here: its address is a closed loopback port.
    let no_metadata = (
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("http://127.0.0.1:{}", servers::free_port()),
    );
    let unconfigured = vec![
        no_metadata.clone(),
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "canary-secret".to_owned()),
        ("API_KEY", "aws-sm://prod/app".to_owned()),
    ];
    assert_eq!(
        reasons(unconfigured),
        [
            "API_KEY: aws-sm://prod/app: no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or region in the AWS profile"
        ]
    );
    let no_credentials = vec![
        no_metadata.clone(),
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("API_KEY", "aws-sm://prod/app".to_owned()),
        ("SIGNING_SECRET", "aws-sm://prod/signing".to_owned()),
    ];
    let tried = "no AWS credentials: tried AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profile default of the profile files (~/.aws/config and ~/.aws/credentials), web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI) and EC2 instance metadata";
    assert_eq!(
        reasons(no_credentials),
        [
            format!("API_KEY: aws-sm://prod/app: {tried}"),
            format!("SIGNING_SECRET: aws-sm://prod/signing: {tried}"),
        ]
    );
    let half = vec![
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE".to_owned()),
        ("API_KEY", "aws-sm://prod/app".to_owned()),
    ];
    assert_eq!(
        reasons(half),
        ["API_KEY: aws-sm://prod/app: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"]
    );
}

/// A whole secret (a JSON object) as a bundle.
#[derive(Credentials)]
#[credentials(bundle = "APP_SECRETS")]
struct Bundled {
    api_key: SecretString,
    #[credential(default = 8080)]
    port: u16,
}

#[test]
fn an_aws_secret_is_a_bundle() {
    let moto = Moto::start(&[
        (
            "prod/app",
            &format!(r#"{{"api_key": "{CANARY}", "port": 9000}}"#),
        ),
        ("prod/plain", "x"),
    ]);
    let env = moto.env();
    let loaded = Bundled::load(&with(&env, &[("APP_SECRETS", "aws-sm://prod/app")])).unwrap();
    assert_eq!(loaded.api_key.expose_secret(), CANARY);
    assert_eq!(loaded.port, 9000);
    assert_eq!(
        loaded.origin("API_KEY"),
        Some(&Origin::Bundle(
            "aws-sm://prod/app (AWS credentials: static keys)".into()
        ))
    );

    let err =
        Bundled::from_source(&with(&env, &[("APP_SECRETS", "aws-sm://prod/plain")])).unwrap_err();
    assert_eq!(
        err.missing().map(|m| m.var()).collect::<Vec<_>>(),
        ["API_KEY"]
    );
    assert_eq!(
        err.invalid().map(ToString::to_string).collect::<Vec<_>>(),
        ["APP_SECRETS: aws-sm://prod/plain: the secret prod/plain is not JSON"]
    );
}
