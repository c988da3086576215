//! Fixtures for `benches/load.rs`: the same N variables (N = 10, 100, 1000)
//! declared for credenv, envconfig and envy (10 and 100 only: at 1000 fields
//! envconfig's derive takes a minute to compile, and envy's serde
//! deserializer did not finish an optimized build in 20), and loaded by
//! hand-written code, the floor. `build.rs` writes them.
//!
//! Field `fI` reads the variable `FI`; its type cycles through `String`,
//! `u16`, `bool` and `Option<String>`.

#![allow(missing_docs, dead_code, unreachable_pub, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// The variables every fixture of `n` fields reads, with valid values.
pub fn vars(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let value = match i % 4 {
                0 => format!("value-{i}"),
                1 => (i % 60_000).to_string(),
                2 => "true".to_owned(),
                _ => format!("optional-{i}"),
            };
            (format!("F{i}"), value)
        })
        .collect()
}
