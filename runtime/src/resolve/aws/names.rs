//! The settings AWS's resolver reads: those of AWS's default chain that
//! choose, prove or direct the credentials, and the endpoints.

/// Static keys: read by credenv itself (zeroized), never handed to the chain.
pub(super) const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub(super) const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub(super) const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
pub(super) const STATIC_KEYS: [&str; 3] = [ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN];

pub(super) const REGION: &[&str] = &["AWS_REGION", "AWS_DEFAULT_REGION"];
pub(super) const ENDPOINT: &[&str] = &["AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"];
pub(super) const PROFILE: &str = "AWS_PROFILE";
/// The chain's switch for EC2 instance metadata.
pub(super) const METADATA_DISABLED: &str = "AWS_EC2_METADATA_DISABLED";

/// Where the profile files are: `~/.aws` (on Windows, `%USERPROFILE%`).
pub(super) const HOMES: &[&str] = &["HOME", "USERPROFILE"];

/// The profile files, and where they are when not named.
pub(super) const PROFILE_FILES: [(&str, &str); 2] = [
    ("AWS_CONFIG_FILE", "~/.aws/config"),
    ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
];
/// Token files a setting names: web identity's, the container endpoint's.
pub(super) const TOKEN_FILES: [&str; 2] = [
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// Everything that selects, proves or directs the credentials of a load,
/// the region and the endpoints among them: a reference is resolved only
/// when each of these that is set comes from its own source layer, so the
/// chain sees one layer. (AWS's other settings, such as retries and FIPS,
/// keep the chain's defaults.)
pub(super) const CREDENTIALS: &[&str] = &[
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_SSO_OIDC",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    PROFILE,
    PROFILE_FILES[0].0,
    PROFILE_FILES[1].0,
    TOKEN_FILES[0],
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    TOKEN_FILES[1],
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    METADATA_DISABLED,
];

/// Secrets among the chain's settings: dropped from any message it gives.
pub(super) const SECRETS: &[&str] = &[
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
];
