"""Read each service mention's cues (who owes it, modality, negation, conditions, context) and give
it a rule-based status under ../shared/status-guidelines.md.

Without a trained parser there is no dependency tree, so the obligor is the nearest party named
before the governing modal, or the agent after "by" in a passive clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from analyzer.results import Mention

PARTY_LABELS = {"SUPPLIER": "supplier", "CUSTOMER": "customer", "THIRD": "third_party"}
AFTER_WINDOW = 4  # tokens after a term where "is excluded" / "by Buyer" still bear on it
DEFINITION_START = re.compile(r"^\W*(?:\(?[a-z0-9.]{1,6}\)?\s+)?[\"“'‘][^\"”’]{1,60}[\"”’]\s*(?:\([^)]*\)\s*)?"
                              r"(?:means|shall mean|refers to|has the meaning|includes)\b", re.I)


@dataclass(frozen=True)
class Lead:
    """What a list's lead-in ("The Price excludes:") or a table's header row says, for the items
    and rows under it."""

    obligor: str
    modality: str
    negated: bool
    condition: str | None
    labels: frozenset[str]
    # A table header's cells: what an entry under each column says ("supplier", "customer",
    # "third_party", "included", "optional", "excluded", or None for a description column).
    columns: tuple[str | None, ...] = ()


@dataclass
class Cue:
    label: str
    start: int  # token index in the doc
    end: int
    text: str


def _cues_in(doc: Doc, sent: Span) -> list[Cue]:
    return [Cue(c.label_, c.start, c.end, c.text) for c in (doc._.cues or [])
            if c.start >= sent.start and c.end <= sent.end]


def _alias_hits(sent: Span, aliases: dict[str, str]) -> list[Cue]:
    """Defined party names of this contract ("Keller", "ACME") found as tokens in the sentence."""
    if not aliases:
        return []
    words = [t.text for t in sent]
    by_first = _aliases_by_first_word(tuple(aliases.items()))
    found = []
    for i, word in enumerate(words):
        for rank, parts, label, alias in by_first.get(word, ()):
            n = len(parts)
            if words[i:i + n] == parts:
                found.append((rank, i, Cue(label, sent.start + i, sent.start + i + n, alias)))
    found.sort(key=lambda f: (f[0], f[1]))  # name by name in the order of `aliases`, as cues are sorted stably
    return [cue for _, _, cue in found]


@lru_cache(maxsize=64)
def _aliases_by_first_word(aliases: tuple[tuple[str, str], ...]) -> dict[str, list[tuple[int, list[str], str, str]]]:
    """A contract's party names indexed by their first word, so a sentence is scanned once."""
    out: dict[str, list[tuple[int, list[str], str, str]]] = {}
    for rank, (alias, side) in enumerate(aliases):
        parts = alias.split()
        if parts:
            label = {"supplier": "SUPPLIER", "customer": "CUSTOMER"}.get(side, "OTHER")
            out.setdefault(parts[0], []).append((rank, parts, label, alias))
    return out


def sentence_cues(doc: Doc, sent: Span, aliases: dict[str, str]) -> list[Cue]:
    """The cue matches and party names of one sentence, in order; read once for all its mentions."""
    cues = _cues_in(doc, sent) + _alias_hits(sent, aliases)
    cues.sort(key=lambda c: c.start)
    return cues


def _party_side(doc: Doc, cue: Cue, cues: list[Cue]) -> str | None:
    """Side of a party cue; a lower-case role word ("a contractor") is an outside party."""
    if cue.label == "THIRD":
        # "Buyer's contractor", "contractor engaged by the Purchaser", "Seller's subcontractors"
        around = [c for c in cues if c.label in ("SUPPLIER", "CUSTOMER") and abs(c.start - cue.start) <= 5
                  and doc[c.start].text[:1].isupper()]
        if around:
            nearest = min(around, key=lambda c: abs(c.start - cue.start))
            return "customer" if nearest.label == "CUSTOMER" else "supplier"
        return "third_party"
    if cue.label in ("SUPPLIER", "CUSTOMER"):
        if not doc[cue.start].text[:1].isupper():
            return "third_party" if doc[cue.start].lower_ in ("contractor", "contractors") else None
        return PARTY_LABELS[cue.label]
    return None


def _context(doc: Doc, sent: Span, clause_kind: str, in_table: bool, cues: list[Cue]) -> str:
    if clause_kind == "toc":
        return "toc"
    text = sent.text.strip()
    if DEFINITION_START.match(text) or (clause_kind == "definition" and any(c.label == "DEFINES" for c in cues)):
        return "definition"
    if in_table or "|" in text:
        return "table"
    has_modal = any(c.label in ("DUTY", "PERMISSION", "DISCRETION", "EXCLUSION", "FREE") for c in cues)
    words = [t for t in sent if not t.is_space and not t.is_punct]
    if not has_modal and len(words) <= 12 and not text.endswith((".", ";")):
        return "heading"
    return "body"


