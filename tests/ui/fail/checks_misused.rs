use credenv::{Credentials, SecretString};

#[derive(Credentials)]
struct Creds {
    #[credential(min = 1)]
    name: String,
    #[credential(min_items = 1)]
    token: SecretString,
    #[credential(min_len = 10, max_len = 5)]
    label: String,
    #[credential(min = 10, max = 1)]
    port: u16,
    #[credential(max = 70000)]
    small: u16,
    #[credential(one_of = [])]
    level: String,
    #[credential(one_of = ["debug", "info"], default = "loud")]
    mode: String,
    #[credential(starts_with = "https://", default = "http://x")]
    url: String,
    #[credential(min = 1024, default = 80)]
    listen: u16,
}

fn main() {}
