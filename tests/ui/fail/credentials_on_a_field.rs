use credenv::Credentials;

#[derive(Credentials)]
#[credential(prefix = "APP_")]
struct Creds {
    #[credentials(env = "API_TOKEN")]
    token: String,
}

fn main() {}
