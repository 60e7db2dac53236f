"""The Review page driven like a user would: the bundled sample, uploaded files of one deal, a bad file."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from docx import Document as DocxDocument
from PIL import Image

from analyzer.report.view import STATUSES
from tests.app_harness import SAMPLE, button, download, new_app, reaches, record_media, texts

NO_DUTY = b"""EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine model FX-200 to Buyer for use in Buyer's dairy plant.
2. Buyer shall, at its own cost, install the machine using its own contractors. Seller has no obligation to install.
"""
SCHEDULE = b"""SERVICE SCHEDULE

This Service Schedule forms part of the Equipment Purchase Agreement between the parties.

1. The Seller shall provide preventive maintenance of the Equipment twice a year during the Warranty Period.
"""



@pytest.fixture
def media(monkeypatch):
    return record_media(monkeypatch)

def analyse(at, files=None, sample=None):
    if files is not None:
        at.file_uploader[0].set_value(files)
    if sample is not None:
        at.selectbox[0].set_value(sample)
    button(at, "Analyse").click().run()
    assert not at.exception
    return at


def keeps_no_file(at, data: bytes) -> bool:
    """Nothing the page keeps in session state holds the uploaded file. (Emptying the upload box after
    the analysis is the browser's part of the form; the end-to-end test checks it.)"""
    return not reaches(at.session_state.to_dict(), data)


def test_the_sample_shows_facts_statuses_marked_evidence_checklists_and_reports(media):
    at = new_app()
    assert "press **Analyse**" in at.info[0].value
    analyse(at)

    assert at.header[0].value == "sample-purchase-agreement.pdf"
    assert {m.label: m.value for m in at.metric}["Contract kind"] == "purchase"
    parties = at.dataframe[0].value
    seller = parties[parties["party"].str.startswith("Hartmann")].iloc[0]
    assert (seller["side"], seller["country"]) == ("supplier", "DE")
    report = json.loads(media.download(download(at, "JSON")))
    badges = [t.split("[", 1)[1] for t in texts(at.markdown) if re.match(r":\w+-badge\[", t)]
    assert badges == [f"{STATUSES[r['status']]} · {r['confidence']:.0%}]" for r in report["services"].values()]
    assert report["services"]["installation"]["status"] == "obligated"

    evidence = [t for t in texts(at.markdown) if t.startswith('<div class="evidence"')]
    assert any('title="service: installation"' in t and ">installation</mark>" in t and
               'title="cue: duty"' in t for t in evidence)
    assert any(re.sub("<[^>]+>", "", t).startswith("3.2 Seller shall supervise the installation") for t in evidence)

    page = np.asarray(Image.open(io.BytesIO(media.files[at.image[0].value[0]])).convert("RGB")).astype(int)
    yellow = (page[..., 2] < page[..., 0] - 60) & (page[..., 2] < page[..., 1] - 60)
    assert yellow.sum() > 500  # the evidence sentence is marked on the page image
    first = at.selectbox[1].options[0]  # the evidence shown first, e.g. "installation: clause 3.2, page 1 (...)"
    page_number = re.search(r", page (\d+) ", first).group(1)
    assert at.image[0].captions == [f"Page {page_number}"]

    assert [t.label for t in at.tabs] == ["Canada", "United States"]
    assert any(e.label.startswith(":material/check_circle: Met · CA-8 ·") for e in at.expander)

    assert report["schema_version"] == 1 and report["source"]["path"] == "sample-purchase-agreement.pdf"
    assert "Hartmann Verpackungstechnik GmbH" in media.download(download(at, "Markdown")).decode()
    assert b"<html" in media.download(download(at, "HTML"))
    word = DocxDocument(io.BytesIO(media.download(download(at, "Word (DOCX)"))))
    assert any("Hartmann" in p.text for p in word.paragraphs) or any(
        "Hartmann" in c.text for t in word.tables for r in t.rows for c in r.cells)

    assert keeps_no_file(at, SAMPLE.read_bytes())


def test_picking_other_evidence_shows_its_page():
    at = analyse(new_app())
    options = at.selectbox[1]
    second_page = next(i for i in options.options if ", page 2 (" in i)
    options.set_value(options.options.index(second_page)).run()
    assert at.image[0].captions == ["Page 2"]


def test_a_gap_shows_its_explanation_and_the_clause_wording_to_copy():
    at = analyse(new_app(), files=[("alpenwerk-sale.txt", NO_DUTY, "text/plain")])
    assert at.header[0].value == "alpenwerk-sale.txt"
    assert any(t.startswith(":blue-badge[Customer's duty · ") for t in texts(at.markdown))
    gap = next(e for e in at.expander if "Gap · CA-8 ·" in e.label)
    assert gap.proto.expanded
    wording = [c.value for c in gap.code]
    assert wording and wording[0].startswith("The Seller shall")
    assert not at.image  # a text file has no page image
    assert keeps_no_file(at, NO_DUTY)


def test_the_files_of_one_deal_are_read_together_and_cited_by_name():
    at = analyse(new_app(), files=[("agreement.pdf", SAMPLE.read_bytes(), "application/pdf"),
                                   ("schedule.txt", SCHEDULE, "text/plain")])
    assert at.header[0].value == "agreement.pdf, schedule.txt"
    captions = texts(at.caption)
    assert any("schedule.txt" in c for c in captions) and any("agreement.pdf" in c for c in captions)
    assert {m.label: m.value for m in at.metric}["Files"] == "2"


def test_a_bad_file_shows_the_clear_message_and_no_traceback():
    at = analyse(new_app(), files=[("broken.pdf", b"%PDF-1.7\n1 0 obj garbage", "application/pdf")])
    assert texts(at.error) == ["broken.pdf: not a readable PDF (corrupt or truncated file)"]
    assert not at.exception and not at.header
    assert "press **Analyse**" in at.info[0].value


def test_nothing_chosen_asks_for_a_file():
    at = analyse(new_app(), sample="(none)")
    assert texts(at.warning) == ["Choose a contract file or a bundled sample first."]
