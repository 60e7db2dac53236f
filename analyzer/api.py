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
from analyzer.nlp.parties import commercial_use, contract_kind, dedupe_parties, find_parties
from analyzer.nlp.pipeline import load_pipeline
from analyzer.nlp.rules import Lead, mentions_in, read_lead
from analyzer.results import Analysis, ContractFacts, Mention
from analyzer.segment import list_lead, segment, table_header
from analyzer.status import contract_status

Input = str | os.PathLike | bytes | Document
NLP_PIECE = 20_000  # characters: the longest text spaCy reads at once
PIECE_CUTS = (".\n", ";\n", ":\n", "\n", ". ", "; ", " ")  # where a longer clause is cut, best first


def _pieces(text: str, clauses: list[Clause]) -> list[tuple[Clause, int, int]]:
    """(clause, start, end) of the texts spaCy reads: a clause longer than NLP_PIECE (a contract
    without clause labels, a file on one line) goes in pieces cut at a sentence or line end, so no
    text passes spaCy's length limit and reading cues, which grows faster than a text's length,
    stays cheap."""
    out = []
    for c in clauses:
        start = c.start
        while c.end - start > NLP_PIECE:
            window = text[start:start + NLP_PIECE]
            cut = next((i + len(sep) for sep in PIECE_CUTS if (i := window.rfind(sep)) >= NLP_PIECE // 2), NLP_PIECE)
            out.append((c, start, start + cut))
            start += cut
        out.append((c, start, c.end))
    return out


def find_mentions(doc: Document, clauses: list[Clause], aliases: dict[str, str], file: str | None) -> list[Mention]:
    """Service mentions of one document: clauses go through spaCy in one batch; the lead-in of a
    list or the header of a table is read once for all the items under it."""
    nlp = load_pipeline()
    cue_reader = nlp.get_pipe("service_cues")
    leads: dict[tuple[int, int], Lead] = {}

    def lead_for(offset: int) -> Lead | None:
        span = table_header(doc, offset) or list_lead(doc.text, offset)
        if span is None:
            return None
        if span not in leads:
            ldoc = nlp(doc.text[span[0]:span[1]])
            leads[span] = read_lead(ldoc, cue_reader.match(ldoc), aliases)
        return leads[span]

    pieces = _pieces(doc.text, clauses)
    texts = (doc.text[start:end] for _, start, end in pieces)
    mentions: list[Mention] = []
    for (clause, start, _), sdoc in zip(pieces, nlp.pipe(texts, batch_size=64), strict=True):
        if not sdoc.spans.get("services"):
            continue
        mentions.extend(mentions_in(
            sdoc, offset=start, clause_label=clause.id.split("#")[0] if clause.label else None, clause_kind=clause.kind,
            page_at=doc.page_at, in_table=doc.in_table, aliases=aliases, lead_for=lead_for, file=file,
        ))
    return mentions


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
    parties = dedupe_parties([p for found in party_sets for p in found])
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
    """Requirement verdicts, and the dispatch check when trip facts are given."""
    from analyzer.requirements.dispatch import assess

    analysis.requirements, analysis.dispatch = assess(analysis, trip)
