"""Long contracts for the benchmark: corpus text laid out on N letter pages with reportlab.

The corpus sources are concatenated in a fixed order and repeated until the page count is reached,
with a running header and page numbers as real long contracts have, so the layout step has work.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

CORPUS_SOURCES = Path(__file__).resolve().parents[1] / "corpus" / "src"
LINES_PER_PAGE = 52
WIDTH = 100  # characters per line at 9.5 pt Helvetica within one-inch margins


def corpus_lines(src: Path = CORPUS_SOURCES) -> list[str]:
    """Plain lines of every corpus contract: markup directives out, table cells joined."""
    lines: list[str] = []
    for path in sorted(src.glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.startswith("@"):
                continue
            text = raw.lstrip("# ").strip()
            if raw.startswith("|"):
                text = "   ".join(c.strip() for c in raw.strip("|").split("|"))
            lines.extend(textwrap.wrap(text, WIDTH) or [""])
    return lines


def long_pdf(pages: int, lines: list[str] | None = None) -> bytes:
    lines = lines or corpus_lines()
    if not any(lines):
        raise ValueError(f"no corpus text in {CORPUS_SOURCES}")
    width, height = LETTER
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=LETTER, pageCompression=1)
    cursor = 0
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 40, "Master Equipment Supply and Services Agreement - benchmark copy")
        c.drawString(width / 2 - 20, 30, f"Page {number} of {pages}")
        c.setFont("Helvetica", 9.5)
        y = height - 72
        for _ in range(LINES_PER_PAGE):
            c.drawString(72, y, lines[cursor % len(lines)])
            cursor += 1
            y -= 12.5
        c.showPage()
    c.save()
    return out.getvalue()


def write(folder: Path, pages: int) -> Path:
    """The N-page PDF in `folder`, rebuilt each run so it follows the corpus text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"long-{pages}.pdf"
    path.write_bytes(long_pdf(pages))
    return path
