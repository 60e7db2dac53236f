"""The portfolio in memory: uploads and ZIPs opened within limits, one row or one error per contract, gap
counts, filters, CSV and Excel; and a labelled corpus ZIP unpacked safely."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analyzer import BadInputError
from analyzer.limits import Limits
from analyzer.scan import COLUMNS, Scanned, gap_counts, scan, select, to_csv, to_xlsx
from analyzer.uploads import Upload, contract_files, unpack_corpus

SAMPLE = Path(__file__).resolve().parents[1] / "analyzer" / "samples" / "sample-purchase-agreement.pdf"
NO_DUTY = b"""EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine to Buyer for use in Buyer's dairy plant.
2. Buyer shall, at its own cost, install the machine using its own contractors.
"""


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_contract_files_open_zips_and_keep_plain_files():
    batch = zipped({"deals/a.txt": NO_DUTY, "deals/notes.csv": b"x", "__MACOSX/._a.txt": b"junk"})
    got = list(contract_files([("one.pdf", b"%PDF"), ("batch.zip", batch)]))
    assert [(u.name, u.data, u.error) for u in got] == [("one.pdf", b"%PDF", None),
                                                        ("batch.zip/deals/a.txt", NO_DUTY, None)]


def test_a_bad_zip_is_one_error_and_the_other_files_still_come():
    got = list(contract_files([("broken.zip", b"PK\x03\x04 not really"), ("ok.txt", NO_DUTY),
                               ("empty.zip", zipped({"readme.csv": b"x"}))]))
    assert [u.name for u in got] == ["broken.zip", "ok.txt", "empty.zip"]
    assert "not a readable ZIP" in got[0].error and got[0].data is None
    assert got[1].error is None
    assert "no PDF, DOCX or TXT contract" in got[2].error


def test_a_zip_over_the_member_limit_is_refused():
    many = zipped({f"c{i}.txt": NO_DUTY for i in range(5)})
    (only,) = contract_files([("many.zip", many)], Limits(max_zip_members=3))
    assert "over the limit of 3" in only.error


def test_scan_makes_a_row_per_contract_and_an_error_row_for_a_bad_file():
    good = scan(Upload("deal.txt", NO_DUTY), use_model=False)
    assert good.error is None and list(good.row) == list(COLUMNS)
    assert good.row["installation"] == "customer" and good.row["supplier"].startswith("Alpenwerk")
    assert good.row["gaps"] == len(good.gaps) > 0 and "CA-8" in good.gaps
    bad = scan(Upload("bad.pdf", b"%PDF-1.7 garbage"))
    assert bad.error.startswith("bad.pdf: ") and bad.row["error"] == bad.error
    assert all(bad.row[c] is None for c in COLUMNS if c not in ("file", "error"))
    failed_zip = scan(Upload("x.zip", None, "x.zip: not a readable ZIP file"))
    assert failed_zip.row["error"] == "x.zip: not a readable ZIP file"


def test_a_failure_inside_one_analysis_costs_only_that_row(monkeypatch):
    import analyzer.api

    real = analyzer.api.analyze

    def flaky(data, *, names, **kwargs):
        if names == ["cursed.txt"]:
            raise RuntimeError("reader library crashed")
        return real(data, names=names, **kwargs)

    monkeypatch.setattr(analyzer.api, "analyze", flaky)
    results = [scan(Upload(n, NO_DUTY), use_model=False) for n in ("cursed.txt", "fine.txt")]
    # The type only: an exception's message may quote the contract, and the row is shown and saved.
    assert results[0].error == "cursed.txt: internal error (RuntimeError)"
    assert results[1].error is None and results[1].row["installation"] == "customer"


def _scanned(name: str, kind: str, gaps: dict[str, str], installation: str = "obligated") -> Scanned:
    row = dict.fromkeys(COLUMNS) | {"file": name, "kind": kind, "installation": installation, "gaps": len(gaps),
                                    "supplier": f"{name} Supplier GmbH"}
    return Scanned(name, row, gaps)


def test_gap_counts_count_contracts_per_requirement_most_frequent_first():
    results = [_scanned("a", "purchase", {"CA-8": "Service duty", "US-2": "Sale duty"}),
               _scanned("b", "lease", {"CA-8": "Service duty"}),
               _scanned("c", "purchase", {})]
    assert gap_counts(results) == [("CA-8", "Service duty", 2), ("US-2", "Sale duty", 1)]
    assert gap_counts([]) == []


def test_select_applies_every_filter():
    rows = [r.row for r in (_scanned("a", "purchase", {"CA-8": "t"}), _scanned("b", "lease", {}, "customer"),
                            _scanned("c", "purchase", {}, "absent"))]
    assert [r["file"] for r in select(rows)] == ["a", "b", "c"]
    assert [r["file"] for r in select(rows, kinds=["purchase"])] == ["a", "c"]
    assert [r["file"] for r in select(rows, service="installation", statuses=["customer", "absent"])] == ["b", "c"]
    assert [r["file"] for r in select(rows, gaps_only=True)] == ["a"]
    assert [r["file"] for r in select(rows, text="B SUPPLIER")] == ["b"]


def test_csv_and_xlsx_hold_every_row_and_never_a_formula():
    rows = [_scanned("=HYPERLINK(\"http://x\")", "purchase", {"CA-8": "t"}).row,
            dict.fromkeys(COLUMNS) | {"file": "bad.pdf", "error": "bad.pdf: not a readable PDF"}]
    data = to_csv(rows)
    assert data.startswith("\ufeff".encode())
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(parsed[0]) == list(COLUMNS)
    assert parsed[0]["file"].startswith("'=") and parsed[0]["gaps"] == "1"
    assert parsed[1]["error"] == "bad.pdf: not a readable PDF" and parsed[1]["kind"] == ""

    ws = load_workbook(io.BytesIO(to_xlsx(rows))).active
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("'=")
    assert ws.cell(row=2, column=COLUMNS.index("gaps") + 1).value == 1
    assert ws.cell(row=3, column=COLUMNS.index("error") + 1).value == "bad.pdf: not a readable PDF"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def test_unpack_corpus_finds_the_root_inside_a_folder(tmp_path):
    data = zipped({"my-corpus/annotations/x.json": b"{}", "my-corpus/contracts/x.txt": NO_DUTY,
                   "my-corpus/split.json": b"{}"})
    root = unpack_corpus(data, "my.zip", tmp_path)
    assert root == (tmp_path / "my-corpus").resolve()
    assert (root / "contracts" / "x.txt").read_bytes() == NO_DUTY


@pytest.mark.parametrize("members, message", [
    ({"../evil/annotations/x.json": b"{}"}, "unsafe path"),
    ({"/abs/annotations/x.json": b"{}"}, "unsafe path"),
    ({"contracts/x.txt": NO_DUTY}, "no annotations/ folder"),
])
def test_unpack_corpus_refuses_unsafe_or_unlabelled_zips(tmp_path, members, message):
    with pytest.raises(BadInputError, match=message):
        unpack_corpus(zipped(members), "c.zip", tmp_path / "in")
    assert not (tmp_path / "evil").exists()


def test_unpack_corpus_checks_the_limits_before_writing(tmp_path):
    data = zipped({"annotations/x.json": b"{}" * 1000})
    with pytest.raises(BadInputError, match="expand past"):
        unpack_corpus(data, "c.zip", tmp_path, Limits(max_unzipped_bytes=100))
    assert not any(tmp_path.iterdir())
    with pytest.raises(BadInputError, match="not a readable ZIP"):
        unpack_corpus(b"nope", "c.zip", tmp_path)
