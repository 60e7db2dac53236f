"""One deal under review: what the app keeps after the analysis (no file bytes), and a trip applied to it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analyzer import BadInputError
from analyzer.requirements.dispatch import trip_from_dict
from analyzer.session import evidence, review, with_trip
from tests.app_harness import reaches

SAMPLE = Path(__file__).resolve().parents[1] / "analyzer" / "samples" / "sample-purchase-agreement.pdf"
SCHEDULE = b"""SERVICE SCHEDULE

This Service Schedule forms part of the Equipment Purchase Agreement between the parties.

1. The Seller shall provide preventive maintenance of the Equipment twice a year during the Warranty Period.
"""


@pytest.fixture(scope="module")
def sample_review():
    return review([("sample-purchase-agreement.pdf", SAMPLE.read_bytes())])


def test_review_keeps_the_report_and_pages_but_not_the_file(sample_review):
    rv = sample_review
    assert rv.names == ["sample-purchase-agreement.pdf"]
    assert rv.report["services"]["installation"]["status"] == "obligated"
    assert not reaches(rv, SAMPLE.read_bytes())


def test_every_service_evidence_sentence_is_marked_and_found_on_its_page(sample_review):
    rv = sample_review
    pairs = evidence(rv.report)
    assert {s for s, _ in pairs} == set(rv.report["services"])
    for service, ev in pairs:
        assert any(m.kind == "service" for m in rv.marks[ev["text"]]), ev["text"]
        page = rv.page(ev)
        assert page is not None and page.number == ev["page"]
        assert page.boxes[ev["text"]], f"{service}: {ev['text']!r} not located on page {ev['page']}"


def test_evidence_lists_each_sentence_once_under_its_first_service(sample_review):
    services = sample_review.report["services"]
    pairs = evidence(sample_review.report)
    keys = [(ev.get("file"), ev["start"], ev["end"]) for _, ev in pairs]
    assert len(keys) == len(set(keys))
    every = {(ev.get("file"), ev["start"], ev["end"]) for r in services.values() for ev in r["evidence"]}
    assert len(keys) == len(every)
    order = list(services)
    for service, ev in pairs:
        assert ev in services[service]["evidence"]
        assert not any(ev in services[earlier]["evidence"] for earlier in order[:order.index(service)])


def test_a_deal_of_a_pdf_and_a_text_schedule_renders_only_the_pdf_pages():
    rv = review([("agreement.pdf", SAMPLE.read_bytes()), ("schedule.txt", SCHEDULE)], use_model=False)
    files = {ev.get("file") for _, ev in evidence(rv.report)}
    assert files == {"agreement.pdf", "schedule.txt"}
    assert rv.pages and {f for f, _ in rv.pages} == {"agreement.pdf"}
    from_schedule = [ev for ev in rv.report["services"]["maintenance"]["evidence"] if ev["file"] == "schedule.txt"]
    assert from_schedule and all(rv.page(ev) is None for ev in from_schedule)


def test_a_bad_file_stops_the_review_with_a_message_naming_it():
    with pytest.raises(BadInputError, match="broken.pdf"):
        review([("broken.pdf", b"%PDF-1.7\n1 0 obj garbage")])


def test_with_trip_adds_the_dispatch_check_and_leaves_the_analysis_alone(sample_review):
    trip = trip_from_dict({"destination": "CA", "tasks": ["repair"], "citizenship": "DE",
                           "start": date(2026, 9, 1), "end": date(2026, 9, 4),
                           "contract_dates": {"acceptance": date(2026, 5, 1)}})
    report = with_trip(sample_review.analysis, trip)
    assert report["dispatch"]["destination"] == "CA"
    assert report["dispatch"]["date_check"]["status"] == "within"
    ca15 = next(r for r in report["requirements"] if r["id"] == "CA-15")
    assert ca15["verdict"] == "met"
    assert sample_review.analysis.dispatch is None and sample_review.report["dispatch"] is None

    late = trip_from_dict({"destination": "CA", "tasks": ["repair"], "start": date(2029, 1, 1),
                           "contract_dates": {"acceptance": date(2026, 5, 1)}})
    assert with_trip(sample_review.analysis, late)["dispatch"]["verdict"] == "does_not_qualify"
