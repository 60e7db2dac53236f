"""What the classifier sees of a mention: its words around the service term, with party names
replaced by their side, the term itself, plus the cues the spaCy stage read (obligor, modality,
negation, ...).

Replacing "Seller", "Lessor", "Keller GmbH" by one SUPPLIER token lets what is learnt from one
contract's vocabulary carry over to another's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analyzer.results import Mention

LEFT_WORDS = 14
RIGHT_WORDS = 10
TEXT_COLUMNS = ("left", "right", "sentence")
TERM_COLUMN = "term"  # the service and the words that named it ("repair:correct"), one category
CATEGORY_COLUMNS = ("service", "obligor", "modality", "negated", "condition", "context", "rule_status", "kind")
CUE_COLUMN = "cues"
COLUMNS = (*TEXT_COLUMNS, TERM_COLUMN, *CATEGORY_COLUMNS, CUE_COLUMN)
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+|[^\w\s]")


@lru_cache(maxsize=1)
def _role_pattern() -> tuple[re.Pattern, dict[str, str]]:
    from analyzer.nlp.parties import vocab

    v = vocab()
    words = sorted(v.roles, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")s?\b", re.I), v.roles


@lru_cache(maxsize=64)
def _alias_pattern(aliases: tuple[tuple[str, str], ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One regex for a contract's supplier and customer names, longest first, compiled once per
    contract instead of once per name per text."""
    sides = {alias: side.upper() for alias, side in aliases if side in ("supplier", "customer")}
    if not sides:
        return None, sides
    names = sorted(sides, key=lambda a: (-len(a), a))
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in names) + r")\b"), sides


def normalise(text: str, aliases: dict[str, str]) -> str:
    """Lower-case words with capitalised role words and the contract's own party names folded to
    SUPPLIER / CUSTOMER, and numbers to 0."""
    pattern, sides = _alias_pattern(tuple(aliases.items()))
    if pattern is not None:
        text = pattern.sub(lambda m: sides[m.group(0)], text)
    roles_pattern, roles = _role_pattern()

    def fold(m: re.Match) -> str:
        word = m.group(0)
        return roles[m.group(1).lower()].upper() if word[:1].isupper() else word

    text = roles_pattern.sub(fold, text)
    tokens = WORD.findall(text)
    return " ".join("0" if t.isdigit() else t if t in ("SUPPLIER", "CUSTOMER") else t.lower() for t in tokens)


@lru_cache(maxsize=256)
def _normalised_sentence(sentence: str, aliases: tuple[tuple[str, str], ...]) -> str:
    """A sentence holds a mention of each of its services, often several: normalised once."""
    return normalise(sentence, dict(aliases))


def mention_record(m: Mention, text: str, kind: str, aliases: dict[str, str]) -> dict:
    """One row of classifier input for a mention of `text` (the text of its own document)."""
    left = normalise(text[m.sent_start:m.start], aliases).split()[-LEFT_WORDS:]
    right = normalise(text[m.end:m.sent_end], aliases).split()[:RIGHT_WORDS]
    return {
        "left": " ".join(left),
        "right": " ".join(right),
        "sentence": _normalised_sentence(text[m.sent_start:m.sent_end], tuple(aliases.items())),
        "term": f"{m.service}:{' '.join(text[m.start:m.end].lower().split())}",
        "service": m.service,
        "obligor": m.obligor,
        "modality": m.modality,
        "negated": str(m.negated),
        "condition": m.condition or "none",
        "context": m.context,
        "rule_status": m.rule_status,
        "kind": kind,
        "cues": " ".join(m.cues) or "nocue",
    }
