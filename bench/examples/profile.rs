//! A plain loop of loads, for profilers (`valgrind --tool=callgrind`):
//! `cargo run --release -p credenv-bench --example profile -- map 100`
//! (`env 100` reads the process environment, which must hold `F0`..`F99`).

use credenv_bench::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "map".into());
    let n: usize = args.next().map_or(100, |n| n.parse().unwrap());
    let rounds: usize = args.next().map_or(10_000, |n| n.parse().unwrap());
    let vars: std::collections::HashMap<String, String> = vars(n).into_iter().collect();
    for _ in 0..rounds {
        let ok = match (kind.as_str(), n) {
            ("map", 10) => credenv_10::Creds::from_source(&vars).is_ok(),
            ("map", 100) => credenv_100::Creds::from_source(&vars).is_ok(),
            ("map", 1000) => credenv_1000::Creds::from_source(&vars).is_ok(),
            ("env", 10) => credenv_10::Creds::from_env().is_ok(),
            ("env", 100) => credenv_100::Creds::from_env().is_ok(),
            ("env", 1000) => credenv_1000::Creds::from_env().is_ok(),
            ("handenv", 10) => hand_10::load(&|name| std::env::var(name).ok()).is_some(),
            ("handenv", 100) => hand_100::load(&|name| std::env::var(name).ok()).is_some(),
            ("hand", 10) => hand_10::load(&|name| vars.get(name).cloned()).is_some(),
            ("hand", 100) => hand_100::load(&|name| vars.get(name).cloned()).is_some(),
            _ => panic!("usage: profile map|env|handenv|hand 10|100|1000 [rounds]"),
        };
        assert!(ok);
    }
}
