#!/usr/bin/env python3
"""Compile-time benchmark: what a credentials struct costs a user's build.

For N = 10, 100, 1000 fields it generates a fixture crate per loader
(credenv, envconfig, envy + serde, hand-written std::env::var code) under
target/bench-compile/, then measures, each over several runs, the median of:

  clean        `cargo build` of the fixture with its dependencies already built
               (`cargo clean -p <fixture>` between runs): the crate's own cost
  incremental  `cargo build` after editing the struct (a doc comment on its
               first field, so that every derive sees new input)
  deps         a build from an empty target directory (once): the dependencies

and for an rmcp MCP server crate, the clean build from an empty target
directory with and without credenv: credenv's marginal cost where syn 3 and
darling are already compiled. Results are printed as markdown tables for
BENCHMARKS.md.

    python3 bench/compile.py [--runs 3] [--sizes 10,100,1000] [--timeout 600]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench-compile"
TYPES = ["String", "u16", "bool", "Option<String>"]


def fields(n, attr=None):
    lines = []
    for i in range(n):
        if attr:
            lines.append(f"    {attr(i)}")
        lines.append(f"    pub f{i}: {TYPES[i % 4]},")
    return "\n".join(lines)


def credenv_src(n):
    return f"""use credenv::Credentials;

#[derive(Credentials)]
pub struct Creds {{
{fields(n)}
}}

fn main() {{
    let creds = Creds::from_env();
    std::hint::black_box(creds.is_ok());
}}
"""


def envconfig_src(n):
    return f"""use envconfig::Envconfig;

#[derive(Envconfig)]
pub struct Creds {{
{fields(n, lambda i: f'#[envconfig(from = "F{i}")]')}
}}

fn main() {{
    let creds = Creds::init_from_env();
    std::hint::black_box(creds.is_ok());
}}
"""


def envy_src(n):
    return f"""#[derive(serde::Deserialize)]
pub struct Creds {{
{fields(n, lambda i: f'#[serde(rename = "f{i}")]')}
}}

fn main() {{
    let creds = envy::from_env::<Creds>();
    std::hint::black_box(creds.is_ok());
}}
"""


def hand_src(n):
    """One `let` per variable, as people write it, then the struct."""
    loads = []
    for i in range(n):
        get = f'std::env::var("F{i}")'
        loads.append({0: f"    let f{i} = {get}.ok()?;",
                      1: f"    let f{i} = {get}.ok()?.parse().ok()?;",
                      2: f"    let f{i} = {get}.ok()?.parse().ok()?;",
                      3: f"    let f{i} = {get}.ok();"}[i % 4])
    names = ", ".join(f"f{i}" for i in range(n))
    return f"""pub struct Creds {{
{fields(n)}
}}

fn load() -> Option<Creds> {{
{chr(10).join(loads)}
    Some(Creds {{ {names} }})
}}

fn main() {{
    std::hint::black_box(load().is_some());
}}
"""


LOADERS = {
    "credenv": (credenv_src, f'credenv = {{ path = "{ROOT / "runtime"}" }}'),
    "envconfig": (envconfig_src, 'envconfig = "=0.11.1"'),
    "envy": (envy_src, 'envy = "=0.4.2"\nserde = { version = "1", features = ["derive"] }'),
    "hand-written": (hand_src, ""),
}


def crate(name, source, deps):
    path = WORK / name
    (path / "src").mkdir(parents=True, exist_ok=True)
    (path / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\n\n[dependencies]\n{deps}\n\n[workspace]\n'
    )
    (path / "src" / "main.rs").write_text(source)
    lock = ROOT / "Cargo.lock"
    shutil.copy(lock, path / "Cargo.lock")  # the versions the project uses
    return path


def cargo(path, *args, timeout):
    env = dict(os.environ, CARGO_TARGET_DIR=str(path / "target"), CARGO_BUILD_JOBS="2")
    start = time.monotonic()
    try:
        subprocess.run(["cargo", *args], cwd=path, env=env, check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except subprocess.TimeoutExpired:
        return None
    return time.monotonic() - start


def measure(path, name, runs, timeout):
    shutil.rmtree(path / "target", ignore_errors=True)
    deps = cargo(path, "build", timeout=timeout)
    if deps is None:
        return {"deps": None, "clean": None, "incremental": None}
    clean, incremental = [], []
    main = path / "src" / "main.rs"
    source = main.read_text()
    for run in range(runs):
        cargo(path, "clean", "-p", name, timeout=timeout)
        clean.append(cargo(path, "build", timeout=timeout))
        main.write_text(source.replace("    pub f0:", f"    /// edit {run}\n    pub f0:", 1))
        incremental.append(cargo(path, "build", timeout=timeout))
    main.write_text(source)
    median = lambda xs: None if None in xs else statistics.median(xs)
    return {"deps": deps, "clean": median(clean), "incremental": median(incremental)}


def fmt(seconds):
    return "did not finish" if seconds is None else f"{seconds:.2f} s"


def rmcp_server(with_credenv, features=""):
    name = "rmcp-server-credenv" if with_credenv else "rmcp-server"
    if features:
        name += "-" + features.replace(",", "-")
    deps = 'rmcp = { version = "3.11", default-features = false, features = ["server", "macros", "transport-io"] }\n'
    deps += 'tokio = { version = "1", features = ["macros", "rt-multi-thread", "io-std"] }\n'
    deps += 'serde = { version = "1", features = ["derive"] }\n'
    load = ""
    if with_credenv:
        wanted = ", ".join(f'"{f}"' for f in features.split(",") if f)
        deps += f'credenv = {{ path = "{ROOT / "runtime"}", features = [{wanted}] }}\n'
        load = """
