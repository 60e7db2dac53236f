"""spaCy's token matching, run only where a pattern can match.

spaCy's Matcher tries every pattern at every token, and a `{"LOWER": {"IN": [...]}}` test costs a
Python call per token and pattern: on contracts it, not the tokenizer, sets the pace. Every pattern
here has a required token drawn from a closed word list (LOWER or LEMMA), so:

- one-token patterns are found by looking the tokens' LOWER and LEMMA up in hash tables;
- longer patterns go to spaCy's Matcher on short windows around their rarest required token.

The matches are the same as the Matcher's; a pattern without such a token (or of unbounded length)
falls back to the Matcher over the whole text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

ATTRS = ("LOWER", "LEMMA")  # the columns of Doc.to_array([LOWER, LEMMA])
REPEAT = re.compile(r"^\{(\d*),?(\d*)\}$")


def _words(spec: dict, attr: str) -> list[str] | None:
    """The closed word list a token spec puts on `attr`, if it is one."""
    value = spec.get(attr)
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return list(value["IN"])
    return None


def _max_length(spec: dict) -> int | None:
    """Most tokens one spec can take; None when unbounded or not understood."""
    op = spec.get("OP")
    if op in (None, "1", "?"):
        return 1
    m = REPEAT.match(op) if isinstance(op, str) else None
    if m and m.group(2):
        return int(m.group(2))
    if m and "," not in op and m.group(1):
        return int(m.group(1))
    return None


def _anchor(pattern: list[dict]) -> tuple[str, list[str], int, int] | None:
    """(attr, words, tokens before, tokens after) of the rarest required closed-list token."""
    lengths = [_max_length(spec) for spec in pattern]
    if None in lengths:
        return None
    best = None
    for k, spec in enumerate(pattern):
        if spec.get("OP") not in (None, "1") or set(spec) - {"LOWER", "LEMMA", "OP"}:
            continue
        for attr in ATTRS:
            words = _words(spec, attr)
            if words:
                rank = (sum(w in STOP_WORDS for w in words), len(words))
                if best is None or rank < best[0]:
                    best = (rank, attr, words, sum(lengths[:k]), sum(lengths[k + 1:]))
    return None if best is None else best[1:]


def _single(pattern: list[dict]) -> tuple[str, list[str]] | None:
    """(attr, words) when the pattern is one token on one closed word list."""
    if len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    attr = next(iter(pattern[0]))
    words = _words(pattern[0], attr) if attr in ATTRS else None
    return (attr, words) if words else None


class AnchoredMatcher:
    """Same interface and matches as `spacy.matcher.Matcher` (add, call on a Doc or Span)."""

    def __init__(self, vocab, validate: bool = False):
        self.vocab = vocab
        self.validate = validate
        self.single: dict[str, dict[int, list[int]]] = {a: {} for a in ATTRS}  # word -> keys
        self.anchored: dict[str, dict[int, list[int]]] = {a: {} for a in ATTRS}  # word -> groups
        self.groups: list[tuple[Matcher, int, int]] = []  # one longer pattern each: matcher, before, after
        self.rest = Matcher(vocab, validate=validate)  # patterns without an anchor: the whole text
        self.order: dict[int, int] = {}  # key -> rank, so ties come in the order patterns were added
        self._words: dict[str, np.ndarray] | None = None

    def add(self, key: str, patterns: Iterable[list[dict]]) -> None:
        key_id = self.vocab.strings.add(key)
        self.order.setdefault(key_id, len(self.order))
        for pattern in patterns:
            single = _single(pattern)
            anchor = None if single else _anchor(pattern)
            if single:
                attr, words = single
                targets, item = self.single[attr], key_id
            elif anchor:
                attr, words, before, after = anchor
                matcher = Matcher(self.vocab, validate=self.validate)
                matcher.add(key, [pattern])
                self.groups.append((matcher, before, after))
                targets, item = self.anchored[attr], len(self.groups) - 1
            else:
                self.rest.add(key, [pattern])
                continue
            for word in words:
                items = targets.setdefault(self.vocab.strings.add(word), [])
                if item not in items:
                    items.append(item)
        self._words = None

    def _lookup(self) -> dict[str, np.ndarray]:
        if self._words is None:
            self._words = {a: np.array(sorted(set(self.single[a]) | set(self.anchored[a])), dtype="uint64")
                           for a in ATTRS}
        return self._words

    def __call__(self, doclike: Doc | Span) -> list[tuple[int, int, int]]:
        """(match_id, start, end) tuples, offsets relative to `doclike`, as the Matcher gives them."""
        lookup = self._lookup()
        n = len(doclike)
        if not n:
            return []
        doc, offset = (doclike.doc, doclike.start) if isinstance(doclike, Span) else (doclike, 0)
        values = doclike.to_array([LOWER, LEMMA])
        found: list[tuple[int, int, int]] = []
        at: dict[int, list[int]] = {}  # group -> anchor positions
        for col, attr in enumerate(ATTRS):
            words = lookup[attr]
            if not len(words):
                continue
            column = values[:, col]
            hits = np.flatnonzero(words[np.minimum(np.searchsorted(words, column), len(words) - 1)] == column)
            single, anchored = self.single[attr], self.anchored[attr]
            for i, h in zip(hits.tolist(), column[hits].tolist(), strict=True):
                found.extend((key, i, i + 1) for key in single.get(h, ()))
                for group in anchored.get(h, ()):
                    at.setdefault(group, []).append(i)
        for group, positions in at.items():
            matcher, before, after = self.groups[group]
            for start, end in _windows(positions, before, after, n):
                window = doc[offset + start:offset + end]
                found.extend((key, start + s, start + e) for key, s, e in matcher(window, allow_missing=True))
        if len(self.rest):
            found.extend(self.rest(doclike))
        return sorted(set(found), key=lambda m: (m[1], m[2], self.order[m[0]]))


def _windows(positions: list[int], before: int, after: int, n: int) -> list[tuple[int, int]]:
    """Merged token windows that hold every match of a pattern around its anchor positions."""
    windows: list[tuple[int, int]] = []
    for i in sorted(positions):
        s, e = max(i - before, 0), min(i + 1 + after, n)
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], e)
        else:
            windows.append((s, e))
    return windows


@Language.factory(
    "anchored_span_ruler",
    default_config={"spans_key": "ruler", "phrase_matcher_attr": None, "validate": False, "overwrite": False},
)
def make_anchored_span_ruler(nlp: Language, name: str, spans_key: str, phrase_matcher_attr: str | None,
                             validate: bool, overwrite: bool) -> AnchoredSpanRuler:
    return AnchoredSpanRuler(nlp, name, spans_key=spans_key, phrase_matcher_attr=phrase_matcher_attr,
                             validate=validate, overwrite=overwrite)


class AnchoredSpanRuler(SpanRuler):
    """spaCy's SpanRuler with its token patterns matched by an AnchoredMatcher: the same spans."""

    def clear(self) -> None:
        super().clear()
        self.anchored = AnchoredMatcher(self.nlp.vocab, validate=self.validate)
        self.anchored_labels: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        super().add_patterns(patterns)
        for entry in patterns:
            if isinstance(entry["pattern"], list):
                label, span_id = entry["label"], entry.get("id", "")
                key = f"{label}\t{span_id}"
                self.anchored_labels[self.nlp.vocab.strings.add(key)] = (label, span_id)
                self.anchored.add(key, [entry["pattern"]])

    def remove(self, label: str) -> None:
        super().remove(label)
        self._rebuild()

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._rebuild()

    def _rebuild(self) -> None:
        patterns = list(self._patterns)
        self.clear()
        self.add_patterns(patterns)

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")  # no phrase patterns: nothing to say
            phrases = list(self.phrase_matcher(doc))
        spans = {Span(doc, start, end, label=self.anchored_labels[key][0], span_id=self.anchored_labels[key][1])
                 for key, start, end in self.anchored(doc) if start != end}
        spans.update(Span(doc, start, end, label=self._match_label_id_map[key]["label"],
                          span_id=self._match_label_id_map[key]["id"])
                     for key, start, end in phrases if start != end)
        return sorted(spans)
