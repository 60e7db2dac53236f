"""Property-based tests and fuzz targets (hypothesis), each bounded by its number of examples:

- the segmenter: any text gives clauses inside the text, in order, with unique ids, known parents and
  pages, that together cover every printed character;
- the cue detection: every service mention lies inside the text, its sentence and its clause, with
  known values for each cue;
- the report builder: any text gives a report valid under the shipped schema whose evidence is the text
  at its offsets, or one BadInputError;
- each reader (PDF, DOCX as a ZIP and as WordprocessingML, TXT): mutated or random bytes give a
  Document with consistent pages, or one BadInputError, within a time limit per input.

Counts of inputs tried and failures go to test-output/fuzz-summary.json and the end of the test run;
FUZZ_SCALE=20 in the environment runs twenty times as many inputs.
"""

from __future__ import annotations

import io
import json
import os
import signal
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analyzer.api import analyze, find_mentions
from analyzer.document import Document
from analyzer.errors import BadInputError
from analyzer.extract import extract
from analyzer.extract.layout import PageText, assemble
from analyzer.nlp.parties import find_parties
from analyzer.report.build import to_report, validate
from analyzer.results import SERVICES, STATUSES
from analyzer.segment import segment
from tests import badfiles, builders

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "test-output" / "fuzz-summary.json"
SECONDS_PER_INPUT = 20  # a reader that runs longer on one small input is hanging
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
COUNTS: dict[str, dict] = {}
CLAUSE_KINDS = {"clause", "definition", "definitions", "toc", "schedule", "preamble"}


def bounded(examples: int):
    """At most `examples` inputs (times FUZZ_SCALE from the environment, for a longer run by hand)."""
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


class Hang(Exception):
    pass


@contextmanager
def counted(target: str):
    """Count one input for `target`, and a failure when the body raises; stop a body that hangs."""
    entry = COUNTS.setdefault(target, {"inputs": 0, "failures": 0, "seconds": 0.0})
    entry["inputs"] += 1
    started = time.monotonic()

    def stop(*_):
        raise Hang(f"{target}: no result after {SECONDS_PER_INPUT} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_INPUT)
    try:
        yield
    except BaseException:
        entry["failures"] += 1
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        entry["seconds"] = round(entry["seconds"] + time.monotonic() - started, 3)


@pytest.fixture(scope="module", autouse=True)
def summary(pytestconfig):
    yield
    total = {"inputs": sum(c["inputs"] for c in COUNTS.values()),
             "failures": sum(c["failures"] for c in COUNTS.values())}
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(json.dumps({"total": total, "targets": COUNTS}, indent=2) + "\n", encoding="utf-8")
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        per_target = ", ".join(f"{name} {c['inputs']}" for name, c in COUNTS.items())
        reporter.write_line(f"fuzz: {total['inputs']} inputs, {total['failures']} failures ({per_target}); {SUMMARY}")


# -- text strategies --------------------------------------------------------------------------------

PIECES = [
    "1.", "7.2", "12.3.4", "(a)", "(iv)", "b)", "Section 4.02(b)", "ARTICLE IV", "Article 3", "SCHEDULE B",
    "Exhibit 1 -", "TABLE OF CONTENTS", "Contents", "Warranty ........ 12", '"Equipment" means', "Definitions",
    "Seller shall install", "the Supplier will repair or replace", "Buyer shall maintain", "Lessee shall, at its cost,",
    "may, at its sole discretion, upgrade", "is not included", "training of operators", "commissioning",
    "under a separate service agreement", "at no additional charge", "by Buyer's contractor", "not", "upgrades",
    "|", ";", ":", ".", ",", "\t", "\f", " ", "\u00a0", "…", "Page 3 of 9", "—", "(", ")", '"', "’", "§ 5",
    "Hartwig GmbH (\"Seller\")", "Laurentian Inc. (\"Buyer\")", "Licensor", "the Customer", "equip-",
]
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
LINES = st.lists(st.one_of(st.sampled_from(PIECES), WORDS), max_size=10).map(" ".join)
CONTRACT_TEXT = st.one_of(
    st.lists(LINES, min_size=1, max_size=30).map("\n".join),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=600),
)


def _document(text: str, pdf_like: bool) -> Document:
    """What a reader hands on: pages split on form feeds, assembled as for a PDF or a text file."""
    return assemble([PageText(p) for p in text.split("\f")], "fuzz.txt", "pdf" if pdf_like else "txt", "0" * 64,
                    strip_running=pdf_like)


