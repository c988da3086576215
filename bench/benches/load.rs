//! Loading N variables (10, 100, 1000) from a map and from the process
//! environment: credenv against hand-written code (the floor), envconfig and
//! envy (10 and 100: see src/lib.rs). Run with `cargo bench -p credenv-bench`; BENCHMARKS.md has results.
//!
//! The process environment must hold the variables: the bench starts itself
//! again with them set, once per size (a child's environment is safe to set;
//! our own is not).

use std::collections::HashMap;

use credenv_bench::*;
use divan::{Bencher, black_box};
use envconfig::Envconfig;

/// The benches of one run, and the environment it gets: a load from the
/// process environment runs where the environment holds its own variables
/// (besides the inherited ones), as a server's does, since each lookup scans
/// the whole environment.
/// Each run: a filter, the variables its environment holds, and how many
/// unrelated ones pad it, named to sort after or before the struct's (a
/// child's environment lists its variables sorted by name).
const RUNS: [(&str, usize, Padding); 10] = [
    ("from_map", 1000, NONE),
    ("from_env::fields_0010", 10, NONE),
    ("from_env::fields_0100", 100, NONE),
    ("from_env::fields_1000", 1000, NONE),
    ("from_padded_env::fields_0010", 10, AFTER),
    ("from_padded_env::fields_0100", 100, AFTER),
    ("from_padded_env::fields_1000", 1000, AFTER),
    ("from_env_behind_padding::fields_0010", 10, BEFORE),
    ("from_env_behind_padding::fields_0100", 100, BEFORE),
    ("from_env_behind_padding::fields_1000", 1000, BEFORE),
];

/// How many unrelated variables pad a run's environment, and how their
/// names start: `UNRELATED` sorts after the struct's `F0`.., so a lookup
/// finds those at once; `AHEAD` sorts before them, as when a pod's service
/// links come first, so each lookup passes all 1,000.
type Padding = (usize, &'static str);
const NONE: Padding = (0, "");
const AFTER: Padding = (1000, "UNRELATED");
const BEFORE: Padding = (1000, "AHEAD");

fn main() {
    if std::env::var_os("CREDENV_BENCH_CHILD").is_some() {
        return divan::main();
    }
    // The user's arguments (`--bench`, which divan needs to measure, and a
    // filter, say) go to each run.
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    for (filter, n, (padding, start)) in RUNS {
        let pad = (0..padding).map(|i| {
            (
                format!("{start}_SERVICE_{i}_PORT"),
                format!("tcp://10.0.{}.{}:80", i / 256, i % 256),
            )
        });
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .arg(filter)
            .args(&args)
            .envs(vars(n))
            .envs(pad)
            .env("CREDENV_BENCH_CHILD", "1")
            .status()
            .unwrap();
        if !status.success() {
            std::process::exit(status.code().unwrap_or(1));
        }
    }
}

fn map(n: usize) -> HashMap<String, String> {
    vars(n).into_iter().collect()
}

/// The loads from the process environment, one module a size.
macro_rules! env_benches {
    ($($size:ident: $credenv:ident, $hand:ident $(, $envy:ident, $envconfig:ident)?);* $(;)?) => {
            $(
                mod $size {
                    use super::*;

                    #[divan::bench(name = "hand-written")]
                    fn hand() -> $hand::Creds {
                        $hand::load(&|name| std::env::var(name).ok()).unwrap()
                    }

                    #[divan::bench]
                    fn credenv() -> $credenv::Creds {
                        $credenv::Creds::from_env().unwrap()
                    }

                    $(
                        #[divan::bench]
                        fn envy() -> $envy::Creds {
                            envy::from_env::<$envy::Creds>().unwrap()
                        }

                        #[divan::bench]
                        fn envconfig() -> $envconfig::Creds {
                            $envconfig::Creds::init_from_env().unwrap()
                        }
                    )?
                }
            )*
    };
}

macro_rules! sizes {
    ($($size:ident: $n:literal => $credenv:ident, $hand:ident $(, $envy:ident, $envconfig:ident)?);* $(;)?) => {
        /// From a map (`HashMap<String, String>`).
        mod from_map {
            use super::*;
            $(
                mod $size {
                    use super::*;

                    #[divan::bench(name = "hand-written")]
                    fn hand(b: Bencher<'_, '_>) {
                        let vars = map($n);
                        b.bench(|| $hand::load(&|name| black_box(&vars).get(name).cloned()).unwrap());
                    }

                    #[divan::bench]
                    fn credenv(b: Bencher<'_, '_>) {
                        let vars = map($n);
                        b.bench(|| $credenv::Creds::from_source(black_box(&vars)).unwrap());
                    }

                    $(
                        #[divan::bench]
                        fn envy(b: Bencher<'_, '_>) {
                            let vars = map($n);
                            b.bench(|| envy::from_iter::<_, $envy::Creds>(black_box(&vars).clone()).unwrap());
                        }

                        #[divan::bench]
                        fn envconfig(b: Bencher<'_, '_>) {
                            let vars = map($n);
                            b.bench(|| $envconfig::Creds::init_from_hashmap(black_box(&vars)).unwrap());
                        }
                    )?
                }
            )*
        }

        /// From the process environment.
        mod from_env {
            use super::*;
            env_benches!($($size: $credenv, $hand $(, $envy, $envconfig)?);*);
        }

        /// From the process environment padded with 1,000 unrelated
        /// variables, as a Kubernetes pod's service links pad it.
        mod from_padded_env {
            use super::*;
            env_benches!($($size: $credenv, $hand $(, $envy, $envconfig)?);*);
        }

        /// From the process environment with the struct's variables after
        /// 1,000 unrelated ones.
        mod from_env_behind_padding {
            use super::*;
            env_benches!($($size: $credenv, $hand $(, $envy, $envconfig)?);*);
        }
    };
}

sizes! {
    fields_0010: 10 => credenv_10, hand_10, envy_10, envconfig_10;
    fields_0100: 100 => credenv_100, hand_100, envy_100, envconfig_100;
    fields_1000: 1000 => credenv_1000, hand_1000;
}
