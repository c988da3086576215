use credenv::Credentials;

#[derive(Credentials)]
enum Creds {
    Token(String),
}

fn main() {}
