use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(default = "-prod", allow_empty)]
    suffix: String,
}

fn main() {}
