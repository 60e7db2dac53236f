"""The JSON report (schema_version 1) and the extraction output, as plain dicts.

Every face renders from these dicts, so the CLI, the app and the files always agree.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from analyzer.document import Clause, Document, Source
from analyzer.results import SERVICES, Analysis

SCHEMA_VERSION = 1
SCHEMA = Path(__file__).parent / "schema.json"


def _source(s: Source) -> dict:
    return {"path": s.path, "format": s.format, "sha256": s.sha256, "pages": s.pages}


def _clause(c: Clause) -> dict:
    return {"id": c.id, "label": c.label, "heading": c.heading, "parent": c.parent,
            "start": c.start, "end": c.end, "page": c.page, "kind": c.kind}


def extraction_report(doc: Document, clauses: list[Clause]) -> dict:
    """What `contract-analyzer extract --format json` prints."""
    return {
        "source": _source(doc.source),
        "text": doc.text,
        "pages": [{"number": p.number, "start": p.start, "end": p.end} for p in doc.pages],
        "clauses": [_clause(c) for c in clauses],
        "warnings": list(doc.warnings),
    }


def to_report(analysis: Analysis) -> dict:
    """The analysis as the schema_version 1 report."""
    services = {}
    for name in SERVICES:
        r = analysis.services[name]
        services[name] = {
            "status": r.status,
            "confidence": r.confidence,
            "evidence": [asdict(e) for e in r.evidence],
        }
    requirements = [r if isinstance(r, dict) else r.to_dict() for r in analysis.requirements]
    dispatch = analysis.dispatch
    if dispatch is not None and not isinstance(dispatch, dict):
        dispatch = dispatch.to_dict()
    return {
        "schema_version": SCHEMA_VERSION,
        "source": _source(analysis.documents[0].source),
        "sources": [_source(s) for s in analysis.sources],
        "contract": {
            "kind": analysis.contract.kind,
            "parties": [asdict(p) for p in analysis.contract.parties],
            "commercial_use": analysis.contract.commercial_use,
        },
        "services": services,
        "requirements": requirements,
        "dispatch": dispatch,
        "warnings": list(analysis.warnings),
    }


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def validate(report: dict) -> None:
    """Raise jsonschema.ValidationError when a report does not follow the shipped schema."""
    import jsonschema

    jsonschema.validate(report, schema())


def dumps(report: dict) -> str:
    """Stable JSON: the same analysis always gives the same bytes."""
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False)
