use credenv::Credentials;

#[derive(Credentials)]
#[credentials(prefix = "APP_")]
struct Creds {
    #[credential(env = "APP_PORT")]
    listen_port: u16,
    port: u16,
}

fn main() {}
