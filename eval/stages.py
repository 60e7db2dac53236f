"""Time spent in each stage of `analyzer.api.analyze`, measured on the real call path.

The stage functions the front door calls by name are wrapped for the length of a measurement, so
the library carries no timing code and the benchmark cannot drift from what `analyze` really does.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# (module, function, stage): every function analyze() reaches by a module-level name
STAGES = (
    ("analyzer.api", "extract", "extract"),
    ("analyzer.api", "segment", "segment"),
    ("analyzer.api", "find_parties", "parties"),
    ("analyzer.api", "find_mentions", "spacy"),
    ("analyzer.classify.model", "apply_model", "classifier"),
    ("analyzer.api", "contract_status", "status"),
    ("analyzer.api", "_add_requirements", "requirements"),
)
ORDER = ("extract", "segment", "parties", "spacy", "classifier", "status", "requirements", "report")


def _timed(fn: Callable, stage: str, totals: Counter, calls: Counter) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[stage] += time.perf_counter() - start
            calls[stage] += 1

    return wrapper


@contextmanager
def timed_stages() -> Iterator[tuple[Counter, Counter]]:
    """Seconds and calls per stage while the block runs; 'report' is timed by the caller."""
    totals: Counter = Counter()
    calls: Counter = Counter()
    saved = []
    for module_name, name, stage in STAGES:
        module = importlib.import_module(module_name)
        fn = getattr(module, name)  # AttributeError here means analyze() changed: update STAGES
        saved.append((module, name, fn))
        setattr(module, name, _timed(fn, stage, totals, calls))
    try:
        yield totals, calls
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)


@contextmanager
def timed_function(module_name: str, name: str, count: Callable[..., int] = lambda *a, **k: 1) -> Iterator[Counter]:
    """Seconds spent in one function inside a stage, and the sum of `count` over its calls."""
    totals: Counter = Counter()
    module = importlib.import_module(module_name)
    fn = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals["seconds"] += time.perf_counter() - start
            totals["count"] += count(*args, **kwargs)

    setattr(module, name, wrapper)
    try:
        yield totals
    finally:
        setattr(module, name, fn)
