"""spaCy components for contracts, registered as factories so the pipeline is built from config.

- `contract_sentencizer`: sentence starts that suit contracts (list items, semicolon lists, table
  rows, headings) instead of the rule-based sentencizer, which breaks on clause numbers.
- `contract_lemmatizer`: the English lookup table applied to the lower-cased form, because the
  table is case-sensitive and contracts write "INSTALLS" and "Upgrades".
- `service_cues`: the cue words (duty, permission, negation, conditions, parties) found only in
  sentences that hold a service term, since the matcher, not the tokenizer, sets the pace.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import numpy
import srsly
from spacy.attrs import IDX, IS_SPACE, IS_TITLE, IS_UPPER, LEMMA, LIKE_NUM, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from analyzer.nlp.anchored import AnchoredMatcher

DATA = Path(__file__).parent / "data"
PATTERNS = Path(__file__).parent / "patterns"

LIST_MARKER = {"(", "•", "-", "–", "—", "*", "▪", "◦"}

if not Doc.has_extension("cues"):
    Doc.set_extension("cues", default=None)  # list[Span] of cue matches, in order


@Language.factory("contract_sentencizer")
def make_contract_sentencizer(nlp: Language, name: str) -> ContractSentencizer:
    return ContractSentencizer()


class ContractSentencizer:
    """Breaks after sentence punctuation, before list items and table rows, around headings.

    Wrapped PDF lines do not end sentences; a line ends one when it closes with punctuation, is
    short like a heading, or when the next line is a list item or a table row.
    """

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        # Token by token in numpy; Python only at line starts (a contract has ten tokens a line).
        orth, space, title, upper, num, idx, ws = doc.to_array(
            [ORTH, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, IDX, SPACY]).T
        space = space.astype(bool)
        strings = doc.vocab.strings
        words = [strings[h] for h in orth.tolist()]
        text = "".join(w + " " if s else w for w, s in zip(words, ws.tolist(), strict=True))  # doc.text, faster
        newline = numpy.zeros(n, dtype=bool)  # a whitespace token holding a line break
        for i in numpy.flatnonzero(space).tolist():
            newline[i] = "\n" in words[i]
        line_start = numpy.concatenate(([True], newline[:-1]))
        marker = _any_of(orth, LIST_MARKER)
        capital = title.astype(bool) | upper.astype(bool) | num.astype(bool) | marker
        after_stop = numpy.concatenate(([False], _any_of(orth[:-1], (".", "!", "?"))))
        after_semicolon = numpy.concatenate(([False], _any_of(orth[:-1], (";",))))
        at_line_start = line_start & ~space
        starts = numpy.where(after_stop, capital, after_semicolon & (at_line_start | marker))
        # Lines: each opened by a non-space token, closed by the next line break.
        line_starts = numpy.flatnonzero(line_start)
        heads = numpy.flatnonzero(at_line_start[1:]) + 1
        ends = numpy.append(line_starts, n)[numpy.searchsorted(line_starts, heads, side="right")]
        offsets = [*idx.tolist(), len(text)]
        begin = 0
        for i, end, after_break in zip(heads.tolist(), ends.tolist(), (after_stop | after_semicolon)[heads].tolist(),
                                       strict=True):
            previous_line = text[offsets[begin]:offsets[i]].strip()
            begin = i
            if after_break:
                continue
            starts[i] = (
                marker[i]
                or "|" in text[offsets[i]:offsets[end]]
                or "|" in previous_line
                or previous_line[-1:] in (".", ";", ":", "!", "?")
                or (len(previous_line) < 60 and capital[i])
            )
        starts &= ~space
        starts[0] = True
        # One write for the whole doc: setting Token.is_sent_start scans the doc each time, which
        # made a clause cost time in the square of its length (seconds for a 20-page schedule).
        doc.from_array([SENT_START], numpy.where(starts, 1, -1).astype("int64").astype("uint64"))
        return doc


def _any_of(orth: numpy.ndarray, texts: tuple[str, ...] | set[str]) -> numpy.ndarray:
    """Which tokens are one of `texts` (ORTH hashes do not depend on the vocab)."""
    found = numpy.zeros(len(orth), dtype=bool)
    for h in _orth_hashes(tuple(sorted(texts))):
        found |= orth == h
    return found


@cache
def _orth_hashes(texts: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(hash_string(t) for t in texts)


@Language.factory("contract_lemmatizer", default_config={"table": "lemmas.json.gz"})
def make_contract_lemmatizer(nlp: Language, name: str, table: str) -> ContractLemmatizer:
    return ContractLemmatizer(DATA / table)


class ContractLemmatizer:
    """Lookup lemmas on the lower-cased text (English table of spacy-lookups-data, MIT)."""

    def __init__(self, path: Path):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            table = json.load(fh)
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in list(table.values())[:100]):
            raise ValueError(f"{path}: not a lemma lookup table")
        self.table: dict[str, str] = table
        self._index: tuple[numpy.ndarray, numpy.ndarray] | None = None

    def _hashes(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The table as sorted LOWER hashes and their LEMMA hashes, so a doc is looked up in one pass."""
        if self._index is None:
            strings = doc.vocab.strings
            keys = numpy.array([strings.add(k) for k in self.table], dtype="uint64")
            values = numpy.array([strings.add(v) for v in self.table.values()], dtype="uint64")
            order = numpy.argsort(keys)
            self._index = keys[order], values[order]
        return self._index

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys, values = self._hashes(doc)
        lower = doc.to_array(LOWER)
        at = numpy.minimum(numpy.searchsorted(keys, lower), len(keys) - 1)
        doc.from_array([LEMMA], numpy.where(keys[at] == lower, values[at], lower))
        return doc


