use credenv::Credentials;

#[derive(Credentials)]
#[credentials(profiles(selct = "MCP_ENV", production, production))]
struct Config {
    port: u16,
}

#[derive(Credentials)]
#[credentials(profiles(select = "MCP ENV"))]
struct Empty {
    port: u16,
}

fn main() {}
