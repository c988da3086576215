//! Compile-time behaviour of the derive: each mistake is an error at its
//! token (tests/ui/fail, one file per mistake), and correct input compiles
//! cleanly even without the prelude (tests/ui/pass).
//!
//! The `.stderr` snapshots belong to one rustc (its major.minor is in
//! `tests/ui/rustc-version`): another one words and places its notes
//! differently. On another toolchain the test fails with that reason, not
//! with diffs; re-bless with `TRYBUILD=overwrite cargo test --test ui`, read
//! every diff, and update `tests/ui/rustc-version`.

use std::process::Command;

#[test]
fn ui() {
    let blessed = std::fs::read_to_string("tests/ui/rustc-version").unwrap();
    let blessed = blessed.trim();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(&rustc).arg("--version").output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout);
    // `rustc 1.95.0 (…)`: the snapshots hold for every patch release.
    let running = version.split(' ').nth(1).unwrap_or("");
    let minor = running.rsplit_once('.').map_or(running, |(minor, _)| minor);
    assert_eq!(
        minor,
        blessed,
        "the trybuild snapshots belong to rustc {blessed}, and this is {}: re-bless them with \
         `TRYBUILD=overwrite cargo test --test ui`, read every diff, and write the version in \
         tests/ui/rustc-version",
        version.trim()
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
