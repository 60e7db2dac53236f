"""The requirements catalogue: complete, consistent, and strict about edits."""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from analyzer.errors import BadInputError
from analyzer.requirements.catalogue import (
    DEFAULT_PATH,
    TRIP_FIELDS,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)
from analyzer.requirements.dispatch import TripFacts
from analyzer.requirements.engine import CHECKS, get_catalogue

REQUIREMENTS_MD = Path("/work/shared/requirements.md")


def data() -> dict:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def entry(d: dict, req_id: str) -> dict:
    return next(r for r in d["requirement"] if r["id"] == req_id)


def test_catalogue_holds_every_requirement_and_document_of_the_domain_list() -> None:
    cat = load_catalogue()
    ids = [r.id for r in cat.requirements]
    expected = ([f"CA-{i}" for i in range(1, 19)] + ["CA-ALT-1", "CA-ALT-2"]
                + [f"US-{i}" for i in range(1, 10)])
    assert ids == expected
    assert [d.id for d in cat.documents] == [f"DOC-{i}" for i in range(1, 9)]


@pytest.mark.skipif(not REQUIREMENTS_MD.exists(), reason="shared domain list not mounted")
def test_catalogue_matches_the_ids_in_the_shared_domain_list() -> None:
    text = REQUIREMENTS_MD.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ((?:CA|US)-(?:ALT-)?\d+|DOC-\d+) \|", text, re.MULTILINE))
    cat = load_catalogue()
    assert listed == {r.id for r in cat.requirements} | {d.id for d in cat.documents}


def test_ca6_and_us6_are_risk_flags_and_decide_from_matches_needs_trip() -> None:
    cat = load_catalogue()
    assert {r.id for r in cat.requirements if r.severity == "risk"} == {"CA-6", "US-6"}
    for r in cat.requirements:
        assert r.needs_trip == ("D" in r.decide_from)
    assert cat.requirement("CA-13").decide_from == "D"
    assert cat.requirement("CA-8").decide_from == "C"


def test_every_requirement_cites_a_source_with_a_confidence_tag() -> None:
    for r in load_catalogue().requirements:
        assert r.sources
        assert re.search(r"\[(official|official-via|practice)\]", r.source)


def test_documents_are_flagged_per_country() -> None:
    cat = load_catalogue()
    doc = {d.id: d for d in cat.documents}
    assert doc["DOC-4"].needs == {"CA": "yes", "US": "optional"}
    assert doc["DOC-8"].needs == {"CA": "yes", "US": "no"} and doc["DOC-8"].when == "c13"


def test_every_check_named_in_the_catalogue_exists() -> None:
    cat = get_catalogue()
    assert {r.check for r in cat.requirements} <= set(CHECKS)


def test_trip_facts_cover_every_trip_field_a_requirement_may_use() -> None:
    assert set(TRIP_FIELDS) <= {f.name for f in fields(TripFacts)}


def test_routes_group_requirements_of_one_jurisdiction() -> None:
    cat = load_catalogue()
    assert cat.route("cusma").citizenships == ("US", "MX")
    assert cat.route("usmca").citizenships == ("CA", "MX")
    assert "CA-16" in cat.route("ca-after-lease").requirements
    assert "CA-16" not in cat.route("ca-after-sales").requirements
    assert cat.route("us-lease").caution


def test_dependencies_come_first_in_evaluation_order() -> None:
    order = [r.id for r in load_catalogue().evaluation_order()]
    assert order.index("CA-8") < order.index("CA-1")
    assert order.index("CA-15") < order.index("CA-ALT-1")


def test_loading_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


# -- edits that must be refused, with the entry and field named ----------------------------


def refused(d: dict) -> str:
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(d)
    assert isinstance(err.value, BadInputError)
    return str(err.value)


def test_wrong_severity_names_entry_and_field() -> None:
    d = data()
    entry(d, "CA-6")["severity"] = "warn"
    msg = refused(d)
    assert "requirement CA-6" in msg and "'severity'" in msg and "fail, risk" in msg


def test_missing_field_is_named() -> None:
    d = data()
    del entry(d, "US-2")["remedy"]
    assert "requirement US-2: field 'remedy' is missing" in refused(d)


def test_misspelt_field_is_refused() -> None:
    d = data()
    entry(d, "CA-5")["severity_"] = "fail"
    assert "requirement CA-5: field 'severity_' is not a known field" in refused(d)


def test_unknown_placeholder_in_a_remedy_is_refused() -> None:
    d = data()
    entry(d, "CA-2")["remedy"] = "{vendor} shall pay its staff."
    msg = refused(d)
    assert "requirement CA-2: field 'remedy' uses unknown placeholder {vendor}" in msg


def test_unknown_route_and_dependency_are_refused() -> None:
    d = data()
    entry(d, "CA-5")["route"] = "ca-nowhere"
    assert "requirement CA-5: field 'route' names unknown route 'ca-nowhere'" in refused(d)
    d = data()
    entry(d, "CA-1")["depends_on"] = ["CA-99"]
    assert "names unknown requirement CA-99" in refused(d)


def test_dependency_cycle_is_refused() -> None:
    d = data()
    entry(d, "CA-8")["depends_on"] = ["CA-1"]
    assert "cycle" in refused(d)


def test_needs_trip_must_agree_with_decide_from() -> None:
    d = data()
    entry(d, "CA-13")["needs_trip"] = False
    assert "requirement CA-13: field 'needs_trip' must be true" in refused(d)


def test_duplicate_id_is_refused() -> None:
    d = data()
    d["requirement"].append(copy.deepcopy(entry(d, "US-7")))
    assert "requirement US-7 is defined twice" in refused(d)


def test_bad_confidence_tag_names_the_source() -> None:
    d = data()
    entry(d, "US-1")["sources"][0]["confidence"] = "rumour"
    assert "requirement US-1, source 1: field 'confidence'" in refused(d)


def test_route_mixing_jurisdictions_is_refused() -> None:
    d = data()
    next(r for r in d["route"] if r["id"] == "cusma")["requirements"].append("US-2")
    assert "route cusma" in refused(d)


def test_unknown_check_is_refused_by_the_engine(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('check = "origin"', 'check = "nope"')
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"requirement CA-6: field 'check' names unknown"):
        get_catalogue(str(path))


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[requirement]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(bad)


def test_an_edited_copy_changes_the_verdicts_without_code(tmp_path: Path) -> None:
    from analyzer.requirements.engine import evaluate_context, make_context
    from tests.deals import sale

    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace('title = "No pay from a US source"', 'title = "No US wages"')
    text = text.replace("Personnel of {supplier} performing services under {agreement} are "
                        "employed", "Staff of {supplier} are employed")
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    deal = sale({"7.4 The Seller's personnel remain employees of the Seller and are paid solely "
                 "by the Seller.": "7.4 The Buyer shall pay the Seller's technicians directly."})
    results = evaluate_context(make_context(deal, catalogue=get_catalogue(str(path))))
    us4 = next(r for r in results if r.id == "US-4")
    assert us4.title == "No US wages" and us4.verdict == "gap"
    assert us4.remedy.startswith("Staff of the Seller are employed")
