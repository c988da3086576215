use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(split = ",")]
    scopes: String,
}

fn main() {}
