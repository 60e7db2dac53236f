"""Many contracts in one run (`contract-analyzer batch`): files, folders and ZIPs into JSONL or CSV.

Each document is analysed in a child process that the batch can kill, so a document that overruns
the time limit (Limits.max_seconds), or crashes a reader library, costs one error record and not
the batch. The same child runs under the local engine (one per worker) and on Dask workers.
Records are written in input order, so the same inputs give the same bytes whatever the number of
workers, and a rerun skips every file whose sha256 is already in the output.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path

from analyzer.errors import BadInputError
from analyzer.limits import Limits
from analyzer.portfolio import expand_inputs, summary_row, zip_members
from analyzer.results import SERVICES

FORMATS = {".jsonl": "jsonl", ".csv": "csv"}
CHILD_START_SECONDS = 300  # loading the pipeline in a new child, on a loaded machine
IN_FLIGHT_PER_WORKER = 2  # documents read ahead per worker: keeps workers busy, bounds memory
WARM_UP = b"The Seller shall install the Equipment and train the Buyer's operators."


@dataclass(frozen=True)
class Item:
    """One contract of the batch: a file, or a member of a ZIP; `error` when it cannot be read."""

    name: str  # as the results name it: the path, or "archive.zip/member.pdf"
    sha256: str | None
    path: Path
    member: str | None = None
    error: str | None = None

    def load(self, limits: Limits) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
            return fh.read(limits.max_bytes + 1)

    @property
    def key(self) -> str:
        """What a rerun recognises: the content, or the name when the file could not be read."""
        return self.sha256 or f"file:{self.name}"


@dataclass(frozen=True)
class BatchSummary:
    total: int  # contracts found
    analysed: int  # records written by this run
    errors: int  # of which errors
    skipped: int  # already in the output from an earlier run
    out: Path

    def message(self) -> str:
        return (f"{self.total} contracts: {self.analysed - self.errors} analysed, {self.errors} with errors, "
                f"{self.skipped} already in {self.out}")


def record(name: str, sha256: str | None, *, report: dict | None = None, error: str | None = None) -> dict:
    return {"file": name, "sha256": sha256, "status": "error" if error else "ok", "error": error, "report": report}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def plan(paths: list[str | Path], limits: Limits) -> list[Item]:
    """Every contract the inputs hold, in a stable order, with the sha256 a rerun checks."""
    items: list[Item] = []
    for path in expand_inputs(paths):
        name = str(path)
        if not path.is_file():
            items.append(Item(name, None, path, error=f"{name}: no such file"))
            continue
        size = path.stat().st_size
        if path.suffix.lower() != ".zip":
            too_big = _refused_unread(path, name, limits) if size > limits.max_bytes else None
            items.append(Item(name, _sha256_file(path), path, error=too_big))
            continue
        if size > limits.max_unzipped_bytes:
            error = f"{name}: a ZIP file over the expanded-size limit of {limits.max_unzipped_bytes // 2**20} MB"
            items.append(Item(name, _sha256_file(path), path, error=error))
            continue
        try:
            for member_name, data in zip_members(path.read_bytes(), name, limits):
                member = member_name[len(name) + 1:]
                items.append(Item(member_name, hashlib.sha256(data).hexdigest(), path, member))
        except BadInputError as exc:
            items.append(Item(name, _sha256_file(path), path, error=str(exc)))
    return items


def _refused_unread(path: Path, name: str, limits: Limits) -> str | None:
    """The reader's own message for a file over the size limit, which it gives before reading."""
    from analyzer.extract import extract

    try:
        extract(path, name, limits=limits)
    except BadInputError as exc:
        return str(exc)
    return None


# -- the child process ------------------------------------------------------------------------


def analyze_document(name: str, data: bytes, limits: Limits, use_model: bool = True, ocr: bool = False) -> dict:
    """The record of one document: its report, or the error that stopped it."""
    from analyzer.api import analyze
    from analyzer.report.build import to_report

    sha = hashlib.sha256(data).hexdigest()
    try:
        report = to_report(analyze(data, names=[name], use_model=use_model, ocr=ocr, limits=limits))
    except BadInputError as exc:
        return record(name, sha, error=str(exc))
    except Exception as exc:  # a bug or a library failure on one file must not stop the batch
        # the exception's type only: its message may quote the contract, and records are shared
        return record(name, sha, error=f"{name}: internal error ({type(exc).__name__})")
    return record(name, sha, report=report)


