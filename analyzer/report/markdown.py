"""The gap report as Markdown, for the terminal, pull requests and wikis."""

from __future__ import annotations

from typing import Any

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

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: Any) -> str:
    """Contract text is untrusted: escape what Markdown (or HTML inside it) would interpret."""
    return str(text if text is not None else "").translate(_SPECIAL)


def _cell(text: Any) -> str:
    """One line, escaped, so it cannot break a table row."""
    return " ".join(_md(text).split())


def _quote(text: str) -> list[str]:
    return ["> " + _md(line) if line else ">" for line in text.splitlines() or [""]]


def _evidence(view: View, evidence: list[dict[str, Any]]) -> list[str]:
    return [f"- “{_cell(e.get('text', ''))}” ({_md(view.where(e))})" for e in evidence]


def _requirement(view: View, r: dict[str, Any]) -> list[str]:
    j = JURISDICTIONS.get(r.get("jurisdiction"), r.get("jurisdiction"))
    out = [f"### {r['id']}: {_md(r.get('title', ''))} ({j})", "", _md(r.get("explanation", "")),
           ""]
    if r.get("evidence"):
        out += ["Evidence:", "", *_evidence(view, r["evidence"]), ""]
    if r.get("remedy"):
        out += ["Suggested clause:", "", *_quote(r["remedy"]), ""]
    out += [f"Source: {_md(r.get('source', ''))}", ""]
    return out


def _dispatch(view: View, d: dict[str, Any]) -> list[str]:
    out = ["## Dispatch check", "", f"**Verdict: {dispatch_heading(d)}**", ""]
    out += [f"- {_md(line)}" for line in trip_lines(d)] + [""]
    if d.get("reasons"):
        out += ["Reasons:", ""] + [f"- {_cell(r)}" for r in d["reasons"]] + [""]
    dc = d.get("date_check") or {}
    if dc:
        out += ["### Dates", "", _md(dc.get("explanation", "")), ""]
        if dc.get("terms"):
            out += ["| Period | Starts | Ends | Covers the visit | Where |",
                    "|---|---|---|---|---|"]
            for t in dc["terms"]:
                covers = {True: "yes", False: "no", None: "unknown"}[t.get("covers_visit")]
                out.append(f"| {_cell(t.get('kind'))}: {_cell(t.get('period'))} | "
                           f"{_cell(t.get('start') or '?')} | {_cell(t.get('end') or '?')} | "
                           f"{covers} | {_cell(view.where(t.get('evidence') or {}))} |")
            out.append("")
    if d.get("fallback"):
        out += ["### If the business-visitor route fails", ""]
        for f in d["fallback"]:
            out.append(f"- **{f['id']}** {_cell(f.get('title'))}: "
                       f"{VERDICTS.get(f.get('verdict'), f.get('verdict'))}. "
                       f"{_cell(f.get('explanation'))} ({_cell(f.get('source'))})")
        out.append("")
    if d.get("documents"):
        out += ["### Documents to carry", "",
                "| ID | Item | Needed | Mark in the contract | Source |", "|---|---|---|---|---|"]
        for doc in d["documents"]:
            marks = "; ".join(view.where(c) for c in doc.get("clauses") or []) or "–"
            item = doc.get("item", "") + (f" ({doc['note']})" if doc.get("note") else "")
            out.append(f"| {doc['id']} | {_cell(item)} | "
                       f"{NEEDS.get(doc.get('need'), doc.get('need'))} | {_cell(marks)} | "
                       f"{_cell(doc.get('source'))} |")
        out.append("")
    return out


def render_markdown(report: dict[str, Any]) -> str:
    """The whole gap report (and the dispatch check when present) as Markdown."""
    view = build_view(report)
    out = [f"# {view.title}", ""]
    out += [f"- File{'s' if view.multi_file else ''}: {_md(', '.join(view.files))}",
            f"- Contract kind: {view.kind}; commercial use: {view.commercial_use}"]
    out += [f"- {_md(p.get('side', 'party')).capitalize()}: {_md(party_line(p))}"
            for p in view.parties]
    out += ["", "## Summary", ""] + [f"- {s}" for s in view.summary] + [""]

    out += ["## Services", "", "| Service | Status | Confidence | Evidence |", "|---|---|---|---|"]
    for s in view.services:
        ev = "; ".join(f"{view.where(e)}: “{e.get('text', '')}”" for e in s["evidence"][:3]) or "–"
        conf = f"{s['confidence']:.2f}" if isinstance(s["confidence"], int | float) else "–"
        out.append(f"| {s['name']} | {_cell(s['label'])} | {conf} | {_cell(ev)} |")
    out.append("")

    out += ["## Requirement checklist", ""]
    for j, items in view.checklist.items():
        out += [f"### {JURISDICTIONS.get(j, j)}", "", "| ID | Requirement | Verdict | Severity |",
                "|---|---|---|---|"]
        for r in items:
            out.append(f"| {r['id']} | {_cell(r.get('title'))} | "
                       f"{VERDICTS.get(r.get('verdict'), r.get('verdict'))} | "
                       f"{_cell(r.get('severity', 'fail'))} |")
        out.append("")

    out += ["## Gaps and remedies", ""]
    if not view.gaps:
        out += ["No requirement fails on this contract.", ""]
    for r in view.gaps:
        out += _requirement(view, r)
    if view.risks:
        out += ["## Risk flags", ""]
        for r in view.risks:
            out += _requirement(view, r)
    if view.open_points:
        out += ["## Needs evidence", ""]
        out += [f"- **{r['id']}** ({JURISDICTIONS.get(r.get('jurisdiction'), '')}) "
                f"{_cell(r.get('title'))}: {_cell(r.get('explanation'))}"
                for r in view.open_points]
        out.append("")
    if view.dispatch:
        out += _dispatch(view, view.dispatch)
    if view.warnings:
        out += ["## Warnings", ""] + [f"- {_cell(w)}" for w in view.warnings] + [""]
    out += ["---", "", f"_{DISCLAIMER}_", ""]
    return "\n".join(out)
