use credenv::{Credentials, SecretString};

#[derive(Credentials)]
struct Creds {
    #[credential(default = "dev-key-for-testing")]
    api_key: SecretString,
    #[credential(secret, default = "postgres://admin:admin@localhost/db")]
    database_url: String,
}

fn main() {}
