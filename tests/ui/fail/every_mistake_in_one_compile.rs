use credenv::{Credentials, SecretString};

#[derive(Credentials)]
struct Creds {
    #[credential(default = "sk-test")]
    api_key: SecretString,
    #[credential(default = 1)]
    retries: Option<u8>,
    #[credential(env = "API_KEY")]
    key_again: String,
    #[credential(split = ",")]
    scope: String,
    #[credential(enviroment = "X")]
    other: String,
}

fn main() {
    // No cascade: the stub impl answers these.
    let creds = Creds::from_env_or_exit();
    let _ = format!("{creds:?}");
    let _ = Creds::vars();
}
