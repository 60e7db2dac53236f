"""Contract-level status per service from its mentions (status-guidelines, decision rule 2)."""

from __future__ import annotations

from analyzer.document import Document
from analyzer.results import PRECEDENCE, SERVICES, Evidence, Mention, ServiceResult

NO_MENTION_CONFIDENCE = 0.95  # the word never occurs: absent is near certain


def evidence_of(m: Mention, doc: Document) -> Evidence:
    return Evidence(doc.text[m.sent_start:m.sent_end], m.page, m.clause, m.sent_start, m.sent_end,
                    m.status, round(m.score, 3), m.file)


def contract_status(mentions: list[Mention], docs: dict[str | None, Document]) -> dict[str, ServiceResult]:
    """Highest status by precedence obligated > customer > optional > excluded > absent; every
    non-absent mention is kept as evidence, the deciding ones first."""
    rank = {s: i for i, s in enumerate(PRECEDENCE)}
    out: dict[str, ServiceResult] = {}
    for service in SERVICES:
        ms = [m for m in mentions if m.service == service]
        live = [m for m in ms if m.status != "absent"]
        if not live:
            conf = NO_MENTION_CONFIDENCE if not ms else min(m.score for m in ms)
            out[service] = ServiceResult("absent", round(conf, 3), [])
            continue
        live.sort(key=lambda m: (rank[m.status], -m.score, m.sent_start))
        status = live[0].status
        seen: set[tuple] = set()
        evidence = []
        for m in live:
            key = (m.file, m.sent_start, m.status)
            if key in seen:
                continue
            seen.add(key)
            evidence.append(evidence_of(m, docs[m.file]))
        out[service] = ServiceResult(status, round(live[0].score, 3), evidence)
    return out
