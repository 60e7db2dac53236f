"""Deal facts the requirements need beyond service statuses, read from the contract text.

The requirements turn on facts the service classifier does not give: how long the warranty,
service or lease runs and from which event, who pays the technicians, who does construction
work, whether the supplier runs production, named service partners, renewal options, schedules
incorporated, and where the goods are made. Each fact keeps the sentence that shows it, so a
reviewer can check it and the traveller can mark it. The phrases live in cues.toml.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from analyzer.document import Clause, Document
from analyzer.errors import BadInputError
from analyzer.nlp.parties import LEADING, org_key
from analyzer.requirements.catalogue import read_toml
from analyzer.requirements.prefilter import SentenceFilter
from analyzer.results import Analysis, Evidence, Party

CUES_PATH = Path(__file__).with_name("cues.toml")
TERM_KINDS = ("lease", "service", "warranty", "agreement")


class CueError(BadInputError):
    """cues.toml is malformed; the message names the section and key."""


# --------------------------------------------------------------------------------------------
# Result types


def clause_ref(label: str) -> str:
    """'clause 7.2' for a number, the label itself for 'Schedule A' or 'Section 5'.

    Segment ids mark a repeated number "5#2"; the page tells the two apart in print.
    """
    label = label.split("#")[0]
    return f"clause {label}" if label[:1].isdigit() or label[:1] == "(" else label


@dataclass(frozen=True)
class Excerpt:
    """A passage of one contract file with the address a reviewer cites."""

    text: str
    page: int
    clause: str | None
    file: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "page": self.page, "clause": self.clause, "file": self.file,
                "start": self.start, "end": self.end}

    def cite(self, with_file: bool = True) -> str:
        """'clause 7.2, page 4 (sale.pdf)' as letters and reports write it."""
        parts = []
        if self.clause:
            parts.append(clause_ref(self.clause))
        parts.append(f"page {self.page}")
        where = ", ".join(parts)
        return f"{where} ({Path(self.file).name})" if self.file and with_file else where

    @classmethod
    def from_evidence(cls, ev: Evidence) -> Excerpt:
        return cls(ev.text, ev.page, ev.clause, ev.file, ev.start, ev.end)


@dataclass(frozen=True)
class Period:
    """One running period: `amount` `unit` from `trigger` (an event, or "date" for a fixed day)."""

    amount: int
    unit: str  # "months" | "days"
    trigger: str | None
    said: tuple[int, str] | None = None  # as the contract writes it: (5, "years")

    def end_from(self, start: date) -> date:
        if self.unit == "days":
            return date.fromordinal(start.toordinal() + self.amount)
        month = start.month - 1 + self.amount
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)

    def describe(self) -> str:
        amount, unit = self.said or (self.amount, self.unit)
        if amount == 1:
            unit = unit[:-1]
        start = f" from {self.trigger}" if self.trigger and self.trigger != "date" else ""
        return f"{amount} {unit}{start}"


@dataclass(frozen=True)
class Window:
    """A period placed on the calendar, or the event dates still needed to place it."""

    start: date | None
    end: date | None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A warranty, service, lease or agreement period and the sentence that sets it."""

    kind: str  # "warranty" | "service" | "lease" | "agreement"
    periods: tuple[Period, ...]
    combine: str | None  # "earlier" | "later" when several periods race
    start_date: date | None  # a fixed start day the contract names
    renewable: bool
    excerpt: Excerpt

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(p.trigger for p in self.periods if p.trigger)

    @property
    def has_trigger(self) -> bool:
        return all(p.trigger for p in self.periods)

    def describe(self) -> str:
        text = " or ".join(p.describe() for p in self.periods)
        if self.start_date:
            text += f" from {self.start_date.isoformat()}"
        if len(self.periods) > 1 and self.combine:
            text += f", whichever ends {self.combine}"
        return text

    def window(self, events: dict[str, date]) -> Window:
        """Start and end on the calendar, given the dates of the trigger events."""
        starts, ends, missing = [], [], []
        for p in self.periods:
            begin = self.start_date if p.trigger in (None, "date") else events.get(p.trigger)
            if begin is None:
                missing.append(p.trigger or "start")
                continue
            starts.append(begin)
            ends.append(p.end_from(begin))
        if missing:
            return Window(min(starts) if starts else None, None, tuple(dict.fromkeys(missing)))
        end = max(ends) if self.combine == "later" else min(ends)
        return Window(min(starts), end)


@dataclass(frozen=True)
class Fact:
    """A finding (`value`) with every passage that shows it."""

    value: str
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class DefinedNames:
    """How the contract itself names the parties, the goods and the agreement."""

    supplier: str
    customer: str
    goods: str
    agreement: str

    def fields(self) -> dict[str, str]:
        """Template fields, with capitalised variants to start a sentence."""
        out = {"supplier": self.supplier, "customer": self.customer, "goods": self.goods,
               "agreement": self.agreement}
        out.update({k.capitalize(): v[:1].upper() + v[1:] for k, v in list(out.items())})
        return out


