"""OCR for scanned PDFs, used only when the user asks (--ocr): Tesseract is a separate install."""

from __future__ import annotations

import shutil

import pypdfium2 as pdfium

from analyzer.errors import BadInputError
from analyzer.extract.layout import PageText

OCR_SCALE = 300 / 72  # render at 300 dpi, Tesseract's preferred resolution


def ocr_pdf(data: bytes, name: str) -> list[PageText]:
    try:
        import pytesseract
    except ImportError:
        pytesseract = None
    if pytesseract is None or shutil.which("tesseract") is None:
        raise BadInputError(
            f"{name}: OCR needs Tesseract (apt-get install tesseract-ocr; pip install 'contract-analyzer[ocr]')"
        )
    pdf = pdfium.PdfDocument(data)
    pages = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=OCR_SCALE, grayscale=True).to_pil()
            pages.append(PageText(pytesseract.image_to_string(image)))
            page.close()
    finally:
        pdf.close()
    return pages
