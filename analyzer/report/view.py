"""What the Markdown, HTML and Word reports show, computed once from the report dict.

The renderers differ only in markup; deciding what goes in (which gaps, in what order, how an
address is written) lives here so the four outputs never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.requirements.facts import clause_ref

SERVICES = ("installation", "repair", "maintenance", "upgrade", "training")
JURISDICTIONS = {"CA": "Canada", "US": "United States"}
VERDICTS = {"met": "Met", "gap": "Gap", "needs_evidence": "Needs evidence",
            "not_applicable": "Not applicable"}
DISPATCH = {"qualifies": "Qualifies", "does_not_qualify": "Does not qualify",
            "cannot_tell": "Cannot tell yet"}
STATUSES = {"obligated": "Supplier's duty", "customer": "Customer's duty",
            "excluded": "Excluded", "optional": "Optional (needs a further agreement)",
            "absent": "Not in the contract"}
NEEDS = {"yes": "Required", "optional": "Recommended"}
DISCLAIMER = ("This report reads the contract against published immigration guidance. It is not "
              "legal advice; border officers decide admission case by case.")


def where(ev: dict[str, Any], with_file: bool = True) -> str:
    """'clause 7.1, page 4, sale.pdf' for a piece of evidence."""
    parts = []
    if ev.get("clause"):
        parts.append(clause_ref(str(ev["clause"])))
    if ev.get("page"):
        parts.append(f"page {ev['page']}")
    if with_file and ev.get("file"):
        parts.append(Path(ev["file"]).name)
    return ", ".join(parts) or "the contract"


@dataclass
class View:
    """The report, regrouped for reading."""

    title: str
    files: list[str]
    multi_file: bool
    kind: str
    commercial_use: str
    parties: list[dict[str, Any]]
    services: list[dict[str, Any]]
    checklist: dict[str, list[dict[str, Any]]]
    gaps: list[dict[str, Any]]
    risks: list[dict[str, Any]]
    open_points: list[dict[str, Any]]
    summary: list[str]
    dispatch: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)

    def where(self, ev: dict[str, Any]) -> str:
        return where(ev, self.multi_file)


def build_view(report: dict[str, Any]) -> View:
    sources = report.get("sources") or ([report["source"]] if report.get("source") else [])
    files = [f"{Path(s['path']).name} ({s.get('format', '?')}, {s.get('pages', '?')} pages)"
             for s in sources]
    contract = report.get("contract") or {}
    use = contract.get("commercial_use")
    services = []
    for name in SERVICES:
        s = (report.get("services") or {}).get(name)
        if s is None:
            continue
        services.append({"name": name, "status": s.get("status", "absent"),
                         "label": STATUSES.get(s.get("status"), s.get("status")),
                         "confidence": s.get("confidence"), "evidence": s.get("evidence") or []})
    reqs = report.get("requirements") or []
    checklist: dict[str, list[dict[str, Any]]] = {}
    for r in reqs:
        checklist.setdefault(r.get("jurisdiction", "?"), []).append(r)
    gaps = [r for r in reqs if r.get("verdict") == "gap" and r.get("severity", "fail") == "fail"]
    risks = [r for r in reqs if r.get("verdict") == "gap" and r.get("severity") == "risk"]
    open_points = [r for r in reqs if r.get("verdict") == "needs_evidence"]
    summary = []
    for j, items in checklist.items():
        counts = {v: sum(1 for r in items if r.get("verdict") == v) for v in VERDICTS}
        summary.append(
            f"{JURISDICTIONS.get(j, j)}: {counts['met']} met, {counts['gap']} gaps, "
            f"{counts['needs_evidence']} need evidence, {counts['not_applicable']} not applicable."
        )
    names = [Path(s["path"]).name for s in sources]
    return View(
        title="After-sales service: contract requirements report",
        files=files,
        multi_file=len(sources) > 1,
        kind=contract.get("kind") or "unknown",
        commercial_use={True: "yes", False: "no"}.get(use, "not stated"),
        parties=list(contract.get("parties") or []),
        services=services,
        checklist=checklist,
        gaps=gaps,
        risks=risks,
        open_points=open_points,
        summary=summary or [f"No requirement results for {', '.join(names) or 'this report'}."],
        dispatch=report.get("dispatch"),
        warnings=list(report.get("warnings") or []),
    )


def party_line(p: dict[str, Any]) -> str:
    role = f" (the \"{p['role']}\")" if p.get("role") else ""
    country = f", {p['country']}" if p.get("country") else ""
    return f"{p.get('name', '?')}{role}{country}"


def dispatch_heading(d: dict[str, Any]) -> str:
    dest = JURISDICTIONS.get(d.get("destination"), d.get("destination"))
    return f"{DISPATCH.get(d.get('verdict'), d.get('verdict'))} (trip to {dest})"


def trip_lines(d: dict[str, Any]) -> list[str]:
    """The trip facts as 'label: value' lines, skipping the unknown ones."""
    t = d.get("trip") or {}
    labels = [
        ("traveller_name", "Traveller"), ("traveller_role", "Position"),
        ("citizenship", "Citizenship"), ("tasks", "Planned tasks"), ("start", "From"),
        ("end", "To"), ("employer", "Employer"), ("employer_country", "Employer country"),
        ("payroll_country", "Paid from"), ("expenses_paid_by", "Trip expenses paid by"),
        ("specialised_knowledge", "Specialised knowledge documented"),
        ("origin", "Goods made in"), ("construction", "Construction work involved"),
        ("emergency", "Emergency"), ("oem_presence_in_canada", "Maker present in Canada"),
    ]
    out = []
    for key, label in labels:
        value = t.get(key)
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = ", ".join(value)
        out.append(f"{label}: {value}")
    for event, day in (t.get("contract_dates") or {}).items():
        out.append(f"Date of {event}: {day}")
    return out
