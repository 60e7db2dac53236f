"""Clause segmentation: labels as printed, headings, parents, definitions, table of contents."""

from __future__ import annotations

from analyzer.extract import extract
from analyzer.segment import clause_at, segment

CONTRACT = """EQUIPMENT SUPPLY AGREEMENT
This Agreement is made between Nordhavn Maskin A/S ("Supplier") and Laurentian Pulp Inc. ("Buyer").
TABLE OF CONTENTS
Article I Definitions ........ 1
Article II Scope of Supply ........ 2
Article III Warranty ........ 4
Schedule B Services ........ 9
ARTICLE I DEFINITIONS
Section 1.01 "Installation Services" means the services set out in Schedule B.
Section 1.02 "Equipment" means the debarking drum described in Schedule A.
ARTICLE II SCOPE OF SUPPLY
Section 2.01 Delivery. Supplier shall deliver the Equipment DAP Trois-Rivières.
Section 4.02(b)(ii) Supplier shall supervise the installation.
7.2 Warranty Remedies
(a) Supplier shall repair any defect;
(b) Supplier shall replace worn parts; and
(i) the replaced parts become Supplier's property;
(ii) title passes on delivery.
(c) the Buyer shall notify defects in writing.
SCHEDULE B
SERVICES
1. Supplier shall commission the drum.
Exhibit 1 - Form of Acceptance Certificate
"""


def _clauses():
    doc = extract(CONTRACT.encode(), "supply.txt")
    return doc, {c.id: c for c in segment(doc)}


def test_labels_headings_and_parents_as_printed():
    doc, by_id = _clauses()
    assert by_id["ARTICLE I"].heading == "DEFINITIONS"
    assert by_id["Section 2.01"].heading == "Delivery"
    assert by_id["Section 2.01"].parent == "ARTICLE II"
    assert by_id["Section 4.02(b)(ii)"].label == "Section 4.02(b)(ii)"
    assert by_id["7.2"].heading == "Warranty Remedies"
    assert by_id["7.2(a)"].parent == "7.2"
    assert by_id["7.2(b)(i)"].parent == "7.2(b)"
    assert by_id["7.2(c)"].parent == "7.2"  # back up a level after the romans
    assert by_id["SCHEDULE B"].kind == "schedule"
    assert by_id["SCHEDULE B"].heading == "SERVICES"
    assert by_id["1"].parent == "SCHEDULE B"
    assert by_id["Section 4.02(b)(ii)"].parent == "ARTICLE II"  # not under Section 2.01
    assert by_id["Exhibit 1"].heading == "Form of Acceptance Certificate"


def test_clause_offsets_point_at_their_text_and_page():
    doc, by_id = _clauses()
    c = by_id["7.2(b)"]
    assert doc.text[c.start:c.end].startswith("(b) Supplier shall replace worn parts")
    assert c.page == 1
    assert clause_at(list(by_id.values()), doc.text.index("commission the drum")).id == "1"


def test_definitions_are_marked():
    _, by_id = _clauses()
    assert by_id["ARTICLE I"].kind == "definitions"
    assert by_id["Section 1.01"].kind == "definition"
    assert by_id["Section 2.01"].kind == "clause"


def test_table_of_contents_is_not_clauses():
    doc, by_id = _clauses()
    toc = [c for c in by_id.values() if c.kind == "toc"]
    assert len(toc) == 1
    assert "Scope of Supply ........ 2" in doc.text[toc[0].start:toc[0].end]
    # the entries' "Article II" did not open clauses of their own
    assert [c for c in by_id.values() if c.label and c.label.lower() == "article ii"] == [by_id["ARTICLE II"]]


def test_preamble_before_first_label():
    doc, by_id = _clauses()
    pre = by_id["preamble"]
    assert doc.text[pre.start:pre.end].startswith("EQUIPMENT SUPPLY AGREEMENT")
