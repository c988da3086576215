use credenv::{Credentials, SecretString};

#[derive(Credentials)]
struct Creds {
    token: SecretString,
    token_file: Option<String>,
}

fn main() {}
