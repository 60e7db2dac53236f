"""The two reference readers the PDF path is measured against.

- PDFium alone: each page's text and nothing else, the floor no analysis can beat.
- pdfplumber alone: `extract_text` on every page, what a straightforward reader would do; its text
  goes through the same layout step as ours, so the analysis that follows is the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from analyzer.document import Document
from analyzer.extract.layout import PageText, assemble


def pdfium_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        pdf.close()


def pdfplumber_document(path: Path) -> Document:
    """The Document our analysis would get if every page went through pdfplumber."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            pages.append(PageText(page.extract_text() or ""))
            page.close()  # frees the page's parsed objects, as a long document needs
    data = path.read_bytes()
    return assemble(pages, str(path), "pdf", hashlib.sha256(data).hexdigest(), strip_running=True)
