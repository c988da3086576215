use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(env = "PORT", env = "HTTP_PORT")]
    port: u16,
}

fn main() {}