def _check_document(doc: Document) -> None:
    text = doc.text
    assert doc.source.pages == len(doc.pages) >= 1
    previous_end = 0
    for n, page in enumerate(doc.pages, start=1):
        assert page.number == n
        assert previous_end <= page.start <= page.end <= len(text)
        previous_end = page.end
    assert all(ch in "\n\t" or ord(ch) >= 32 for ch in text)
    for start, end in doc.tables:
        assert 0 <= start <= end <= len(text)


# -- the segmenter, the cue detection, the report ---------------------------------------------------


@bounded(500)
@given(CONTRACT_TEXT, st.booleans())
def test_segmenter_clauses_lie_in_the_text_in_order_and_cover_it(text, pdf_like):
    with counted("segment"):
        doc = _document(text, pdf_like)
        _check_document(doc)
        clauses = segment(doc)
        seen: set[str] = set()
        covered = [False] * len(doc.text)
        last_start = 0
        for c in clauses:
            assert 0 <= c.start <= c.end <= len(doc.text), c
            assert c.start >= last_start, "clauses out of order"
            last_start = c.start
            assert c.id not in seen, f"duplicate clause id {c.id}"
            assert c.parent is None or c.parent in seen, f"{c.id}: parent {c.parent} not before it"
            seen.add(c.id)
            assert c.kind in CLAUSE_KINDS
            assert c.page == doc.page_at(c.start)
            if c.label:
                assert doc.text.startswith(c.label, c.start), (c.label, doc.text[c.start:c.start + 20])
            covered[c.start:c.end] = [True] * (c.end - c.start)
        lost = [i for i, ch in enumerate(doc.text) if not ch.isspace() and not covered[i]]
        assert not lost, f"text outside every clause: {doc.text[lost[0]:lost[0] + 40]!r}"


@bounded(200)
@given(CONTRACT_TEXT, st.booleans())
def test_cue_detection_mentions_lie_in_their_sentence_and_clause(text, pdf_like):
    with counted("cues"):
        doc = _document(text, pdf_like)
        clauses = segment(doc)
        _, aliases = find_parties(doc.text)
        mentions = find_mentions(doc, clauses, aliases, None)
        event("with mentions" if mentions else "no mention")
        for m in mentions:
            assert 0 <= m.sent_start <= m.start < m.end <= m.sent_end <= len(doc.text), m
            assert doc.text[m.start:m.end].strip(), m
            assert m.service in SERVICES and m.status in STATUSES and m.rule_status in STATUSES
            assert m.obligor in ("supplier", "customer", "third_party", "unknown")
            assert m.modality in ("duty", "permission", "none")
            assert m.context in ("body", "definition", "heading", "toc", "table")
            assert 0 <= m.score <= 1
            assert m.page == doc.page_at(m.start)
            if m.clause is not None:  # cited as printed: a repeated "(a)" is "(a)", not the id "(a)#2"
                assert any(c.id.split("#")[0] == m.clause and c.start <= m.start < max(c.end, c.start + 1)
                           for c in clauses), (m.clause, m.start)


@bounded(100)
@given(CONTRACT_TEXT)
def test_any_text_gives_a_valid_report_whose_evidence_is_the_text(text):
    with counted("report"):
        try:
            analysis = analyze(text.encode("utf-8"), names=["fuzz.txt"])
        except BadInputError as exc:
            assert str(exc).startswith("fuzz.txt: ") and "\n" not in str(exc)
            return
        report = to_report(analysis)
        event("evidence" if any(r["evidence"] for r in report["services"].values()) else "no evidence")
        validate(report)
        json.dumps(report, ensure_ascii=False)
        doc = analysis.documents[0]
        for result in report["services"].values():
            for ev in result["evidence"]:
                assert 0 <= ev["start"] < ev["end"] <= len(doc.text), ev
                assert doc.text[ev["start"]:ev["end"]] == ev["text"]
                assert 1 <= ev["page"] <= len(doc.pages)


# -- the readers ------------------------------------------------------------------------------------


def _read(target: str, data: bytes, name: str) -> None:
    """One fuzz input through `extract`: a consistent Document or one BadInputError naming the file."""
    with counted(target):
        try:
            doc = extract(data, name)
        except BadInputError as exc:
            assert str(exc).startswith(f"{name}: ") and "\n" not in str(exc), str(exc)
            event("refused")
            return
        event("read")
        _check_document(doc)
        assert doc.text.strip()


