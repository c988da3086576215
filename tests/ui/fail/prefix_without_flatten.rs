use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(prefix = "DB_")]
    host: String,
}

fn main() {}
