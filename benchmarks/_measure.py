"""Shared timing and memory helpers for the benchmarks (not a benchmark itself).

Time: every contender runs ``repeat`` times in interleaved rounds in one process (so a
burst of load from other programs hits all of them alike); the best wall time is kept
with the CPU time (``time.process_time``: all threads of this process) of that run.

Peak memory: each step runs once more in a **fresh subprocess**. The child builds the same
data, then resets the kernel's resident-set high-water mark (``/proc/self/clear_refs``,
Linux) and reads ``VmRSS`` before and ``VmHWM`` after the step: the difference is the peak
extra resident memory of that step, whoever allocated it (numpy, pandas, Arrow, DuckDB,
Polars). tracemalloc would miss Arrow's, DuckDB's and Polars' allocators, and an in-process
RSS reading would miss memory that an earlier step's allocator kept and this one reused.
Where ``clear_refs`` cannot be written the child falls back to ``ru_maxrss`` minus the
resident size before the step, which is an upper bound (the data generation peak counts).
The child's environment (``CHILD_ENV``) makes glibc and Arrow hand out fresh pages.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

SHORT = os.environ.get("CXLAB_BENCH_SHORT", "") not in ("", "0")

# In the memory child every allocation of 64 KiB or more gets fresh pages from the kernel
# (glibc otherwise raises its mmap threshold up to 32 MiB and serves arrays from heap memory
# that the data generation freed, which RSS does not see), and Arrow allocates through
# malloc too, so the high-water mark counts what the step itself needed. Polars' and
# DuckDB's own allocators can still reuse memory from converting the input (a lower bound).
CHILD_ENV = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0",
             "ARROW_DEFAULT_MEMORY_POOL": "system"}


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "n/a"


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_extra_mb(step: Callable[[], object]) -> tuple[float, str]:
    """Run ``step`` once; its peak extra resident memory in MB, and the method used."""
    gc.collect()
    method = "VmHWM-VmRSS"
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the high-water mark to the current resident size
    except OSError:
        method = "ru_maxrss-VmRSS (upper bound)"
    before = _status_kb("VmRSS")
    if before is None:  # not Linux: ru_maxrss only (bytes on macOS)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = step()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        del result
        return (peak - base) / (2**20 if sys.platform == "darwin" else 2**10), "ru_maxrss delta (lower bound)"
    result = step()
    if method == "VmHWM-VmRSS":
        peak = _status_kb("VmHWM")
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del result
    return (peak - before) / 1024, method


def time_side_by_side(contenders: dict[str, Callable[[], object]], repeat: int,
                      once: set[str] = frozenset()) -> tuple[dict[str, tuple[float, float]], dict[str, object]]:
    """Best wall time and its CPU time per contender, rounds interleaved; the last results."""
    best: dict[str, tuple[float, float]] = {}
    results: dict[str, object] = {}
    for r in range(repeat):
        for name, fn in contenders.items():
            if r and name in once:
                continue
            results.pop(name, None)
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            out = fn()
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            results[name] = out
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)
    return best, results


def memory_in_subprocesses(script: str, names: list[str], args: list[str]) -> dict[str, tuple[float, str]]:
    """Peak extra memory of each named step, each in its own fresh interpreter."""
    out = {}
    for name in names:
        proc = subprocess.run([sys.executable, script, "--child", name, *args],
                              capture_output=True, text=True, check=False, env=CHILD_ENV)
        line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        if proc.returncode != 0 or not line.startswith("{"):
            out[name] = (float("nan"), f"failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        rec = json.loads(line)
        out[name] = (rec["mb"], rec["method"])
    return out


def child_report(step: Callable[[], object]) -> None:
    mb, method = peak_extra_mb(step)
    print(json.dumps({"mb": mb, "method": method}))