@Language.factory(
    "service_cues",
    default_config={"patterns": "cues.jsonl", "services_key": "services", "window": 0},
)
def make_service_cues(nlp: Language, name: str, patterns: str, services_key: str, window: int) -> ServiceCues:
    return ServiceCues(nlp, PATTERNS / patterns, services_key)


TRIM = {"to", "shall", "will", "must", "and", "or", "the", "any", "a", "an", "all", "each", "such", "its", ","}


def _trim(span: Span) -> Span:
    """Patterns that need a neighbour ("to service", "commission the") keep only the term."""
    start, end = span.start, span.end
    while end - start > 1 and span.doc[start].lower_ in TRIM:
        start += 1
    while end - start > 1 and span.doc[end - 1].lower_ in TRIM:
        end -= 1
    return Span(span.doc, start, end, label=span.label)


def _longest_per_service(spans: list[Span]) -> list[Span]:
    """Longest match per service, so an ambiguous term ("correct", "replace") stays a candidate for
    each service it may name and the status stage decides; a longer "not_service" match
    ("maintenance manual", "maintain insurance") vetoes the terms inside it."""
    vetoes = [s for s in spans if s.label_ == "not_service"]
    out: list[Span] = []
    for label in sorted({s.label_ for s in spans} - {"not_service"}):
        for span in filter_spans([s for s in spans if s.label_ == label]):
            if not any(v.start <= span.start and span.end <= v.end and len(v) > len(span) for v in vetoes):
                out.append(span)
    return sorted(out, key=lambda s: (s.start, s.label_))


class ServiceCues:
    """Runs the cue matcher only over sentences holding a service term; keeps the longest terms."""

    def __init__(self, nlp: Language, path: Path, services_key: str):
        self.services_key = services_key
        self.matcher = AnchoredMatcher(nlp.vocab, validate=True)
        for i, entry in enumerate(srsly.read_jsonl(path)):
            label, pattern = entry.get("label"), entry.get("pattern")
            if not isinstance(label, str) or not isinstance(pattern, list):
                raise ValueError(f"{path}: line {i + 1} needs a string 'label' and a token 'pattern' list")
            self.matcher.add(label, [pattern])

    def match(self, doc: Doc) -> list[Span]:
        """Cues anywhere in `doc`: for short texts read whole, like a list's lead-in or a table header."""
        return sorted((Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)), key=lambda c: (c.start, -c.end))

    def __call__(self, doc: Doc) -> Doc:
        services = _longest_per_service([_trim(s) for s in doc.spans.get(self.services_key, [])])
        doc.spans[self.services_key] = services
        cues: list[Span] = []
        seen: set[int] = set()
        for span in services:
            sent = span.sent
            if sent.start in seen:
                continue
            seen.add(sent.start)
            for match_id, s, e in self.matcher(sent):
                cues.append(Span(doc, sent.start + s, sent.start + e, label=match_id))
        doc._.cues = sorted(cues, key=lambda c: (c.start, -c.end))
        return doc
