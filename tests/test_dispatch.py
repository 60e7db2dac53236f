"""Dispatch check: trip facts from TOML, the overall verdict, dates, fallback and the package."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from analyzer.errors import BadInputError
from analyzer.requirements.dispatch import (
    assess,
    check_dispatch,
    dispatch_section,
    load_trip,
    trip_from_dict,
)
from tests.deals import lease, sale, trip

TRIP_TOML = """
destination = "CA"
citizenship = "de"
tasks = ["repair", "training"]
start = 2025-03-03
end = 2025-03-14
employer = "Maschinenbau Keller GmbH"
employer_country = "DE"
payroll_country = "DE"
expenses_paid_by = "customer"
specialised_knowledge = true
construction = false
emergency = false
oem_presence_in_canada = false

[contract_dates]
acceptance = 2024-07-15

[traveller]
name = "Anna Berger"
role = "Senior Service Engineer"
"""

NO_TERMS = {"The Warranty Period is twenty-four (24) months from Acceptance. During the Warranty "
            "Period\nthe Seller": "The Seller",
            "The service term is five (5) years from\nAcceptance, renewable for further periods "
            "of one year.": ""}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "trip.toml"
    p.write_text(text, encoding="utf-8")
    return p


# -- trip facts ------------------------------------------------------------------------------


def test_trip_file_is_read_and_normalised(tmp_path: Path) -> None:
    t = load_trip(write(tmp_path, TRIP_TOML))
    assert t.destination == "CA" and t.citizenship == "DE"
    assert t.tasks == ("repair", "training")
    assert (t.start, t.end) == (date(2025, 3, 3), date(2025, 3, 14))
    assert t.emergency == "none"  # a plain false means no emergency
    assert t.contract_dates == {"acceptance": date(2024, 7, 15)}
    assert t.traveller_name == "Anna Berger"
    assert t.to_dict()["start"] == "2025-03-03"


@pytest.mark.parametrize("change, message", [
    ('destination = "DE"', "field 'destination' must be CA or US"),
    ('tasks = ["repair", "sightseeing"]', "field 'tasks' has 'sightseeing'; known tasks:"),
    ("tasks = []", "field 'tasks' must be a non-empty list"),
    ("end = 2025-03-01", "field 'end' is before the start"),
    ('payroll_country = "Germany"', "field 'payroll_country' must be a two-letter country code"),
    ('expenses_paid_by = "nobody"', "field 'expenses_paid_by' must be one of"),
    ('specialised_knowledge = "yes"', "field 'specialised_knowledge' must be true or false"),
    ('start = "next week"', "field 'start' must be a date"),
    ('emergency = "fire"', "field 'emergency' must be one of"),
])
def test_bad_trip_facts_name_the_field(tmp_path: Path, change: str, message: str) -> None:
    key = change.split(" =")[0]
    lines = [ln for ln in TRIP_TOML.splitlines() if not ln.startswith(key + " ")]
    text = change + "\n" + "\n".join(lines)
    with pytest.raises(BadInputError, match=re.escape(message)):
        load_trip(write(tmp_path, text))


def test_unknown_fact_and_unknown_event_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="field 'destinaton' is not a known trip fact"):
        load_trip(write(tmp_path, 'destinaton = "CA"\n' + TRIP_TOML))
    with pytest.raises(BadInputError, match="contract_dates.launch' is not a known event"):
        extra = "acceptance = 2024-07-15\nlaunch = 2024-01-01"
        load_trip(write(tmp_path, TRIP_TOML.replace("acceptance = 2024-07-15", extra)))


def test_missing_destination_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="field 'destination' is required"):
        load_trip(write(tmp_path, 'tasks = ["repair"]\n'))
    with pytest.raises(BadInputError, match="not a valid TOML file"):
        load_trip(write(tmp_path, "destination = \n"))
    with pytest.raises(BadInputError, match="trip file not found"):
        load_trip(tmp_path / "nope.toml")


def test_the_apps_form_uses_the_same_validation() -> None:
    t = trip_from_dict({"destination": "us", "tasks": "repair", "start": "2025-05-01"})
    assert t.destination == "US" and t.tasks == ("repair",) and t.start == date(2025, 5, 1)


# -- verdicts ---------------------------------------------------------------------------------


def test_repair_visit_inside_the_warranty_qualifies() -> None:
    d = check_dispatch(sale(), trip())
    assert d.verdict == "qualifies"
    assert d.route.id == "ca-after-sales"
    assert d.date_check.status == "within"
    assert any("warranty period" in r for r in d.reasons)
    assert d.fallback == ()


def test_visit_after_the_warranty_fails_and_offers_the_c13_work_permit() -> None:
    d = check_dispatch(sale(NO_TERMS), trip(start=date(2026, 9, 1), end=date(2026, 9, 10)))
    assert d.verdict == "does_not_qualify"
    assert "CA-15" in [r.id for r in d.route.blocking]
    assert [f.id for f in d.fallback] == ["CA-ALT-1", "CA-ALT-2"]
    assert d.fallback[0].verdict == "met"
    docs = [x.id for x in d.documents]
    assert "DOC-8" in docs  # the C13 papers join the package


def test_missing_acceptance_date_cannot_tell_and_says_what_is_needed() -> None:
    d = check_dispatch(sale(), trip(contract_dates=None))
    assert d.verdict == "cannot_tell"
    assert d.date_check.status == "unknown"
    assert d.date_check.needed == ("acceptance date",)
    assert "give the date of acceptance" in d.date_check.explanation


def test_planned_task_the_contract_does_not_require_fails() -> None:
    d = check_dispatch(sale(services={"training": ("optional", "The Seller shall train up to "
                                                               "ten")}),
                       trip(tasks=["repair", "training"]))
    assert d.verdict == "does_not_qualify"
    assert any("CA-8" in r and "may decline" in r for r in d.reasons)


def test_installation_visit_is_not_timed_against_the_warranty() -> None:
    d = check_dispatch(sale(), trip(tasks=["installation", "commissioning"], contract_dates=None,
                                    start=date(2024, 5, 1), end=date(2024, 5, 20)))
    assert d.date_check.status == "not_needed"
    assert d.verdict == "qualifies"


def test_construction_work_on_the_trip_fails() -> None:
    d = check_dispatch(sale(), trip(construction=True))
    assert d.verdict == "does_not_qualify"
    assert "CA-11" in [r.id for r in d.route.blocking]


def test_made_in_canada_is_a_risk_flag_not_a_failure() -> None:
    d = check_dispatch(sale(), trip(origin="CA"))
    assert d.verdict == "qualifies"
    assert any(r.startswith("Risk: CA-6") for r in d.reasons)


def test_canadian_citizen_needs_no_visitor_status() -> None:
    d = check_dispatch(sale(), trip(citizenship="CA"))
    assert d.verdict == "qualifies" and d.route is None
    assert [x.id for x in d.documents] == ["DOC-1"]


def test_us_citizen_can_also_use_cusma() -> None:
    d = check_dispatch(sale(), trip(citizenship="US"))
    assert {r.id for r in d.routes} == {"ca-after-sales", "cusma"}
    assert all(r.verdict == "qualifies" for r in d.routes)


def test_us_trip_under_a_sale_uses_b1_and_has_no_canadian_fallback() -> None:
    d = check_dispatch(sale(), trip(destination="US", employer_country="DE"))
    assert d.verdict == "qualifies" and d.route.id == "us-b1"
    docs = {x.id: x for x in d.documents}
    assert docs["DOC-4"].need == "optional" and "DOC-8" not in docs
    d = check_dispatch(sale(seller_country="US"), trip(destination="US"))
    assert d.verdict == "does_not_qualify"
    assert any("no fallback route" in r for r in d.reasons)


def test_the_same_lease_qualifies_for_canada_and_carries_the_us_policy_caution() -> None:
    events = {"commencement": date(2024, 1, 1)}
    ca = check_dispatch(lease(), trip(tasks=["maintenance"], contract_dates=events,
                                      employer="Alpen Leasing AG"))
    us = check_dispatch(lease(), trip(destination="US", tasks=["maintenance"],
                                      contract_dates=events, employer="Alpen Leasing AG"))
    assert ca.verdict == "qualifies" and ca.route.id == "ca-after-lease"
    assert us.verdict == "qualifies" and us.route.id == "us-lease"
    assert not any(r.startswith("Caution") for r in ca.reasons)
    assert any(r.startswith("Caution: US after-lease service rests on a CBP policy memo")
               for r in us.reasons)


def test_lease_routes_leave_out_the_free_trade_categories() -> None:
    events = {"commencement": date(2024, 1, 1)}
    to_us = check_dispatch(lease(), trip(destination="US", citizenship="CA", tasks=["repair"],
                                         contract_dates=events, employer="Alpen Leasing AG"))
    to_ca = check_dispatch(lease(), trip(citizenship="US", tasks=["repair"],
                                         contract_dates=events, employer="Alpen Leasing AG"))
    assert [r.id for r in to_us.routes] == ["us-lease"]  # USMCA covers sales only
    assert [r.id for r in to_ca.routes] == ["ca-after-lease"]  # so does CUSMA
    assert to_us.verdict == to_ca.verdict == "qualifies"


def test_a_us_lessor_blocks_the_us_lease_route() -> None:
    d = check_dispatch(lease(lessor_country="US"),
                       trip(destination="US", tasks=["repair"], employer="Alpen Leasing AG",
                            contract_dates={"commencement": date(2024, 1, 1)}))
    assert d.verdict == "does_not_qualify"
    assert "US-9" in [r.id for r in d.route.blocking]


# -- the package ------------------------------------------------------------------------------


def test_each_document_names_its_source_and_the_clauses_to_mark() -> None:
    d = check_dispatch(sale(), trip(tasks=["repair", "training"]))
    docs = {x.id: x for x in d.documents}
    assert list(docs) == ["DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5", "DOC-6", "DOC-7"]
    assert all(x.source for x in d.documents)
    marked = {c.clause for c in docs["DOC-2"].clauses}
    assert {"9.1", "7.5", "10.1"} <= marked  # repair duty + warranty, training, service term
    assert [c.clause for c in docs["DOC-6"].clauses] == ["1.1"]  # the origin statement
    assert "7.4" in {c.clause for c in docs["DOC-3"].clauses}  # who pays the technicians


def test_tasks_are_tied_to_their_clauses() -> None:
    d = check_dispatch(sale(), trip(tasks=["repair", "construction"]))
    tasks = {t["task"]: t for t in d.tasks}
    assert tasks["repair"]["status"] == "obligated" and tasks["repair"]["clauses"][0]["clause"] \
        == "9.1"
    assert tasks["construction"]["service"] is None and tasks["construction"]["allowed"] is False


def test_dispatch_section_is_plain_json() -> None:
    import json

    section = dispatch_section(sale(), trip())
    text = json.dumps(section)
    assert section["verdict"] == "qualifies"
    assert section["trip"]["contract_dates"] == {"acceptance": "2024-07-15"}
    assert section["date_check"]["terms"][0]["end"] == "2026-07-15"
    assert section["facts"]["personnel_pay"]["value"] == "supplier"
    assert {"reasons", "fallback", "documents", "date_check", "route"} <= set(section)
    assert "Excerpt(" not in text


def test_assess_reads_the_contract_once_for_both_sections() -> None:
    results, d = assess(sale(), trip())
    assert len(results) == 29 and d.verdict == "qualifies"
    results, d = assess(sale(), None)
    assert d is None

