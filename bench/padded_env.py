#!/usr/bin/env python3
"""Runs a command in an environment of PATH, PADDING unrelated variables and
then the benchmark struct's N variables (F0.., as bench/src/lib.rs makes
them), in that order: the variables come last, as they do after a pod's
service links. For profiling (BENCHMARKS.md):

    python3 bench/padded_env.py 100 1000 valgrind --tool=callgrind \\
        target/release/examples/profile env 100 200
"""

import os
import subprocess
import sys

n, padding, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
env = {"PATH": os.environ["PATH"]}
for i in range(padding):
    env[f"{chr(65 + i % 26)}{i}_SERVICE_PORT"] = f"tcp://10.0.{i // 256}.{i % 256}:80"
for i in range(n):
    env[f"F{i}"] = [f"value-{i}", str(i % 60000), "true", f"optional-{i}"][i % 4]
subprocess.run(command, env=env, check=True)
