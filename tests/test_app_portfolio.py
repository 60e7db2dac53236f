"""The Portfolio page driven like a user would: files and a ZIP, a bad file among them, filters, exports."""

from __future__ import annotations

import csv
import io
import zipfile

import pyarrow as pa
import pytest
from openpyxl import load_workbook

from tests.app_harness import SAMPLE, button, download, on_page, record_media, texts

NO_DUTY = b"""EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine model FX-200 to Buyer for use in Buyer's dairy plant.
2. Buyer shall, at its own cost, install the machine using its own contractors. Seller has no obligation to install.
"""
LEASE = b"""EQUIPMENT LEASE

This Lease is made between Nordic Leasing AB, Stockholm, Sweden ("Lessor") and Prairie Print Ltd., Regina,
Saskatchewan, Canada ("Lessee").

1. Lessor leases to Lessee one printing press for use in Lessee's business.
2. Lessor shall maintain the press in good working order and shall repair any defect at its own cost.
"""



@pytest.fixture
def media(monkeypatch):
    return record_media(monkeypatch)

def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def run_portfolio(files, samples: bool = False):
    at = on_page("portfolio")
    at.file_uploader[0].set_value(files)
    if samples:
        at.checkbox[0].check()
    button(at, "Analyse the portfolio").click().run()
    assert not at.exception
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_files_and_a_zip_make_one_row_each_and_a_bad_file_its_own_error(media):
    at = run_portfolio([("alpenwerk.txt", NO_DUTY, "text/plain"),
                        ("leases.zip", zipped({"2024/nordic.txt": LEASE}), "application/zip"),
                        ("broken.pdf", b"%PDF-1.7 garbage", "application/pdf"),
                        ("hartmann.pdf", SAMPLE.read_bytes(), "application/pdf")])
    table = at.dataframe[0].value.set_index("file")
    assert list(table.index) == ["alpenwerk.txt", "leases.zip/2024/nordic.txt", "hartmann.pdf"]
    assert metrics(at) == {"Contracts analysed": "3", "With at least one gap": str(int((table["gaps"] > 0).sum())),
                           "Could not be read": "1"}
    assert texts(at.error) == ["broken.pdf: not a readable PDF (corrupt or truncated file)"]
    assert table.loc["alpenwerk.txt", "installation"] == "customer"
    assert table.loc["alpenwerk.txt", "CA-8"] == "gap" and table.loc["alpenwerk.txt", "gaps"] > 0
    assert table.loc["leases.zip/2024/nordic.txt", "maintenance"] == "obligated"
    assert table.loc["leases.zip/2024/nordic.txt", "kind"] == "lease"
    assert table.loc["hartmann.pdf", "installation"] == "obligated"
    assert (table.loc["hartmann.pdf", "supplier"], table.loc["hartmann.pdf", "supplier_country"]) == (
        "Hartmann Verpackungstechnik GmbH", "DE")

    gaps = at.dataframe[1].value
    assert list(gaps["contracts with the gap"]) == sorted(gaps["contracts with the gap"], reverse=True)
    assert gaps.set_index("requirement").loc["CA-8", "contracts with the gap"] == (table["CA-8"] == "gap").sum()
    (chart,) = at.get("vega_lite_chart")  # the chart of gaps across the portfolio
    plotted = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
    assert dict(zip(plotted["requirement"], plotted["contracts"], strict=True)) == dict(
        zip(gaps["requirement"], gaps["contracts with the gap"], strict=True))

    rows = list(csv.DictReader(io.StringIO(media.download(download(at, "CSV")).decode("utf-8-sig"))))
    assert [r["file"] for r in rows] == [*table.index, "broken.pdf"]
    assert rows[0]["installation"] == "customer" and rows[0]["CA-8"] == "gap"
    assert rows[-1]["error"].startswith("broken.pdf: not a readable PDF")
    sheet = load_workbook(io.BytesIO(media.download(download(at, "Excel (XLSX)")))).active
    assert sheet.max_row == 5 and sheet["A3"].value == "leases.zip/2024/nordic.txt"


def test_the_bundled_samples_can_join_the_portfolio():
    at = run_portfolio([("alpenwerk.txt", NO_DUTY, "text/plain")], samples=True)
    bundled = sorted(p.name for p in SAMPLE.parent.glob("sample-*") if p.suffix in (".pdf", ".docx", ".txt"))
    assert sorted(at.dataframe[0].value["file"]) == sorted(["alpenwerk.txt", *bundled])
    assert not at.error


def test_filters_narrow_the_table_the_chart_and_the_export(media):
    at = run_portfolio([("alpenwerk.txt", NO_DUTY, "text/plain"), ("nordic.txt", LEASE, "text/plain"),
                        ("hartmann.pdf", SAMPLE.read_bytes(), "application/pdf")])
    at.multiselect[0].set_value(["lease"]).run()
    (nordic,) = at.dataframe[0].value.itertuples()
    assert nordic.file == "nordic.txt" and nordic.gaps > 0
    gap_table = at.dataframe[1].value  # the gaps across the portfolio follow the filter
    assert len(gap_table) == nordic.gaps and set(gap_table["contracts with the gap"]) == {1}
    at.multiselect[0].set_value([])
    at.selectbox[0].set_value("installation").run()
    at.multiselect[1].set_value(["obligated"]).run()
    assert list(at.dataframe[0].value["file"]) == ["hartmann.pdf"]
    at.selectbox[0].set_value("(any)").run()
    at.toggle[1].set_value(True).run()  # only with gaps
    shown = at.dataframe[0].value
    assert "alpenwerk.txt" in set(shown["file"]) and (shown["gaps"] > 0).all()
    at.toggle[1].set_value(False)
    at.text_input[0].set_value("alpenwerk").run()
    assert list(at.dataframe[0].value["file"]) == ["alpenwerk.txt"]
    assert [r["file"] for r in csv.DictReader(io.StringIO(
        media.download(download(at, "CSV")).decode("utf-8-sig")))] == ["alpenwerk.txt"]


def test_a_broken_zip_is_reported_and_the_rest_finish():
    at = run_portfolio([("batch.zip", b"PK\x03\x04 cut short", "application/zip"),
                        ("deal.pdf", SAMPLE.read_bytes(), "application/pdf")])
    assert texts(at.error) == ["batch.zip: not a readable ZIP file"]
    assert metrics(at)["Contracts analysed"] == "1"
    assert list(at.dataframe[0].value["file"]) == ["deal.pdf"]


def test_nothing_uploaded_asks_for_files():
    at = on_page("portfolio")
    button(at, "Analyse the portfolio").click().run()
    assert texts(at.warning) == ["Upload contracts or ZIP files, or tick the bundled samples."]
