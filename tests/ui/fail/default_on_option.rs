use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(default = 8080)]
    port: Option<u16>,
}

fn main() {}
