"""Parties, contract kind and commercial use, read from the preamble, party lines and definitions.

Vocabularies (role words, entity forms, places, kind keywords, use cues) live in
`data/parties.json`; this module only says where in a contract to look for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzer.results import KINDS, Party

DATA = Path(__file__).parent / "data" / "parties.json"
PREAMBLE_CHARS = 5000
QUOTE = "\"“”'‘’"
DEFINED = re.compile(
    r"\((?P<inner>[^()]{0,80}?[\"“'‘](?P<term>[A-Z][^\"”'’()]{0,40}?)[\"”'’][^()]{0,60}?)\)"
)
BOUNDARY = re.compile(
    r"\b(?:by and between|between|among|amongst|entre|and|et)\b[:,]?\s+|\n\s*(?:AND|and|-and-)\s*\n|;\s+|\n\n", re.I
)
AS_ROLE = re.compile(r"\s*,?\s*\(?\s*as\s+(?:the\s+)?[\"“]?([A-Z][\w-]+)")
# Lower-case words a company name may hold between its capitalised words ("Compagnie des Machines").
NAME_JOINERS = ("of", "de", "des", "du", "la", "le", "di", "del", "y", "van", "von", "der", "für", "und", "&")
# Connective words a matched name may start with ("between Acme Ltd").
LEADING = re.compile(r"^(?:(?:by|the|and|or|between|among|with)\s+)+", re.IGNORECASE)
# Text right before a company that the party's description mentions, not the party itself.
DESCRIBED = re.compile(r"(?:\b(?:an?|the)|\b(?:subsidiary|affiliate|division|parent|member|agent)\s+of"
                       r"|\bsuccessor\s+to|\bformerly)\s+$", re.I)
# An address line ending in "SE" (a Calgary quadrant, not a Societas Europaea) is no company.
STREET_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "boulevard", "blvd", "suite", "unit",
                "floor", "lane", "way", "highway", "trail", "crescent", "court", "place", "square", "box"}
YEAR = re.compile(r"(?:19|20)\d\d[.,:]?")
# Words that end a heading or a party introduction, never part of the name after them.
NAME_BREAKS = {"between", "and", "among", "entre", "et", "by", "parties", "party", "agreement", "contract",
               "contrat", "licence", "license", "lease", "dated", "date", "no.", "no", "ref.", "reference"}
LABEL_LINE = re.compile(r"^\s*(?P<role>[A-Z][A-Za-zéè ]{2,24}?)\s*(?:\([^)]*\))?\s*:\s*(?P<rest>\S.{2,200})$", re.M)


@dataclass(frozen=True)
class Vocab:
    roles: dict[str, str]  # lower-cased role word -> side
    role_names: dict[str, str]  # lower-cased -> as written
    forms: list[tuple[re.Pattern, str | None]]
    company: re.Pattern  # a capitalised name ending in a form of entity ("Keller Maschinenbau GmbH")
    places: list[tuple[re.Pattern, str]]
    kinds: dict[str, list[str]]
    kind_roles: dict[str, str]
    use_true: list[str]
    use_false: list[str]
    duty_verbs: dict[str, re.Pattern]  # side -> what a party of that side does ("sells", "purchases")


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    for key in ("roles", "entity_forms", "places", "kinds", "kind_roles", "commercial_use", "duty_verbs"):
        if key not in raw:
            raise ValueError(f"{DATA}: missing '{key}'")
    if set(raw["kinds"]) - set(KINDS):
        raise ValueError(f"{DATA}: unknown kinds {sorted(set(raw['kinds']) - set(KINDS))}")
    roles, names = {}, {}
    for side, words in raw["roles"].items():
        if side not in ("supplier", "customer"):
            raise ValueError(f"{DATA}: roles side must be supplier or customer, not {side!r}")
        for w in words:
            roles[w.lower()] = side
            names[w.lower()] = w
    forms = [(re.compile(r"(?<![\w.])" + re.escape(f) + r"(?![\w])"), code)
             for f, code in sorted(raw["entity_forms"].items(), key=lambda kv: -len(kv[0]))]
    word = r"[A-Z0-9][\w&'’.-]*"
    joiner = "|".join(re.escape(j) for j in NAME_JOINERS)
    form_alt = "|".join(re.escape(f) for f in sorted(raw["entity_forms"], key=len, reverse=True))
    gap = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # spaces, or one line break: never a blank line
    upper_alt = "|".join(re.escape(f.upper()) for f in sorted(raw["entity_forms"], key=len, reverse=True))
    company = re.compile(
        rf"(?<![\w.]){word}(?:,?{gap}(?:(?:{joiner}){gap})*{word}){{0,8}}?,?{gap}"
        rf"(?:{form_alt}|{upper_alt})(?![\w])"
    )
    places = []
    for code, words in raw["places"].items():
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"{DATA}: {code!r} is not an ISO 3166 alpha-2 code")
        for w in words:
            places.append((re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)"), code))
    if set(raw["duty_verbs"]) != {"supplier", "customer"} or not all(
            isinstance(w, list) and w and all(isinstance(x, str) and x.strip() for x in w)
            for w in raw["duty_verbs"].values()):
        raise ValueError(f"{DATA}: duty_verbs needs non-empty phrase lists for supplier and customer")
    verbs = {side: re.compile("|".join(r"\s+".join(map(re.escape, w.split()))
                                       for w in sorted(words, key=len, reverse=True)))
             for side, words in raw["duty_verbs"].items()}
    return Vocab(roles, names, forms, company, places, raw["kinds"], raw["kind_roles"],
                 [c.lower() for c in raw["commercial_use"]["true"]],
                 [c.lower() for c in raw["commercial_use"]["false"]], verbs)


def country_of(text: str) -> str | None:
    """Country from an address or description: the last place named wins (addresses end with the
    country), then the form of entity ("GmbH", "K.K."), then "laws of X" as a weak signal."""
    v = vocab()
    best: tuple[int, str] | None = None
    for pattern, code in v.places:
        for m in pattern.finditer(text):
            if best is None or m.start() > best[0]:
                best = (m.start(), code)
    if best:
        return best[1]
    for pattern, code in v.forms:
        if code and pattern.search(text):
            return code
    return None


def _name_from(segment: str) -> str:
    """The party's name: up to its form of entity, or up to the first comma or parenthesis."""
    segment = segment.strip(" ,:;\n\t" + QUOTE)
    segment = re.sub(r"^(?:the\s+)?(?:by\s+and\s+)?(?:between|among|and)\s+", "", segment, flags=re.I).strip()
    best: tuple[int, int] | None = None  # (start, -end): earliest form, the longest at a tie
    for pattern, _ in vocab().forms:
        m = pattern.search(segment[:160])
        if m and (best is None or (m.start(), -m.end()) < best):
            best = (m.start(), -m.end())
    name = segment[:-best[1]] if best is not None else re.split(r"[,(\n]", segment, maxsplit=1)[0]
    return " ".join(name.split()).strip(" ,;:")


