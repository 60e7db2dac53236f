"""The Dispatch check page driven like a user would: trip facts in the form, wrong facts, the letter."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as DocxDocument

from tests.app_harness import button, download, new_app, on_page, record_media, texts

SAMPLE_BUTTON = "Use the bundled sample (sample-purchase-agreement.pdf)"
NO_DUTY = b"""EQUIPMENT SALE AGREEMENT

This Agreement is made between Alpenwerk Maschinen AG, Zurich, Switzerland ("Seller") and Lakeside Dairy Inc.,
Guelph, Ontario, Canada ("Buyer").

1. Seller shall sell and deliver one filling machine model FX-200 to Buyer for use in Buyer's dairy plant.
2. Buyer shall, at its own cost, install the machine using its own contractors. Seller has no obligation to install.
"""



@pytest.fixture
def media(monkeypatch):
    return record_media(monkeypatch)

def by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def with_sample():
    at = on_page("dispatch")
    button(at, SAMPLE_BUTTON).click().run()
    assert not at.exception
    return at


def fill(at, **facts):
    """Set the trip form like a user: tasks, dates, text fields and choices by their labels."""
    if "tasks" in facts:
        at.multiselect[0].set_value(facts.pop("tasks"))
    if "destination" in facts:
        at.radio[0].set_value(facts.pop("destination"))
    for label, value in facts.items():
        for kind in (at.text_input, at.date_input, at.selectbox):
            widget = next((w for w in kind if w.label == label), None)
            if widget is not None:
                widget.set_value(value)
                break
        else:
            raise AssertionError(f"no field labelled {label!r}")
    button(at, "Check the trip").click().run()
    assert not at.exception
    return at


GOOD_TRIP = {
    "tasks": ["repair"], "First day of the visit": date(2026, 9, 1), "Last day of the visit": date(2026, 9, 4),
    "Traveller's name": "Jonas Weber", "Traveller's position": "Service technician", "Citizenship (two-letter "
    "country code)": "DE", "Employer": "Hartmann Verpackungstechnik GmbH", "Employer's country (code)": "DE",
    "Salary paid from (country code)": "DE", "Trip expenses paid by": "supplier",
    "Specialised knowledge documented (CV, maker's training)": "yes", "Goods made in (country code)": "DE",
    "Construction work involved": "no", "Emergency": "none", "Acceptance": date(2026, 5, 1),
}


def test_without_a_contract_the_page_offers_the_sample():
    at = on_page("dispatch")
    assert "No contract analysed yet" in at.info[0].value
    assert not [b for b in at.button if b.label == "Check the trip"]
    button(at, SAMPLE_BUTTON).click().run()
    assert texts(at.markdown)[0].startswith("**Contract:** sample-purchase-agreement.pdf (purchase)")


def test_a_trip_within_the_warranty_qualifies_with_its_package_and_letter(media):
    at = fill(with_sample(), **GOOD_TRIP)
    assert texts(at.success) == ["Qualifies (trip to Canada)"]
    reasons = texts(at.markdown)
    assert "- Every requirement of the route is met on the contract and the trip facts." in reasons
    assert ":green-badge[within]" in reasons
    terms = at.dataframe[0].value
    assert terms.iloc[0]["period"] == "warranty" and bool(terms.iloc[0]["covers the visit"])
    assert terms.iloc[0]["to"] == "2028-05-01"
    tasks = at.dataframe[1].value
    assert (tasks.iloc[0]["task"], tasks.iloc[0]["contract status"]) == ("repair", "obligated")
    package = [c.label for c in at.checkbox]
    assert package and all(c.startswith(("**Required:**", "**Recommended:**")) for c in package)
    assert any("Letter from the foreign employer" in c for c in package)

    letter = DocxDocument(io.BytesIO(media.download(download(at, "Support letter (DOCX draft)"))))
    body = "\n".join(p.text for p in letter.paragraphs)
    assert "Jonas Weber" in body and "5.2" in body
    assert "Qualifies" in media.download(download(at, "Dispatch report (Markdown)")).decode()


def test_a_visit_after_the_warranty_does_not_qualify_and_says_why():
    trip = GOOD_TRIP | {"First day of the visit": date(2029, 1, 8), "Last day of the visit": date(2029, 1, 9)}
    at = fill(with_sample(), **trip)
    assert texts(at.error) == ["Does not qualify (trip to Canada)"]
    assert ":red-badge[outside]" in texts(at.markdown)
    assert any(t.startswith("- CA-15 (Visit while the warranty") for t in texts(at.markdown))


def test_the_us_destination_uses_the_us_route():
    at = fill(with_sample(), **GOOD_TRIP, destination="US")
    assert texts(at.success) == ["Qualifies (trip to United States)"]
    assert any("B-1" in t for t in texts(at.markdown))


def test_wrong_form_input_shows_the_field_and_no_verdict():
    at = with_sample()
    fill(at)
    assert texts(at.error) == ['Trip form: field \'tasks\' must be a non-empty list, e.g. ["repair", "training"]']
    fill(at, tasks=["repair"], **{"Citizenship (two-letter country code)": "D1"})
    assert len(at.error) == 1 and "'citizenship' must be a two-letter country code" in at.error[0].value
    assert not at.success and not at.warning
    fill(at, **{"First day of the visit": date(2026, 9, 4), "Last day of the visit": date(2026, 9, 1),
                "Citizenship (two-letter country code)": "DE"})
    assert "'end' is before the start" in at.error[0].value


def test_the_contract_reviewed_on_the_review_page_is_the_one_checked():
    at = new_app()
    at.file_uploader[0].set_value(("alpenwerk-sale.txt", NO_DUTY, "text/plain"))
    button(at, "Analyse").click().run()
    at.switch_page("app_pages/dispatch.py").run()
    assert texts(at.markdown)[0].startswith("**Contract:** alpenwerk-sale.txt")
    fill(at, tasks=["installation"], **{"Citizenship (two-letter country code)": "CH"})
    assert texts(at.error) == ["Does not qualify (trip to Canada)"]
    assert any(t.startswith("- CA-8 (The contract makes the supplier provide the service)")
               for t in texts(at.markdown))