#[derive(credenv::Credentials)]
struct Creds {
    /// API token
    api_token: credenv::SecretString,
    #[credential(default = "https://api.example.com")]
    api_base_url: String,
}
"""
    source = f"""use rmcp::{{ServerHandler, ServiceExt, tool, tool_handler, tool_router}};
use rmcp::handler::server::router::tool::ToolRouter;
{load}
#[derive(Clone)]
struct Server {{ tool_router: ToolRouter<Self> }}

#[tool_router]
impl Server {{
    #[tool(description = "Say hello")]
    async fn hello(&self) -> String {{ "hello".to_owned() }}
}}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {{}}

#[tokio::main]
async fn main() {{
    {"let _creds = Creds::from_env_or_exit();" if with_credenv else ""}
    let server = Server {{ tool_router: Server::tool_router() }};
    let service = server.serve(rmcp::transport::stdio()).await.unwrap();
    let _ = service.waiting().await;
}}
"""
    return crate(name, source, deps), name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--timeout", type=int, default=600, help="seconds before a build counts as not finishing")
    parser.add_argument("--skip-rmcp", action="store_true")
    parser.add_argument("--only-rmcp", action="store_true")
    parser.add_argument("--credenv-features", default="",
                        help="also build the rmcp server with credenv and these features (comma-separated)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)

    print(f"| fields | loader | clean build of the crate | incremental rebuild | dependencies (once) |")
    print(f"|---:|---|---:|---:|---:|")
    for n in ([] if args.only_rmcp else sizes):
        for loader, (source, deps) in LOADERS.items():
            name = f"fixture-{loader}-{n}"
            path = crate(name, source(n), deps)
            result = measure(path, name, args.runs, args.timeout)
            print(f"| {n} | {loader} | {fmt(result['clean'])} | {fmt(result['incremental'])} | {fmt(result['deps'])} |",
                  flush=True)

    if not args.skip_rmcp:
        print("\n| rmcp server | clean build, empty target directory (median) |")
        print("|---|---:|")
        times = {}
        variants = [(False, ""), (True, "")]
        if args.credenv_features:
            variants.append((True, args.credenv_features))
        for with_credenv, features in variants:
            path, name = rmcp_server(with_credenv, features)
            runs = []
            for _ in range(args.runs):
                shutil.rmtree(path / "target", ignore_errors=True)
                runs.append(cargo(path, "build", timeout=args.timeout))
            times[(with_credenv, features)] = statistics.median(runs)
            label = "with credenv" + (f" (features {features})" if features else "") if with_credenv else "without credenv"
            print(f"| {label} | {fmt(times[(with_credenv, features)])} |", flush=True)
        base = times[(False, "")]
        for (with_credenv, features), took in times.items():
            if with_credenv:
                extra = took - base
                shown = f" with {features}" if features else ""
                print(f"\ncredenv{shown} adds {extra:.2f} s, {100 * extra / base:.1f}% of the server's clean build.")


if __name__ == "__main__":
    sys.exit(main())
