//! The README starts with its two commands, and both exist: a fresh reader
//! (and CI) can run them as written.

#[test]
fn the_readme_opens_with_the_two_commands() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next());
    let commands: Vec<&str> = block
        .expect("a sh block near the top")
        .lines()
        .map(|line| line.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run -p credenv --example quickstart",
            "./scripts/test"
        ]
    );
    assert!(
        readme.find("```sh").unwrap() < readme.find("\n## ").unwrap(),
        "the commands come first"
    );
    assert!(std::path::Path::new("runtime/examples/quickstart.rs").exists());
    let ci = std::fs::read_to_string(".ci/run").unwrap();
    assert!(
        ci.contains("./scripts/test")
            && ci.contains("cargo run --quiet -p credenv --example quickstart")
    );
}
