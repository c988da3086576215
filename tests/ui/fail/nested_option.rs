use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    port: Option<Option<u16>>,
}

fn main() {}
