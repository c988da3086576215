use credenv::Credentials;

#[derive(Credentials)]
#[credentials(profiles(select = "MCP_ENV", staging, production))]
struct Config {
    #[credential(profile, env = "ENVIRONMENT")]
    environment: String,
    #[credential(profile)]
    again: Option<String>,
}

fn main() {}
