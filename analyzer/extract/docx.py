"""DOCX reader: body paragraphs and tables in document order, list numbers as Word shows them.

Word stores automatic numbering ("7.2", "(b)") as list definitions, not text, so the numbers are
rendered here from numbering.xml; otherwise every clause label would be lost. Tracked changes are
read as accepted (insertions kept, deletions dropped); headers and footers stay out of the body.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from analyzer.errors import BadInputError
from analyzer.extract.layout import PageText
from analyzer.limits import Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MACRO_TYPE = "macroEnabled"
XML_PARTS = (".xml", ".rels")
READ_PIECE = 1 << 20  # bytes inflated at a time when checking a part


def check_zip(data: bytes, name: str, limits: Limits) -> zipfile.ZipFile:
    """Open a ZIP only if its declared members and expanded size are within the limits."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise BadInputError(f"{name}: not a readable Word file (corrupt or truncated ZIP)") from None
    if len(infos) > limits.max_zip_members:
        raise BadInputError(f"{name}: the file has {len(infos)} parts, over the limit of {limits.max_zip_members}")
    expanded = sum(i.file_size for i in infos)
    if expanded > limits.max_unzipped_bytes:
        raise BadInputError(
            f"{name}: the file would expand to {expanded // 2**20} MB, over the limit of "
            f"{limits.max_unzipped_bytes // 2**20} MB (possible ZIP bomb)"
        )
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith(XML_PARTS))
    if xml > limits.max_xml_bytes:
        raise BadInputError(
            f"{name}: the Word text (XML) would expand to {xml // 2**20} MB, over the limit of "
            f"{limits.max_xml_bytes // 2**20} MB"
        )
    for info in infos:
        _check_part(zf, info, name)
    return zf


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Inflate one part in bounded pieces and check its CRC: a ZIP directory can understate a part's
    size, and `ZipFile.read` would inflate the whole stream at once before noticing."""
    try:
        with zf.open(info) as fh:
            while fh.read(READ_PIECE):
                pass
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise BadInputError(f"{name}: not a readable Word file (part {info.filename} is corrupt)") from None


def read_docx(data: bytes, name: str, limits: Limits) -> tuple[list[PageText], list[str]]:
    zf = check_zip(data, name, limits)
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        raise BadInputError(f"{name}: a ZIP file that is not a Word document")
    try:
        content_types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        content_types = ""
    if MACRO_TYPE in content_types:
        raise BadInputError(
            f"{name}: a macro-enabled Word file (.docm); macros are never run here, save it as .docx to analyse it"
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise BadInputError(f"{name}: not a readable Word file ({type(exc).__name__})") from None
    except Exception as exc:  # lxml raises its own syntax errors on broken XML
        raise BadInputError(f"{name}: not a readable Word file ({type(exc).__name__})") from None
    numbering = _Numbering.from_document(document)
    styles = _style_numbering(document)
    reader = _BodyReader(numbering, styles)
    reader.read(document.element.body)
    return reader.pages(), []


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class _Numbering:
    """List definitions and running counters, keyed by abstract list."""

    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document) -> _Numbering:
        self = cls()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return self
        for absn in root.iter(f"{W}abstractNum"):
            aid = absn.get(f"{W}abstractNumId")
            lv: dict[int, _Level] = {}
            for lvl in absn.iter(f"{W}lvl"):
                level = _Level()
                for tag, attr in (("start", "start"), ("numFmt", "fmt"), ("lvlText", "text")):
                    el = lvl.find(f"{W}{tag}")
                    if el is not None and el.get(f"{W}val") is not None:
                        val = el.get(f"{W}val")
                        setattr(level, attr, int(val) if attr == "start" and val.isdigit() else val)
                lv[int(lvl.get(f"{W}ilvl", "0"))] = level
            self.levels[aid] = lv
        for num in root.iter(f"{W}num"):
            nid = num.get(f"{W}numId")
            absref = num.find(f"{W}abstractNumId")
            if absref is None:
                continue
            self.nums[nid] = absref.get(f"{W}val")
            for ov in num.iter(f"{W}lvlOverride"):
                so = ov.find(f"{W}startOverride")
                if so is not None and so.get(f"{W}val", "").isdigit():
                    self.overrides[(nid, int(ov.get(f"{W}ilvl", "0")))] = int(so.get(f"{W}val"))
        return self

    def label(self, num_id: str, ilvl: int) -> str:
        aid = self.nums.get(num_id)
        if aid is None or aid not in self.levels:
            return ""
        levels = self.levels[aid]
        counters = self.counters.setdefault(aid, [0] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for (nid, lv), start in self.overrides.items():
                if nid == num_id:
                    counters[lv] = start - 1
        ilvl = min(max(ilvl, 0), 8)
        counters[ilvl] += 1 if counters[ilvl] else levels.get(ilvl, _Level()).start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        level = levels.get(ilvl, _Level())
        if level.fmt in ("bullet", "none"):
            return ""

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvk = levels.get(k, _Level())
            value = counters[k] or lvk.start
            return _format(value, lvk.fmt)

        return re.sub(r"%(\d)", repl, level.text).strip()


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.upper() if fmt == "upperRoman" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += sym
            n -= value
    return out


def _style_numbering(document) -> dict[str, tuple[str, int]]:
    """Styles that carry list numbering (Heading 2 numbered "7.2" by its style, say)."""
    found: dict[str, tuple[str, int]] = {}
    try:
        styles = document.styles.element
    except (AttributeError, KeyError):
        return found
    for style in styles.iter(f"{W}style"):
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            continue
        nid = num_pr.find(f"{W}numId")
        ilvl = num_pr.find(f"{W}ilvl")
        if nid is not None:
            found[style.get(f"{W}styleId")] = (nid.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
    return found


class _BodyReader:
    """Walks the body in order and collects page texts, splitting on Word's page breaks."""

    def __init__(self, numbering: _Numbering, styles: dict[str, tuple[str, int]]):
        self.numbering = numbering
        self.styles = styles
        self.page_lines: list[list[str]] = [[]]
        self.page_tables: list[list[tuple[int, int]]] = [[]]
        self.rendered_breaks = False

    def read(self, body) -> None:
        self.rendered_breaks = next(body.iter(f"{W}lastRenderedPageBreak"), None) is not None
        for child in body:
            self._block(child)

    def _block(self, el) -> None:
        if el.tag == f"{W}p":
            self._paragraph(el)
        elif el.tag == f"{W}tbl":
            self._table(el)
        elif el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                for child in content:
                    self._block(child)

    def _new_page(self) -> None:
        self.page_lines.append([])
        self.page_tables.append([])

    def _paragraph(self, p) -> None:
        ppr = p.find(f"{W}pPr")
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None and not self.rendered_breaks:
            self._new_page()
        parts: list[str] = []
        for el in p.iter():
            tag = el.tag
            if tag == f"{W}t" and not _inside(el, p, ("del", "moveFrom")):
                parts.append(el.text or "")
            elif tag == f"{W}tab" and el.getparent().tag == f"{W}r":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                if el.get(f"{W}type") == "page" and not self.rendered_breaks:
                    self._flush(parts)
                    parts = []
                    self._new_page()
                else:
                    parts.append("\n")
            elif tag == f"{W}lastRenderedPageBreak" and (parts or self.page_lines[-1]):
                self._flush(parts)
                parts = []
                self._new_page()
        label = self._label(ppr)
        text = "".join(parts).strip()
        if label and text:
            text = f"{label} {text}"
        self._flush([text] if text else [])

    def _flush(self, parts: list[str]) -> None:
        text = "".join(parts).strip()
        if text:
            self.page_lines[-1].append(text)

    def _label(self, ppr) -> str:
        if ppr is None:
            return ""
        num_pr = ppr.find(f"{W}numPr")
        if num_pr is not None:
            nid = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if nid is None:
                return ""
            return self.numbering.label(nid.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
        style = ppr.find(f"{W}pStyle")
        if style is not None and style.get(f"{W}val") in self.styles:
            nid, ilvl = self.styles[style.get(f"{W}val")]
            return self.numbering.label(nid, ilvl)
        return ""

    def _table(self, tbl) -> None:
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            if _inside(tr, tbl, ("tbl",)):
                continue  # a nested table's rows are read through their cell
            cells = []
            for tc in tr.findall(f"{W}tc"):
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                if vmerge is not None and vmerge.get(f"{W}val") != "restart":
                    cells.append("")
                    continue
                texts = ["".join(t.text or "" for t in p.iter(f"{W}t") if not _inside(t, p, ("del", "moveFrom")))
                         for p in tc.iter(f"{W}p")]
                cells.append(" ".join(" ".join(t.split()) for t in texts if t.strip()))
            if any(cells):
                rows.append(" | ".join(cells))
        if not rows:
            return
        lines = self.page_lines[-1]
        start = sum(len(ln) + 1 for ln in lines)
        table_text = "\n".join(rows)
        lines.append(table_text)
        self.page_tables[-1].append((start, start + len(table_text)))

    def pages(self) -> list[PageText]:
        out = []
        for lines, tables in zip(self.page_lines, self.page_tables, strict=True):
            out.append(PageText("\n".join(lines), tables))
        while len(out) > 1 and not out[-1].text.strip():
            out.pop()
        return out


def _inside(el, stop, tags: tuple[str, ...]) -> bool:
    """True when `el` sits inside one of `tags` below `stop` (a deletion, a nested table)."""
    wanted = {f"{W}{t}" for t in tags}
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in wanted:
            return True
        node = node.getparent()
    return False
