//! The settings Vault's resolver reads, each with OpenBao's alias.

pub(super) const ADDRESS: &[&str] = &["VAULT_ADDR", "BAO_ADDR"];
pub(super) const TOKEN: &[&str] = &["VAULT_TOKEN", "BAO_TOKEN"];
pub(super) const NAMESPACE: &[&str] = &["VAULT_NAMESPACE", "BAO_NAMESPACE"];
pub(super) const AUTH_METHOD: &[&str] = &["VAULT_AUTH_METHOD", "BAO_AUTH_METHOD"];
pub(super) const AUTH_PATH: &[&str] = &["VAULT_AUTH_PATH", "BAO_AUTH_PATH"];
pub(super) const ROLE_ID: &[&str] = &["VAULT_ROLE_ID", "BAO_ROLE_ID"];
pub(super) const SECRET_ID: &[&str] = &["VAULT_SECRET_ID", "BAO_SECRET_ID"];
pub(super) const SECRET_ID_FILE: &[&str] = &["VAULT_SECRET_ID_FILE", "BAO_SECRET_ID_FILE"];
pub(super) const ROLE: &[&str] = &["VAULT_ROLE", "BAO_ROLE"];
pub(super) const JWT: &[&str] = &["VAULT_JWT", "BAO_JWT"];
pub(super) const JWT_FILE: &[&str] = &["VAULT_JWT_FILE", "BAO_JWT_FILE"];
pub(super) const CACERT: &[&str] = &["VAULT_CACERT", "BAO_CACERT"];

/// The settings besides the credentials, for `DECLARED`.
pub(super) const OTHERS: &[&str] = &[
    "VAULT_ADDR",
    "BAO_ADDR",
    "VAULT_NAMESPACE",
    "BAO_NAMESPACE",
    "VAULT_CACERT",
    "BAO_CACERT",
    // Where `~/.vault-token` is.
    "HOME",
];

/// What selects or proves the identity a load uses: a reference is
/// resolved only with these from its own source layer, and each (as the
/// namespace and the CA) must come from the address's layer, since it is
/// sent there.
pub(super) const CREDENTIALS: &[&str] = &[
    "VAULT_TOKEN",
    "BAO_TOKEN",
    "VAULT_AUTH_METHOD",
    "BAO_AUTH_METHOD",
    "VAULT_AUTH_PATH",
    "BAO_AUTH_PATH",
    "VAULT_ROLE_ID",
    "BAO_ROLE_ID",
    "VAULT_SECRET_ID",
    "BAO_SECRET_ID",
    "VAULT_SECRET_ID_FILE",
    "BAO_SECRET_ID_FILE",
    "VAULT_ROLE",
    "BAO_ROLE",
    "VAULT_JWT",
    "BAO_JWT",
    "VAULT_JWT_FILE",
    "BAO_JWT_FILE",
];
