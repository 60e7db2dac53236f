"""Split a contract into clauses addressed as printed: "7.2", "(b)", "Article IV", "Schedule B".

Lawyers cite clauses, so each clause keeps its label, heading, parent and page. Labels are found
at line starts; a table of contents is recognised first so its entries do not become clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.document import Clause, Document

ROMAN = r"[IVXLC]+"
# Ordered: the first pattern that matches a line start decides the label and its level.
LABELS: list[tuple[str, re.Pattern, int]] = [
    ("schedule", re.compile(
        r"(?P<label>(?:SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Attachment)"
        r"\s+(?:[A-Z0-9]{1,3}(?:[.-]\d+)?|[IVX]+))\b"), 0),
    ("article", re.compile(rf"(?P<label>(?:ARTICLE|Article|PART|Part)\s+(?:\d+|{ROMAN}))\b"), 1),
    ("section", re.compile(
        r"(?P<label>(?:SECTION|Section|CLAUSE|Clause|Sec\.|§)\s*\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*)"), 2),
    ("number", re.compile(r"(?P<label>\d{1,3}(?:\.\d{1,3}){0,4}\.?)(?=\s)"), 2),
    ("paren", re.compile(r"(?P<label>\((?:[a-z]{1,2}|[ivx]{1,6}|[A-Z]|\d{1,2})\))(?=\s)"), 5),
    ("letter", re.compile(r"(?P<label>(?:[a-z]|[ivx]{1,5})\))(?=\s)"), 5),
]
TOC_HEADING = re.compile(r"^\s*(table of contents|contents|index|table des matières)\b", re.I)
TOC_ENTRY = re.compile(r"^.{2,120}?(?:\.{3,}|…+|\s)\s*\d{1,3}\s*$")
DEFINITIONS_HEADING = re.compile(r"\b(definitions?|interpretation|défini\w*)\b", re.I)
DEFINITION = re.compile(
    r"^[\s(a-z0-9.)]*[\"“”'‘’]?[A-Z][\w\s\-/&]{1,60}?[\"“”'‘’]?\s*"
    r"(?:\([^)]{0,60}\)\s*)?(?:means|shall mean|has the meaning|refers to|includes|shall include)\b"
)
TOC_COLUMNS = re.compile(r"^(clause|section|article|item|no\.?)?\s*(title|heading)?\s*(page|pages|pg\.?)$", re.I)
HEADING_MAX = 90
SMALL_WORDS = {"of", "and", "the", "to", "for", "in", "on", "&", "or", "a", "an", "by", "with",
               "de", "du", "des", "et", "la", "le"}


@dataclass
class _Open:
    level: int
    id: str
    label: str
    kind: str
    path: tuple[str, ...]  # numeric path of "4.02(b)", empty for other labels


def _path(kind: str, label: str) -> tuple[str, ...]:
    if kind not in ("number", "section"):
        return ()
    core = re.sub(r"^\D+", "", label).rstrip(".")
    return tuple(p.lstrip("0") or "0" for p in re.findall(r"[A-Za-z0-9]+", core))


def _level(kind: str, label: str) -> int:
    """Depth of a label: 4.1 sits under 4, (i) under (a), numbered sections under articles."""
    if kind == "number":
        return 2 + label.rstrip(".").count(".")
    if kind == "section":
        core = re.sub(r"\(.*", "", label)
        return 2 + max(core.count(".") - 1, 0) + label.count("(")
    if kind in ("paren", "letter"):
        inner = label.strip("()")
        if re.fullmatch(r"[ivx]+", inner):
            return 7
        if re.fullmatch(r"[A-Z]", inner):
            return 8
        if inner.isdigit():
            return 6
        return 6 if len(inner) <= 2 and inner.isalpha() else 7
    return {"schedule": 0, "article": 1}[kind]


def _toc_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Indices of lines in a table of contents: a Contents heading, then entries ending in a page
    number; or, without a heading, a run of dot-leader lines."""
    toc: set[int] = set()
    i = 0
    while i < len(lines):
        if TOC_HEADING.match(lines[i][1]) and len(lines[i][1].strip()) < 40:
            j, entries = i + 1, []
            while j < len(lines):
                text = lines[j][1].strip()
                wrapped = j + 1 < len(lines) and TOC_ENTRY.match(lines[j + 1][1].strip() or "x")
                if not text or TOC_ENTRY.match(text) or TOC_COLUMNS.match(text) or (wrapped and len(text) < 80):
                    entries.append(j)
                    j += 1
                else:
                    break
            if len(entries) >= 3:
                toc.update([i, *entries])
            i = j
        else:
            i += 1
    run: list[int] = []
    for k, (_, text) in enumerate(lines):
        if re.search(r"(\.{4,}|…{2,})\s*\d{1,3}\s*$", text):
            run.append(k)
        elif text.strip():
            if len(run) >= 3:
                toc.update(run)
            run = []
    if len(run) >= 3:
        toc.update(run)
    return toc


