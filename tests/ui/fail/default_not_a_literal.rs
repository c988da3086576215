use credenv::Credentials;

const PORT: u16 = 8080;

#[derive(Credentials)]
struct Creds {
    #[credential(default = PORT)]
    port: u16,
    #[credential(default = b"bytes")]
    name: String,
}

fn main() {}
