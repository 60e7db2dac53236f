"""Skip the sentences a cue cannot match, by a substring test before the regular expression.

The fact reader tries some thirty case-insensitive cue patterns on every sentence of a contract,
and Python's `re` pays for every character it scans. Most cues need a word ("warranty",
"technicians", "renew"), so a sentence without any of those words cannot match: looking for the
words with `str.find` over all sentences at once costs a small fraction of one regex scan. The test
is exact (a cue without such a word is tried on every sentence), so results do not change.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from re import _parser as sre_parse  # the parser re itself uses; stable across 3.11-3.13

MIN_WORD = 3
# Letters that re.IGNORECASE matches to an ASCII letter but str.lower() does not lower to one
# (or, for "İ", lowers to two characters).
_FOLD = (("ſ", "s"), ("ı", "i"), ("İ", "i"))


def fold(text: str) -> str:
    """Lower case for the substring test, one character for one."""
    if not text.isascii():
        for letter, ascii_letter in _FOLD:
            text = text.replace(letter, ascii_letter)
    return text.lower()


def _word(run: list[str]) -> frozenset[str] | None:
    text = "".join(run)
    return frozenset([text]) if len(text) >= MIN_WORD else None


def _rarer(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """Of two sets of required words, the one whose shortest word is longer (fewer false hits)."""
    if a is None or b is None:
        return a or b
    return b if min(map(len, b)) > min(map(len, a)) else a


def _required(items) -> frozenset[str] | None:
    """Words one of which every match of a parsed sequence contains, or None if none is known.

    Every part of a sequence is in every match: a run of literal characters, or a group (one of
    whose alternatives is in the match). The part with the longest shortest word is kept.
    """
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, arg in items:
        if op is sre_parse.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        best, run = _rarer(best, _word(run)), []
        if op is sre_parse.SUBPATTERN:
            best = _rarer(best, _required(arg[-1]))
        elif op is sre_parse.BRANCH:
            found = [_required(branch) for branch in arg[1]]
            if all(found):
                best = _rarer(best, frozenset().union(*found))
    return _rarer(best, _word(run))


@lru_cache(maxsize=512)
def required_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words (lower case) one of which every match of `pattern` contains; None if unknown."""
    return _required(sre_parse.parse(pattern.pattern, pattern.flags).data)


class SentenceFilter:
    """The sentences that contain one of a pattern's required words, all found in one pass each."""

    def __init__(self, texts: Sequence[str]):
        self.count = len(texts)
        self.text = fold("\x00".join(texts))  # a word never runs across the separator
        self.starts: list[int] = []
        at = 0
        for n in map(len, texts):
            self.starts.append(at)
            at += n + 1

    def candidates(self, pattern: re.Pattern[str]) -> list[int]:
        """Indexes, in order, of the texts `pattern` may match; every text if it has no prefix."""
        words = required_words(pattern)
        if words is None:
            return list(range(self.count))
        hits: set[int] = set()
        for word in words:
            at = self.text.find(word)
            while at >= 0:
                i = bisect_right(self.starts, at) - 1
                hits.add(i)
                at = self.text.find(word, self.starts[i + 1]) if i + 1 < self.count else -1
        return sorted(hits)
