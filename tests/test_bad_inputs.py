"""Bad input never breaks `contract-analyzer analyze`: each file of the corpus (tests/badfiles.py) gives
a correct analysis or exit code 3 with one clear line and nothing on stdout, never a traceback, a hang or
a memory blow-up.

The corpus runs through `analyzer.cli.main` in forked children of one driver process (run as
`python -m tests.test_bad_inputs`), which loads the pipeline once: each case is then its own process,
with its exit code, stderr, wall time and peak memory (wait4), killed at its time limit and capped by
an address-space limit, at the cost of a fork instead of a fresh interpreter. One case also goes through
the installed console script, to show the real entry point behaves the same.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analyzer.limits import Limits
from tests import badfiles, builders
from tests.cli import run

ROOT = Path(__file__).resolve().parents[1]
CASE_SECONDS = 60  # wall time per case (a few seconds each when well)
MEMORY_MB = 600  # a case's peak RSS above the loaded pipeline's: a blow-up shows as gigabytes
ADDRESS_SPACE_MB = 3072  # hard cap on a case's extra address space, so a blow-up fails instead of swapping
REFUSED, ANALYSED, EITHER = "refused", "analysed", "either"


@dataclass(frozen=True)
class Case:
    name: str  # the file name the analyzer is given (its extension may lie)
    build: Callable[[], bytes]
    outcome: str  # REFUSED, ANALYSED (with the clean contract's statuses) or EITHER
    words: str = ""  # what the one line says when refused
    env: dict = field(default_factory=dict)
    seconds: int = CASE_SECONDS
    names_file: bool = True  # the line names the file (not when the setting, not the file, is wrong)


def _pdf() -> bytes:
    return badfiles.contract_pdf()


def _docx() -> bytes:
    return badfiles.contract_docx()


SIGNED = "\nSigned at Montréal — “Seller” and “Buyer”, 3 March 2026.\n"  # non-ASCII for the encodings
CUTS = (0.05, 0.25, 0.75, 0.95, 0.99)  # 0.5 is in test_cli_extract

CASES = [
    Case("one-line.txt", lambda: badfiles.one_line(5_000_000), ANALYSED, seconds=300),
    *(Case(f"empty{ext}", lambda: b"", REFUSED, "empty") for ext in (".pdf", ".docx", ".txt")),
    *(Case(f"random{ext}", lambda ext=ext: badfiles.random_bytes(65536, ext), REFUSED, "unsupported")
      for ext in (".pdf", ".docx", ".txt")),
    Case("random-zip.docx", lambda: b"PK\x03\x04" + badfiles.random_bytes(65536, "zip"), REFUSED, "Word file"),
    *(Case(f"cut-{int(c * 100)}.pdf", lambda c=c: badfiles.truncated(_pdf(), c), EITHER, "PDF") for c in CUTS),
    *(Case(f"cut-{int(c * 100)}.docx", lambda c=c: badfiles.truncated(_docx(), c), EITHER, "Word") for c in CUTS),
    Case("locked.pdf", lambda: builders.pdf_encrypted(_pdf()), REFUSED, "password"),
    Case("restricted.pdf", lambda: badfiles.pdf_owner_password(_pdf()), ANALYSED),
    Case("scan.pdf", lambda: builders.pdf_scan(1), REFUSED, "scan"),
    Case("broken-xref.pdf", lambda: badfiles.pdf_broken_xref(_pdf()), ANALYSED),
    Case("no-xref.pdf", lambda: badfiles.pdf_without_xref(_pdf()), EITHER, "PDF"),
    Case("page-tree-loop.pdf", badfiles.pdf_page_tree_loop, EITHER, "PDF"),
    Case("data-room.pdf", lambda: badfiles.pdf_many_pages(2000), REFUSED, "2000 pages is over the limit of 1000"),
    Case("stream-bomb.pdf", lambda: badfiles.pdf_stream_bomb(1024), REFUSED, "decompression bomb"),
    Case("bomb.docx", lambda: badfiles.docx_bomb(4096), REFUSED, "possible ZIP bomb"),
    Case("bomb-understated.docx", lambda: badfiles.docx_bomb(1024, declared_mb=1), REFUSED, "corrupt"),
    Case("bomb-xml.docx", lambda: badfiles.docx_bomb(290), REFUSED, "the Word text (XML) would expand"),
    Case("many-parts.docx", lambda: badfiles.docx_many_parts(2100), REFUSED, "over the limit of 2000"),
    Case("macro.docx", lambda: badfiles.docm_renamed(_docx()), REFUSED, "macro"),
    Case("external-links.docx", lambda: badfiles.docx_external_relationships(_docx()), ANALYSED),
    Case("word-named.pdf", _docx, ANALYSED),
    Case("tables.docx", badfiles.docx_all_tables, ANALYSED),
    Case("tables.pdf", badfiles.pdf_all_tables, ANALYSED),
    Case("utf16-no-bom.txt", lambda: (badfiles.contract_text() + SIGNED).encode("utf-16-le"), ANALYSED),
    Case("cp1252.txt", lambda: (badfiles.contract_text() + SIGNED).encode("cp1252"), ANALYSED),
    Case("nul.txt", lambda: (badfiles.contract_text() + SIGNED).replace("\n", "\x00\n\x00")
         .replace(" the ", " th\x00e ").encode("utf-8"), ANALYSED),
    Case("over-size.txt", lambda: badfiles.contract_text().encode(), REFUSED, "size limit",
         {"CONTRACT_ANALYZER_MAX_BYTES": "100"}),
    Case("over-pages.txt", lambda: "\f".join([badfiles.contract_text()] * 5).encode(), REFUSED,
         "5 pages is over the limit of 3", {"CONTRACT_ANALYZER_MAX_PAGES": "3"}),
    Case("over-chars.txt", lambda: badfiles.contract_text().encode(), REFUSED, "over the limit of 300",
         {"CONTRACT_ANALYZER_MAX_CHARS": "300"}),
    Case("mistyped-setting.txt", lambda: badfiles.contract_text().encode(), REFUSED,
         "CONTRACT_ANALYZER_MAX_PAGES must be a whole number", {"CONTRACT_ANALYZER_MAX_PAGES": "2k"},
         names_file=False),
]
BY_NAME = {c.name: c for c in CASES}
# Each limit and the case that shows it enforced; max_seconds is the batch runner's (a child process it kills),
# shown by the batch tests.
ENFORCED_BY = {
    "max_bytes": "over-size.txt", "max_pages": "data-room.pdf", "max_chars": "over-chars.txt",
    "max_zip_members": "many-parts.docx", "max_unzipped_bytes": "bomb.docx", "max_xml_bytes": "bomb-xml.docx",
    "max_seconds": "tests/test_batch.py",
}


@dataclass
class Outcome:
    code: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the case's peak RSS
    base_mb: float  # the driver's RSS when it forked (pipeline loaded)


# -- the driver (a separate process: forking pytest itself, with its threads, is not safe) ---------


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(job: dict, folder: Path) -> None:
    """Runs in the forked child: one `contract-analyzer analyze` call, then exit with its code."""
    from analyzer.cli import main

    os.environ.update(job["env"])
    for fd, name in ((1, "out"), (2, "err")):
        target = os.open(folder / f"{job['name']}.{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    limit = _address_space() + ADDRESS_SPACE_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        code = main(["analyze", str(folder / job["name"])])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def drive(folder: Path, jobs: list[dict], parallel: int) -> dict[str, dict]:
    """Fork one child per job (`parallel` at a time) and collect exit codes, times and peak RSS."""
    from analyzer.api import analyze

    analyze(badfiles.contract_text().encode(), names=["warm-up.txt"])  # load everything lazy once
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the children's collections then skip (and do not copy) the driver's objects
    base = _rss_mb()
    todo, running, done = list(jobs), {}, {}
    while todo or running:
        while todo and len(running) < parallel:
            job = todo.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(job, folder)
            running[pid] = (job, time.monotonic())
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            time.sleep(0.02)
            for other, (job, started) in running.items():
                if time.monotonic() - started > job["seconds"]:
                    os.kill(other, signal.SIGKILL)
            continue
        job, started = running.pop(pid)
        killed = os.WIFSIGNALED(status)
        done[job["name"]] = {"code": None if killed else os.WEXITSTATUS(status),
                             "seconds": round(time.monotonic() - started, 2),
                             "peak_mb": round(usage.ru_maxrss / 1024, 1), "base_mb": round(base, 1)}
    return done


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    results = drive(folder, json.loads((folder / "jobs.json").read_text()), int(sys.argv[2]))
    (folder / "results.json").write_text(json.dumps(results))


# -- the tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad-inputs")


@pytest.fixture(scope="module")
def outcomes(corpus) -> dict[str, Outcome]:
    folder = corpus
    jobs = []
    for case in CASES:
        (folder / case.name).write_bytes(case.build())
        jobs.append({"name": case.name, "env": case.env, "seconds": case.seconds})
    (folder / "jobs.json").write_text(json.dumps(jobs))
    parallel = max(2, len(os.sched_getaffinity(0)))
    total = sum(c.seconds for c in CASES)
    subprocess.run([sys.executable, "-m", "tests.test_bad_inputs", str(folder), str(parallel)], cwd=ROOT,
                   check=True, timeout=total)
    results = json.loads((folder / "results.json").read_text())
    return {name: Outcome(r["code"], (folder / f"{name}.out").read_text(errors="replace"),
                          (folder / f"{name}.err").read_text(errors="replace"), r["seconds"], r["peak_mb"],
                          r["base_mb"])
            for name, r in results.items()}


@pytest.fixture(scope="module")
def clean_text() -> str:
    from analyzer.extract import extract

    return extract(badfiles.contract_text().encode(), "contract.txt").text


def test_the_clean_contract_gives_the_expected_statuses():
    """The reference every readable variant is compared with."""
    from analyzer.api import analyze

    for name, data in (("c.txt", badfiles.contract_text().encode()), ("c.pdf", _pdf()), ("c.docx", _docx())):
        services = analyze(data, names=[name]).services
        assert {k: r.status for k, r in services.items()} == badfiles.EXPECTED, name


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_bad_input_gives_a_correct_analysis_or_one_clear_line(outcomes, corpus, clean_text, name):
    case, got = BY_NAME[name], outcomes[name]
    assert got.code is not None, f"{name}: still running after {case.seconds} s (killed)"
    assert "Traceback" not in got.stderr, got.stderr
    assert got.peak_mb < got.base_mb + MEMORY_MB, f"{name}: peak RSS {got.peak_mb} MB (pipeline loaded: {got.base_mb})"
    expected = {REFUSED: (3,), ANALYSED: (0,), EITHER: (0, 3)}[case.outcome]
    assert got.code in expected, (got.code, got.stderr[-2000:])
    if got.code == 3:
        lines = got.stderr.strip().splitlines()
        assert len(lines) == 1, got.stderr
        assert lines[0].startswith("contract-analyzer: ")
        assert case.words.lower() in lines[0].lower(), lines[0]
        assert name in lines[0] or not case.names_file
        assert got.stdout == ""
        return
    _check_report(json.loads(got.stdout), corpus / name, clean_text, case)


def _check_report(report: dict, path: Path, clean_text: str, case: Case) -> None:
    """A valid report whose evidence is the text at its offsets (in the text `extract` gives); the clean
    contract's statuses for a readable variant; for a damaged file read anyway, only the contract's words."""
    from analyzer.extract import extract
    from analyzer.report.build import validate

    validate(report)
    text = extract(path).text
    for service, result in report["services"].items():
        for ev in result["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(text), (service, ev)
            assert text[ev["start"]:ev["end"]] == ev["text"]
            assert 1 <= ev["page"] <= report["source"]["pages"]
            if case.outcome == EITHER:
                assert " ".join(ev["text"].split()) in " ".join(clean_text.split()), ev["text"]
    if case.outcome == ANALYSED:
        assert {k: v["status"] for k, v in report["services"].items()} == badfiles.EXPECTED


def test_the_console_script_refuses_a_bomb_with_one_line_and_writes_nothing(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(badfiles.docx_bomb(4096))
    out = tmp_path / "report.json"
    done = run("analyze", str(bomb), "--out", str(out))
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "contract-analyzer: bomb.docx: the file would expand to 4095 MB, over the limit of 300 MB (possible ZIP bomb)"]
    assert not out.exists() and done.stdout == ""


def test_every_limit_has_a_setting_a_readme_row_and_a_case_that_enforces_it(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [f.name for f in dataclasses.fields(Limits)]
    assert sorted(ENFORCED_BY) == sorted(names)
    for n, limit in enumerate(names, start=7):
        variable = f"CONTRACT_ANALYZER_{limit.upper()}"
        monkeypatch.setenv(variable, str(n))
        assert getattr(Limits.from_env(), limit) == n, variable
        assert f"`{variable}`" in readme, f"{variable} is not in the README's limits table"
    for limit, where in ENFORCED_BY.items():
        if where.endswith(".py"):
            tests = (ROOT / where).read_text(encoding="utf-8")
            assert re.search(rf"Limits\([^)]*\b{limit}=", tests) and "time limit" in tests, (limit, where)
        else:
            assert BY_NAME[where].outcome == REFUSED, limit
