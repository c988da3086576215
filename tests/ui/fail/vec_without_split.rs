use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    scopes: Vec<String>,
    #[credential(split = "")]
    hosts: Vec<String>,
}

fn main() {}