def _condition(labels: set[str]) -> str | None:
    for label, condition in (("SEPARATE", "separate_agreement"), ("REQUEST", "on_request"),
                             ("CHARGE", "charge"), ("EVENT", "after_event")):
        if label in labels:
            return condition
    return None


COLUMN_LABELS = (("TABLE_OPTION", "optional"), ("TABLE_NO", "excluded"), ("EXCLUSION", "excluded"),
                 ("TABLE_YES", "included"), ("FREE", "included"))
EMPTY_CELLS = {"", "-", "–", "—", "no", "n/a", "none", "non"}
MARKS = {"x", "✓", "✔", "☑", "●", "•", "yes", "oui", "y"}  # a tick under a status column
NUMBER_COLUMNS = {"no.", "nr.", "n°", "#", "ref.", "ref", "item", "pos.", "line", "no"}
COLUMN_WORDS = 4  # a header cell naming a party or a status is short ("By Purchaser", "On quotation")


def _cells(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of the cells of a table row ("a | b | c") between tokens start and end."""
    cells, begin = [], start
    for t in doc[start:end]:
        if t.text == "|":
            cells.append((begin, t.i))
            begin = t.i + 1
    cells.append((begin, end))
    return cells


def _columns(doc: Doc, cues: list[Cue]) -> tuple[str | None, ...]:
    """What each cell of a header row stands for: a party ("By Seller", "Lessee") or a status
    ("Included", "Optional", "On quotation", "Excluded"); None for any other column."""
    cells = _cells(doc, 0, len(doc))
    out: list[str | None] = []
    for start, end in cells:
        words = [t for t in doc[start:end] if not t.is_space]
        text = "".join(t.text_with_ws for t in words).strip().lower()
        if not words or len(words) > COLUMN_WORDS or text in NUMBER_COLUMNS:
            out.append(None)
            continue
        inside = [c for c in cues if start <= c.start and c.end <= end]
        sides = {_party_side(doc, c, cues) for c in inside} - {None}
        labels = {c.label for c in inside}
        meaning = sides.pop() if len(sides) == 1 else None
        if meaning is None and not sides:
            meaning = next((m for label, m in COLUMN_LABELS if label in labels), None)
        out.append(meaning)
    # A scope matrix chooses between columns; one lone "Included" or "Buyer" column is no matrix
    # (its row's own words say enough) and a key-value table's first row is no header.
    return tuple(out) if sum(m is not None for m in out) >= 2 else ()


def _column_reading(doc: Doc, sent: Span, columns: tuple[str | None, ...]) -> set[str]:
    """The meanings of the header columns this row fills in (an "X", a name, "Included"), when the
    row has as many cells as the header, so each cell sits under its own column."""
    cells = _cells(doc, sent.start, sent.end)
    if len(cells) != len(columns):
        return set()
    filled = set()
    for (start, end), meaning in zip(cells, columns, strict=True):
        text = "".join(t.text_with_ws for t in doc[start:end] if not t.is_space).strip().lower()
        if meaning in ("supplier", "customer", "third_party"):
            if text not in EMPTY_CELLS:  # "X", "Supervision", "Lessee's crane and riggers"
                filled.add(meaning)
        elif meaning and (text in MARKS or text.split(" ")[0].strip(",;-") in MARKS):
            filled.add(meaning)
    return filled


def read_lead(doc: Doc, cue_spans: list[Span], aliases: dict[str, str]) -> Lead:
    """The duty, negation and condition a lead-in text states, and who it binds; for a table's
    header row, also what each column stands for."""
    whole = doc[:]
    cues = sorted([Cue(c.label_, c.start, c.end, c.text) for c in cue_spans] + _alias_hits(whole, aliases),
                  key=lambda c: c.start)
    table = any(t.text == "|" for t in doc)
    if table:  # a "No." column heads numbers: it negates nothing
        numbers = [(start, end) for start, end in _cells(doc, 0, len(doc))
                   if "".join(t.text_with_ws for t in doc[start:end]).strip().lower() in NUMBER_COLUMNS]
        cues = [c for c in cues if not any(start <= c.start and c.end <= end for start, end in numbers)]
    modal = next((c for c in cues if c.label in ("DUTY", "PERMISSION")), None)
    limit = modal.start if modal else len(doc)
    parties = [c for c in cues if c.end <= limit and _party_side(doc, c, cues)]
    labels = {c.label for c in cues}
    return Lead(
        obligor=_party_side(doc, parties[-1], cues) if parties else "unknown",
        modality="duty" if modal and modal.label == "DUTY" else "permission" if modal else "none",
        negated=bool(labels & {"NEGATION", "EXCLUSION", "TABLE_NO"}) and "TABLE_YES" not in labels,
        condition=_condition(labels),
        labels=frozenset(labels),
        columns=_columns(doc, cues) if table else (),
    )


def read_mention(doc: Doc, term: Span, aliases: dict[str, str], clause_kind: str, in_table: bool,
                 lead: Lead | None = None, cues: list[Cue] | None = None) -> dict:
    """The cues that decide one mention, as plain values for the Mention and the classifier.
    `cues` are its sentence's (`sentence_cues`), when the caller has read them already."""
    sent = term.sent
    if cues is None:
        cues = sentence_cues(doc, sent, aliases)
    context = _context(doc, sent, clause_kind, in_table, cues)
    # Cue words inside a charge phrase ("at no additional charge") do not negate the duty.
    shields = [(c.start, c.end) for c in cues if c.label in ("CHARGE", "FREE")]

    def shielded(c: Cue) -> bool:
        return c.label in ("NEGATION",) and any(s <= c.start and c.end <= e for s, e in shields)

    before = [c for c in cues if c.end <= term.start and not shielded(c)]
    after = [c for c in cues if c.start >= term.end and c.start - term.end <= AFTER_WINDOW and not shielded(c)]

    modal = next((c for c in reversed(before) if c.label in ("DUTY", "PERMISSION")), None)
    if modal is None:
        modal = next((c for c in cues if c.start >= term.end and c.start - term.end <= 6
                      and c.label in ("DUTY", "PERMISSION")), None)
    duty = modal is not None and modal.label == "DUTY"
    permission = modal is not None and modal.label == "PERMISSION"
    # "at its option"; "Vendor offers annual service contracts" (an offer, without a duty verb)
    discretion = any(c.label in ("DISCRETION", "OFFER") for c in cues)
    supervise = any(c.label == "SUPERVISE" for c in before if modal is None or c.start >= modal.start)

    # Obligor: the party before the governing modal; else the agent after "by".
    obligor = "unknown"
    anchor = modal.start if modal is not None and modal.start < term.start else term.start
    parties_before = [c for c in cues if c.end <= anchor and _party_side(doc, c, cues)]
    if parties_before:
        obligor = _party_side(doc, parties_before[-1], cues) or "unknown"
    # Passive voice takes its agent: "shall be installed by Seller", "Installation shall be carried
    # out by a contractor engaged by Buyer". With a subject already named, only a passive service
    # verb ("be installed by") changes it: in "repair damage caused by Buyer" Buyer is no agent.
    passive = any(t.lower_ in ("be", "been", "is", "are", "being") for t in doc[max(term.start - 2, 0):term.start])
    for c in cues:
        if c.label != "BY" or not (term.end <= c.start <= term.end + 6):
            continue
        agents = [p for p in cues if p.start > c.start and p.start - c.end <= 3 and _party_side(doc, p, cues)]
        if not agents:
            continue
        agent = _party_side(doc, agents[0], cues)
        if supervise and obligor == "supplier":
            break  # "Seller shall supervise installation by Buyer's contractors" stays Seller's
        if obligor == "unknown" or (passive and c.start - term.end <= 1) or c.start == term.end:
            obligor = agent or obligor
        break
    if obligor == "unknown" and context == "table":
        sides = [_party_side(doc, c, cues) for c in cues if c.label in ("SUPPLIER", "CUSTOMER", "THIRD")]
        sides = [s for s in sides if s]
        if sides:
            obligor = sides[0]

    negation_window = [c for c in before if modal is None or c.start >= modal.start - 1]
    negated = any(c.label in ("NEGATION", "EXCLUSION") for c in negation_window) or any(
        c.label == "EXCLUSION" or (c.label == "NEGATION" and doc[c.start].lower_ == "not") for c in after
    )
    if not negated and modal is None:
        negated = any(c.label == "EXCLUSION" for c in before)
    if duty and negated and any(c.label == "PERMISSION" and c.end <= modal.start and modal.start - c.end <= 5
                                and any(t.lower_ == "but" for t in doc[c.end:modal.start]) for c in before):
        # "Seller may, but shall not be obliged to, ...": a permission, not a denied duty
        duty, permission, negated = False, True, False

    labels = {c.label for c in cues}
    condition = _condition(labels)
    modality = "duty" if duty else "permission" if (permission or (discretion and not duty)) else "none"
    if lead is not None and modal is None:
        # A list item or table row without a verb of its own takes its lead-in's.
        negated = negated or lead.negated
        modality = lead.modality
        if not lead.columns:  # a matrix header names parties as columns, not as the subject
            obligor = lead.obligor if obligor == "unknown" else obligor
        condition = condition or lead.condition

    filled = _column_reading(doc, sent, lead.columns) if lead is not None and lead.columns and modal is None else set()
    parties = filled & {"supplier", "customer", "third_party"}
    if len(parties) == 1:
        obligor = parties.pop()  # "X" under "By Purchaser": the column names who does it
    elif not parties and filled & {"included", "optional"}:
        obligor = "supplier"  # ticked under "Included" or "On quotation": the supplier's scope
    included = bool(labels & {"FREE", "TABLE_YES"}) or "included" in filled
    table_no = "TABLE_NO" in labels or "excluded" in filled
    table_option = "TABLE_OPTION" in labels or "optional" in filled

    def where(c: Cue) -> str:
        return "<" if c.end <= term.start else ">" if c.start >= term.end else "="

    positioned = {f"{c.label.lower()}{where(c)}" for c in cues}
    if lead is not None:
        positioned |= {f"lead_{label.lower()}" for label in lead.labels}
    positioned |= {f"column_{meaning}" for meaning in filled}
    return {
        "context": context,
        "obligor": obligor,
        "modality": modality,
        "negated": negated,
        "condition": condition,
        "included": included,
        "table_no": table_no,
        "table_option": table_option,
        "cues": tuple(sorted(positioned)),
    }


def rule_status(f: dict) -> tuple[str, float]:
    """Status and a rough confidence from the cues, following the decision rules."""
    if f["context"] in ("definition", "heading", "toc"):
        return "absent", 0.85
    obligor, modality, negated, condition = f["obligor"], f["modality"], f["negated"], f["condition"]
    customer_side = obligor in ("customer", "third_party")
    if f["context"] == "table" and modality == "none":
        # A scope table: who the row names and what its cells say (Yes / X / No / Optional).
        if customer_side:
            return "customer", 0.7
        if f["table_no"] or negated:
            return "excluded", 0.65
        if f["table_option"] or condition == "separate_agreement":
            return "optional", 0.65
        if obligor == "supplier" or f["included"]:
            return "obligated", 0.7
        return "absent", 0.55
    if negated:
        if customer_side and modality == "duty":
            return "customer", 0.55
        if condition == "separate_agreement":
            return "optional", 0.7  # "not included; quoted separately on request"
        return "excluded", 0.8 if modality != "none" or obligor == "supplier" else 0.65
    if customer_side and modality in ("duty", "none"):
        return "customer", 0.85 if modality == "duty" else 0.6
    if customer_side:
        return "customer", 0.55
    if condition == "separate_agreement":
        return "optional", 0.8
    if modality == "permission":
        return "optional", 0.75
    if modality == "duty":
        return "obligated", 0.9 if obligor == "supplier" else 0.6
    if f["included"] and obligor in ("supplier", "unknown"):
        return "obligated", 0.55
    return "absent", 0.6


def mentions_in(doc: Doc, *, offset: int, clause_label: str | None, clause_kind: str, page_at, in_table,
                aliases: dict[str, str], lead_for, file: str | None = None) -> list[Mention]:
    """Every service term of a processed clause, as Mentions with document offsets.
    `lead_for(offset)` gives the Lead governing the sentence at that offset, if any."""
    out = []
    per_sentence: dict[int, tuple] = {}  # sentence start -> (cues, in a table, lead): the same for all its terms
    for term in doc.spans.get("services", []):
        sent = term.sent
        s_start = offset + sent.start_char
        s_end = offset + sent.start_char + len(sent.text.rstrip())
        if sent.start not in per_sentence:
            per_sentence[sent.start] = (sentence_cues(doc, sent, aliases), in_table(s_start, s_end), lead_for(s_start))
        cues, table, lead = per_sentence[sent.start]
        f = read_mention(doc, term, aliases, clause_kind, table, lead, cues)
        status, score = rule_status(f)
        start = offset + term.start_char
        out.append(Mention(
            service=term.label_, start=start, end=offset + term.end_char, sent_start=s_start, sent_end=s_end,
            clause=clause_label, page=page_at(start), obligor=f["obligor"], modality=f["modality"],
            negated=f["negated"], condition=f["condition"], context=f["context"], cues=f["cues"],
            rule_status=status, status=status, score=score, file=file,
        ))
    return out
