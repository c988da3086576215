use credenv::Credentials;

#[derive(Credentials)]
struct Creds(String, u16);

fn main() {}
