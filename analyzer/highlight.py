"""Evidence shown where it sits: the service and cue words of a sentence, and the sentence on its PDF page.

A reviewer trusts a status only after reading the sentence that decides it, in place. The words are
found by the same spaCy pipeline the analysis uses, so what is marked is what the rules read. The
sentence is found on the page by PDFium's own text and character boxes (milliseconds per page;
pdfplumber's word boxes cost a third of a second a page), matching words rather than characters
because the analysed text has running heads removed and hyphenated line ends joined.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from analyzer.nlp.pipeline import load_pipeline

WORD = re.compile(r"\w+")
SCALE = 1.25  # page images: 90 dpi, readable without zoom; grey PNG, about 70 KB a page
MIN_SHARE = 0.5  # at least this share of a sentence's words must be found in one place on the page
OPENING = 4  # or its first this many words, in a row, when it runs on to the next page
SLACK = 3  # page words allowed between two matched runs beyond the sentence's own gap
MARK_FILL = (255, 214, 0, 90)
MARK_EDGE = (214, 40, 40, 255)


@dataclass(frozen=True)
class Mark:
    """A marked stretch of an evidence sentence: a service term or a cue word (duty, party, negation)."""

    start: int
    end: int
    kind: str  # "service" | "cue"
    label: str  # the service, or the cue's name in lower case ("duty", "supplier", "negation")


def sentence_marks(text: str) -> list[Mark]:
    """Service terms and the cue words around them, in order, never overlapping (a term wins over a cue)."""
    return _marks(load_pipeline()(text))


def marks_of(texts: Iterable[str]) -> dict[str, list[Mark]]:
    """`sentence_marks` for many sentences, run through the pipeline in one batch."""
    unique = list(dict.fromkeys(texts))
    return {t: _marks(doc) for t, doc in zip(unique, load_pipeline().pipe(unique, batch_size=64), strict=True)}


def _marks(doc) -> list[Mark]:
    services = [Mark(s.start_char, s.end_char, "service", s.label_) for s in doc.spans.get("services", [])]
    cues = [Mark(c.start_char, c.end_char, "cue", c.label_.lower()) for c in doc._.cues or []]
    marks: list[Mark] = []
    for m in sorted(services + cues, key=lambda m: (m.start, m.kind != "service", -m.end)):
        if marks and m.start < marks[-1].end:
            continue
        marks.append(m)
    return marks


def pieces(text: str, marks: Iterable[Mark]) -> list[tuple[str, Mark | None]]:
    """The sentence cut at its marks: (text, mark) pairs, mark None for plain stretches."""
    out: list[tuple[str, Mark | None]] = []
    at = 0
    for m in marks:
        if m.start > at:
            out.append((text[at:m.start], None))
        out.append((text[m.start:m.end], m))
        at = m.end
    if at < len(text):
        out.append((text[at:], None))
    return out


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in PDF points, origin at the top left of the visible page."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageView:
    """One rendered PDF page and where each evidence sentence on it was found (empty when not found)."""

    number: int
    png: bytes
    scale: float
    boxes: dict[str, tuple[Box, ...]] = field(default_factory=dict)

    def marked(self, text: str) -> bytes:
        """The page as PNG with `text` marked; the plain page when it was not found."""
        boxes = self.boxes.get(text, ())
        if not boxes:
            return self.png
        page = Image.open(io.BytesIO(self.png)).convert("RGBA")
        overlay = Image.new("RGBA", page.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        s = self.scale
        for b in boxes:
            draw.rectangle((b.x0 * s - 2, b.top * s - 2, b.x1 * s + 2, b.bottom * s + 2), fill=MARK_FILL)
        top, bottom = min(b.top for b in boxes) * s, max(b.bottom for b in boxes) * s
        left = max(min(b.x0 for b in boxes) * s - 10, 2)
        draw.rectangle((left - 4, top - 2, left, bottom + 2), fill=MARK_EDGE)
        out = io.BytesIO()
        Image.alpha_composite(page, overlay).convert("RGB").save(out, "PNG")
        return out.getvalue()


def _words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    return [text[a:b].lower() for a, b in spans], spans


def find_words(page_text: str, sentence: str) -> tuple[int, int] | None:
    """Character range of `page_text` holding `sentence`, matched word by word; None when not there.

    The longest run of matching words anchors the place; neighbouring runs join it while the page
    has no more words between them than the sentence does (plus a little slack for a joined
    hyphenation or a running head). Common words matching elsewhere on the page never join.
    """
    page_words, page_spans = _words(page_text)
    want, _ = _words(sentence)
    if not want or not page_words:
        return None
    blocks = [b for b in SequenceMatcher(None, page_words, want, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    anchor = max(range(len(blocks)), key=lambda i: blocks[i].size)
    lo = hi = anchor
    while lo > 0:
        a, b = blocks[lo - 1], blocks[lo]
        if b.a - (a.a + a.size) > b.b - (a.b + a.size) + SLACK:
            break
        lo -= 1
    while hi + 1 < len(blocks):
        a, b = blocks[hi], blocks[hi + 1]
        if b.a - (a.a + a.size) > b.b - (a.b + a.size) + SLACK:
            break
        hi += 1
    first, last = blocks[lo], blocks[hi]
    found = sum(b.size for b in blocks[lo:hi + 1])
    # A sentence that runs on to the next page is found by its opening words alone.
    opening = first.b == 0 and first.size >= OPENING
    if found < max(2, MIN_SHARE * len(want)) and found < len(want) and not opening:
        return None
    return page_spans[first.a][0], page_spans[last.a + last.size - 1][1]


def _boxes(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str, sentence: str) -> tuple[Box, ...]:
    found = find_words(text, sentence)
    if found is None or page.get_rotation() % 360:
        return ()
    start = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, found[0])
    end = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, found[1] - 1)
    if start < 0 or end < start:
        return ()
    left, _, _, top = page.get_cropbox()
    n = textpage.count_rects(start, end - start + 1)
    boxes = []
    for i in range(n):
        x0, y0, x1, y1 = textpage.get_rect(i)
        boxes.append(Box(x0 - left, top - y1, x1 - left, top - y0))
    return tuple(boxes)


def page_views(data: bytes, wanted: dict[int, Iterable[str]], scale: float = SCALE) -> dict[int, PageView]:
    """Render the pages named in `wanted` (1-based) and find each of their evidence sentences.

    Called once after the analysis, so the app can show any evidence in place without keeping
    the uploaded file.
    """
    pdf = pdfium.PdfDocument(data)
    views: dict[int, PageView] = {}
    try:
        for number in sorted(wanted):
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                boxes = {s: _boxes(page, textpage, text, s) for s in dict.fromkeys(wanted[number])}
                textpage.close()
                image = io.BytesIO()
                page.render(scale=scale, grayscale=True).to_pil().convert("L").save(image, "PNG")
            finally:
                page.close()
            views[number] = PageView(number, image.getvalue(), scale, boxes)
    finally:
        pdf.close()
    return views
