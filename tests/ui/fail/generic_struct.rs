use credenv::Credentials;

#[derive(Credentials)]
struct Creds<T> {
    value: T,
}

fn main() {}
