use credenv::{Credentials, SecretString};

#[derive(Credentials)]
#[credentials(profiles(
    select = "MCP_ENV",
    development(prefix = "DEV_", non_production),
    staging(prefix = "STAGING_"),
))]
struct Config {
    // Fine: development is marked non_production.
    #[credential(profiles(development(default = "dev-key-for-testing")))]
    api_key: SecretString,
    // A credential hardcoded for staging.
    #[credential(profiles(staging(default = "staging-key")))]
    staging_key: SecretString,
    // A plain default reaches every profile, production ones included.
    #[credential(default = "shared-key")]
    shared_key: SecretString,
}

fn main() {}