@dataclass
class DealFacts:
    terms: list[Term] = field(default_factory=list)
    personnel_pay: Fact | None = None  # "supplier" | "customer"
    expenses: Fact | None = None  # "supplier" | "customer"
    construction: Fact | None = None  # "carved_in" | "carved_out"
    production: Fact | None = None  # "supplier" | "customer"
    partners: list[Fact] = field(default_factory=list)  # value: the partner's name
    subcontracting: Fact | None = None  # "unnamed": may hand services to anyone
    renewal: Fact | None = None
    schedules: list[Fact] = field(default_factory=list)  # value: label, or "*" for all
    origin: Fact | None = None  # value: ISO country code
    consumer: Fact | None = None
    commercial: Fact | None = None  # wording of business use
    specialised: Fact | None = None
    names: DefinedNames = field(
        default_factory=lambda: DefinedNames("the supplier", "the customer", "equipment",
                                             "this agreement"))

    def schedule_incorporated(self, label: str | None) -> Fact | None:
        for f in self.schedules:
            if f.value == "*" or (label and f.value.upper() == label.upper()):
                return f
        return None


# --------------------------------------------------------------------------------------------
# Cue loading


@dataclass(frozen=True)
class Cues:
    supplier_words: tuple[str, ...]
    customer_words: tuple[str, ...]
    personnel: tuple[str, ...]
    agents: tuple[str, ...]
    abbreviations: frozenset[str]
    modal: re.Pattern[str]
    negation: re.Pattern[str]
    term_order: tuple[str, ...]
    term_phrases: dict[str, tuple[str, ...]]
    term_exclude: tuple[str, ...]
    anchor: re.Pattern[str]
    earlier: re.Pattern[str]
    later: re.Pattern[str]
    renewal: re.Pattern[str]
    no_renewal: re.Pattern[str]
    triggers: dict[str, tuple[str, ...]]
    numbers: dict[str, int]
    salary: tuple[str, ...]
    expenses: tuple[str, ...]
    pay_patterns: tuple[str, ...]
    trades: tuple[str, ...]
    supervise: re.Pattern[str]
    production_words: tuple[str, ...]
    operate: re.Pattern[str]
    only: re.Pattern[str]
    for_production: re.Pattern[str]
    trial: tuple[str, ...]
    partner_phrase: re.Pattern[str]
    partner_work: re.Pattern[str]
    unnamed: str
    suffixes: tuple[str, ...]
    schedule_label: re.Pattern[str]
    incorporation: re.Pattern[str]
    all_schedules: re.Pattern[str]
    origin_verbs: tuple[str, ...]
    origin_statement: re.Pattern[str]
    consumer: tuple[str, ...]
    commercial: tuple[str, ...]
    commercial_use: re.Pattern[str]
    specialised: tuple[str, ...]
    goods: tuple[str, ...]
    agreement: tuple[str, ...]
    countries: dict[str, tuple[str, ...]]


_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)\}(?!\})")
_PLACEHOLDERS = {"party": r"(?P<party>seller)", "personnel": r"(?:personnel)"}


