use credenv::Credentials;

struct Opaque;

#[derive(Credentials)]
struct Creds {
    value: Opaque,
}

fn main() {}
