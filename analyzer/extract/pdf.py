"""PDF reader: PDFium text for every page, pdfplumber only where a page holds a ruled table.

PDFium pulls a contract's text in milliseconds and keeps two-column pages column by column;
pdfplumber's layout analysis costs about a second a page, so it is used only on pages whose
drawing objects suggest a table (evidence is marked on page images from PDFium's character boxes,
in analyzer/highlight.py).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from analyzer.errors import BadInputError
from analyzer.extract.layout import PageText
from analyzer.limits import Limits

RULE = 3  # points: thinner than this, a path is a rule
CELL = 8  # points: longer than this, a rule or box may bound a table cell
SNAP = 3  # points: pdfplumber's default snap and join tolerance for table edges
GRID_BOXES = 300  # more boxes than this on a page: pdfplumber decides (pairing them costs their square)
SCAN_CHARS_PER_PAGE = 20  # below this on average, the PDF is a scan without a text layer
STREAM_START = re.compile(rb">>\s*stream\r?\n")
STREAM_DICT_MAX = 4096  # bytes looked back from "stream" for its dictionary
FLATE = re.compile(rb"/Filter\s*(?:\[\s*)?/(?:FlateDecode|Fl)\b")
IMAGE = re.compile(rb"/Subtype\s*/Image\b")
INFLATE_PIECE = 1 << 16  # compressed bytes fed at a time
INFLATE_OUT = 1 << 20  # most bytes one step may inflate to


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise BadInputError(f"{name}: the PDF is password-protected; remove the password and try again") from None
        raise BadInputError(f"{name}: not a readable PDF (corrupt or truncated file)") from None


def read_pdf(data: bytes, name: str, limits: Limits, ocr: bool = False) -> tuple[list[PageText], list[str]]:
    """Page texts in reading order, plus warnings (pages without text, OCR used)."""
    _check_streams(data, name, limits)
    pdf = _open(data, name)
    try:
        n = len(pdf)
        if n == 0:
            raise BadInputError(f"{name}: the PDF has no pages")
        if n > limits.max_pages:
            raise BadInputError(f"{name}: {n} pages is over the limit of {limits.max_pages} pages")
        pages: list[PageText] = []
        table_pages: list[int] = []
        for i in range(n):
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                pages.append(PageText(textpage.get_text_range()))
                textpage.close()
                if _may_hold_table(page):
                    table_pages.append(i)
            except pdfium.PdfiumError:
                raise BadInputError(f"{name}: page {i + 1} of the PDF cannot be read (corrupt file)") from None
            finally:
                page.close()
    finally:
        pdf.close()

    warnings: list[str] = []
    chars = sum(len(p.text.strip()) for p in pages)
    if chars < SCAN_CHARS_PER_PAGE * n:
        if not ocr:
            raise BadInputError(
                f"{name}: the PDF is a scan with no text layer; run again with --ocr "
                "(needs Tesseract: apt-get install tesseract-ocr)"
            )
        from analyzer.extract.ocr import ocr_pdf

        return ocr_pdf(data, name), ["text read by OCR from a scanned PDF; check it against the scan"]
    empty = [str(i + 1) for i, p in enumerate(pages) if not p.text.strip()]
    if empty:
        warnings.append(f"no text on page(s) {', '.join(empty[:20])} (images or blank pages)")
    if table_pages:
        _read_tables(data, table_pages, pages)
    return pages, warnings


def _check_streams(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a PDF whose Flate streams inflate past the expanded-size limit (a decompression bomb),
    counting without keeping the output: PDFium and pdfminer inflate a whole stream in memory.
    Images are left out, since text extraction never decodes them."""
    budget = limits.max_unzipped_bytes
    for m in STREAM_START.finditer(data):
        head = data[max(0, m.start() - STREAM_DICT_MAX):m.start()]
        head = head[head.rfind(b"obj") + 1:]
        if not FLATE.search(head) or IMAGE.search(head):
            continue
        inflate, pos = zlib.decompressobj(), m.end()
        try:
            while budget >= 0 and not inflate.eof and pos < len(data):
                budget -= len(inflate.decompress(data[pos:pos + INFLATE_PIECE], INFLATE_OUT))
                pos += INFLATE_PIECE
                while inflate.unconsumed_tail and budget >= 0:
                    budget -= len(inflate.decompress(inflate.unconsumed_tail, INFLATE_OUT))
        except zlib.error:
            continue  # not plain zlib data (encrypted, or damaged): PDFium decides
        if budget < 0:
            raise BadInputError(
                f"{name}: the PDF's compressed content would expand past the limit of "
                f"{limits.max_unzipped_bytes // 2**20} MB (possible decompression bomb)"
            )


