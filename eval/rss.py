"""Peak resident memory of one analysis, in a fresh process: `python -m eval.rss FILE`.

Prints JSON: the peak once the pipeline, the model and the catalogue are loaded (by analysing a
one-line contract: what every analysis starts from) and the peak after analysing FILE and building
its report.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _peak_mib() -> float:
    """This process's high-water mark. Linux's VmHWM belongs to the process's own memory map; the
    ru_maxrss of a child started by fork and exec still carries its parent's size at the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def main(path: str) -> dict:
    from analyzer.api import analyze
    from analyzer.batch import WARM_UP
    from analyzer.report.build import to_report

    to_report(analyze(WARM_UP, names=["warm-up.txt"]))
    loaded = _peak_mib()
    start = time.perf_counter()
    to_report(analyze(path))
    return {"loaded_mib": round(loaded, 1), "peak_mib": round(_peak_mib(), 1),
            "seconds": round(time.perf_counter() - start, 2)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
