use credenv::Credentials;

#[derive(Credentials)]
#[credentials(profiles(select = "MCP_ENV", staging(prefix = "S_"), production(prefix = "P_")))]
struct Config {
    api_key: String,
    // Reads P_API_KEY in production, like `api_key` does.
    #[credential(profiles(production(env = "P_API_KEY")))]
    backup_key: Option<String>,
    // The selecting variable is taken.
    #[credential(env = "MCP_ENV")]
    environment: String,
}

fn main() {}
