"""Shared timing of explorer control changes for the widget benchmarks.

A change is timed the way a user feels it: ``control.value = v`` runs the whole callback
(recompute, update the chart, render the PNG the user sees, push it into the image widget)
synchronously when no event loop runs. Wall time and CPU time (``time.process_time``: what
the change costs this process; on a shared machine wall time also includes waiting for a
core) are reported per control: median, p90, and the ratio of the median to the target.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable

import numpy as np

TARGET_MS = 50.0


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def time_changes(widget, plan: Iterable[tuple[str, object]], *, before: Callable[[str, object], object] | None = None,
                 label: Callable[[str, object], str] | None = None,
                 cpu_clock: Callable[[], float] = time.process_time) -> dict[str, tuple[list, list]]:
    """Apply each ``(control, value)``; wall and CPU milliseconds per control name.

    ``before(name, value)`` runs (untimed) before each change, e.g. a user's pause.
    ``cpu_clock``: ``time.process_time`` (the whole process) or ``time.thread_time`` (the
    thread answering the change: not the explorer's own background work).
    """
    out: dict[str, tuple[list, list]] = {}
    for name, value in plan:
        if before is not None:
            before(name, value)
        control = widget.controls[name]
        t, c = time.perf_counter(), cpu_clock()
        control.value = value
        wall, cpu = 1000 * (time.perf_counter() - t), 1000 * (cpu_clock() - c)
        key = label(name, value) if label else name
        out.setdefault(key, ([], []))
        out[key][0].append(wall)
        out[key][1].append(cpu)
    return out


def report(title: str, results: dict[str, tuple[list, list]], *, note: str = "") -> dict[str, float]:
    """Print one line per control and one for all changes; return the overall medians."""
    print(f"  {title}{(' — ' + note) if note else ''}  (load average {load()})")
    print(f"    {'control':<22}{'n':>4} {'wall med':>9} {'p90':>7} {'CPU med':>8} {'p90':>7}   "
          f"{'wall/50ms':>9} {'CPU/50ms':>8}")
    walls, cpus = [], []
    for name, (wall, cpu) in results.items():
        walls += wall
        cpus += cpu
        _line(name, wall, cpu)
    _line("ALL", walls, cpus, bold=True)
    return {"wall": float(np.median(walls)), "cpu": float(np.median(cpus))}


def _line(name: str, wall: list, cpu: list, bold: bool = False) -> None:
    w, c = np.asarray(wall), np.asarray(cpu)
    mw, mc = np.median(w), np.median(c)
    verdict = ("  CPU OK" if mc <= TARGET_MS else "  CPU MISSED") if bold else ""
    print(f"    {name:<22}{len(w):>4} {mw:>8.1f} {np.percentile(w, 90):>7.1f} {mc:>8.1f} {np.percentile(c, 90):>7.1f}"
          f"   {mw / TARGET_MS:>8.2f}x {mc / TARGET_MS:>7.2f}x{verdict}", flush=True)


def import_times(modules: Iterable[str] = ("cxlab", "cxlab.nps"), repeat: int = 3) -> None:
    """Import time of each module in a fresh interpreter (best of ``repeat``): wall and CPU."""
    code = ("import time, sys; t, c = time.perf_counter(), time.process_time(); import {m}; "
            "print(time.perf_counter() - t, time.process_time() - c, 'scipy.stats' in sys.modules)")
    for m in modules:
        runs = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", code.format(m=m)], capture_output=True, text=True, check=True)
            wall, cpu, scipy_loaded = out.stdout.split()
            runs.append((float(wall), float(cpu), scipy_loaded))
        wall, cpu, scipy_loaded = min(runs)
        print(f"  import {m:<10} {wall:5.2f} s wall, {cpu:5.2f} s CPU (best of {repeat}; target ≤ 1.0 s; "
              f"scipy.stats loaded: {scipy_loaded})", flush=True)
