use credenv::Credentials;

#[derive(Credentials)]
struct Db {
    host: String,
}

#[derive(Credentials)]
struct Creds {
    #[credential(flatten, env = "DB")]
    db: Db,
    #[credential(flatten, secret, default = "x")]
    replica: Db,
}

fn main() {}