def _match_label(text: str, prev_letter: str | None) -> tuple[str, str, int, str] | None:
    """(kind, label, level, rest of line) for a line that opens a clause, else None."""
    for kind, pattern, _ in LABELS:
        m = pattern.match(text)
        if not m:
            continue
        label = m.group("label")
        rest = text[m.end():].lstrip(" .:-–—\t")
        if kind == "number":
            if not rest or not (rest[0].isupper() or rest[0] in "\"“(") or len(label) > 12:
                continue
            if re.fullmatch(r"\d{4}\.?", label):
                continue  # a year, not a clause
        if kind in ("paren", "letter") and not rest:
            continue
        if kind in ("schedule", "article") and rest and (
            text.rstrip().endswith((";", ",")) or not (rest[0].isupper() or rest[0] in "\"“(-–—")
            or rest.startswith("(") and not rest.isupper()
        ):
            continue  # a cross-reference that happens to start a line, not a heading
        if kind in ("paren", "letter"):
            inner = label.strip("()")
            # "(i)" straight after "(h)" is the letter i; otherwise a roman numeral.
            if inner in ("i", "v", "x") and prev_letter and ord(inner) == ord(prev_letter) + 1:
                return kind, label, 6, rest
        return kind, label, _level(kind, label), rest
    return None


def _titleish(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    return bool(words) and (text.isupper() or all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words))


def _heading_of(rest: str, next_line: str | None) -> str | None:
    """A title after the label ("7. WARRANTY", "7.1 Scope. Seller shall..."), or, after a bare
    label, the next line when it reads as a title."""
    rest = rest.strip()
    if not rest:
        if next_line and len(next_line) <= HEADING_MAX and _titleish(next_line):
            return next_line.strip()
        return None
    m = re.match(r"^([^.:;]{1,80}?)[.:]\s+\S", rest)
    if m and _titleish(m.group(1)):
        return m.group(1).strip()
    if len(rest) <= HEADING_MAX and not rest.endswith((".", ";", ",")) and _titleish(rest):
        return rest.strip(" .:")
    return None


