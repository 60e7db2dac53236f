"""The extracted text of one contract, with the page and clause addresses a reviewer cites."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """A page of the source; `start`/`end` index `Document.text`."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Source:
    path: str
    format: str  # "pdf" | "docx" | "txt"
    sha256: str
    pages: int


@dataclass(frozen=True)
class Clause:
    """A numbered clause, heading block or definition, addressed as the document prints it."""

    id: str
    label: str | None
    heading: str | None
    parent: str | None
    start: int
    end: int
    page: int
    kind: str  # "clause" | "definition" | "definitions" | "toc" | "schedule" | "preamble"


@dataclass
class Document:
    """Full text plus page offsets; `tables` are the (start, end) spans that came from tables."""

    text: str
    pages: list[Page]
    source: Source
    tables: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """Page number holding `offset` (the last page for the end of the text)."""
        if not self.pages:
            return 1
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(i, 0)].number

    def in_table(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.tables)