def _company_in(text: str, start: int, end: int) -> str | None:
    """The company named last in text[start:end], the party a defined term closes: its name
    written out with its form of entity, even when "and" or ";" in its description ends the
    segment after it. A company the description only mentions ("a subsidiary of X Inc.") is not it."""
    found = None
    for m in vocab().company.finditer(text, start, end):
        words = m.group(0).split()
        address = any(w.lower().strip(",.") in STREET_WORDS for w in words) or all(w.isdigit() for w in words[:-1])
        if not address and not DESCRIBED.search(text, max(start, m.start() - 30), m.start()):
            found = words
    if found is None:
        return None
    words = found
    cut = 0  # the name starts after the last heading word, year or reference before it
    for i, w in enumerate(words[:-1]):
        bare = w.lower().strip(":,.-")
        if bare in NAME_BREAKS or w.endswith(":") or YEAR.fullmatch(w) or (
                any(c.isdigit() for c in w) and not w.isdigit()):
            cut = i + 1
    return " ".join(words[cut:]) if cut < len(words) - 1 else None


def _role_in(text: str) -> str | None:
    v = vocab()
    for word in re.findall(r"[A-Z][\w\-é]+(?: [A-Z][\w\-é]+)?", text):
        if word.lower() in v.roles:
            return v.role_names[word.lower()]
        first = word.split()[0]
        if first.lower() in v.roles:
            return v.role_names[first.lower()]
    return None


