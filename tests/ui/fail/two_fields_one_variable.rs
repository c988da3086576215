use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    api_key: String,
    #[credential(env = "API_KEY")]
    backup_key: String,
}

fn main() {}
