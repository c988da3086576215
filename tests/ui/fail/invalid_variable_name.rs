use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(env = "")]
    a: String,
    #[credential(env = "API=KEY")]
    b: String,
    #[credential(env = "API\0KEY")]
    c: String,
    #[credential(env = "API KEY")]
    d: String,
}

fn main() {}
