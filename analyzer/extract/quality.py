"""Text similarity used to check extraction against a reference text (the realworld twins)."""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"\w+")


def bigrams(text: str) -> Counter:
    words = WORD.findall(text.lower())
    return Counter(zip(words, words[1:], strict=False))


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient over word-bigram multisets: 1.0 for the same words in the same order."""
    ca, cb = bigrams(a), bigrams(b)
    total = sum(ca.values()) + sum(cb.values())
    if total == 0:
        return 1.0
    return 2 * sum((ca & cb).values()) / total
