use credenv::Credentials;

#[derive(Credentials)]
struct Creds {
    #[credential(defualt = 8080)]
    port: u16,
    #[credential(secert)]
    token: String,
}

fn main() {}
