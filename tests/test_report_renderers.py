"""Markdown, HTML, Word gap report and the support letter, parsed back as their readers would."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import docx
import pytest

from analyzer.errors import BadInputError
from analyzer.report.docx import render_docx
from analyzer.report.html import render_html
from analyzer.report.letter import render_letter
from analyzer.report.markdown import render_markdown
from tests.dealkit import make_report
from tests.deals import sale, trip

# The gap's evidence carries markup: contract text is untrusted and must come out as text.
CUSTOMER_PAYS = {"7.4 The Seller's personnel remain employees of the Seller and are paid solely "
                 "by the Seller.": "7.4 The Buyer shall pay the Seller's technicians directly at "
                 "the daily rates <script>alert(1)</script> | grain & feed."}


@pytest.fixture(scope="module")
def gap_report() -> dict:
    return make_report(sale(CUSTOMER_PAYS))


@pytest.fixture(scope="module")
def trip_report() -> dict:
    return make_report(sale(), trip(tasks=["repair", "training"]))


class Page(HTMLParser):
    """Collects text, tags and table rows, and checks every opened tag is closed."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.rows = 0
        self.ids: set[str] = set()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows += 1
        for k, v in attrs:
            if k == "id":
                self.ids.add(v)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    @property
    def body(self) -> str:
        return " ".join(" ".join(self.text).split())


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return d, "\n".join(parts)


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_has_services_checklist_and_gap_with_remedy(gap_report: dict) -> None:
    md = render_markdown(gap_report)
    assert md.startswith("# After-sales service: contract requirements report")
    for heading in ("## Services", "## Requirement checklist", "### Canada",
                    "### United States", "## Gaps and remedies"):
        assert heading in md
    assert "| installation | Supplier's duty | 0.90 |" in md
    assert "### CA-2: Technician paid from outside Canada" in md
    assert "> Personnel of the Seller who perform services under this Agreement" in md
    assert "Source: IRPR 187(3)(a) \\[official\\]" in md
    assert "## Dispatch check" not in md


def test_markdown_escapes_contract_markup(gap_report: dict) -> None:
    md = render_markdown(gap_report)
    assert "<script>" not in md
    assert "\\<script\\>" in md
    for line in md.splitlines():
        if line.startswith("| CA-") or line.startswith("| US-"):
            assert line.count(" | ") == 3  # an escaped pipe never adds a column


def test_markdown_dispatch_section(trip_report: dict) -> None:
    md = render_markdown(trip_report)
    assert "**Verdict: Qualifies (trip to Canada)**" in md
    assert "- Traveller: Anna Berger" in md
    assert "| warranty: 24 months from acceptance | 2024-07-15 | 2026-07-15 | yes |" in md
    assert "| DOC-2 |" in md and "clause 9.1, page 2" in md


# -- HTML --------------------------------------------------------------------------------------


def test_html_is_a_standalone_well_formed_page(gap_report: dict) -> None:
    html = render_html(gap_report)
    page = Page(html)
    assert page.stack == []
    assert html.startswith("<!DOCTYPE html>")
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "http" not in html  # nothing fetched from anywhere
    assert "@media print" in html


def test_html_escapes_contract_text(gap_report: dict) -> None:
    html = render_html(gap_report)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script> | grain &amp; feed" not in Page(html).body
    assert "<script>alert(1)</script> | grain & feed" in Page(html).body


def test_html_lists_every_requirement_and_links_gaps_to_their_card(gap_report: dict) -> None:
    page = Page(render_html(gap_report))
    n_reqs = len(gap_report["requirements"])
    n_services = 5
    n_party = len(gap_report["contract"]["parties"])
    header_rows = 1 + 1 + 2  # parties, services, two checklists
    assert page.rows == n_reqs + n_services + n_party + header_rows
    assert "CA-2" in page.ids
    assert "Suggested clause:" in page.body
    assert "The Buyer shall pay the Seller for the services" in page.body


def test_html_dispatch_section(trip_report: dict) -> None:
    page = Page(render_html(trip_report))
    assert "Qualifies (trip to Canada)" in page.body
    assert "Documents to carry" in page.body and "DOC-6" in page.body


# -- Word gap report ---------------------------------------------------------------------------


def test_docx_gap_report_opens_and_holds_the_gaps(gap_report: dict) -> None:
    d, text = docx_text(render_docx(gap_report))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Gaps and suggested clauses" in headings
    assert any(h.startswith("CA-2: Technician paid from outside Canada") for h in headings)
    quotes = [p.text for p in d.paragraphs if p.style.name == "Intense Quote"]
    assert any(q.startswith("Personnel of the Seller who perform services") for q in quotes)
    checklist_rows = sum(len(t.rows) - 1 for t in d.tables[1:3])
    assert checklist_rows == len(gap_report["requirements"])
    assert "<script>alert(1)</script>" in text  # kept as plain text, not markup
    assert d.core_properties.title == "After-sales service: contract requirements report"


def test_docx_includes_the_dispatch_check(trip_report: dict) -> None:
    d, text = docx_text(render_docx(trip_report))
    assert "Verdict: Qualifies (trip to Canada)" in text
    assert "Documents to carry" in [p.text for p in d.paragraphs]


def test_docx_survives_control_characters() -> None:
    report = make_report(sale({"grain drying line": "grain\x0bdrying\x07line"}))
    report["warnings"].append("odd\x00warning")
    d, text = docx_text(render_docx(report))
    assert "oddwarning" in text


# -- support letter ----------------------------------------------------------------------------


def test_letter_cites_the_contract_clauses_by_number_and_page(trip_report: dict) -> None:
    _, text = docx_text(render_letter(trip_report))
    assert "To: Border Services Officer, Canada Border Services Agency" in text
    assert "Re: Anna Berger, Senior Service Engineer" in text
    assert "clause 9.1 (page 2) of sale.txt requires it" in text  # repair
    assert "clause 7.5 (page 1) of sale.txt requires it" in text  # training
    assert "warranty period, which runs for 24 months from acceptance (clause 9.1 (page 2)" in text
    assert "paid by us from Germany as the contract provides (clause 7.4 (page 1)" in text
    assert "under clause 7.2 (page 1) of sale.txt that work is done by the customer's" in text
    assert "Maschinenbau Keller GmbH is established in Germany" in text
    assert "Reviewer note" not in text  # the trip qualifies


def test_letter_warns_the_reviewer_when_the_trip_does_not_qualify() -> None:
    report = make_report(sale(), trip(tasks=["upgrade"]))
    _, text = docx_text(render_letter(report))
    assert "Reviewer note: the dispatch check says “does not qualify”" in text
    assert "[Cite the clause that obliges us to provide this service.]" in text


def test_letter_needs_trip_facts(gap_report: dict) -> None:
    with pytest.raises(BadInputError, match="--dispatch trip.toml"):
        render_letter(gap_report)


def test_letter_lists_the_package_but_not_itself(trip_report: dict) -> None:
    _, text = docx_text(render_letter(trip_report))
    assert "DOC-2: Copy of the sale" in text and "DOC-3:" not in text