def segment(doc: Document) -> list[Clause]:
    """Clauses in document order; text before the first label is the preamble."""
    text = doc.text
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    toc = _toc_lines(lines)

    starts: list[tuple[int, str, str, int, str | None, str]] = []  # (offset, kind, label, level, heading, clause kind)
    prev_letter: str | None = None
    in_toc_block = False
    for idx, (offset, raw) in enumerate(lines):
        line = raw.strip()
        if idx in toc:
            if not in_toc_block:
                starts.append((offset, "toc", "", 0, "Table of contents", "toc"))
                in_toc_block = True
            continue
        if in_toc_block and line:
            in_toc_block = False
            starts.append((offset, "body", "", -1, None, "clause"))  # the body resumes after the contents
        if not line:
            continue
        found = _match_label(line, prev_letter)
        if not found:
            continue
        kind, label, level, rest = found
        inner = label.strip("()").rstrip(")")
        if kind in ("paren", "letter") and len(inner) == 1 and inner.isalpha() and level == 6:
            prev_letter = inner
        nxt = next((ln.strip() for _, ln in lines[idx + 1: idx + 3] if ln.strip()), None)
        heading = _heading_of(rest, nxt)
        ckind = "schedule" if kind == "schedule" else "clause"
        starts.append((offset + len(raw) - len(raw.lstrip()), kind, label, level, heading, ckind))

    clauses: list[Clause] = []
    stack: list[_Open] = []
    seen: dict[str, int] = {}
    definitions_parent: _Open | None = None
    first = starts[0][0] if starts else len(text)
    if text[:first].strip():
        clauses.append(Clause("preamble", None, None, None, 0, first, doc.page_at(0), "preamble"))
    for n, (start, kind, label, level, heading, ckind) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        end = start + len(text[start:end].rstrip())
        if kind in ("toc", "body"):
            stack.clear()
            if kind == "toc":
                clauses.append(Clause(_unique("toc", seen), None, heading, None, start, end, doc.page_at(start), "toc"))
            elif text[start:end].strip():
                clauses.append(Clause(_unique("body", seen), None, None, None, start, end, doc.page_at(start),
                                      "clause"))
            continue
        path = _path(kind, label)
        # "4.02(b)" does not sit under "2.01": numbered clauses nest only under their own prefix.
        while stack and (stack[-1].level >= level or (
                path and stack[-1].path and stack[-1].path != path[:len(stack[-1].path)])):
            stack.pop()
        parent = stack[-1] if stack else None
        cid = _unique(_reference(label, kind, parent), seen)
        body = text[start:end]
        if heading and DEFINITIONS_HEADING.search(heading) and level <= 3:
            ckind = "definitions"
        elif parent is not None and definitions_parent is not None and _under(stack, definitions_parent) or \
                DEFINITION.match(body[len(label):len(label) + 200].lstrip(" .\t")):
            ckind = "definition"
        opened = _Open(level, cid, label, kind, path)
        if ckind == "definitions":
            definitions_parent = opened
        elif definitions_parent is not None and not _under(stack, definitions_parent):
            definitions_parent = None
        parent_id = parent.id if parent else None
        clauses.append(Clause(cid, label, heading, parent_id, start, end, doc.page_at(start), ckind))
        stack.append(opened)
    return clauses


def _under(stack: list[_Open], node: _Open) -> bool:
    return any(o is node for o in stack)


def _reference(label: str, kind: str, parent: _Open | None) -> str:
    """How a lawyer cites the clause: "7.2(b)" for (b) under 7.2, "Schedule B" as printed."""
    clean = label.rstrip(".")
    if kind in ("paren", "letter") and parent is not None:
        return parent.id + ("(" + label.strip("()").rstrip(")") + ")")
    return clean


def _unique(cid: str, seen: dict[str, int]) -> str:
    seen[cid] = seen.get(cid, 0) + 1
    return cid if seen[cid] == 1 else f"{cid}#{seen[cid]}"


def clause_at(clauses: list[Clause], offset: int) -> Clause | None:
    """The innermost clause holding `offset` (clauses are in document order, nested by parent)."""
    best = None
    for c in clauses:
        if c.start <= offset < max(c.end, c.start + 1):
            best = c
        elif c.start > offset:
            break
    return best


LIST_ITEM = re.compile(r"^\s*(?:\(?[a-z]{1,2}\)|\(?[ivx]{1,5}\)|\(?\d{1,2}\)|[-•▪◦*–])\s")
LEAD_LINES = 30


def list_lead(text: str, offset: int) -> tuple[int, int] | None:
    """For a list item, the lead-in line that ends with ':' ("The Services do not include:"),
    whose words govern every item under it."""
    line_start = text.rfind("\n", 0, offset) + 1
    if not LIST_ITEM.match(text[line_start:line_start + 12]):
        return None
    pos = line_start
    for _ in range(LEAD_LINES):
        if pos <= 0:
            return None
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start:pos - 1].rstrip()
        if line.endswith(":") and not LIST_ITEM.match(line[:12]):
            return prev_start, prev_start + len(line)
        pos = prev_start
    return None


def table_header(doc: Document, offset: int) -> tuple[int, int] | None:
    """The first row of the table holding `offset`, unless `offset` is in that row. A plain-text
    table ("| a | b |" lines, no table spans from extraction) starts at the first of its lines."""
    for start, end in doc.tables:
        if start <= offset < end:
            first_end = doc.text.find("\n", start, end)
            if first_end == -1 or offset <= first_end:
                return None
            return start, first_end
    text = doc.text
    line_start = text.rfind("\n", 0, offset) + 1
    if not text[line_start:offset + 1].lstrip().startswith("|"):
        return None
    first = line_start
    while first > 0:
        prev = text.rfind("\n", 0, first - 1) + 1
        if not text[prev:first].lstrip().startswith("|"):
            break
        first = prev
    if first == line_start:
        return None
    first_end = text.find("\n", first)
    return first, first_end
