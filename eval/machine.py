"""The machine a benchmark ran on, so its figures can be read next to it."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        out = subprocess.run(["free", "-h"], capture_output=True, text=True, check=True).stdout
        return out.splitlines()[1].split()[1]  # the "total" column of the "Mem:" row
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def describe() -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": cores,
        "memory": _memory(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "libraries": _versions("spacy", "pypdfium2", "pdfplumber", "dask"),
    }


def _versions(*names: str) -> dict[str, str]:
    found = {}
    for name in names:
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def load() -> list[float]:
    """1, 5 and 15-minute load averages: other work on the machine shows up in the timings."""
    return [round(x, 2) for x in os.getloadavg()]


def _spin(n: int) -> None:
    total = 0
    for i in range(n):
        total += i * i


def parallel_ceiling(n: int = 20_000_000) -> float:
    """Throughput of two CPU-bound processes against one: what other work on the machine leaves
    for a 2-worker batch (2.0 on two idle cores)."""
    from multiprocessing import get_context

    ctx = get_context("spawn")
    times = []
    for count in (1, 2):
        start = time.perf_counter()
        procs = [ctx.Process(target=_spin, args=(n,)) for _ in range(count)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        times.append(time.perf_counter() - start)
    return round(2 * times[0] / times[1], 2)
