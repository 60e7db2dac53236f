"""Peak resident memory of one analysis, in a fresh process: `python -m eval.rss FILE`.

Prints JSON: the peak after loading the pipeline (what every analysis starts from) and the peak
after analysing FILE and building its report.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(path: str) -> dict:
    from analyzer.api import analyze
    from analyzer.nlp.pipeline import load_pipeline
    from analyzer.report.build import to_report

    load_pipeline()
    loaded = _peak_mib()
    start = time.perf_counter()
    to_report(analyze(path))
    return {"loaded_mib": round(loaded, 1), "peak_mib": round(_peak_mib(), 1),
            "seconds": round(time.perf_counter() - start, 2)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
