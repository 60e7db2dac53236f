"""Build real PDF and DOCX files for tests (reportlab and python-docx), so no binary is committed."""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

W, H = LETTER


def pdf_pages(pages: list[list[str]], header: str | None = None, footer: str | None = None,
              numbers: bool = False) -> bytes:
    """One line of text per entry, top to bottom, with optional running head, foot, page numbers."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=LETTER)
    for n, lines in enumerate(pages, start=1):
        c.setFont("Helvetica", 10)
        if header:
            c.drawString(72, H - 40, header)
        y = H - 80
        for line in lines:
            c.drawString(72, y, line)
            y -= 14
        if footer:
            c.drawString(72, 50, footer)
        if numbers:
            c.drawString(W / 2, 30, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    return out.getvalue()


def pdf_two_columns(left: list[str], right: list[str]) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=LETTER)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(left):
        c.drawString(60, H - 80 - 14 * i, line)
    for i, line in enumerate(right):
        c.drawString(320, H - 80 - 14 * i, line)
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_with_table(before: list[str], rows: list[list[str]], after: list[str]) -> bytes:
    """Text, a ruled table, then more text, on one page."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER)
    table = Table(rows)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    doc.build([*(Paragraph(t, style) for t in before), table, *(Paragraph(t, style) for t in after)])
    return out.getvalue()


def pdf_with_cell_boxes(rows: list[list[str]], below: str) -> bytes:
    """A table drawn as one shaded box per cell, the boxes touching, no separate rules; then a line
    whose words sit on their own highlight boxes, apart from each other."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=LETTER)
    c.setFont("Helvetica", 10)
    width, height, top = 150, 20, H - 100
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            x, y = 72 + k * width, top - (r + 1) * height
            c.setFillGray(0.9)
            c.rect(x, y, width, height, stroke=1, fill=1)
            c.setFillGray(0)
            c.drawString(x + 4, y + 6, cell)
    x, y = 72, top - (len(rows) + 3) * height
    for word in below.split():
        c.setFillColorRGB(1, 1, 0.6)
        c.rect(x - 1, y - 3, c.stringWidth(word, "Helvetica", 10) + 2, 13, stroke=0, fill=1)
        c.setFillGray(0)
        c.drawString(x, y, word)
        x += c.stringWidth(word + "  ", "Helvetica", 10)
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_scan(pages: int = 2, text: str = "The Seller shall repair the Equipment.") -> bytes:
    """Image-only pages, as a scanner makes them: the words are pixels, there is no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    font = ImageFont.load_default(size=36)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=LETTER)
    for n in range(pages):
        img = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(img)
        for i in range(8):
            draw.text((150, 200 + 90 * i), f"{n + 1}.{i + 1} {text}", fill=0, font=font)
        c.drawImage(ImageReader(img), 0, 0, W, H)
        c.showPage()
    c.save()
    return out.getvalue()


def pdf_encrypted(data: bytes, password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(build) -> bytes:
    """Call `build(document)` on a new python-docx Document and return the saved file."""
    document = DocxDocument()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_multilevel_numbering(document) -> str:
    """A legal list ("1." / "1.1" / "(a)") defined in numbering.xml; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>'
        "</w:abstractNum>"
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def numbered(paragraph, num_id: str, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))


def tracked_change(paragraph, inserted: str, deleted: str) -> None:
    """Append an insertion and a deletion as Word records them with Track Changes on."""
    p = paragraph._p
    p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'
    ))
    p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{deleted}</w:delText></w:r></w:del>'
    ))


def pdf_two_columns_with_table(left: list[str], rows: list[list[str]], right: list[str]) -> bytes:
    """Two frames side by side: paragraphs and a ruled table in the left column, text in the right."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Table, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=LETTER)
    col = (doc.width - 20) / 2
    frames = [Frame(doc.leftMargin, doc.bottomMargin, col, doc.height, id="l"),
              Frame(doc.leftMargin + col + 20, doc.bottomMargin, col, doc.height, id="r")]
    doc.addPageTemplates([PageTemplate(frames=frames)])
    table = Table(rows, colWidths=[col / len(rows[0])] * len(rows[0]))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [*(Paragraph(t, style) for t in left), table, FrameBreak(), *(Paragraph(t, style) for t in right)]
    doc.build(story)
    return out.getvalue()
