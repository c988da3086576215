//! Writes the benchmark fixtures: one module per loader and size.

use std::fmt::Write;

const SIZES: [usize; 3] = [10, 100, 1000];

fn ty(i: usize) -> &'static str {
    ["String", "u16", "bool", "Option<String>"][i % 4]
}

/// A fixture struct: `module` with `prelude` lines, the struct `Creds` under
/// `derive`, and before each field the attribute `attribute(i)` gives.
fn fixture(
    out: &mut String,
    module: &str,
    prelude: &str,
    derive: &str,
    n: usize,
    attribute: impl Fn(usize) -> String,
) {
    let _ = writeln!(
        out,
        "pub mod {module} {{\n{prelude}    #[derive({derive})]\n    pub struct Creds {{"
    );
    for i in 0..n {
        let _ = writeln!(out, "        {}pub f{i}: {},", attribute(i), ty(i));
    }
    let _ = writeln!(out, "    }}\n}}");
}

fn main() {
    let mut out = String::new();
    for n in SIZES {
        fixture(
            &mut out,
            &format!("credenv_{n}"),
            "",
            "credenv::Credentials",
            n,
            |_| String::new(),
        );

        // envy and envconfig: 10 and 100 fields. At 1000, envconfig's derive
        // takes a minute to compile, and envy's serde deserializer did not
        // finish an optimized build in 20.
        if n <= 100 {
            // envy: the field name in upper case is the variable.
            fixture(
                &mut out,
                &format!("envy_{n}"),
                "",
                "serde::Deserialize",
                n,
                |i| format!("#[serde(rename = \"f{i}\")] "),
            );
            // envconfig's derive names `Envconfig` unqualified: the trait must
            // be in scope.
            let prelude = "    use envconfig::Envconfig;\n";
            fixture(
                &mut out,
                &format!("envconfig_{n}"),
                prelude,
                "Envconfig",
                n,
                |i| format!("#[envconfig(from = \"F{i}\")] "),
            );
        }

        // Hand-written: one `let` per variable, stopping at the first problem,
        // then the struct: the least any loader can do.
        let _ = writeln!(out, "pub mod hand_{n} {{\n    pub struct Creds {{");
        for i in 0..n {
            let _ = writeln!(out, "        pub f{i}: {},", ty(i));
        }
        let _ = writeln!(out, "    }}");
        let _ = writeln!(
            out,
            "    pub fn load(get: &dyn Fn(&str) -> Option<String>) -> Option<Creds> {{"
        );
        for i in 0..n {
            let load = match i % 4 {
                0 => format!("get(\"F{i}\")?"),
                1 | 2 => format!("get(\"F{i}\")?.parse().ok()?"),
                _ => format!("get(\"F{i}\")"),
            };
            let _ = writeln!(out, "        let f{i} = {load};");
        }
        let names: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        let _ = writeln!(
            out,
            "        Some(Creds {{ {} }})\n    }}\n}}",
            names.join(", ")
        );
    }
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("fixtures.rs");
    std::fs::write(path, out).unwrap();
    println!("cargo::rerun-if-changed=build.rs");
}
