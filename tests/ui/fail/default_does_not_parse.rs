use std::time::Duration;

use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(default = "five")]
    port: u16,
    #[credential(default = 5)]
    timeout: Duration,
    #[credential(default = "maybe")]
    debug: bool,
    #[credential(split = ",", default = "80,http")]
    ports: Vec<u16>,
}

fn main() {}
