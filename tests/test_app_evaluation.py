"""The Evaluation page driven like an analyst would: the bundled corpus, an uploaded labelled corpus ZIP,
and corpora that are not in the documented format."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest

from analyzer.extract import extract
from tests.app_harness import ROOT, button, download, on_page, record_media, texts

BUNDLED = ROOT / "corpus"
SALE = """EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine model FX-200 to Buyer for use in Buyer's dairy plant.

2. Buyer shall, at its own cost, install the machine using its own contractors.

3. Seller shall repair or replace any defective part during twelve months from delivery.
"""
LEASE = """EQUIPMENT LEASE

This Lease is made between Nordic Leasing AB, Stockholm, Sweden ("Lessor") and Prairie Print Ltd., Regina,
Saskatchewan, Canada ("Lessee").

1. Lessor leases to Lessee one printing press for use in Lessee's business.

2. Lessor shall maintain the press in good working order.

3. Lessee shall provide training to its own operators.
"""
LABELS = {
    "sale": ("purchase", SALE, [("Buyer shall, at its own cost, install the machine using its own contractors.",
                                 "installation", "customer", "customer"),
                                ("Seller shall repair or replace any defective part during twelve months from "
                                 "delivery.", "repair", "obligated", "supplier")]),
    "lease": ("lease", LEASE, [("Lessor shall maintain the press in good working order.", "maintenance", "obligated",
                                "supplier"),
                               # Labelled wrong on purpose (it is the customer's duty), so the analysis
                               # disagrees with the gold label at least once.
                               ("Lessee shall provide training to its own operators.", "training", "obligated",
                                "customer")]),
}



@pytest.fixture
def media(monkeypatch):
    return record_media(monkeypatch)

def labelled_corpus(wrong_quote: bool = False) -> bytes:
    """A two-contract corpus in the documented format, offsets taken from the extracted text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for cid, (kind, text, spans) in LABELS.items():
            zf.writestr(f"my-corpus/contracts/{cid}.txt", text)
            extracted = extract(text.encode(), f"{cid}.txt").text
            services = dict.fromkeys(("installation", "repair", "maintenance", "upgrade", "training"), "absent")
            entries = []
            for quote, service, status, obligor in spans:
                start = extracted.index(quote)
                services[service] = status
                entries.append({"quote": "Something else entirely." if wrong_quote else quote, "service": service,
                                "status": status, "obligor": obligor, "start": start, "end": start + len(quote)})
            zf.writestr(f"my-corpus/annotations/{cid}.json", json.dumps({
                "id": cid, "format": "txt", "kind": kind, "style": "plain", "commercial_use": True,
                "parties": [], "services": services, "spans": entries}))
        zf.writestr("my-corpus/split.json", json.dumps({"train": [], "dev": [], "test": list(LABELS)}))
    return out.getvalue()


def run_upload(data: bytes, name: str = "my-corpus.zip"):
    at = on_page("evaluation")
    at.radio[0].set_value("upload")
    at.file_uploader[0].set_value((name, data, "application/zip"))
    button(at, "Run the evaluation").click().run()
    assert not at.exception
    return at


def eval_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("contract-eval-*")}


def test_an_uploaded_corpus_gives_metrics_confusion_charts_and_errors(media):
    before = eval_folders()
    at = run_upload(labelled_corpus())
    assert not at.error
    figures = {m.label: m.value for m in at.metric}
    assert figures["Contracts"] == "2"
    systems = at.dataframe[0].value
    assert list(systems["system"]) == ["rules", "combined"]
    confusion = at.dataframe[2].value
    assert confusion.shape == (5, 5) and list(confusion.index)[0] == "gold obligated"
    scored = next(c.value for c in at.caption if "Mentions scored: " in c.value)
    mentions = int(scored.split("Mentions scored: ")[1].rstrip("."))
    assert int(confusion.to_numpy().sum()) == mentions > 0
    assert len(at.get("vega_lite_chart")) == 2  # F1 per service and status; contract accuracy per service
    metrics = json.loads(media.download(download(at, "metrics.json")))
    assert metrics["contracts"] == 2 and metrics["split"] == "test"
    assert eval_folders() == before  # the unpacked corpus is gone


def test_the_error_browser_shows_the_chosen_clause_with_gold_predicted_and_confidence():
    at = run_upload(labelled_corpus())
    heading = next(h.value for h in at.subheader if h.value.startswith("Errors ("))
    count = int(heading[len("Errors ("):-1])
    assert count >= 1  # the lease's training sentence is labelled wrong on purpose
    table = at.dataframe[-1].value
    assert len(table) == count
    detail = next(t for t in texts(at.markdown) if " (gold), predicted " in t)
    first = table.iloc[0]
    assert detail.startswith(f"**{first['contract']}**") and f"**{first['gold']}** (gold)" in detail
    assert f"confidence {first['confidence']:.2f}" in detail
    at.multiselect[1].set_value([first["gold"]]).run()  # filter by gold status
    assert set(at.dataframe[-1].value["gold"]) == {first["gold"]}


def test_a_corpus_whose_quotes_do_not_match_is_refused_with_its_problems():
    before = eval_folders()
    at = run_upload(labelled_corpus(wrong_quote=True))
    (error,) = texts(at.error)
    assert error.startswith("my-corpus.zip: 4 problem(s) in the corpus, first: lease.json: span 0: text at")
    assert "Contracts" not in {m.label for m in at.metric}
    assert eval_folders() == before


@pytest.mark.parametrize("data, message", [
    (b"not a zip", "my-corpus.zip: not a readable ZIP file"),
    (None, "no annotations/ folder inside"),
])
def test_a_zip_that_is_no_corpus_shows_a_clear_message(data, message):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("contracts/a.txt", SALE)
        data = out.getvalue()
    at = run_upload(data)
    assert len(at.error) == 1 and message in at.error[0].value


def test_choosing_upload_without_a_file_asks_for_one():
    at = on_page("evaluation")
    at.radio[0].set_value("upload")
    button(at, "Run the evaluation").click().run()
    assert texts(at.error) == ["choose a corpus ZIP to upload first"]


@pytest.mark.skipif(not (BUNDLED / "contracts").is_dir(), reason="the bundled corpus is not in this checkout")
def test_the_bundled_corpus_test_split():
    split = json.loads((BUNDLED / "split.json").read_text(encoding="utf-8"))
    at = on_page("evaluation")
    button(at, "Run the evaluation").click().run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Contracts"] == str(len(split["test"]))
    assert at.dataframe[2].value.shape == (5, 5)
