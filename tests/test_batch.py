"""`contract-analyzer batch`: a portfolio of files, folders and ZIPs into one JSONL or CSV file."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from analyzer.api import analyze
from analyzer.batch import run_batch, summary_columns
from analyzer.limits import Limits
from analyzer.report.build import to_report, validate
from tests.builders import docx_bytes, pdf_pages
from tests.cli import run

SUPPLY = [
    "SUPPLY AGREEMENT between Nordwerk Maschinen GmbH (the Seller) and Prairie Mills Ltd. (the Buyer).",
    "1. Delivery. The Seller shall deliver the Equipment to the Buyer's plant in Regina.",
    "2. Installation. The Seller shall install and commission the Equipment at the Buyer's site.",
    "3. Warranty. The Seller shall, at its option, repair or replace any defective part for 12 months.",
    "4. Training. The Seller shall train the Buyer's operators for five days after acceptance.",
]
LEASE = [
    "EQUIPMENT LEASE between Alpen Leasing AG (the Lessor) and Coastal Freight Inc. (the Lessee).",
    "1. Maintenance. The Lessee shall, at its own cost, maintain the Equipment in good working order.",
    "2. Upgrades. No updates or upgrades are provided under this Lease.",
]


def _docx(lines: list[str]) -> bytes:
    def build(document):
        for line in lines:
            document.add_paragraph(line)

    return docx_bytes(build)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    """A folder with a PDF, a DOCX, a TXT, a corrupt file and a ZIP holding two more contracts."""
    root = tmp_path_factory.mktemp("portfolio")
    folder = root / "contracts"
    folder.mkdir()
    (folder / "a-supply.pdf").write_bytes(pdf_pages([SUPPLY]))
    (folder / "b-lease.docx").write_bytes(_docx(LEASE))
    (folder / "c-supply.txt").write_text("\n\n".join(SUPPLY), encoding="utf-8")
    (folder / "d-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"\x00" * 64)
    (folder / "notes.png").write_bytes(b"\x89PNG not a contract")  # not a contract file: left out
    with zipfile.ZipFile(root / "archive.zip", "w") as zf:
        zf.writestr("deal/lease.txt", "\n\n".join(LEASE))
        zf.writestr("deal/supply.pdf", pdf_pages([SUPPLY[:3]]))
        zf.writestr("__MACOSX/._lease.txt", b"\x00\x05\x16\x07")
    return root


def _inputs(portfolio: Path) -> list[str]:
    return [str(portfolio / "contracts"), str(portfolio / "archive.zip"), str(portfolio / "missing.pdf")]


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def two_workers(portfolio, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "results.jsonl"
    summary = run_batch(_inputs(portfolio), out, workers=2)
    assert (summary.total, summary.analysed, summary.errors, summary.skipped) == (7, 7, 2, 0)
    return out


def test_every_contract_gets_one_record_in_input_order_and_errors_do_not_stop_the_batch(portfolio, two_workers):
    records = _records(two_workers)
    folder, archive = portfolio / "contracts", portfolio / "archive.zip"
    assert [r["file"] for r in records] == [
        str(folder / "a-supply.pdf"), str(folder / "b-lease.docx"), str(folder / "c-supply.txt"),
        str(folder / "d-broken.pdf"), f"{archive}/deal/lease.txt", f"{archive}/deal/supply.pdf",
        str(portfolio / "missing.pdf"),
    ]
    by_name = {Path(r["file"]).name: r for r in records}
    assert [n for n, r in by_name.items() if r["status"] == "error"] == ["d-broken.pdf", "missing.pdf"]
    assert "not a readable PDF" in by_name["d-broken.pdf"]["error"]
    assert by_name["d-broken.pdf"]["report"] is None and by_name["d-broken.pdf"]["sha256"]
    assert "no such file" in by_name["missing.pdf"]["error"]

    supply, lease = by_name["a-supply.pdf"]["report"], by_name["lease.txt"]["report"]
    for r in records:
        if r["status"] == "ok":
            validate(r["report"])
            assert r["error"] is None and r["sha256"] == r["report"]["source"]["sha256"]
    assert supply["services"]["installation"]["status"] == "obligated"
    assert lease["services"]["maintenance"]["status"] == "customer"
    # the same report `contract-analyzer analyze` gives for that file
    assert by_name["c-supply.txt"]["report"] == to_report(analyze(str(folder / "c-supply.txt")))


def test_one_worker_writes_the_same_bytes_as_two(portfolio, two_workers, tmp_path):
    out = tmp_path / "one.jsonl"
    run_batch(_inputs(portfolio), out, workers=1)
    assert out.read_bytes() == two_workers.read_bytes()


def test_a_rerun_skips_finished_files_and_completes_a_cut_output(portfolio, two_workers, tmp_path):
    full = two_workers.read_bytes()
    lines = full.splitlines(keepends=True)
    out = tmp_path / "resumed.jsonl"
    out.write_bytes(b"".join(lines[:2]) + lines[2][:40])  # the run stopped while writing the third record
    summary = run_batch(_inputs(portfolio), out, workers=2)
    assert (summary.skipped, summary.analysed) == (2, 5)
    assert out.read_bytes() == full

    again = run_batch(_inputs(portfolio), out, workers=2)
    assert (again.skipped, again.analysed) == (7, 0)
    assert out.read_bytes() == full


def test_documents_over_the_time_or_size_limit_are_recorded_and_the_batch_goes_on(tmp_path):
    clause = " ".join(SUPPLY[1:]) + " "
    slow = tmp_path / "a-long.txt"
    slow.write_text("\n\n".join(f"{n}. {clause * 3}" for n in range(1, 3001)), encoding="utf-8")
    huge = tmp_path / "b-huge.txt"
    huge.write_text(clause * 12_000, encoding="utf-8")
    quick = tmp_path / "c-short.txt"
    quick.write_text("\n\n".join(LEASE), encoding="utf-8")
    out = tmp_path / "r.jsonl"
    limits = Limits(max_seconds=2, max_bytes=slow.stat().st_size + 1000)
    summary = run_batch([tmp_path], out, workers=1, limits=limits)
    timed_out, too_big, analysed = _records(out)
    assert timed_out["status"] == "error" and "time limit of 2 s" in timed_out["error"]
    assert too_big["status"] == "error" and "over the size limit" in too_big["error"]
    assert analysed["status"] == "ok"  # the next document gets a fresh process
    assert summary.errors == 2


def test_csv_holds_one_summary_row_per_file_through_the_command_line(portfolio, two_workers, tmp_path):
    out = tmp_path / "results.csv"
    done = run("batch", *_inputs(portfolio), "--out", str(out), "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "7 contracts: 5 analysed, 2 with errors" in done.stderr
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == summary_columns()
    records = _records(two_workers)
    assert [r["file"] for r in rows] == [r["file"] for r in records]
    assert [r["status"] for r in rows] == [r["status"] for r in records]
    lease = next(r for r in rows if r["file"].endswith("lease.txt"))
    assert (lease["maintenance"], lease["upgrade"]) == ("customer", "excluded")
    assert lease["kind"] == "lease" and lease["sha256"]


def test_bad_output_names_fail_with_one_line(portfolio, tmp_path):
    done = run("batch", str(portfolio / "contracts"), "--out", str(tmp_path / "results.xlsx"))
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0 and ".jsonl or a .csv" in done.stderr
    assert not (tmp_path / "results.xlsx").exists()
