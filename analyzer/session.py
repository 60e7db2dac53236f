"""One deal under review in the app: what is kept after the analysis, and what a planned trip adds.

Contracts are confidential, so the uploaded bytes are not kept: everything the review pages show
later (the report, the marked words of each evidence sentence, the PDF pages holding evidence) is
computed once here, and the caller drops the files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from analyzer.api import analyze
from analyzer.highlight import Mark, PageView, marks_of, page_views
from analyzer.limits import Limits
from analyzer.report.build import to_report
from analyzer.requirements.dispatch import TripFacts, assess
from analyzer.results import Analysis


@dataclass
class Review:
    """The analysis of one deal with what its display needs; holds no file bytes."""

    names: list[str]
    analysis: Analysis
    report: dict
    marks: dict[str, list[Mark]]  # evidence sentence -> its service and cue words
    pages: dict[tuple[str | None, int], PageView]  # (evidence "file", page) -> page image, PDFs only

    def page(self, evidence: dict) -> PageView | None:
        """The rendered page holding one piece of service evidence, when its file is a PDF."""
        return self.pages.get((evidence.get("file"), evidence.get("page")))


def evidence(report: dict) -> list[tuple[str, dict]]:
    """Every piece of service evidence in the report as (service, evidence), in service order, each
    sentence once (under the first service it speaks for)."""
    seen, out = set(), []
    for service, result in report["services"].items():
        for ev in result["evidence"]:
            key = (ev.get("file"), ev["start"], ev["end"])
            if key not in seen:
                seen.add(key)
                out.append((service, ev))
    return out


def review(files: Sequence[tuple[str, bytes]], *, use_model: bool = True, limits: Limits | None = None,
           step: Callable[[str], None] | None = None) -> Review:
    """Analyse the files of one deal and prepare their display; BadInputError names a bad file."""
    say = step or (lambda _msg: None)
    names = [name for name, _ in files]
    say(f"Reading and analysing {', '.join(names)}")
    analysis = analyze([data for _, data in files], names=names, use_model=use_model, limits=limits)
    report = to_report(analysis)
    found = evidence(report)
    marks = marks_of(ev["text"] for _, ev in found)
    multi = len(files) > 1
    pages: dict[tuple[str | None, int], PageView] = {}
    for (name, data), doc in zip(files, analysis.documents, strict=True):
        if doc.source.format != "pdf":
            continue
        label = Path(doc.source.path).name if multi else None
        wanted: dict[int, list[str]] = {}
        for _, ev in found:
            if ev.get("file") == label:
                wanted.setdefault(ev["page"], []).append(ev["text"])
        if wanted:
            say(f"Rendering {len(wanted)} page(s) of {name} that hold evidence")
            pages.update({(label, n): v for n, v in page_views(data, wanted).items()})
    return Review(names, analysis, report, marks, pages)


def with_trip(analysis: Analysis, trip: TripFacts) -> dict:
    """The report again, with the verdicts and the dispatch check for one planned trip."""
    results, dispatch = assess(analysis, trip)
    return to_report(replace(analysis, requirements=results, dispatch=dispatch))