def find_parties(text: str) -> tuple[list[Party], dict[str, str]]:
    """Parties from the preamble's defined names and "Seller: ..." lines, plus the aliases
    (defined short names and role words) that the obligation rules look for."""
    v = vocab()
    head = text[:PREAMBLE_CHARS]
    parties: list[Party] = []
    aliases: dict[str, str] = {}
    short_named: list[tuple[str, str, str | None]] = []  # (term, name, country): 'Acme Robotics Inc. ("Acme")'
    last_end = 0
    for m in DEFINED.finditer(head):
        term = m.group("term").strip()
        segment_start = since = last_end
        for b in BOUNDARY.finditer(head, last_end, m.start()):
            segment_start = b.end()
        segment = head[segment_start:m.start()]
        last_end = m.end()
        role = term if term.lower() in v.roles else _role_in(m.group("inner"))
        if role is None:
            after = AS_ROLE.match(head, m.end())
            role = v.role_names.get(after.group(1).lower()) if after else None
        company = _company_in(head, since, m.start())
        if role is None:
            if company and _shortens(term, company):
                short_named.append((term, company, country_of(segment)))
            continue  # else a defined term that is not a party ("Agreement", "Effective Date")
        name = company or _name_from(segment)
        if not name or len(name) > 120 or len(name.split()) > 14 or name.lower() in v.roles:
            name = name if name and len(name) <= 120 else role
        side = v.roles[role.lower()]
        parties.append(Party(name, role, side, country_of(segment)))
        if term.lower() not in v.roles:
            aliases[term] = side
    if not parties:
        for m in LABEL_LINE.finditer(text[:PREAMBLE_CHARS * 2]):
            role = m.group("role").strip()
            if role.lower() not in v.roles:
                continue
            rest = m.group("rest")
            # the address may run on to the next lines, up to a blank line or the next party line
            tail = re.split(r"\n\s*\n|\n\s*[A-Z][A-Za-zéè ]{2,24}\s*:", text[m.end():m.end() + 200])[0]
            parties.append(Party(_name_from(rest), v.role_names[role.lower()], v.roles[role.lower()],
                                 country_of(rest) or country_of(tail)))
    parties = dedupe_parties(parties)
    if not parties:
        parties = _roles_only(text)
    parties += _sides_of_short_names(text, short_named, parties, aliases)
    for p in parties:
        if p.role:
            aliases.setdefault(p.role, p.side)
    return parties, aliases


def _shortens(term: str, name: str) -> bool:
    """Whether a defined term is the short name of a company: its words, or its initials."""
    words = re.findall(r"[^\W_]+", name.lower())
    term_words = re.findall(r"[^\W_]+", term.lower())
    initials = "".join(w[0] for w in words)
    return bool(term_words) and (all(w in words for w in term_words) or term.lower() in (initials, initials[:-1]))


