"""Times the PyTorch twins of Fovea's bench cases.

Reads a JSON list of {key, setup, run, runs} on stdin; prints {key: {median_ms, cpu_median_ms, error}}.
Run with Debian's /usr/bin/python3, LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread,
OMP_NUM_THREADS=2, OMP_WAIT_POLICY=PASSIVE (set by the harness).
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

try:
    import torchvision  # noqa: F401
except ImportError:
    torchvision = None

torch.set_num_threads(2)


def main():
    twins = json.load(sys.stdin)
    out = {}
    for t in twins:
        ns = {"torch": torch, "torchvision": torchvision, "np": np, "numpy": np}
        try:
            exec(t["setup"], ns)
            run = compile(t["run"], "<run>", "exec")
            for _ in range(2):
                exec(run, ns)
            times = []
            cpu = []
            for _ in range(max(5, t.get("runs") or 7)):
                c0 = time.process_time()
                t0 = time.perf_counter()
                exec(run, ns)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)  # all threads of the process
            out[t["key"]] = {"median_ms": statistics.median(times), "cpu_median_ms": statistics.median(cpu)}
        except Exception as e:  # one twin's failure never stops the others
            out[t["key"]] = {"median_ms": None, "error": f"{type(e).__name__}: {e}"}
        print(f"torch: {t['key']}: {out[t['key']]}", file=sys.stderr)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
