"""Build Analysis objects from short contract texts written for the tests.

The real pipeline (extraction, segmentation, classifier) is not needed to test requirement
verdicts: a test states the contract text, the parties and the service statuses, and this module
turns them into the same dataclasses the pipeline produces, with real offsets, pages and clauses.
"""

from __future__ import annotations

import hashlib
import re

from analyzer.document import Clause, Document, Page, Source
from analyzer.results import (
    SERVICES,
    Analysis,
    ContractFacts,
    Evidence,
    Party,
    ServiceResult,
)

_CLAUSE = re.compile(r"^(?P<label>\d+(?:\.\d+)*)\.?[ \t]+(?P<heading>[^\n]*)", re.MULTILINE)
_SCHEDULE = re.compile(
    r"^(?P<label>(?:Schedule|Annex|Exhibit|Appendix)[ \t]+[A-Z0-9]+)\b(?P<heading>[^\n]*)",
    re.MULTILINE,
)


def make_document(text: str, path: str = "contract.txt") -> tuple[Document, list[Clause]]:
    """A Document (pages split at form feeds) and its numbered clauses and schedules."""
    pages, start = [], 0
    for number, chunk in enumerate(text.split("\f"), 1):
        pages.append(Page(number, start, start + len(chunk)))
        start += len(chunk) + 1
    fmt = path.rsplit(".", 1)[-1] if "." in path else "txt"
    source = Source(path, fmt, hashlib.sha256(text.encode()).hexdigest(), len(pages))
    doc = Document(text=text, pages=pages, source=source)

    marks = []
    for m in _SCHEDULE.finditer(text):
        marks.append((m.start(), m.group("label"), m.group("heading").strip(" -–:") or None,
                      "schedule"))
    for m in _CLAUSE.finditer(text):
        marks.append((m.start(), m.group("label"), m.group("heading").split(".")[0][:60],
                      "clause"))
    marks.sort()
    clauses: list[Clause] = []
    schedule_id = None
    seen: dict[str, int] = {}

    def unique(ref: str) -> str:
        # Clause ids are the reference a lawyer cites, "#2" for a repeat (as analyzer.segment).
        seen[ref] = seen.get(ref, 0) + 1
        return ref if seen[ref] == 1 else f"{ref}#{seen[ref]}"

    for i, (pos, label, heading, kind) in enumerate(marks):
        if kind == "schedule":
            end = next((p for p, _, _, k in marks[i + 1:] if k == "schedule"), len(text))
            cid = unique(label)
            schedule_id = cid
            clauses.append(Clause(cid, label, heading, None, pos, end, doc.page_at(pos), kind))
            continue
        end = len(text)
        for p, other, _, k in marks[i + 1:]:
            if k == "schedule" or not other.startswith(label + "."):
                end = p
                break
        parent = None
        if "." in label:
            up = label.rsplit(".", 1)[0]
            parent = next((c.id for c in reversed(clauses) if c.label == up), None)
        parent = parent or schedule_id
        clauses.append(Clause(unique(label), label, heading, parent, pos, end, doc.page_at(pos),
                              kind))
    return doc, clauses


def party(name: str, role: str | None, side: str, country: str | None) -> Party:
    return Party(name=name, role=role, side=side, country=country)


def seller(country: str | None = "DE", role: str | None = "Seller",
           name: str = "Maschinenbau Keller GmbH") -> Party:
    return party(name, role, "supplier", country)


def buyer(country: str | None = "CA", role: str | None = "Buyer",
          name: str = "Prairie Grain Co-operative Ltd.") -> Party:
    return party(name, role, "customer", country)


def make_analysis(
    *docs: tuple[str, str] | str,
    kind: str = "purchase",
    parties: list[Party] | None = None,
    services: dict[str, tuple[str, str | list[str]]] | None = None,
    commercial_use: bool | None = True,
) -> Analysis:
    """An Analysis of one or more (path, text) documents.

    `services` maps a service to (contract-level status, quote or quotes); each quote must occur
    in one of the documents and becomes evidence with that document's file, page and clause.
    Services not named are "absent".
    """
    documents, clause_lists = [], []
    for i, d in enumerate(docs):
        path, text = d if isinstance(d, tuple) else (f"contract{i + 1}.txt" if i else
                                                     "contract.txt", d)
        doc, clauses = make_document(text, path)
        documents.append(doc)
        clause_lists.append(clauses)
    multi = len(documents) > 1
    results: dict[str, ServiceResult] = {}
    for service in SERVICES:
        status, quotes = (services or {}).get(service, ("absent", []))
        quotes = [quotes] if isinstance(quotes, str) else list(quotes)
        evidence = []
        for quote in quotes:
            for doc, clauses in zip(documents, clause_lists, strict=True):
                at = doc.text.find(quote)
                if at < 0:
                    continue
                inner = [c for c in clauses if c.start <= at < c.end]
                clause = min(inner, key=lambda c: c.end - c.start) if inner else None
                # As analyzer.api names them: the clause reference, and the file only in a
                # deal of several files.
                evidence.append(Evidence(quote, doc.page_at(at), clause.id if clause else None,
                                         at, at + len(quote), status, 0.9,
                                         doc.source.path.rsplit("/", 1)[-1] if multi else None))
                break
            else:
                raise AssertionError(f"quote not in any document: {quote!r}")
        results[service] = ServiceResult(status, 0.9 if evidence else 0.0, evidence)
    contract = ContractFacts(kind=kind, parties=parties if parties is not None else
                             [seller(), buyer()], commercial_use=commercial_use)
    return Analysis(documents=documents, clauses=clause_lists, contract=contract, mentions=[],
                    services=results)


def make_report(analysis: Analysis, trip=None) -> dict:
    """The JSON report as the lead's build.py lays it out, with our sections filled in."""
    from analyzer.requirements.dispatch import dispatch_section
    from analyzer.requirements.engine import requirements_section

    def src(s):
        return {"path": s.path, "format": s.format, "sha256": s.sha256, "pages": s.pages}

    return {
        "schema_version": 1,
        "source": src(analysis.sources[0]),
        "sources": [src(s) for s in analysis.sources],
        "contract": {
            "kind": analysis.contract.kind,
            "parties": [{"name": p.name, "role": p.role, "side": p.side, "country": p.country}
                        for p in analysis.contract.parties],
            "commercial_use": analysis.contract.commercial_use,
        },
        "services": {
            s: {"status": r.status, "confidence": r.confidence, "evidence": [
                {"text": e.text, "page": e.page, "clause": e.clause, "start": e.start,
                 "end": e.end, "status": e.status, "score": e.score, "file": e.file}
                for e in r.evidence]}
            for s, r in analysis.services.items()
        },
        "requirements": requirements_section(analysis, trip),
        "dispatch": dispatch_section(analysis, trip) if trip is not None else None,
        "warnings": list(analysis.warnings),
    }
