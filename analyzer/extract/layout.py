"""Turn per-page text into one `Document`: running headers/footers out, hyphenated words joined.

Running heads are found as lines that repeat near the top or bottom of many pages (digits folded,
so "Page 3 of 9" repeats); a fixed crop band would cut body text on real contracts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from analyzer.document import Document, Page, Source

RUNNING_WORDS = 6  # longest line, in words, whose digits may vary between pages
EDGE_LINES = 5  # lines at the top and bottom of a page that may be running heads
PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
LINE_END_HYPHEN = re.compile(r"(?<=[A-Za-z])[-\ufffe\xad]\n(?=[a-z])")
SPACES = re.compile(r"[ \t\u2000-\u200a\u202f\u205f\u3000]+")
CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")  # str.translate deletes these


@dataclass
class PageText:
    """Text of one page as a reader found it; `tables` are (start, end) spans within `text`."""

    text: str
    tables: list[tuple[int, int]] = field(default_factory=list)


def normalize(text: str) -> str:
    """One form for every reader: NFKC, \\n line ends, plain spaces, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = LINE_END_HYPHEN.sub("", text)
    # PDFium joins a line-end hyphenation itself and marks it U+FFFE: "equip\ufffement".
    text = re.sub("\ufffe(?=[a-z])", "", text).replace("\ufffe", "-").replace("\xad", "")
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(CONTROL)
    return "\n".join(SPACES.sub(" ", line).strip() for line in text.split("\n"))


EDGE_NUMBER = re.compile(r"^\W*\d+|\d+(?:\s*(?:of|/)\s*\d+)?\W*$")


def _key(line: str) -> str:
    """Digits fold so that "Page 3" repeats "Page 4": all of them in short lines, only a leading or
    trailing page number in longer ones ("... Execution Version Page 3"), since a long body line
    that differs from another only inside is not a running head."""
    line = SPACES.sub(" ", line.strip().lower())
    if len(line.split()) <= RUNNING_WORDS:
        return re.sub(r"\d+", "#", line)
    return EDGE_NUMBER.sub("#", line)


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur at the page edges often enough to be running heads or feet."""
    n = len(pages)
    if n < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        body = [ln for ln in lines if ln.strip()]
        edge = {_key(ln) for ln in body[:EDGE_LINES] + body[-EDGE_LINES:]}
        for k in edge:
            counts[k] = counts.get(k, 0) + 1
    need = n if n <= 3 else max(3, math.ceil(0.3 * n))
    return {k for k, c in counts.items() if c >= need and len(k) > 1}


def _strip_edges(lines: list[str], repeats: set[str]) -> list[str]:
    """Drop running heads and bare page numbers, working inward from the top and the bottom."""

    def is_running(line: str) -> bool:
        line = line.strip()
        return not line or _key(line) in repeats or bool(PAGE_NUMBER.match(line))

    first, last = 0, len(lines)
    while first < last and first < EDGE_LINES and is_running(lines[first]):
        first += 1
    while last > first and len(lines) - last < EDGE_LINES and is_running(lines[last - 1]):
        last -= 1
    return lines[first:last]


def assemble(
    pages: list[PageText], source_path: str, fmt: str, sha256: str, strip_running: bool
) -> Document:
    """Join pages into one text with page offsets; table spans are carried to document offsets."""
    split = [normalize(p.text).split("\n") for p in pages]
    repeats = running_lines(split) if strip_running else set()
    parts: list[str] = []
    out_pages: list[Page] = []
    tables: list[tuple[int, int]] = []
    pos = 0
    for number, (page, lines) in enumerate(zip(pages, split, strict=True), start=1):
        kept = _strip_edges(lines, repeats) if strip_running else lines
        body = "\n".join(kept).strip("\n")
        if number > 1:
            parts.append("\n\n")
            pos += 2
        out_pages.append(Page(number, pos, pos + len(body)))
        tables.extend(_locate_tables(page, body, pos))
        parts.append(body)
        pos += len(body)
    source = Source(source_path, fmt, sha256, len(pages))
    return Document("".join(parts), out_pages, source, tables)


def _locate_tables(page: PageText, body: str, offset: int) -> list[tuple[int, int]]:
    """Find each table's normalized text again in the page body (normalizing shifts offsets)."""
    found = []
    cursor = 0
    for s, e in page.tables:
        snippet = normalize(page.text[s:e]).strip()
        if not snippet:
            continue
        i = body.find(snippet, cursor)
        if i >= 0:
            found.append((offset + i, offset + i + len(snippet)))
            cursor = i + len(snippet)
    return found