def _may_hold_table(page: pdfium.PdfPage) -> bool:
    """Cheap test on drawing objects, so pdfplumber runs only on pages that may have a table.

    A ruled table draws vertical and horizontal rules, or cell boxes that touch in rows and
    columns; underlined text draws only short horizontal rules, and highlighted words or form
    fields draw boxes apart or in a single row, which is why a plain count of paths is not enough.
    """
    vertical = horizontal = 0
    boxes: list[tuple[float, float, float, float]] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if width < RULE and height > CELL:
            vertical += 1
        elif height < RULE and width > CELL:
            horizontal += 1
        elif width > CELL and height > CELL:
            boxes.append((left, bottom, right, top))
        if vertical >= 2 and horizontal >= 2:
            return True
    return _boxes_form_grid(boxes)


def _boxes_form_grid(boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether some boxes sit side by side and some stacked, sharing edges within pdfplumber's
    snapping tolerance, as the cells of a table do (a row of highlighted words only sits side by side)."""
    if len(boxes) > GRID_BOXES:
        return True
    side = stacked = False
    for i, (l1, b1, r1, t1) in enumerate(boxes):
        for l2, b2, r2, t2 in boxes[i + 1:]:
            side = side or ((abs(r1 - l2) <= SNAP or abs(r2 - l1) <= SNAP) and min(t1, t2) - max(b1, b2) > SNAP)
            stacked = stacked or ((abs(t1 - b2) <= SNAP or abs(t2 - b1) <= SNAP) and min(r1, r2) - max(l1, l2) > SNAP)
            if side and stacked:
                return True
    return False


@dataclass
class _Line:
    top: float
    x0: float
    x1: float
    text: str
    table: bool


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Top to bottom; on a two-column page the left column first, as PDFium reads them."""
    mid = width / 2
    narrow = [ln for ln in lines if ln.x1 <= mid + 5 or ln.x0 >= mid - 5]
    two_columns = len(lines) >= 4 and len(narrow) >= 0.8 * len(lines) and any(ln.x0 >= mid - 5 for ln in lines)
    if not two_columns:
        return sorted(lines, key=lambda ln: ln.top)
    return sorted(lines, key=lambda ln: (ln.x0 >= mid - 5, ln.top))


def _read_tables(data: bytes, indices: list[int], pages: list[PageText]) -> None:
    """Re-read pages that hold ruled tables: rows as "cell | cell" lines in reading position."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in indices:
            page = pdf.pages[i]
            try:
                tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
                if not tables:
                    continue
                boxes = [t.bbox for t in tables]

                def outside(obj, boxes=boxes):
                    x = (obj["x0"] + obj["x1"]) / 2
                    y = (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                lines = [
                    _Line(ln["top"], ln["x0"], ln["x1"], ln["text"], False)
                    for ln in page.filter(outside).extract_text_lines(use_text_flow=True)
                ]
                for table in tables:
                    cells = ([" ".join((c or "").split()) for c in row] for row in table.extract())
                    rows = [" | ".join(c for c in row if c) for row in cells if any(row)]
                    lines.append(_Line(table.bbox[1], table.bbox[0], table.bbox[2], "\n".join(rows), True))
                lines = _reading_order(lines, float(page.width))
                text, spans = "", []
                for ln in lines:
                    if text:
                        text += "\n"
                    if ln.table:
                        spans.append((len(text), len(text) + len(ln.text)))
                    text += ln.text
                pages[i] = PageText(text, spans)
            finally:
                page.close()
