use credenv::Credentials;

fn check(port: &str) -> Result<(), String> {
    Err(port.to_owned())
}

#[derive(Credentials)]
struct Creds {
    #[credential(validate = check)]
    port: u16,
}

fn main() {}
