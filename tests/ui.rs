//! Compile-time behaviour of the derive: each mistake is an error at its
//! token (tests/ui/fail, one file per mistake), and correct input compiles
//! cleanly even without the prelude (tests/ui/pass).
//!
//! The `.stderr` snapshots belong to the project's toolchain (Rust 1.95);
//! regenerate them with `TRYBUILD=overwrite cargo test --test ui` and read
//! every diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