class _Section:
    def __init__(self, path: Path, data: dict, name: str):
        self.path, self.name = path, name
        table = data
        for part in name.split("."):
            table = table.get(part) if isinstance(table, dict) else None
        if not isinstance(table, dict):
            raise CueError(f"{path.name}: section [{name}] is missing")
        self.table = table

    def fail(self, key: str, message: str) -> None:
        raise CueError(f"{self.path.name}: [{self.name}] {key} {message}")

    def words(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self.fail(key, "must be a non-empty list of phrases")
        return tuple(value)

    def template(self, key: str, value: Any = None) -> str:
        value = self.table.get(key) if value is None else value
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a regular expression")
        names = set(_PLACEHOLDER.findall(value))
        bad = sorted(names - set(_PLACEHOLDERS))
        if bad:
            self.fail(key, f"uses unknown placeholder {{{bad[0]}}}")
        if value.count("{party}") > 1:
            self.fail(key, "may use {party} only once")
        try:
            re.compile(_fill(value, _PLACEHOLDERS))
        except re.error as exc:
            self.fail(key, f"is not a valid regular expression ({exc})")
        return value

    def regex(self, key: str, *, case: bool = False) -> re.Pattern[str]:
        """A compiled cue; case-insensitive unless `case` (then the cue uses (?i:...) itself)."""
        value = self.template(key)
        if _PLACEHOLDER.search(value):
            self.fail(key, "may not use placeholders here")
        return re.compile(value, 0 if case else re.IGNORECASE)

    def templates(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            self.fail(key, "must be a non-empty list of regular expressions")
        return tuple(self.template(f"{key}[{i}]", v) for i, v in enumerate(value))


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders without touching regex braces such as {0,3}."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def parse_cues(data: dict, path: Path = CUES_PATH) -> Cues:
    if data.get("schema") != 1:
        raise CueError(f"{path.name}: 'schema' must be 1")
    s = lambda name: _Section(path, data, name)  # noqa: E731
    terms = s("terms")
    order = terms.words("order")
    bad = [k for k in order if k not in TERM_KINDS]
    if bad or set(order) != set(TERM_KINDS):
        terms.fail("order", f"must list exactly {', '.join(TERM_KINDS)}")
    numbers = s("numbers").table
    for word, value in numbers.items():
        if not isinstance(value, int) or value <= 0:
            s("numbers").fail(word, "must be a positive whole number")
    countries = s("countries").table
    for code in countries:
        if not re.fullmatch(r"[A-Z]{2}", code):
            s("countries").fail(code, "must be an ISO 3166 alpha-2 code")
        s("countries").words(code)
    triggers = s("terms.triggers")
    return Cues(
        supplier_words=s("parties").words("supplier"),
        customer_words=s("parties").words("customer"),
        personnel=s("parties").words("personnel"),
        agents=s("parties").words("agents"),
        abbreviations=frozenset(w.lower() for w in s("sentences").words("abbreviations")),
        modal=s("duty").regex("modal"),
        negation=s("duty").regex("negation"),
        term_order=order,
        term_phrases={k: terms.words(k) for k in TERM_KINDS},
        term_exclude=terms.words("exclude"),
        anchor=terms.regex("anchor"),
        earlier=terms.regex("earlier"),
        later=terms.regex("later"),
        renewal=terms.regex("renewal"),
        no_renewal=terms.regex("no_renewal"),
        triggers={k: triggers.words(k) for k in triggers.table},
        numbers={k.lower(): v for k, v in numbers.items()},
        salary=s("pay").words("salary"),
        expenses=s("pay").words("expenses"),
        pay_patterns=s("pay").templates("patterns"),
        trades=s("construction").words("trades"),
        supervise=s("construction").regex("supervise"),
        production_words=s("production").words("words"),
        operate=s("production").regex("operate"),
        only=s("production").regex("only"),
        for_production=s("production").regex("for_production"),
        trial=s("production").words("trial"),
        partner_phrase=s("partners").regex("phrase"),
        partner_work=s("partners").regex("work"),
        unnamed=s("partners").template("unnamed"),
        suffixes=s("partners").words("suffixes"),
        schedule_label=s("schedules").regex("label", case=True),
        incorporation=s("schedules").regex("incorporation"),
        all_schedules=s("schedules").regex("all"),
        origin_verbs=s("origin").words("verbs"),
        origin_statement=s("origin").regex("statement"),
        consumer=s("consumer").words("phrases"),
        commercial=s("commercial").words("phrases"),
        commercial_use=s("commercial").regex("pattern"),
        specialised=s("specialised").words("phrases"),
        goods=s("names").words("goods"),
        agreement=s("names").words("agreement"),
        countries={k: tuple(v) for k, v in countries.items()},
    )


@lru_cache(maxsize=4)
def _load_cues(resolved: str) -> Cues:
    path = Path(resolved)
    return parse_cues(read_toml(path, CueError, "cue file"), path)


def load_cues(path: str | Path | None = None) -> Cues:
    """The cue phrases at `path` (default: the packaged cues.toml), parsed once per process."""
    return _load_cues(str(Path(path or CUES_PATH).resolve()))


# --------------------------------------------------------------------------------------------
# Text helpers


@lru_cache(maxsize=1024)
def _alternation(phrases: tuple[str, ...]) -> str:
    """A regex matching any phrase as whole words, longest first, spaces flexible."""
    parts = sorted({p for p in phrases if p}, key=len, reverse=True)
    out = []
    for p in parts:
        body = r"\s+".join(re.escape(w) for w in p.split())
        left = r"\b" if p[0].isalnum() else ""
        right = r"\b" if p[-1].isalnum() else ""
        out.append(f"{left}{body}{right}")
    return "(?:" + "|".join(out) + ")"


def _phrase_regex(phrases: tuple[str, ...], *, case: bool = False) -> re.Pattern[str]:
    return re.compile(_alternation(phrases), 0 if case else re.IGNORECASE)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_ALT})\s*,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_ALT})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))\b",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """The first calendar date written in `text` ("1 March 2025", "March 1, 2025", ISO)."""
    m = _DATE.search(text)
    if not m:
        return None
    try:
        if m.group("y1"):
            return date(int(m.group("y1")), _MONTHS[m.group("m1").lower()], int(m.group("d1")))
        if m.group("y2"):
            return date(int(m.group("y2")), _MONTHS[m.group("m2").lower()], int(m.group("d2")))
        return date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    except ValueError:
        return None


_LIST_ITEM = re.compile(
    r"\n(?=[ \t]*(?:\(?[a-zA-Z0-9]{1,4}[.)][ \t]|\d+(?:\.\d+)+[ \t]|[-•*–][ \t]|\|))"
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_NUMBERING = re.compile(r"(?:\d+(?:\.\d+)*\.?|\(?[a-z]{1,4}\)|[-•*–])[ \t]+(?=\S)")
_SENT_END = re.compile(r"(?<=[.;!?])\s+(?=[\"“'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item; `lead` is the lead-in ("Seller shall:") a list item hangs on."""

    doc: int
    start: int
    end: int
    text: str
    lead: str = ""

    @cached_property
    def full(self) -> str:
        return f"{self.lead} {self.text}" if self.lead else self.text


