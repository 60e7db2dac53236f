"""Build the stored corpus from its authoring text and anchor every label in the extracted text.

    python corpus/render.py              # render src/*.txt to contracts/, fill span offsets
    python corpus/render.py pur-001      # only these contracts
    python corpus/render.py --split      # only place new contracts in split.json (renders nothing)

PDFs are drawn with reportlab and DOCX files written with python-docx (both in the dev extra), so
training and evaluation read the corpus through the same extraction as users' files. A quote that
cannot be found in the extracted text fails the build with its contract and span.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLIT_SHARES = (("train", 0.6), ("dev", 0.2), ("test", 0.2))


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    blocks: list[Block]
    header: str | None = None
    footer: str | None = None
    columns: int = 1


def parse(text: str) -> Source:
    """Authoring markup: blank lines between paragraphs, '# ' headings, '|' table rows."""
    header = footer = None
    columns = 1
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[0].startswith("@"):
        key, _, value = lines.pop(0)[1:].partition(":")
        value = value.strip()
        if key == "header":
            header = value
        elif key == "footer":
            footer = value
        elif key == "columns":
            columns = int(value)
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", " ".join(s.strip() for s in para)))
            para.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("|"):
            flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif stripped.startswith("# "):
            flush()
            blocks.append(Block("heading", stripped[2:].strip()))
        else:
            para.append(stripped)
    flush()
    return Source(blocks, header, footer, columns)


def to_txt(src: Source) -> bytes:
    parts = []
    for b in src.blocks:
        if b.kind == "table":
            parts.append("\n".join(" | ".join(c for c in row if c) for row in b.rows))
        else:
            parts.append(b.text)
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def to_docx(src: Source) -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    if src.header:
        section.header.paragraphs[0].text = src.header
    if src.footer:
        section.footer.paragraphs[0].text = src.footer
    for b in src.blocks:
        if b.kind == "heading":
            document.add_heading(b.text, level=2)
        elif b.kind == "paragraph":
            document.add_paragraph(b.text)
        else:
            width = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = io.BytesIO()
    document.core_properties.author = "contract-analyzer corpus"
    document.save(out)
    return out.getvalue()


def to_pdf(src: Source) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    head = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", spaceBefore=8)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                          bottomMargin=inch, title="Contract", author="contract-analyzer corpus")
    width = doc.width
    if src.columns == 2:
        gap = 0.3 * inch
        col = (width - gap) / 2
        frames = [Frame(doc.leftMargin, doc.bottomMargin, col, doc.height, id="left"),
                  Frame(doc.leftMargin + col + gap, doc.bottomMargin, col, doc.height, id="right")]
        width = col
    else:
        frames = [Frame(doc.leftMargin, doc.bottomMargin, width, doc.height, id="body")]

    def decorate(canvas, d):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if src.header:
            canvas.drawString(d.leftMargin, LETTER[1] - 0.6 * inch, src.header)
        footer = f"{src.footer}    Page {d.page}" if src.footer else f"Page {d.page}"
        canvas.drawString(d.leftMargin, 0.5 * inch, footer)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=decorate)])
    story = []
    for b in src.blocks:
        if b.kind == "heading":
            story.append(Paragraph(escape(b.text), head))
        elif b.kind == "paragraph":
            story.append(Paragraph(escape(b.text), body))
            story.append(Spacer(1, 4))
        else:
            ncols = max(len(r) for r in b.rows)
            data = [[Paragraph(escape(c), cell) for c in row] + [""] * (ncols - len(row)) for row in b.rows]
            table = Table(data, colWidths=[width / ncols] * ncols, repeatRows=0)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
            story.append(Spacer(1, 6))
    doc.build(story)
    return out.getvalue()


RENDER = {"txt": to_txt, "docx": to_docx, "pdf": to_pdf}


def locate(quote: str, text: str) -> list[tuple[int, int]]:
    """Places of a quote in extracted text, whitespace folded and table bars allowed between cells."""
    words = quote.split()
    pattern = r"[\s|]+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def anchor(ann: dict, text: str) -> list[str]:
    """Fill start/end of every span; return the problems found."""
    problems = []
    for n, span in enumerate(ann.get("spans", [])):
        hits = locate(span["quote"], text)
        occurrence = span.get("occurrence", 1)
        if not hits:
            problems.append(f"{ann['id']}: span {n} ({span['service']}): quote not found: {span['quote'][:70]!r}")
            continue
        if len(hits) > 1 and "occurrence" not in span:
            problems.append(f"{ann['id']}: span {n}: quote occurs {len(hits)} times; make it unique")
            continue
        span["start"], span["end"] = hits[min(occurrence, len(hits)) - 1]
    return problems


def make_split(annotations: list[dict], existing: dict | None = None) -> dict:
    """Stratified by kind; within a kind, contracts are ordered by a hash of their id (stable).
    With an existing split, its assignments are kept and only new contracts are placed, by the
    hash of their id, in the shares of SPLIT_SHARES."""
    if existing:
        placed = {i for ids in existing.values() for i in ids}
        split = {name: list(existing.get(name, [])) for name, _ in SPLIT_SHARES}
        for ann in annotations:
            if ann["id"] in placed:
                continue
            bucket = int(hashlib.sha256(ann["id"].encode()).hexdigest(), 16) % 100 / 100
            edge = 0.0
            for name, share in SPLIT_SHARES:
                edge += share
                if bucket < edge:
                    split[name].append(ann["id"])
                    break
        return {k: sorted(v) for k, v in split.items()}
    split: dict[str, list[str]] = {name: [] for name, _ in SPLIT_SHARES}
    kinds: dict[str, list[str]] = {}
    for ann in annotations:
        kinds.setdefault(ann["kind"], []).append(ann["id"])
    for ids in kinds.values():
        ids.sort(key=lambda i: hashlib.sha256(i.encode()).hexdigest())
        n = len(ids)
        n_test = max(1, round(n * 0.2)) if n >= 3 else 0
        n_dev = max(1, round(n * 0.2)) if n >= 4 else 0
        split["test"].extend(ids[:n_test])
        split["dev"].extend(ids[n_test:n_test + n_dev])
        split["train"].extend(ids[n_test + n_dev:])
    return {k: sorted(v) for k, v in split.items()}


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE.parent))
    from analyzer.extract import extract

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(HERE))
    parser.add_argument("--split", action="store_true", help="place new contracts in split.json; render nothing")
    parser.add_argument("ids", nargs="*", help="only these contracts")
    args = parser.parse_args(argv)
    root = Path(args.corpus)
    (root / "contracts").mkdir(exist_ok=True)
    problems: list[str] = []
    annotations = []
    for ann_path in sorted((root / "annotations").glob("*.json")):
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        annotations.append(ann)
        if args.split or (args.ids and ann["id"] not in args.ids):
            continue
        src_path = root / "src" / f"{ann['id']}.txt"
        src = parse(src_path.read_text(encoding="utf-8"))
        fmt = ann["format"]
        for old in (root / "contracts").glob(f"{ann['id']}.*"):
            if old.suffix != f".{fmt}":
                old.unlink()
        out = root / "contracts" / f"{ann['id']}.{fmt}"
        out.write_bytes(RENDER[fmt](src))
        ann["file"] = f"contracts/{out.name}"
        doc = extract(out)
        problems.extend(anchor(ann, doc.text))
        ann_path.write_text(json.dumps(ann, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.split:
        split_path = root / "split.json"
        existing = json.loads(split_path.read_text(encoding="utf-8")) if split_path.exists() else None
        split_path.write_text(json.dumps(make_split(annotations, existing), indent=2) + "\n", encoding="utf-8")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(annotations)} contracts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
