use credenv::Credentials;

#[derive(Credentials)]
#[credentials(bundle = "APP_SECRETS")]
struct Config {
    // The bundle's own variable.
    app_secrets: String,
}

#[derive(Credentials)]
#[credentials(bundle = "", profiles(select = "MCP_ENV", production))]
struct Empty {
    port: u16,
}

#[derive(Credentials)]
#[credentials(bundle = "MCP_ENV", profiles(select = "MCP_ENV", production))]
struct Both {
    port: u16,
}

fn main() {}
