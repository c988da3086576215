use credenv::Credentials;

#[derive(Credentials)]
union Creds {
    port: u16,
}

fn main() {}
