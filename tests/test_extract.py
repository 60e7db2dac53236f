"""Readers: each format keeps reading order, pages and offsets, and leaves out what is not body."""

from __future__ import annotations

import pytest

from analyzer.extract import extract
from tests import builders


def test_pdf_running_header_footer_and_page_numbers_stay_out_of_the_text():
    pages = [[f"{n}.1 Clause text of page {n} about delivery.", f"Second line of page {n}."] for n in (1, 2, 3, 4)]
    data = builders.pdf_pages(pages, header="ACME GmbH / Borealis Ltd - Supply Agreement",
                              footer="Confidential", numbers=True)
    doc = extract(data, "supply.pdf")
    assert "Supply Agreement" not in doc.text
    assert "Confidential" not in doc.text
    assert "Page 2 of 4" not in doc.text
    assert doc.source.format == "pdf" and doc.source.pages == 4
    # every page stays addressable and its offsets hold its own text
    for n, page in enumerate(doc.pages, start=1):
        assert doc.text[page.start:page.end].startswith(f"{n}.1 Clause text of page {n}")
        assert doc.page_at(page.start) == n


def test_pdf_two_column_page_is_read_column_by_column():
    left = ["Left one: Seller shall", "deliver the Press.", "Left three ends."]
    right = ["Right one: Buyer shall", "pay the Price.", "Right three ends."]
    doc = extract(builders.pdf_two_columns(left, right), "cols.pdf")
    assert doc.text.index("Left three ends.") < doc.text.index("Right one")
    assert "Seller shall\ndeliver the Press." in doc.text


def test_pdf_table_rows_kept_in_reading_position():
    rows = [["Service", "Party", "Price"], ["Commissioning", "Seller", "included"], ["Foundations", "Buyer", "n/a"]]
    data = builders.pdf_with_table(["Schedule B - Scope of supply."], rows, ["Signed at Toronto."])
    doc = extract(data, "table.pdf")
    text = doc.text
    assert text.index("Schedule B") < text.index("Commissioning | Seller | included") < text.index("Signed at")
    start = text.index("Commissioning")
    assert doc.in_table(start, start + len("Commissioning"))
    assert not doc.in_table(text.index("Signed"), text.index("Signed") + 6)


def test_pdf_table_of_cell_boxes_is_read_as_rows_and_highlighted_words_as_text():
    rows = [["Service", "Party"], ["Installation", "Seller"], ["Training", "Buyer"]]
    doc = extract(builders.pdf_with_cell_boxes(rows, "Seller shall repair defects promptly."), "boxes.pdf")
    text = doc.text
    assert "Installation | Seller" in text and "Training | Buyer" in text
    assert doc.in_table(text.index("Installation"), text.index("Installation") + 12)
    assert "Seller shall repair defects promptly." in text
    assert not doc.in_table(text.index("repair"), text.index("repair") + 6)


def test_pdf_line_end_hyphen_joins_the_word():
    data = builders.pdf_pages([["The Seller shall commission the equip-", "ment on site within ten days."]])
    assert "commission the equipment on site" in extract(data, "h.pdf").text


def test_docx_numbering_tables_and_order():
    def build(d):
        num = builders.add_multilevel_numbering(d)
        builders.numbered(d.add_paragraph("Installation"), num, 0)
        builders.numbered(d.add_paragraph("Seller shall install the Press."), num, 1)
        builders.numbered(d.add_paragraph("Seller shall train the operators."), num, 2)
        builders.numbered(d.add_paragraph("Warranty"), num, 0)
        builders.numbered(d.add_paragraph("Seller shall repair defects."), num, 1)
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "Service", "By"
        t.cell(1, 0).text, t.cell(1, 1).text = "Calibration", "Seller"
        d.add_paragraph("After the table.")
        d.sections[0].header.paragraphs[0].text = "RUNNING HEADER TEXT"
        d.sections[0].footer.paragraphs[0].text = "RUNNING FOOTER TEXT"

    doc = extract(builders.docx_bytes(build), "numbered.docx")
    lines = doc.text.split("\n")
    assert lines[:5] == [
        "1. Installation",
        "1.1 Seller shall install the Press.",
        "(a) Seller shall train the operators.",
        "2. Warranty",
        "2.1 Seller shall repair defects.",
    ]
    assert "Calibration | Seller" in doc.text
    assert doc.text.index("Calibration") < doc.text.index("After the table.")
    assert "RUNNING" not in doc.text
    assert doc.source.format == "docx"


def test_docx_tracked_changes_read_as_accepted():
    def build(d):
        p = d.add_paragraph("Seller shall ")
        builders.tracked_change(p, inserted="install and commission", deleted="deliver only")
    text = extract(builders.docx_bytes(build), "redline.docx").text
    assert "install and commission" in text
    assert "deliver only" not in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings_are_detected(encoding):
    body = "Le Vendeur doit réparer l’équipement — Seller shall repair the Équipement within 30 days.\n" * 3
    if encoding == "cp1252":
        body = body.replace("’", "'")
    doc = extract(body.encode(encoding), "contract.txt")
    assert "Le Vendeur doit réparer" in doc.text
    assert "Équipement" in doc.text


def test_text_form_feeds_split_pages_and_nul_bytes_are_dropped():
    data = b"Page one text.\fPage two\x00 text.\fPage three text."
    doc = extract(data, "ff.txt")
    assert [doc.text[p.start:p.end] for p in doc.pages] == ["Page one text.", "Page two text.", "Page three text."]
    assert any("NUL" in w for w in doc.warnings)


def test_type_is_decided_by_content_not_extension():
    data = builders.pdf_pages([["A PDF named as a text file."]])
    doc = extract(data, "misnamed.txt")
    assert doc.source.format == "pdf"
    assert "A PDF named as a text file." in doc.text
    assert any("named .txt" in w for w in doc.warnings)



def test_pdf_two_columns_with_a_table_keep_column_order():
    left = ["Left column opens: Seller shall commission the Line.", "Left column second paragraph."]
    rows = [["Service", "By"], ["Commissioning", "Seller"], ["Foundations", "Buyer"]]
    right = ["Right column opens: Buyer shall pay the Price.", "Right column closes the page."]
    text = extract(builders.pdf_two_columns_with_table(left, rows, right), "cols-table.pdf").text
    order = [text.index(s) for s in ("Left column opens", "Left column second", "Commissioning | Seller",
                                     "Right column opens", "Right column closes")]
    assert order == sorted(order), text
