"""The library's front door: `analyze` one contract or the several files of one deal.

The CLI, the app and the batch runner all call this; none of them holds analysis logic.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from analyzer.document import Clause, Document
from analyzer.extract import extract
from analyzer.limits import Limits
from analyzer.nlp.parties import commercial_use, contract_kind, find_parties
from analyzer.nlp.pipeline import load_pipeline
from analyzer.nlp.rules import mentions_in
from analyzer.results import Analysis, ContractFacts, Mention, Party
from analyzer.segment import segment
from analyzer.status import contract_status

Input = str | os.PathLike | bytes | Document


def find_mentions(doc: Document, clauses: list[Clause], aliases: dict[str, str], file: str | None) -> list[Mention]:
    """Service mentions of one document: clauses go through spaCy in one batch."""
    nlp = load_pipeline()
    texts = (doc.text[c.start:c.end] for c in clauses)
    mentions: list[Mention] = []
    for clause, sdoc in zip(clauses, nlp.pipe(texts, batch_size=64), strict=True):
        if not sdoc.spans.get("services"):
            continue
        mentions.extend(mentions_in(
            sdoc, offset=clause.start, clause_label=clause.id if clause.label else None,
            clause_kind=clause.kind, page_at=doc.page_at, in_table=doc.in_table, aliases=aliases, file=file,
        ))
    return mentions


def _merge_parties(found: list[list[Party]]) -> list[Party]:
    seen, out = set(), []
    for parties in found:
        for p in parties:
            key = (p.name.lower(), p.side)
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def analyze(
    inputs: Input | Sequence[Input],
    *,
    names: Sequence[str] | None = None,
    use_model: bool = True,
    trip=None,
    ocr: bool = False,
    limits: Limits | None = None,
    requirements: bool = True,
) -> Analysis:
    """Analyse one file, or several files as one deal (evidence names its file).

    `inputs` are paths, bytes (with `names`), or already extracted Documents. `requirements=False`
    stops after the service statuses (training and evaluation need no verdicts).
    """
    items = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
    docs: list[Document] = []
    for i, item in enumerate(items):
        name = names[i] if names and i < len(names) else None
        docs.append(item if isinstance(item, Document) else extract(item, name, limits=limits, ocr=ocr))
    multi = len(docs) > 1
    all_clauses, all_mentions, party_sets, warnings = [], [], [], []
    aliases: dict[str, str] = {}
    for doc in docs:
        parties, found_aliases = find_parties(doc.text)
        party_sets.append(parties)
        for k, v in found_aliases.items():
            aliases.setdefault(k, v)
    for doc in docs:
        clauses = segment(doc)
        all_clauses.append(clauses)
        label = Path(doc.source.path).name if multi else None
        all_mentions.extend(find_mentions(doc, clauses, aliases, label))
        warnings.extend(f"{Path(doc.source.path).name}: {w}" if multi else w for w in doc.warnings)
    parties = _merge_parties(party_sets)
    facts = ContractFacts(contract_kind(docs[0].text, parties), parties,
                          commercial_use("\n".join(d.text for d in docs)))
    by_file = {(Path(d.source.path).name if multi else None): d for d in docs}
    if use_model:
        from analyzer.classify.model import apply_model

        texts = {k: d.text for k, d in by_file.items()}
        warnings.extend(apply_model(all_mentions, texts, facts.kind, aliases))
    analysis = Analysis(docs, all_clauses, facts, all_mentions, contract_status(all_mentions, by_file),
                        warnings=warnings, aliases=aliases)
    if requirements:
        _add_requirements(analysis, trip)
    return analysis


def _add_requirements(analysis: Analysis, trip) -> None:
    """Requirement verdicts (and the dispatch check with trip facts), when the engine is present."""
    try:
        from analyzer.requirements.engine import evaluate
    except ImportError:
        return
    analysis.requirements = evaluate(analysis, trip)
    if trip is not None:
        from analyzer.requirements.dispatch import check_dispatch

        analysis.dispatch = check_dispatch(analysis, trip)
