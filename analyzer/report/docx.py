"""The gap report as a Word document a lawyer can edit and send to a client."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from analyzer.report.view import (
    DISCLAIMER,
    JURISDICTIONS,
    NEEDS,
    VERDICTS,
    View,
    build_view,
    dispatch_heading,
    party_line,
    trip_lines,
)

_COLOURS = {"met": RGBColor(0x1D, 0x6B, 0x2F), "gap": RGBColor(0xA3, 0x21, 0x1B),
            "needs_evidence": RGBColor(0x8A, 0x5A, 0x00), "not_applicable": RGBColor(0x66, 0x66,
                                                                                     0x66)}


def _clean(text: Any) -> str:
    """Word rejects control characters; contract text may carry them."""
    return "".join(ch for ch in str(text if text is not None else "")
                   if ch in "\t\n" or ord(ch) >= 32)


def _table(doc: Any, head: list[str], rows: list[list[Any]]) -> Any:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_clean(text))
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            if isinstance(value, tuple):  # (text, verdict) -> coloured verdict
                run = cell.paragraphs[0].add_run(_clean(value[0]))
                run.bold = True
                if value[1] in _COLOURS:
                    run.font.color.rgb = _COLOURS[value[1]]
            else:
                cell.paragraphs[0].add_run(_clean(value))
    return table


def _requirement(doc: Any, view: View, r: dict[str, Any]) -> None:
    j = JURISDICTIONS.get(r.get("jurisdiction"), r.get("jurisdiction"))
    doc.add_heading(_clean(f"{r['id']}: {r.get('title', '')} ({j})"), level=3)
    doc.add_paragraph(_clean(r.get("explanation")))
    for e in r.get("evidence") or []:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(_clean(f"“{' '.join(e.get('text', '').split())}”"))
        p.add_run(_clean(f" ({view.where(e)})")).italic = True
    if r.get("remedy"):
        p = doc.add_paragraph()
        p.add_run("Suggested clause:").bold = True
        doc.add_paragraph(_clean(r["remedy"]), style="Intense Quote")
    src = doc.add_paragraph()
    run = src.add_run(_clean(f"Source: {r.get('source', '')}"))
    run.italic = True
    run.font.size = Pt(9)


def _dispatch(doc: Any, view: View, d: dict[str, Any]) -> None:
    doc.add_heading("Dispatch check", level=1)
    p = doc.add_paragraph()
    run = p.add_run(_clean(f"Verdict: {dispatch_heading(d)}"))
    run.bold = True
    colour = {"qualifies": "met", "does_not_qualify": "gap", "cannot_tell": "needs_evidence"}
    run.font.color.rgb = _COLOURS[colour.get(d.get("verdict"), "not_applicable")]
    for line in trip_lines(d):
        doc.add_paragraph(_clean(line), style="List Bullet")
    if d.get("reasons"):
        doc.add_heading("Reasons", level=2)
        for reason in d["reasons"]:
            doc.add_paragraph(_clean(reason), style="List Bullet")
    dc = d.get("date_check") or {}
    if dc:
        doc.add_heading("Dates", level=2)
        doc.add_paragraph(_clean(dc.get("explanation")))
        if dc.get("terms"):
            _table(doc, ["Period", "Starts", "Ends", "Covers the visit", "Where"], [
                [f"{t.get('kind')}: {t.get('period')}", t.get("start") or "?",
                 t.get("end") or "?", {True: "yes", False: "no", None: "unknown"}[
                     t.get("covers_visit")], view.where(t.get("evidence") or {})]
                for t in dc["terms"]])
    if d.get("fallback"):
        doc.add_heading("If the business-visitor route fails", level=2)
        for f in d["fallback"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(_clean(f"{f['id']} {f.get('title', '')}: ")).bold = True
            p.add_run(_clean(f"{VERDICTS.get(f.get('verdict'), f.get('verdict'))}. "
                             f"{f.get('explanation', '')} ({f.get('source', '')})"))
    if d.get("documents"):
        doc.add_heading("Documents to carry", level=2)
        _table(doc, ["ID", "Item", "Needed", "Mark in the contract", "Source"], [
            [x["id"], x.get("item", "") + (f" ({x['note']})" if x.get("note") else ""),
             NEEDS.get(x.get("need"), x.get("need")),
             "; ".join(dict.fromkeys(view.where(c) for c in x.get("clauses") or [])) or "–",
             x.get("source", "")] for x in d["documents"]])


def render_docx(report: dict[str, Any]) -> bytes:
    """The gap report (and the dispatch check when present) as DOCX bytes."""
    view = build_view(report)
    doc = Document()
    doc.core_properties.title = view.title
    doc.core_properties.subject = "After-sales service requirements"
    doc.add_heading(view.title, level=0)
    meta = doc.add_paragraph()
    meta.add_run(_clean(f"Prepared {date.today().isoformat()} from "
                        f"{', '.join(view.files)}.")).italic = True
    doc.add_paragraph(_clean(f"Contract kind: {view.kind}; commercial use: "
                             f"{view.commercial_use}."))
    for p in view.parties:
        doc.add_paragraph(_clean(f"{str(p.get('side', 'party')).capitalize()}: {party_line(p)}"),
                          style="List Bullet")

    doc.add_heading("Summary", level=1)
    for line in view.summary:
        doc.add_paragraph(_clean(line), style="List Bullet")
    if view.gaps:
        doc.add_paragraph(_clean(
            f"{len(view.gaps)} requirement(s) fail on the contract as written; each is set out "
            "below with clause wording that would close the gap."))

    doc.add_heading("Services found", level=1)
    rows = []
    for s in view.services:
        ev = "; ".join(f"{view.where(e)}: “{' '.join(e.get('text', '').split())}”"
                       for e in s["evidence"][:3]) or "–"
        conf = f"{s['confidence']:.2f}" if isinstance(s["confidence"], int | float) else "–"
        rows.append([s["name"], s["label"], conf, ev])
    _table(doc, ["Service", "Status", "Confidence", "Evidence"], rows)

    doc.add_heading("Gaps and suggested clauses", level=1)
    if not view.gaps:
        doc.add_paragraph("No requirement fails on this contract.")
    for r in view.gaps:
        _requirement(doc, view, r)
    if view.risks:
        doc.add_heading("Risk flags", level=1)
        for r in view.risks:
            _requirement(doc, view, r)
    if view.open_points:
        doc.add_heading("Points that need evidence", level=1)
        for r in view.open_points:
            _requirement(doc, view, r)

    doc.add_heading("Requirement checklist", level=1)
    for j, items in view.checklist.items():
        doc.add_heading(JURISDICTIONS.get(j, j), level=2)
        _table(doc, ["ID", "Requirement", "Verdict", "Severity"], [
            [r["id"], r.get("title", ""), (VERDICTS.get(r.get("verdict"), r.get("verdict")),
                                           r.get("verdict")), r.get("severity", "fail")]
            for r in items])
    if view.dispatch:
        _dispatch(doc, view, view.dispatch)
    if view.warnings:
        doc.add_heading("Warnings", level=1)
        for w in view.warnings:
            doc.add_paragraph(_clean(w), style="List Bullet")
    end = doc.add_paragraph()
    end.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = end.add_run(DISCLAIMER)
    run.italic = True
    run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
