use credenv::Credentials;

#[derive(Credentials)]
#[credentials(profiles(select = "MCP_ENV", staging, production))]
struct Config {
    #[credential(profiles(production(required)))]
    port: u16,
    #[credential(profiles(staging(default = "x"), staging(env = "Y")))]
    webhook: Option<String>,
}

fn main() {}
