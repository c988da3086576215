//! Writes the benchmark fixtures: one module per loader and size.

use std::fmt::Write;

const SIZES: [usize; 3] = [10, 100, 1000];

fn ty(i: usize) -> &'static str {
    ["String", "u16", "bool", "Option<String>"][i % 4]
}

fn main() {
    let mut out = String::new();
    for n in SIZES {
        // credenv
        let _ = writeln!(
            out,
            "pub mod credenv_{n} {{\n    #[derive(credenv::Credentials)]\n    pub struct Creds {{"
        );
        for i in 0..n {
            let _ = writeln!(out, "        pub f{i}: {},", ty(i));
        }
        let _ = writeln!(out, "    }}\n}}");

        // envy (serde): the field name in upper case is the variable.
        let _ = writeln!(
            out,
            "pub mod envy_{n} {{\n    #[derive(serde::Deserialize)]\n    pub struct Creds {{"
        );
        for i in 0..n {
            let _ = writeln!(
                out,
                "        #[serde(rename = \"f{i}\")]\n        pub f{i}: {},",
                ty(i)
            );
        }
        let _ = writeln!(out, "    }}\n}}");

        // envconfig: 10 and 100 fields.
        if n <= 100 {
            // Its derive names `Envconfig` unqualified: the trait must be in scope.
            let _ = writeln!(
                out,
                "pub mod envconfig_{n} {{\n    use envconfig::Envconfig;\n    #[derive(Envconfig)]\n    pub struct Creds {{"
            );
            for i in 0..n {
                let _ = writeln!(
                    out,
                    "        #[envconfig(from = \"F{i}\")]\n        pub f{i}: {},",
                    ty(i)
                );
            }
            let _ = writeln!(out, "    }}\n}}");
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