def serve(use_model: bool = True) -> None:
    """Child loop: a JSON header line and the file's bytes in, one JSON record line out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the children
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the channel
    analyze_document("warm-up.txt", WARM_UP, Limits(), use_model)  # loads the pipeline, model and catalogue
    channel.write(b'{"ready": true}\n')
    channel.flush()
    stdin = sys.stdin.buffer
    while header := stdin.readline():
        job = json.loads(header)
        data = stdin.read(job["size"])
        rec = analyze_document(job["name"], data, Limits(**job["limits"]), job["use_model"], job["ocr"])
        channel.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        channel.flush()


class _Runner:
    """One child process, fed one document at a time; killed and replaced when one overruns."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None

    @staticmethod
    def _start(use_model: bool) -> subprocess.Popen:
        command = [sys.executable, "-m", "analyzer.batch", *([] if use_model else ["--no-model"])]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if _read_line(proc, CHILD_START_SECONDS) is None:
            proc.kill()
            _reap(proc)
            raise RuntimeError("the analysis process did not start; run `python -m analyzer.batch` to see why")
        return proc

    def run(self, name: str, data: bytes, limits: Limits, use_model: bool, ocr: bool) -> dict:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start(use_model)
        proc = self._proc
        header = {"name": name, "size": len(data), "limits": asdict(limits), "use_model": use_model, "ocr": ocr}
        start = time.monotonic()
        try:
            proc.stdin.write(json.dumps(header).encode("utf-8") + b"\n" + data)
            proc.stdin.flush()
            line = _read_line(proc, limits.max_seconds)
        except (BrokenPipeError, ValueError):  # the child was stopped while we wrote or read
            line = None
        if line is not None:
            return json.loads(line)
        overran = time.monotonic() - start >= limits.max_seconds
        proc.kill()
        _reap(proc)
        self._proc = None
        sha = hashlib.sha256(data).hexdigest()
        if overran:
            return record(name, sha, error=f"{name}: stopped at the time limit of {limits.max_seconds} s "
                                           "(CONTRACT_ANALYZER_MAX_SECONDS)")
        return record(name, sha, error=f"{name}: the analysis process stopped (exit code {proc.returncode})")

    def kill(self) -> None:
        """Stop at once, from another thread: the thread feeding this child sees it end."""
        if self._proc is not None:
            self._proc.kill()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.stdin.close()  # the child's loop ends at the end of its input
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            _reap(proc)


def _read_line(proc: subprocess.Popen, seconds: float) -> bytes | None:
    """The child's next whole line, or None when it is late, gone, or died in the middle of one."""
    ready, _, _ = select.select([proc.stdout], [], [], seconds)
    line = proc.stdout.readline() if ready else b""
    return line if line.endswith(b"\n") else None


def _reap(proc: subprocess.Popen) -> None:
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        stream.close()


class _Runners:
    """The children of this process, shared by its threads (local engine or Dask worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Runner] = []
        self._busy: set[_Runner] = set()

    def run(self, name: str, data: bytes, limits: Limits, use_model: bool, ocr: bool) -> dict:
        with self._lock:
            runner = self._idle.pop() if self._idle else _Runner()
            self._busy.add(runner)
        try:
            return runner.run(name, data, limits, use_model, ocr)
        finally:
            with self._lock:
                self._busy.discard(runner)
                self._idle.append(runner)

    def close(self, kill: bool = False) -> None:
        """End the idle children; with `kill`, stop the busy ones too (an interrupted batch)."""
        with self._lock:
            idle, self._idle = self._idle, []
            busy = list(self._busy) if kill else []
        for runner in busy:
            runner.kill()
        for runner in idle:
            runner.close()


RUNNERS = _Runners()


def analyze_guarded(name: str, data: bytes, limits: Limits, use_model: bool = True, ocr: bool = False) -> dict:
    """`analyze_document` in a child process, within the time limit (what Dask workers run)."""
    return RUNNERS.run(name, data, limits, use_model, ocr)


def close_runners() -> None:
    RUNNERS.close()


# -- engines ----------------------------------------------------------------------------------

Job = tuple[int, Item]
Done = tuple[int, dict]


def _load(item: Item, limits: Limits) -> bytes | dict:
    """The file's bytes, or the error record when it has gone or cannot be read since planning."""
    try:
        return item.load(limits)
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        return record(item.name, item.sha256, error=f"{item.name}: cannot be read ({exc})")


def _local(jobs: list[Job], limits: Limits, use_model: bool, ocr: bool, workers: int) -> Iterator[Done]:
    def one(index: int, item: Item) -> Done:
        data = _load(item, limits)
        return index, data if isinstance(data, dict) else analyze_guarded(item.name, data, limits, use_model, ocr)

    pool = ThreadPoolExecutor(workers)
    finished = False
    try:
        pending: set = set()
        for index, item in jobs:
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            pending.add(pool.submit(one, index, item))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)
        finished = True
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        RUNNERS.close(kill=not finished)
        pool.shutdown(wait=True)
        RUNNERS.close()


