"""The gap report as one standalone HTML page: no scripts, no external files, prints cleanly.

Every piece of contract text is escaped; a contract is untrusted input.
"""

from __future__ import annotations

from html import escape
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

_CSS = """
body { font: 15px/1.45 Georgia, 'Times New Roman', serif; color: #1b1b1b; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #999; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #eee; }
blockquote { margin: .4rem 0 .8rem; padding: .4rem .8rem; border-left: 4px solid #2d5f8b;
             background: #f3f6f9; }
.verdict { font-weight: bold; white-space: nowrap; }
.v-met { color: #1d6b2f; } .v-gap { color: #a3211b; } .v-needs_evidence { color: #8a5a00; }
.v-not_applicable { color: #666; }
.d-qualifies { color: #1d6b2f; } .d-does_not_qualify { color: #a3211b; }
.d-cannot_tell { color: #8a5a00; }
.meta, .source, .disclaimer { color: #555; font-size: .88rem; }
.card { border: 1px solid #ccc; border-radius: 4px; padding: .2rem .9rem .6rem; margin: .8rem 0;
        page-break-inside: avoid; break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  tr, blockquote { page-break-inside: avoid; break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: Any) -> str:
    return escape(str(text if text is not None else ""), quote=True)


def _verdict(v: str | None) -> str:
    return f'<span class="verdict v-{_e(v)}">{_e(VERDICTS.get(v, v))}</span>'


def _evidence(view: View, evidence: list[dict[str, Any]]) -> str:
    if not evidence:
        return ""
    items = "".join(f"<li>“{_e(' '.join(e.get('text', '').split()))}” "
                    f"<span class=\"meta\">({_e(view.where(e))})</span></li>" for e in evidence)
    return f"<p>Evidence:</p><ul>{items}</ul>"


def _card(view: View, r: dict[str, Any]) -> str:
    j = JURISDICTIONS.get(r.get("jurisdiction"), r.get("jurisdiction"))
    parts = [f'<div class="card" id="{_e(r["id"])}">',
             f"<h3>{_e(r['id'])}: {_e(r.get('title'))} ({_e(j)}) {_verdict(r.get('verdict'))}"
             "</h3>",
             f"<p>{_e(r.get('explanation'))}</p>", _evidence(view, r.get("evidence") or [])]
    if r.get("remedy"):
        parts.append(f"<p>Suggested clause:</p><blockquote>{_e(r['remedy'])}</blockquote>")
    parts.append(f'<p class="source">Source: {_e(r.get("source"))}</p></div>')
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """Cells must already be escaped HTML."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _dispatch(view: View, d: dict[str, Any]) -> str:
    out = ["<h2>Dispatch check</h2>",
           f'<p class="verdict d-{_e(d.get("verdict"))}">{_e(dispatch_heading(d))}</p>',
           "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in trip_lines(d)) + "</ul>"]
    if d.get("reasons"):
        out.append("<h3>Reasons</h3><ul>" + "".join(f"<li>{_e(r)}</li>" for r in d["reasons"])
                   + "</ul>")
    dc = d.get("date_check") or {}
    if dc:
        out.append(f"<h3>Dates</h3><p>{_e(dc.get('explanation'))}</p>")
        rows = [[_e(f"{t.get('kind')}: {t.get('period')}"), _e(t.get("start") or "?"),
                 _e(t.get("end") or "?"),
                 {True: "yes", False: "no", None: "unknown"}[t.get("covers_visit")],
                 _e(view.where(t.get("evidence") or {}))] for t in dc.get("terms") or []]
        if rows:
            out.append(_table(["Period", "Starts", "Ends", "Covers the visit", "Where"], rows))
    if d.get("fallback"):
        out.append("<h3>If the business-visitor route fails</h3><ul>" + "".join(
            f"<li><strong>{_e(f['id'])}</strong> {_e(f.get('title'))}: "
            f"{_verdict(f.get('verdict'))}. {_e(f.get('explanation'))} "
            f"<span class=\"source\">({_e(f.get('source'))})</span></li>"
            for f in d["fallback"]) + "</ul>")
    if d.get("documents"):
        rows = []
        for doc in d["documents"]:
            marks = "<br>".join(dict.fromkeys(_e(view.where(c)) for c in doc.get("clauses") or []))
            note = f"<br><em>{_e(doc['note'])}</em>" if doc.get("note") else ""
            rows.append([_e(doc["id"]), _e(doc.get("item")) + note,
                         _e(NEEDS.get(doc.get("need"), doc.get("need"))), marks or "–",
                         _e(doc.get("source"))])
        out.append("<h3>Documents to carry</h3>"
                   + _table(["ID", "Item", "Needed", "Mark in the contract", "Source"], rows))
    return "".join(out)


def render_html(report: dict[str, Any]) -> str:
    """The gap report (and dispatch check when present) as a standalone, printable page."""
    view = build_view(report)
    body = [f"<h1>{_e(view.title)}</h1>",
            f'<p class="meta">File{"s" if view.multi_file else ""}: {_e(", ".join(view.files))}'
            f"<br>Contract kind: {_e(view.kind)}; commercial use: {_e(view.commercial_use)}</p>"]
    if view.parties:
        body.append(_table(["Party", "Side"], [[_e(party_line(p)), _e(p.get("side"))]
                                               for p in view.parties]))
    body.append("<h2>Summary</h2><ul>" + "".join(f"<li>{_e(s)}</li>" for s in view.summary)
                + "</ul>")
    rows = []
    for s in view.services:
        ev = "<br>".join(f"{_e(view.where(e))}: “{_e(' '.join(e.get('text', '').split()))}”"
                         for e in s["evidence"][:3]) or "–"
        conf = f"{s['confidence']:.2f}" if isinstance(s["confidence"], int | float) else "–"
        rows.append([_e(s["name"]), _e(s["label"]), conf, ev])
    body.append("<h2>Services</h2>" + _table(["Service", "Status", "Confidence", "Evidence"], rows))
    body.append("<h2>Requirement checklist</h2>")
    for j, items in view.checklist.items():
        body.append(f"<h3>{_e(JURISDICTIONS.get(j, j))}</h3>")
        body.append(_table(["ID", "Requirement", "Verdict", "Severity"], [
            [f'<a href="#{_e(r["id"])}">{_e(r["id"])}</a>' if r.get("verdict") in
             ("gap", "needs_evidence") else _e(r["id"]), _e(r.get("title")),
             _verdict(r.get("verdict")), _e(r.get("severity", "fail"))] for r in items]))
    body.append("<h2>Gaps and remedies</h2>")
    body.append("".join(_card(view, r) for r in view.gaps)
                or "<p>No requirement fails on this contract.</p>")
    if view.risks:
        body.append("<h2>Risk flags</h2>" + "".join(_card(view, r) for r in view.risks))
    if view.open_points:
        body.append("<h2>Needs evidence</h2>" + "".join(_card(view, r) for r in view.open_points))
    if view.dispatch:
        body.append(_dispatch(view, view.dispatch))
    if view.warnings:
        body.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in view.warnings)
                    + "</ul>")
    body.append(f'<hr><p class="disclaimer">{_e(DISCLAIMER)}</p>')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(view.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
