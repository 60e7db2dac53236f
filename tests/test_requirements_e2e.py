"""End to end: contract files through analyzer.api.analyze and the CLI to verdicts and reports.

Uses the rule pipeline (use_model=False / --no-model) so the results do not depend on a trained
classifier being present.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest

from analyzer.api import analyze
from analyzer.report.build import to_report, validate
from analyzer.report.markdown import render_markdown
from tests.cli import run
from tests.deals import LEASE, SALE, trip

LATER_SERVICE = """SERVICE CONTRACT

This Service Contract is made between Maschinenbau Keller GmbH, Stuttgart, Germany (the
"Seller") and Prairie Grain Co-operative Ltd., Regina, Canada (the "Buyer").

1. Services
1.1 The Seller shall perform annual inspections and preventive maintenance of the Equipment.
"""

TRIP_TOML = """destination = "CA"
citizenship = "DE"
tasks = ["repair"]
start = 2025-03-03
end = 2025-03-14
employer = "Maschinenbau Keller GmbH"
employer_country = "DE"
payroll_country = "DE"
specialised_knowledge = true
construction = false

[contract_dates]
acceptance = 2024-07-15

[traveller]
name = "Anna Berger"
role = "Senior Service Engineer"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text.replace("\f", "\n\f"), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def sale_file(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("deal"), "sale.txt", SALE)


def by_id(analysis) -> dict:
    return {r.id: r for r in analysis.requirements}


def test_analyze_fills_one_verdict_per_requirement(sale_file: Path) -> None:
    a = analyze([str(sale_file)], use_model=False)
    got = by_id(a)
    assert len(got) == 29
    assert got["CA-8"].verdict == "met"
    assert "repair (clause 9.1, page 2)" in got["CA-8"].explanation
    assert got["CA-11"].verdict == "met" and got["CA-11"].evidence[0].clause == "7.2"
    assert got["CA-15"].verdict == "met" and "24 months from acceptance" in got["CA-15"].explanation
    assert got["US-9"].verdict == "not_applicable"


def test_analyze_with_trip_gives_the_dispatch_check_and_a_valid_report(sale_file: Path) -> None:
    a = analyze([str(sale_file)], use_model=False, trip=trip())
    assert a.dispatch.verdict == "qualifies"
    report = to_report(a)
    validate(report)
    assert report["dispatch"]["date_check"]["status"] == "within"
    assert json.loads(json.dumps(report))["requirements"][0]["id"] == "CA-1"
    md = render_markdown(report)
    assert "**Verdict: Qualifies (trip to Canada)**" in md


def test_a_later_service_contract_is_read_as_part_of_the_deal(tmp_path: Path) -> None:
    sale_text = (SALE.replace(", renewable for further periods of one year", "")
                 .replace("1. The Seller shall perform quarterly preventive maintenance of the "
                          "Equipment.", "1. Spare parts list: see Annex 4."))
    files = [write(tmp_path, "sale.txt", sale_text),
             write(tmp_path, "service.txt", LATER_SERVICE)]
    a = analyze([str(f) for f in files], use_model=False,
                trip=trip(tasks=["inspection"]))
    got = by_id(a)
    assert got["CA-9"].verdict == "needs_evidence"
    assert "service.txt" in got["CA-9"].explanation
    assert {e.file for e in got["CA-9"].evidence} == {"service.txt"}


def test_a_lease_through_the_pipeline_takes_the_after_lease_routes(tmp_path: Path) -> None:
    a = analyze([str(write(tmp_path, "lease.txt", LEASE))], use_model=False)
    got = by_id(a)
    assert a.contract.kind == "lease"
    assert got["CA-16"].verdict == "met"
    assert got["US-2"].verdict == "not_applicable" and got["US-5"].verdict == "not_applicable"
    assert got["US-9"].verdict == "met" and "policy memo" in got["US-9"].explanation


def test_cli_markdown_docx_and_letter(tmp_path: Path, sale_file: Path) -> None:
    trip_file = write(tmp_path, "trip.toml", TRIP_TOML)
    md = run("analyze", str(sale_file), "--no-model", "--dispatch", str(trip_file),
             "--format", "markdown")
    assert md.returncode == 0, md.stderr
    assert "## Dispatch check" in md.stdout and "Qualifies (trip to Canada)" in md.stdout
    out, letter = tmp_path / "report.docx", tmp_path / "letter.docx"
    done = run("analyze", str(sale_file), "--no-model", "--dispatch", str(trip_file),
               "--format", "docx", "--out", str(out), "--letter", str(letter))
    assert done.returncode == 0, done.stderr
    report = docx.Document(io.BytesIO(out.read_bytes()))
    assert "Gaps and suggested clauses" in [p.text for p in report.paragraphs]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.read_bytes())).paragraphs)
    assert "clause 9.1 (page 2) of sale.txt requires it" in text


def test_cli_bad_trip_file_is_one_line_and_exit_3(tmp_path: Path, sale_file: Path) -> None:
    trip_file = write(tmp_path, "trip.toml", TRIP_TOML.replace('tasks = ["repair"]',
                                                               'tasks = ["welding"]'))
    done = run("analyze", str(sale_file), "--no-model", "--dispatch", str(trip_file))
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0
    assert "field 'tasks' has 'welding'" in done.stderr

