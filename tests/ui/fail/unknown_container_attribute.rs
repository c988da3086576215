use credenv::Credentials;

#[derive(Credentials)]
#[credentials(prefx = "APP_")]
struct Creds {
    port: u16,
}

fn main() {}
