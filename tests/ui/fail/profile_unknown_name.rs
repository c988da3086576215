use credenv::Credentials;

#[derive(Credentials)]
#[credentials(profiles(select = "MCP_ENV", default = "dev", development(non_production), production))]
struct Config {
    #[credential(profiles(prod(default = "https://api.example.com")))]
    base_url: String,
}

fn main() {}