def _dask(jobs: list[Job], limits: Limits, use_model: bool, ocr: bool, scheduler: str | None) -> Iterator[Done]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise BadInputError("--engine dask needs Dask: pip install 'contract-analyzer[dask]'") from None
    if not scheduler:
        raise BadInputError("--engine dask needs the scheduler's address: --scheduler tcp://HOST:8786")
    try:
        client = Client(scheduler)  # waits up to distributed.comm.timeouts.connect (30 s by default)
    except (OSError, TimeoutError) as exc:
        raise BadInputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    try:
        window = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
        queue = iter(jobs)
        running = as_completed()
        submitted: dict = {}

        def fill() -> list[Done]:
            """Submit up to the window; unreadable files come back at once as error records."""
            unreadable = []
            while running.count() < window and (job := next(queue, None)):
                index, item = job
                data = _load(item, limits)
                if isinstance(data, dict):
                    unreadable.append((index, data))
                    continue
                future = client.submit(analyze_guarded, item.name, data, limits, use_model, ocr, pure=False)
                submitted[future] = job
                running.add(future)
            return unreadable

        yield from fill()
        for future in running:
            index, item = submitted.pop(future)
            try:
                rec = future.result()
            except Exception as exc:  # a lost worker: the file gets an error record, the batch goes on
                rec = record(item.name, item.sha256, error=f"{item.name}: the Dask task failed ({exc})")
            yield index, rec
            yield from fill()
    finally:
        with contextlib.suppress(Exception):
            client.run(close_runners)
        client.close()


# -- output -----------------------------------------------------------------------------------


def summary_columns() -> list[str]:
    """The CSV header: the portfolio summary row's columns, with the sha256 and the outcome."""
    blank = {"source": {"path": ""}, "contract": {"kind": None, "parties": [], "commercial_use": None},
             "services": {s: {"status": None} for s in SERVICES}, "requirements": []}
    first, *rest = summary_row(blank)
    return [first, "sha256", "status", "error", *rest]


def _read_existing(out: Path, fmt: str) -> tuple[set[str], str | None]:
    """Keys of the records an earlier run wrote; and the text to keep when its last record was cut."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    kept = text[: text.rfind("\n") + 1]  # a run stopped in the middle of a record
    keys: set[str] = set()
    if fmt == "jsonl":
        for n, line in enumerate(kept.splitlines(), start=1):
            try:
                rec = json.loads(line)
                keys.add(rec["sha256"] or f"file:{rec['file']}")
            except (ValueError, KeyError, TypeError):
                raise BadInputError(f"{out}: line {n} is not a batch record; give a new output file") from None
    elif kept:
        reader = csv.DictReader(io.StringIO(kept))
        if reader.fieldnames != summary_columns():
            raise BadInputError(f"{out}: has other columns than a batch CSV; give a new output file")
        keys = {row["sha256"] or f"file:{row['file']}" for row in reader}
    return keys, (kept if kept != text else None)


class _Output:
    """Appends records in input order, each flushed, so a stopped run loses at most the one cut."""

    def __init__(self, out: Path, fmt: str):
        new = not out.exists() or out.stat().st_size == 0
        self.fh = out.open("a", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.fh, fieldnames=summary_columns(), lineterminator="\n") if fmt == "csv" else None
        if self.csv is not None and new:
            self.csv.writeheader()

    def write(self, rec: dict) -> None:
        if self.csv is not None:
            row = {"file": rec["file"], "sha256": rec["sha256"], "status": rec["status"], "error": rec["error"]}
            if rec["report"] is not None:
                row.update(summary_row(rec["report"], file=rec["file"]))
            self.csv.writerow(row)
        else:
            self.fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def run_batch(
    paths: list[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    use_model: bool = True,
    ocr: bool = False,
    limits: Limits | None = None,
    progress: bool | None = None,
) -> BatchSummary:
    """Analyse every contract under `paths` into `out` (.jsonl: full reports; .csv: summary rows).

    `progress=None` shows the bar on stderr only when stderr is a terminal.
    """
    from tqdm import tqdm

    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise BadInputError(f"{out}: the output must be a .jsonl or a .csv file")
    if not out.parent.is_dir():
        raise BadInputError(f"{out.parent}: no such folder for the output")
    if engine not in ("local", "dask"):
        raise BadInputError(f"unknown engine {engine!r}: local or dask")
    workers = workers or _cores()
    if workers < 1:
        raise BadInputError("--workers must be at least 1")
    limits = limits or Limits.from_env()
    done_keys, kept = _read_existing(out, fmt)
    items = plan(paths, limits)
    todo = [item for item in items if item.key not in done_keys]
    if kept is not None:
        out.write_text(kept, encoding="utf-8")
    ready = {i: record(it.name, it.sha256, error=it.error) for i, it in enumerate(todo) if it.error}
    jobs = [(i, it) for i, it in enumerate(todo) if not it.error]

    output = _Output(out, fmt)
    bar = tqdm(total=len(todo), unit="file", file=sys.stderr, disable=None if progress is None else not progress)
    written = errors = 0

    def write_ready() -> None:
        nonlocal written, errors
        while written in ready:
            rec = ready.pop(written)
            output.write(rec)
            errors += rec["status"] == "error"
            written += 1

    try:
        bar.update(len(ready))
        write_ready()
        engine_run = _local(jobs, limits, use_model, ocr, workers) if engine == "local" else \
            _dask(jobs, limits, use_model, ocr, scheduler)
        for index, rec in engine_run:
            bar.update(1)
            ready[index] = rec
            write_ready()
    finally:
        bar.close()
        output.close()
    return BatchSummary(len(items), written, errors, len(items) - len(todo), out)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    serve(use_model="--no-model" not in sys.argv)
