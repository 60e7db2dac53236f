"""Draft of the employer's support letter the technician shows at the border (DOCX).

Officers look for the same few things: who the employer is, that the service is the seller's duty
under a named clause, that the visit falls within the warranty or service period, that the
traveller stays employed and paid abroad, and that the work is not construction or production.
The letter cites the contract clauses by number and page so the officer can find them in the copy
the traveller carries. It is a draft: bracketed items are for the employer to fill in.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.shared import Pt, RGBColor

from analyzer.errors import BadInputError
from analyzer.report.view import JURISDICTIONS
from analyzer.requirements.facts import clause_ref

OFFICERS = {"CA": "Border Services Officer, Canada Border Services Agency",
            "US": "Officer, U.S. Customs and Border Protection"}
TASK_WORDS = {
    "installation": "supervise the installation of",
    "supervision": "supervise the installation of",
    "commissioning": "commission",
    "testing": "set up and test",
    "repair": "repair",
    "maintenance": "maintain and service",
    "inspection": "inspect",
    "calibration": "calibrate",
    "upgrade": "install and configure the upgrade of",
    "training": "train the customer's staff on",
}


def _clean(text: Any) -> str:
    return "".join(ch for ch in str(text if text is not None else "")
                   if ch in "\t\n" or ord(ch) >= 32)


def _side(report: dict[str, Any], side: str) -> dict[str, Any]:
    for p in (report.get("contract") or {}).get("parties") or []:
        if p.get("side") == side:
            return p
    return {}


def _country(code: str | None) -> str:
    # Imported here: the renderers stay usable on a report dict without loading the engine first.
    from analyzer.requirements.engine import country_name

    return country_name(code) if code else "[country]"


def _cite(ev: dict[str, Any], files: dict[str | None, str]) -> str:
    """'clause 7.1 (page 4) of sale.pdf'."""
    clause = clause_ref(str(ev["clause"])) if ev.get("clause") else "the passage"
    name = files.get(ev.get("file")) or files.get(None) or "the contract"
    return f"{clause} (page {ev.get('page', '?')}) of {name}"


def render_letter(report: dict[str, Any]) -> bytes:
    """DOCX bytes of the draft support letter; needs a report with a dispatch check."""
    d = report.get("dispatch")
    if not d:
        raise BadInputError("the support letter needs the trip facts: run the analysis with "
                            "--dispatch trip.toml")
    trip = d.get("trip") or {}
    names = d.get("names") or {}
    facts = d.get("facts") or {}
    dest = d.get("destination") or trip.get("destination")
    supplier, customer = _side(report, "supplier"), _side(report, "customer")
    sources = report.get("sources") or [report.get("source") or {}]
    base = [str(s.get("path", "")).replace("\\", "/").rsplit("/", 1)[-1] for s in sources]
    files: dict[str | None, str] = {n: n for n in base}
    files[None] = base[0] if base else "the contract"
    traveller = trip.get("traveller_name") or "[name of traveller]"
    role = trip.get("traveller_role") or "[position]"
    employer = trip.get("employer") or supplier.get("name") or "[employer]"
    start, end = trip.get("start") or "[start date]", trip.get("end") or "[end date]"
    goods = names.get("goods") or "equipment"

    doc = Document()
    doc.core_properties.title = "Support letter (draft)"
    note = doc.add_paragraph()
    run = note.add_run("DRAFT for the employer to review, complete and sign. Delete this note "
                       "and the reviewer notes before sending.")
    run.italic = True
    run.font.color.rgb = RGBColor(0xA3, 0x21, 0x1B)
    if d.get("verdict") != "qualifies":
        p = doc.add_paragraph()
        r = p.add_run(_clean(
            f"Reviewer note: the dispatch check says “{d.get('verdict', '').replace('_', ' ')}”. "
            "Resolve these points before relying on this letter: "
            + " | ".join(d.get("reasons") or [])))
        r.italic = True
        r.font.color.rgb = RGBColor(0xA3, 0x21, 0x1B)

    doc.add_paragraph(_clean(f"[Letterhead of {employer}]"))
    doc.add_paragraph(date.today().strftime("%d %B %Y").lstrip("0"))
    doc.add_paragraph(_clean(f"To: {OFFICERS.get(dest, 'Border officer')}"))
    subject = doc.add_paragraph()
    subject.add_run(_clean(
        f"Re: {traveller}, {role}: after-sales service visit to "
        f"{customer.get('name', '[customer]')} in {JURISDICTIONS.get(dest, dest)}, {start} to "
        f"{end}")).bold = True

    doc.add_paragraph("Dear Officer,")
    doc.add_paragraph(_clean(
        f"{employer} is established in {_country(supplier.get('country'))}. We ask that you admit "
        f"our employee {traveller}, a citizen of {_country(trip.get('citizenship'))}, who "
        f"travels to {JURISDICTIONS.get(dest, dest)} from {start} to {end} to provide "
        f"after-sales service on the {goods} that we supplied to "
        f"{customer.get('name', '[customer]')} ({_country(customer.get('country'))})."))

    route = d.get("route") or {}
    if route.get("title"):
        doc.add_paragraph(_clean(f"{traveller} seeks entry as a business visitor: "
                                 f"{route['title']} ({route.get('basis', '')})."))

    doc.add_heading("The service is our duty under the contract", level=2)
    cited = False
    for t in d.get("tasks") or []:
        if not t.get("clauses"):
            continue
        cited = True
        ev = t["clauses"][0]
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(_clean(f"To {TASK_WORDS.get(t['task'], t['task'])} the {goods}: "
                         f"{_cite(ev, files)} requires it: "))
        p.add_run(_clean(f"“{' '.join(ev.get('text', '').split())}”")).italic = True
    if not cited:
        doc.add_paragraph("[Cite the clause that obliges us to provide this service.]")

    dc = d.get("date_check") or {}
    covering = [t for t in dc.get("terms") or [] if t.get("covers_visit")]
    if covering:
        t = covering[0]
        doc.add_paragraph(_clean(
            f"The visit falls within the {t['kind']} period, which runs for {t['period']} "
            f"({_cite(t.get('evidence') or {}, files)}), from {t.get('start')} to {t.get('end')}."))
    elif dc.get("status") == "not_needed":
        doc.add_paragraph(_clean("The work is owed on delivery of the equipment, under the "
                                 "clauses above."))
    else:
        doc.add_paragraph(_clean(f"[State the warranty or service period the visit falls in. "
                                 f"Check result: {dc.get('explanation', 'not checked')}]"))

    doc.add_heading("Employment and pay", level=2)
    payroll = trip.get("payroll_country") or supplier.get("country")
    pay = facts.get("personnel_pay") or {}
    pay_ref = (f" as the contract provides ({_cite(pay['evidence'][0], files)})"
               if pay.get("value") == "supplier" and pay.get("evidence") else "")
    doc.add_paragraph(_clean(
        f"{traveller} remains our employee throughout the visit and is paid by us from "
        f"{_country(payroll)}{pay_ref}. {customer.get('name', 'The customer')} pays us for the "
        "service; it pays the traveller nothing."))
    expenses = trip.get("expenses_paid_by")
    if expenses:
        who = {"supplier": "We", "customer": customer.get("name", "The customer"),
               "traveller": traveller}.get(expenses, "We")
        doc.add_paragraph(_clean(f"{who} will bear the travel and living expenses of the visit."))

    doc.add_heading("Nature of the work", level=2)
    tasks = ", ".join(t.get("task", "") for t in d.get("tasks") or []) or "[tasks]"
    doc.add_paragraph(_clean(f"The planned tasks are: {tasks}."))
    construction = facts.get("construction") or {}
    if construction.get("value") == "carved_out" and construction.get("evidence"):
        doc.add_paragraph(_clean(
            f"{traveller} will do no construction or building-trades work; under "
            f"{_cite(construction['evidence'][0], files)} that work is done by the customer's "
            "contractors, and our staff only supervise and test."))
    elif trip.get("construction") is False:
        doc.add_paragraph(_clean(f"{traveller} will do no construction or building-trades work."))
    production = facts.get("production") or {}
    if production.get("value") == "customer" and production.get("evidence"):
        doc.add_paragraph(_clean(
            f"Our staff operate the {goods} only for trials and tests "
            f"({_cite(production['evidence'][0], files)}); the customer runs production."))
    if trip.get("specialised_knowledge"):
        doc.add_paragraph(_clean(
            f"{traveller} has specialised knowledge of the {goods} that the customer's staff do "
            "not have: [training, certifications, years with the product]. A CV and training "
            "certificates are enclosed."))
    else:
        doc.add_paragraph(_clean(f"[Describe {traveller}'s specialised knowledge of the {goods} "
                                 "and enclose the CV and training certificates.]"))
    doc.add_paragraph(_clean(f"{traveller} will leave {JURISDICTIONS.get(dest, dest)} at the end "
                             f"of the assignment, on or before {end}."))

    # This letter is DOC-3 itself; C13 papers belong to a work-permit application, not here.
    docs = [x for x in d.get("documents") or []
            if x.get("id") != "DOC-3" and x.get("when", "always") == "always"]
    if docs:
        doc.add_heading("Enclosures and documents carried", level=2)
        for x in docs:
            doc.add_paragraph(_clean(f"{x['id']}: {x.get('item', '')}"), style="List Bullet")
    doc.add_paragraph("Yours faithfully,")
    doc.add_paragraph(_clean(f"[Name]\n[Title]\n{employer}\n[Telephone, e-mail]"))
    for para in doc.paragraphs:
        for run in para.runs:
            if run.font.size is None:
                run.font.size = Pt(11)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
