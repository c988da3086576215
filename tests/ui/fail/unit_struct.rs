use credenv::Credentials;

#[derive(Credentials)]
struct Creds;

fn main() {
    // The stub impl keeps this call free of cascade errors.
    let _ = Creds::from_env();
}