def split_sentences(text: str, abbreviations: frozenset[str], doc: int = 0) -> list[Sentence]:
    """Sentences with offsets; paragraphs, list items and table rows always break."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    pieces: list[tuple[int, int]] = []
    for b0, b1 in blocks:
        p = b0
        for m in _LIST_ITEM.finditer(text, b0, b1):
            pieces.append((p, m.start()))
            p = m.end()
        pieces.append((p, b1))
    out: list[Sentence] = []
    lead = ""
    for p0, p1 in pieces:
        chunk_sents = []
        s = p0
        for m in _SENT_END.finditer(text, p0, p1):
            before = text[s:m.start()].rstrip()
            last = re.split(r"\s", before)[-1].rstrip(".").lower() if before else ""
            if last in abbreviations or (len(last) == 1 and last.isalpha()):
                continue
            chunk_sents.append((s, m.start()))
            s = m.end()
        chunk_sents.append((s, p1))
        for a, b in chunk_sents:
            while a < b and text[a].isspace():
                a += 1
            number = _NUMBERING.match(text, a, b)
            if number:
                a = number.end()
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a < 3:
                continue
            out.append(Sentence(doc, a, b, re.sub(r"\s+", " ", text[a:b]), lead))
        last_text = text[p0:p1].rstrip()
        if last_text.endswith(":"):
            lead = re.sub(r"\s+", " ", text[chunk_sents[-1][0]:p1].strip())
        elif not _LIST_ITEM.match("\n" + text[p0:p1]):
            lead = ""
    return out


# --------------------------------------------------------------------------------------------
# Locating passages


class Locator:
    """Page, clause and schedule of an offset, for every document of the deal."""

    def __init__(self, analysis: Analysis):
        self.docs: list[Document] = analysis.documents
        self.clauses: list[list[Clause]] = [
            list(analysis.clauses[i]) if i < len(analysis.clauses) else []
            for i in range(len(self.docs))
        ]
        self._by_id = [{c.id: c for c in cl} for cl in self.clauses]

    def file(self, doc: int) -> str | None:
        """How evidence names a file: its base name in a deal of several files, else None."""
        return Path(self.docs[doc].source.path).name if len(self.docs) > 1 else None

    def name(self, doc: int) -> str:
        return Path(self.docs[doc].source.path).name

    def doc_index(self, file: str | None) -> int | None:
        """The document an evidence `file` refers to (None: the only, or first, document)."""
        if file is None:
            return 0 if self.docs else None
        for i, d in enumerate(self.docs):
            if file in (d.source.path, Path(d.source.path).name):
                return i
        return None

    def clause_at(self, doc: int, offset: int) -> Clause | None:
        best = None
        for c in self.clauses[doc]:
            if c.start <= offset < c.end and c.kind != "toc" and (
                best is None or c.end - c.start < best.end - best.start
            ):
                best = c
        return best

    @staticmethod
    def clause_name(c: Clause | None) -> str | None:
        """The clause as a lawyer cites it ("7.2(b)"), as the service evidence names it."""
        if c is None or not c.label:
            return None
        return c.id.split("#")[0]

    def excerpt(self, doc: int, start: int, end: int) -> Excerpt:
        d = self.docs[doc]
        text = re.sub(r"\s+", " ", d.text[start:end]).strip()
        return Excerpt(text, d.page_at(start), self.clause_name(self.clause_at(doc, start)),
                       self.file(doc), start, end)

    def attachment(self, doc: int, offset: int, label_re: re.Pattern[str]) -> str | None:
        """The label ("D") of the schedule or annex holding `offset`, if any."""
        c = self.clause_at(doc, offset)
        seen = set()
        while c is not None and c.id not in seen:
            seen.add(c.id)
            for text in (c.label, c.heading):
                m = label_re.search(text or "")
                if m and (c.kind == "schedule" or m.start() == 0):
                    return m.group("label")
            if c.kind == "schedule":
                return c.label or c.heading
            c = self._by_id[doc].get(c.parent) if c.parent else None
        return None


# --------------------------------------------------------------------------------------------
# The reader


class _PartyRefs:
    """Every way the contract refers to each side, and the side a matched reference names."""

    def __init__(self, parties: list[Party], cues: Cues):
        sides: dict[str, str] = {}
        for p in parties:
            if p.side not in ("supplier", "customer"):
                continue
            for ref in (p.role, p.name, _short_name(p.name, cues.suffixes)):
                if ref and len(ref) > 1:
                    sides.setdefault(ref.lower().removeprefix("the "), p.side)
        for side, words in (("supplier", cues.supplier_words), ("customer", cues.customer_words)):
            for w in words:
                sides.setdefault(w.lower(), side)
        self.sides = sides
        self.pattern = _alternation(tuple(sides))
        self.regex = re.compile(self.pattern, re.IGNORECASE)

    def side(self, ref: str) -> str | None:
        return self.sides.get(re.sub(r"\s+", " ", ref.lower()).removeprefix("the "))


def _short_name(name: str | None, suffixes: tuple[str, ...]) -> str | None:
    if not name:
        return None
    short = re.sub(_alternation(suffixes) + r"\s*$", "", name).strip(" ,")
    return short if short and short != name else None


class DealReader:
    """Reads DealFacts from an Analysis; one instance per analysis."""

    def __init__(self, analysis: Analysis, cues: Cues | None = None):
        self.analysis = analysis
        self.cues = cues or load_cues()
        self.loc = Locator(analysis)
        self.refs = _PartyRefs(analysis.contract.parties, self.cues)
        c = self.cues
        personnel = _alternation(c.personnel)
        fill = {"party": f"(?P<party>{self.refs.pattern})", "personnel": personnel}
        self.pay_patterns = [re.compile(_fill(p, fill), re.IGNORECASE) for p in c.pay_patterns]
        self.unnamed = re.compile(_fill(c.unnamed, fill), re.IGNORECASE)
        self.personnel = re.compile(personnel, re.IGNORECASE)
        self.salary = _phrase_regex(c.salary)
        self.expense = _phrase_regex(c.expenses)
        self.trades = _phrase_regex(c.trades)
        self.production_words = _phrase_regex(c.production_words)
        self.trial = _phrase_regex(c.trial)
        self.consumer = _phrase_regex(c.consumer)
        self.commercial = re.compile(
            _alternation(c.commercial) + "|" + c.commercial_use.pattern, re.IGNORECASE)
        self.specialised = _phrase_regex(c.specialised)
        self.origin_verbs = _phrase_regex(c.origin_verbs)
        names = {n: code for code, ns in c.countries.items() for n in ns}
        self.country_names = names
        self.country = re.compile(_alternation(tuple(names)))
        self.country_origin = re.compile(self.country.pattern + r"\s+origin\b")
        self.org = re.compile(
            r"(?P<name>(?:[A-Z][\w&'’.-]*\s+){0,5}?[A-Z][\w&'’.-]*,?\s+"
            + _alternation(c.suffixes) + r")(?=$|[\s,.;:)])"
        )
        self.term_phrases = {k: _phrase_regex(v) for k, v in c.term_phrases.items()}
        self.term_exclude = re.compile(r"\b(?:" + "|".join(map(re.escape, c.term_exclude)) + ")",
                                       re.IGNORECASE)
        self.trial_only = re.compile(c.only.pattern + r"[^.;]{0,40}?" + _alternation(c.trial),
                                     re.IGNORECASE)
        self.triggers = [(k, _phrase_regex(v)) for k, v in c.triggers.items()]
        words = sorted(c.numbers, key=len, reverse=True)
        units = [w for w in words if c.numbers[w] < 10]
        tens = [w for w in words if c.numbers[w] in (20, 30, 40, 50, 60, 70, 80, 90)]
        word_alt = "|".join(re.escape(w) for w in words)
        tens_alt = "|".join(map(re.escape, tens))
        units_alt = "|".join(map(re.escape, units))
        compound = f"(?:{tens_alt})[\\s-](?:{units_alt})" if tens and units else "(?!)"
        self.duration = re.compile(
            rf"\b(?:(?P<w>{compound}|{word_alt})\s*(?:\(\s*(?P<p>\d{{1,4}})\s*\)\s*)?"
            rf"|(?P<n>\d{{1,4}})\s*)[\s-]*(?:\(\s*\d{{1,4}}\s*\)\s*)?"
            rf"(?:calendar\s+)?(?P<u>months?|years?|weeks?|days?)\b",
            re.IGNORECASE,
        )

    # -- sentences -------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for i, d in enumerate(self.analysis.documents):
            out.extend(split_sentences(d.text, self.cues.abbreviations, i))
        return out

    @cached_property
    def _filter(self) -> SentenceFilter:
        return SentenceFilter([s.full for s in self.sentences])

    def _may_match(self, *patterns: re.Pattern[str]) -> list[Sentence]:
        """The sentences, in order, that any of `patterns` may match (see prefilter.py)."""
        found: set[int] = set()
        for p in patterns:
            found.update(self._filter.candidates(p))
        return [self.sentences[i] for i in sorted(found)]

    def excerpt(self, s: Sentence) -> Excerpt:
        return self.loc.excerpt(s.doc, s.start, s.end)

    def actor(self, text: str) -> str | None:
        """Whose duty a sentence states: the passive agent ("by Buyer") or the modal's subject."""
        if re.search(r"\b(?:shall|will|must|is|are|to)\s+be\s+\w+", text, re.IGNORECASE):
            m = re.search(rf"\bby\s+(?:the\s+)?(?:its\s+)?(?P<party>{self.refs.pattern})",
                          text, re.IGNORECASE)
            if m:
                return self.refs.side(m.group("party"))
        modal = self.cues.modal.search(text)
        if not modal:
            return None
        refs = list(self.refs.regex.finditer(text, 0, modal.start()))
        return self.refs.side(refs[-1].group(0)) if refs else None

    # -- facts ------------------------------------------------------------------------------

    def read(self) -> DealFacts:
        return DealFacts(
            terms=self.terms(),
            personnel_pay=self._pay_facts[0],
            expenses=self._pay_facts[1],
            construction=self.construction(),
            production=self.production(),
            partners=self.partners(),
            subcontracting=self.subcontracting(),
            renewal=self.renewal(),
            schedules=self.schedules(),
            origin=self.origin(),
            consumer=self._phrase_fact(self.consumer, "consumer"),
            commercial=self._phrase_fact(self.commercial, "commercial"),
            specialised=self._phrase_fact(self.specialised, "supported"),
            names=self.names(),
        )

    def _number(self, m: re.Match[str]) -> int | None:
        if m.group("p"):
            return int(m.group("p"))
        if m.group("n"):
            return int(m.group("n"))
        words = re.split(r"[\s-]+", m.group("w").lower())
        return sum(self.cues.numbers.get(w, 0) for w in words) or None

    _NOT_A_TERM_BEFORE = re.compile(
        r"(?:within|no\s+later\s+than|not\s+later\s+than|at\s+least|than|up\s+to|every|each|"
        r"per|intervals?\s+of|prior|least|maximum\s+of|minimum\s+of)\s*(?:a\s+period\s+of\s+)?$",
        re.IGNORECASE,
    )
    _NOT_A_TERM_AFTER = re.compile(
        r"^\W{0,3}\s*(?:prior\s+|advance\s+)?(?:written\s+)?(?:notice|in\s+advance|before|prior\s+to"
        r"|of\s+(?:receipt|notice|the\s+date\s+of\s+(?:invoice|notice)|invoice)"
        r"|(?:a|per|each)\s+(?:day|week|month|year)\b"  # "24 hours a day, 7 days a week"
        rf"|of\s+(?:{_MONTH_ALT})\b)",  # "the 31 day of July"
        re.IGNORECASE,
    )

    def _term_kind(self, text: str) -> str | None:
        for kind in self.cues.term_order:
            if self.term_phrases[kind].search(text):
                if kind == "agreement":
                    return {"lease": "lease", "service": "service"}.get(
                        self.analysis.contract.kind, "agreement")
                return kind
        return None

    def _trigger(self, text: str) -> tuple[str | None, date | None]:
        """The start event named after an anchor word ("from Acceptance"), or a fixed date."""
        for a in self.cues.anchor.finditer(text):
            tail = text[a.end():a.end() + 80]
            when = _DATE.match(tail.strip())
            if when:
                return "date", parse_date(tail)
            best = None
            for name, rx in self.triggers:
                m = rx.search(tail)
                if m and (best is None or m.start() < best[1]):
                    best = (name, m.start())
            if best and best[1] <= 40:
                return best[0], None
        return None, None

    def terms(self) -> list[Term]:
        out: list[Term] = []
        seen: set[tuple] = set()
        for s in self._may_match(*self.term_phrases.values()):
            full = s.full
            kind = self._term_kind(full)
            if not kind or self.term_exclude.search(full):
                continue
            durations = [
                m for m in self.duration.finditer(full)
                if not self._NOT_A_TERM_BEFORE.search(full[max(0, m.start() - 30):m.start()])
                and not self._NOT_A_TERM_AFTER.search(full[m.end():m.end() + 40])
            ]
            if not durations:
                continue
            periods: list[Period] = []
            start_date = None
            for i, m in enumerate(durations):
                amount = self._number(m)
                if not amount:
                    continue
                unit = m.group("u").lower().rstrip("s")
                said = (amount, unit + "s")
                if unit == "year":
                    amount, unit = amount * 12, "months"
                elif unit == "week":
                    amount, unit = amount * 7, "days"
                else:
                    unit = unit + "s"
                stop = durations[i + 1].start() if i + 1 < len(durations) else len(full)
                trigger, when = self._trigger(full[m.end():stop])
                if trigger is None and i == 0:
                    trigger, when = self._trigger(full[:m.start()])
                if when:
                    start_date = when
                periods.append(Period(amount, unit, trigger, said))
            if not periods:
                continue
            combine = ("earlier" if self.cues.earlier.search(full)
                       else "later" if self.cues.later.search(full) else None)
            if len(periods) == 1:
                combine = None
            elif combine is None:
                periods = periods[:1]
            renewable = bool(self.cues.renewal.search(full)) and not self.cues.no_renewal.search(
                full)
            key = (kind, tuple(periods), start_date)
            if key in seen:
                continue
            seen.add(key)
            out.append(Term(kind, tuple(periods), combine, start_date, renewable,
                            self.excerpt(s)))
        return out

    @cached_property
    def _pay_facts(self) -> tuple[Fact | None, Fact | None]:
        pay: dict[str, list[Excerpt]] = {}
        exp: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.personnel):
            full = s.full
            if not self.personnel.search(full):
                continue
            has_expense = bool(self.expense.search(full))
            found = None
            for rx in self.pay_patterns:
                m = rx.search(full)
                if m:
                    found = self.refs.side(m.group("party"))
                    break
            if found and self._customers_own_staff(full, m):
                found = None
            salary_words = {w.group(0).lower() for w in self.salary.finditer(full)}
            if found and (not has_expense or salary_words - {"paid"}):
                pay.setdefault(found, []).append(self.excerpt(s))
            elif has_expense:
                side = self.actor(full)
                if side:
                    exp.setdefault(side, []).append(self.excerpt(s))
        return _pick(pay, ("customer", "supplier")), _pick(exp, ("customer", "supplier"))

    def _customers_own_staff(self, text: str, m: re.Match[str]) -> bool:
        """'Reseller personnel ... paid by Reseller' speaks of the customer's staff, not ours."""
        staff = self.personnel.search(text, m.start(), m.end())
        if not staff:
            return False
        refs = list(self.refs.regex.finditer(text, max(0, staff.start() - 30), staff.start()))
        return bool(refs) and self.refs.side(refs[-1].group(0)) == "customer"

    def construction(self) -> Fact | None:
        found: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.trades):
            full = s.full
            if not self.trades.search(full):
                continue
            side = self.actor(full)
            if side == "customer":
                value = "carved_out"
            elif side == "supplier":
                supervises = self.cues.supervise.search(full)
                value = ("carved_out" if self.cues.negation.search(full) or supervises
                         else "carved_in")
            else:
                continue
            found.setdefault(value, []).append(self.excerpt(s))
        return _pick(found, ("carved_in", "carved_out"))

    def production(self) -> Fact | None:
        found: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.production_words, self.trial):
            full = s.full
            if not (self.production_words.search(full) or self.trial.search(full)):
                continue
            if not self.cues.operate.search(full):
                continue
            side = self.actor(full)
            negated = bool(self.cues.negation.search(full))
            trial_only = bool(self.trial_only.search(full))
            if side == "supplier" and not negated and not trial_only and (
                self.cues.for_production.search(full)
            ):
                value = "supplier"
            elif (side == "customer" and self.production_words.search(full)) or (
                side == "supplier" and (negated or trial_only)
            ):
                value = "customer"
            else:
                continue
            found.setdefault(value, []).append(self.excerpt(s))
        return _pick(found, ("supplier", "customer"))

    def _party_names(self) -> set[str]:
        names = set()
        for p in self.analysis.contract.parties:
            for ref in (p.name, _short_name(p.name, self.cues.suffixes)):
                if ref:
                    names.add(org_key(ref))
        return names

    def _preamble_orgs(self) -> set[str]:
        """Company names in each document's "made between A and B" opening: the parties."""
        out = set()
        for d in self.analysis.documents:
            m = re.search(r"\b(?:between|among)\b", d.text[:3000], re.IGNORECASE)
            if not m:
                continue
            stop = d.text.find("\n\n", m.end())
            window = d.text[:stop if 0 <= stop < m.end() + 1500 else m.end() + 1500]
            for org in self.org.finditer(window):
                out.add(org_key(org.group("name")))
        return out

    def partners(self) -> list[Fact]:
        parties = self._party_names() | self._preamble_orgs()
        found: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.cues.partner_phrase):
            if not (self.cues.partner_phrase.search(s.full)
                    and self.cues.partner_work.search(s.full)):
                continue
            if self.cues.negation.search(s.full) and not re.search(
                r"\bdeemed\b", s.full, re.IGNORECASE
            ):
                continue
            for m in self.org.finditer(s.text):
                name = LEADING.sub("", m.group("name").strip())
                key = org_key(name)
                # A title may run words into a party's name ("Agreement Between Acme Ltd").
                if any(key == p or key.endswith(" " + p) or p.endswith(" " + key)
                       or p.startswith(key + " ") for p in parties if p):
                    continue
                found.setdefault(name, []).append(self.excerpt(s))
        return [Fact(name, tuple(ex)) for name, ex in found.items()]

    def subcontracting(self) -> Fact | None:
        hits = []
        for s in self._may_match(self.unnamed):
            m = self.unnamed.search(s.full)
            if not m or self.refs.side(m.group("party")) != "supplier":
                continue
            if re.search(r"\bmay\s+not\b|\bshall\s+not\b", s.full, re.IGNORECASE):
                continue
            hits.append(self.excerpt(s))
        return Fact("unnamed", tuple(hits)) if hits else None

    def renewal(self) -> Fact | None:
        hits = []
        about = re.compile(r"\b(?:term|period|agreement|contract|lease|warranty|service)",
                           re.IGNORECASE)
        for s in self._may_match(self.cues.renewal):
            full = s.full
            if (self.cues.renewal.search(full) and about.search(full)
                    and not self.cues.no_renewal.search(full)):
                hits.append(self.excerpt(s))
        return Fact("renewable", tuple(hits)) if hits else None

    def schedules(self) -> list[Fact]:
        found: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.cues.incorporation):
            full = s.full
            inc = self.cues.incorporation.search(full)
            if not inc:
                continue
            labels = [m.group("label") for m in self.cues.schedule_label.finditer(full)]
            if not labels and self.cues.all_schedules.search(full):
                labels = ["*"]
            for label in dict.fromkeys(labels):
                found.setdefault(label, []).append(self.excerpt(s))
        return [Fact(label, tuple(ex)) for label, ex in found.items()]

    def _country_after(self, text: str) -> str | None:
        m = self.country.match(text)
        if not m or re.match(r"\s*(?:dollars|currency|funds|law|time)\b", text[m.end():],
                             re.IGNORECASE):
            return None  # "made in U.S. dollars" is a payment, not an origin
        return self.country_names[m.group(0)]

    def origin(self) -> Fact | None:
        found: dict[str, list[Excerpt]] = {}
        for s in self._may_match(self.origin_verbs, self.cues.origin_statement, self.country_origin):
            full = s.full
            codes: list[str] = []
            for v in self.origin_verbs.finditer(full):
                # The place follows the verb closely ("made in Italy", "manufactured at its works
                # in Bielefeld, Germany"), before a bracket or a new clause starts.
                window = re.split(r"[();]|\.\s", full[v.end():v.end() + 80])[0]
                places = [m.end() for m in re.finditer(r"\bin\s+(?:the\s+)?", window)]
                if places:
                    places += [m.end() for m in re.finditer(r",\s*", window)
                               if m.start() > places[0]]
                for at in places:
                    code = self._country_after(window[at:])
                    if code:
                        codes.append(code)
                        break
            for st in self.cues.origin_statement.finditer(full):
                rest = full[st.end():st.end() + 40]
                rest = re.sub(r"^\s*(?:is|shall\s+be|will\s+be|:|-)?\s*(?:the\s+)?", "", rest)
                code = self._country_after(rest)
                if code:
                    codes.append(code)
            for m in self.country_origin.finditer(full):
                codes.append(self.country_names[m.group(0).rsplit(None, 1)[0]])
            for code in dict.fromkeys(codes):
                found.setdefault(code, []).append(self.excerpt(s))
        if not found:
            return None
        code = max(found, key=lambda k: len(found[k]))
        return Fact(code, tuple(found[code]))

    def _phrase_fact(self, rx: re.Pattern[str], value: str) -> Fact | None:
        hits = [self.excerpt(s) for s in self._may_match(rx) if rx.search(s.full)]
        return Fact(value, tuple(hits)) if hits else None

    def names(self) -> DefinedNames:
        c = self.cues
        text = "\n".join(d.text for d in self.analysis.documents)

        def party(side: str, generic: tuple[str, ...], fallback: str) -> str:
            for p in self.analysis.contract.parties:
                if p.side != side:
                    continue
                role = (p.role or "").strip()
                role = re.sub(r"^the\s+", "", role, flags=re.IGNORECASE)
                if role:
                    known = {w.lower() for w in c.supplier_words + c.customer_words}
                    return f"the {role}" if role.lower() in known else role
                if p.name:
                    return p.name
            return fallback

        words = Counter(re.findall(r"\w+", text))  # a one-word name counts as its \b-bounded matches do
        counts = Counter()
        for g in c.goods:
            counts[g] = words[g] if g.isalnum() else (
                len(re.findall(rf"\b{re.escape(g)}\b", text)) if g in text else 0)
        goods = max(c.goods, key=lambda g: (counts[g], -c.goods.index(g)))
        # "This Lease is made ..." counts for "this Lease": only the first letter may differ.
        agreements = Counter({
            a: len(re.findall(rf"\b[{a[0].upper()}{a[0].lower()}]{re.escape(a[1:])}\b", text))
            if a[1:] in text else 0 for a in c.agreement})
        agreement = max(c.agreement, key=lambda a: (agreements[a], -c.agreement.index(a)))
        return DefinedNames(
            supplier=party("supplier", c.supplier_words, "the supplier"),
            customer=party("customer", c.customer_words, "the customer"),
            goods=goods if counts[goods] else "equipment",
            agreement=agreement if agreements[agreement] else "this agreement",
        )




def _pick(found: dict[str, list[Excerpt]], preference: tuple[str, ...]) -> Fact | None:
    """The first value of `preference` that was found; the riskier reading comes first."""
    for value in preference:
        if found.get(value):
            return Fact(value, tuple(found[value]))
    return None


def read_facts(analysis: Analysis, cues: Cues | None = None) -> DealFacts:
    """All deal facts of `analysis`, read from every document of the deal."""
    return DealReader(analysis, cues).read()
