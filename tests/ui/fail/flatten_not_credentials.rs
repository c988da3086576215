use credenv::Credentials;

struct Cache {
    url: String,
}

#[derive(Credentials)]
struct Creds {
    #[credential(flatten)]
    cache: Cache,
}

fn main() {}