EDIT = st.tuples(st.floats(0, 1, allow_nan=False), st.sampled_from(["flip", "insert", "delete", "copy", "cut"]),
                 st.binary(min_size=1, max_size=16))


def _mutate(seed: bytes, edits: list[tuple[float, str, bytes]]) -> bytes:
    data = bytearray(seed)
    for where, kind, blob in edits:
        i = min(int(where * len(data)), max(len(data) - 1, 0))
        if kind == "flip" and data:
            data[i:i + len(blob)] = bytes(b ^ x for b, x in zip(data[i:i + len(blob)], blob, strict=False))
        elif kind == "insert":
            data[i:i] = blob
        elif kind == "delete":
            del data[i:i + len(blob) * 8]
        elif kind == "copy":
            data[i:i] = data[max(0, i - 64 * len(blob)):i]
        elif kind == "cut":
            del data[i:]
    return bytes(data)


def _plain_pdf() -> bytes:
    """An uncompressed PDF, so that mutations land in page-description operators and not in Flate data."""
    stream = (b"BT /F1 11 Tf 72 720 Td (1. Installation) Tj 0 -14 Td (1.1 Seller shall install the Press.) Tj "
              b"0 -14 Td [(2.) -250 (Seller shall re) 20 (pair defects.)] TJ T* (Buyer shall maintain it.) ' ET "
              b"0 0 1 RG 72 600 m 300 600 l S 72 580 228 40 re S")
    return badfiles._pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


PDF_SEEDS = [badfiles.contract_pdf(), _plain_pdf(), badfiles.pdf_all_tables()]


@bounded(300)
@given(st.sampled_from(range(len(PDF_SEEDS))), st.lists(EDIT, min_size=1, max_size=4))
def test_pdf_reader_fuzz(seed, edits):
    _read("pdf", _mutate(PDF_SEEDS[seed], edits), "fuzz.pdf")


def _numbered_docx() -> bytes:
    def build(d):
        num = builders.add_multilevel_numbering(d)
        for text, level in (("Installation", 0), ("Seller shall install the Press.", 1), ("Warranty", 0),
                            ("Seller shall repair defects.", 2)):
            builders.numbered(d.add_paragraph(text), num, level)
        builders.tracked_change(d.add_paragraph("Seller shall "), "train operators", "deliver only")

    return builders.docx_bytes(build)


DOCX_SEEDS = [badfiles.contract_docx(), badfiles.docx_all_tables(), _numbered_docx()]
DOCX_PARTS = ["word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml",
              "word/_rels/document.xml.rels"]


@bounded(100)
@given(st.sampled_from(range(len(DOCX_SEEDS))), st.lists(EDIT, min_size=1, max_size=4))
def test_docx_reader_fuzz_on_the_zip(seed, edits):
    _read("docx-zip", _mutate(DOCX_SEEDS[seed], edits), "fuzz.docx")


XML_EDIT = st.tuples(st.floats(0, 1, allow_nan=False), st.sampled_from(["flip", "insert", "delete", "copy"]),
                     st.one_of(st.binary(min_size=1, max_size=8),
                               st.sampled_from([b"<", b">", b"</w:p>", b"<w:p>", b"<w:tbl>", b'w:val="9"', b"&amp;",
                                                b'<w:numPr><w:ilvl w:val="8"/><w:numId w:val="90"/></w:numPr>',
                                                b'<w:vMerge/>', b"<w:br w:type=\"page\"/>", b"\x00", b"\xff"])))


def _rezip(seed: bytes, part: str, edits) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(seed))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = src.read(info.filename)
            z.writestr(info.filename, _mutate(content, edits) if info.filename == part else content)
    return out.getvalue()


@bounded(300)
@given(st.sampled_from(range(len(DOCX_SEEDS))), st.sampled_from(DOCX_PARTS), st.lists(XML_EDIT, min_size=1, max_size=5))
def test_docx_reader_fuzz_on_the_xml(seed, part, edits):
    _read("docx-xml", _rezip(DOCX_SEEDS[seed], part, edits), "fuzz.docx")


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]


@bounded(400)
@given(st.one_of(
    st.binary(max_size=4096),
    st.tuples(CONTRACT_TEXT, st.sampled_from(ENCODINGS), st.lists(EDIT, max_size=2)).map(
        lambda t: _mutate(t[0].encode(t[1], errors="replace"), t[2])),
))
def test_text_reader_fuzz(data):
    _read("txt", data, "fuzz.txt")
