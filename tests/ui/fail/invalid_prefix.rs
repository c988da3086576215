use credenv::Credentials;

#[derive(Credentials)]
#[credentials(prefix = "MY APP_")]
struct Creds {
    port: u16,
}

fn main() {}
