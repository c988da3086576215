use credenv::Credentials;

#[derive(Credentials)]
struct Db {
    host: String,
}

#[derive(Credentials)]
struct Creds {
    #[credential(flatten)]
    db: Option<Db>,
}

fn main() {}