def _sides_of_short_names(text: str, short_named: list[tuple[str, str, str | None]], parties: list[Party],
                          aliases: dict[str, str]) -> list[Party]:
    """Sides of the parties the preamble names by a short name only ("Acme"): from what the contract
    says each does ("Acme shall sell", "Acme purchases"), else opposite the one side already known."""
    v = vocab()
    body = text[:PREAMBLE_CHARS * 4]
    by_name = {org_key(p.name): p.side for p in parties}
    found: dict[str, tuple[int, str]] = {}  # term -> (where, side) of the first thing it is said to do
    pending = []
    for term, name, country in short_named:
        if org_key(name) in by_name:  # 'Acme Inc. (the "Seller" or "Acme")': one party, two names
            aliases.setdefault(term, by_name[org_key(name)])
            continue
        pending.append((term, name, country))
        said = [(side, rf"\b{re.escape(term)}\s+(?:(?:shall|will|hereby|agrees\s+to|may)\s+)*(?:{verbs.pattern})\b")
                for side, verbs in v.duty_verbs.items()]
        # "the Customer purchased the Equipment from Acme": Acme is the supplier
        bought = v.duty_verbs["customer"].pattern
        said.append(("supplier", rf"\b(?:{bought})\b[^.;]{{0,80}}?\bfrom\s+{re.escape(term)}\b"))
        for side, pattern in said:
            m = re.search(pattern, body)
            if m and (term not in found or m.start() < found[term][0]):
                found[term] = (m.start(), side)
    sides = {term: side for term, (_, side) in found.items()}
    known = {p.side for p in parties} & {"supplier", "customer"}
    if not known and len(set(sides.values())) == 1 and len(sides) > 1:
        # two companies said to do the same side's things: only the first to say it is believed
        first = min(found, key=lambda t: found[t][0])
        sides = {first: sides[first]}
    known |= set(sides.values())
    other = {"supplier": "customer", "customer": "supplier"}
    unknown = [term for term, _, _ in pending if term not in sides]
    out = []
    for term, name, country in pending:
        side = sides.get(term)
        if side is None and len(known) == 1 and len(unknown) == 1:  # the other party of a two-party deal
            side = other[next(iter(known))]
        side = side or "other"
        out.append(Party(name, None, side, country))
        if side != "other":
            aliases.setdefault(term, side)
    return dedupe_parties(out)


def org_key(name: str) -> str:
    """A company name for comparison: no leading connective words, no punctuation, lower case."""
    return re.sub(r"\W+", " ", LEADING.sub("", name.strip())).strip().lower()


def dedupe_parties(parties: list[Party]) -> list[Party]:
    seen, out = set(), []
    for p in parties:
        key = (p.name.lower(), p.side)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _roles_only(text: str) -> list[Party]:
    """When no party is named, the capitalised role words the contract uses stand for them."""
    v = vocab()
    counts: dict[str, int] = {}
    for word in re.findall(r"\b[A-Z][a-z]+\b", text[:200_000]):
        if word.lower() in v.roles and word.lower() not in ("company", "owner", "user", "operator", "employer"):
            counts[word] = counts.get(word, 0) + 1
    out = []
    for side in ("supplier", "customer"):
        ranked = sorted((w for w in counts if v.roles[w.lower()] == side), key=lambda w: -counts[w])
        if ranked and counts[ranked[0]] >= 2:
            out.append(Party(ranked[0], ranked[0], side, None))
    return out


def contract_kind(text: str, parties: list[Party]) -> str:
    """Kind from the title words near the top, then from the parties' role vocabulary."""
    v = vocab()
    title = text[:600].lower()
    first_hits = []
    for kind, words in v.kinds.items():
        positions = [title.find(w) for w in words if w in title]
        if positions:
            first_hits.append((min(positions), kind))
    if first_hits:
        return min(first_hits)[1]
    for p in parties:
        if p.role in v.kind_roles:
            return v.kind_roles[p.role]
    return "other"


def commercial_use(text: str) -> bool | None:
    """True or False when the contract says what the goods are for; None when it is silent.
    Commercial cues are checked first, since they include "not for personal ... use"."""
    v = vocab()
    low = " ".join(text.lower().split())
    if any(c in low for c in v.use_true):
        return True
    if any(c in low for c in v.use_false):
        return False
    return None
