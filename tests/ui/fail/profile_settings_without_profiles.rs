use credenv::Credentials;

#[derive(Credentials)]
struct Config {
    #[credential(profile)]
    environment: String,
    #[credential(profiles(production(default = 443)))]
    port: u16,
}

fn main() {}
