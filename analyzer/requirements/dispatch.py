"""Dispatch check: does one planned trip qualify, and what must the traveller carry?

A contract can support after-sales visits in general and still fail for a given trip: the wrong
task, a date after the warranty, pay from the customer, a traveller from an unnamed subcontractor.
The trip facts come from a TOML file (`--dispatch trip.toml`) or the app's form.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from analyzer.errors import BadInputError
from analyzer.requirements.catalogue import JURISDICTIONS, Catalogue, Route
from analyzer.requirements.engine import (
    Context,
    DateCheck,
    RequirementResult,
    country_name,
    date_check,
    evaluate_context,
    get_catalogue,
    make_context,
    route_applies,
)
from analyzer.requirements.facts import DealFacts, Excerpt, Fact, load_cues
from analyzer.results import Analysis

EXPENSE_PAYERS = ("supplier", "customer", "traveller")
EMERGENCIES = ("none", "equipment", "life_or_property")
VERDICTS = ("qualifies", "does_not_qualify", "cannot_tell")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class TripFacts:
    """One planned trip of one traveller; None means "not known"."""

    destination: str  # "CA" | "US"
    tasks: tuple[str, ...]
    citizenship: str | None = None
    start: date | None = None
    end: date | None = None
    employer: str | None = None
    employer_country: str | None = None
    payroll_country: str | None = None
    expenses_paid_by: str | None = None  # "supplier" | "customer" | "traveller"
    specialised_knowledge: bool | None = None
    origin: str | None = None  # where the goods were made, ISO code
    construction: bool | None = None
    emergency: str | None = None  # "none" | "equipment" | "life_or_property"
    oem_presence_in_canada: bool | None = None
    contract_dates: dict[str, date] = field(default_factory=dict)  # trigger event -> date
    traveller_name: str | None = None
    traveller_role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dict):
                value = {k: v.isoformat() for k, v in value.items()}
            out[f.name] = value
        return out


class _Reader:
    """Typed, validated access to the trip table; errors name the file and the field."""

    def __init__(self, data: dict, where: str):
        self.data, self.where = data, where

    def fail(self, name: str, message: str) -> None:
        raise BadInputError(f"{self.where}: field '{name}' {message}")

    def text(self, name: str, choices: tuple[str, ...] | None = None,
             required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "is required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be text (got {value!r})")
        value = value.strip()
        if choices is not None and value not in choices:
            self.fail(name, f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    def country(self, name: str, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        value = value.upper()
        if not _COUNTRY.match(value):
            self.fail(name, f"must be a two-letter country code such as DE or US (got {value!r})")
        return value

    def flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false (got {value!r})")
        return value

    def day(self, name: str, value: Any = None) -> date | None:
        value = self.data.get(name) if value is None else value
        if value is None:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(name, f"must be a date such as 2025-03-14 (got {value!r})")
        return None


def trip_from_dict(data: dict, where: str = "trip facts",
                   catalogue: Catalogue | None = None) -> TripFacts:
    """Validate trip facts from a parsed TOML file or the app's form."""
    if not isinstance(data, dict):
        raise BadInputError(f"{where}: must be a table of trip facts")
    cat = catalogue or get_catalogue()
    allowed = {f.name for f in fields(TripFacts)} - {"traveller_name", "traveller_role"}
    allowed |= {"traveller"}
    unknown = sorted(set(data) - allowed)
    r = _Reader(data, where)
    if unknown:
        r.fail(unknown[0], "is not a known trip fact (known: " + ", ".join(sorted(allowed)) + ")")
    destination = r.text("destination", required=True).upper()
    if destination not in JURISDICTIONS:
        r.fail("destination", f"must be CA or US (got {destination!r})")
    tasks = data.get("tasks")
    names = [t.name for t in cat.tasks]
    if isinstance(tasks, str):
        tasks = [tasks]
    if not isinstance(tasks, list) or not tasks or not all(isinstance(t, str) for t in tasks):
        r.fail("tasks", "must be a non-empty list, e.g. [\"repair\", \"training\"]")
    tasks = [t.strip().lower() for t in tasks]
    for t in tasks:
        if t not in names:
            r.fail("tasks", f"has {t!r}; known tasks: {', '.join(names)}")
    start, end = r.day("start"), r.day("end")
    if start and end and end < start:
        r.fail("end", f"is before the start ({start.isoformat()})")
    if end and not start:
        r.fail("start", "is required when an end date is given")
    emergency = data.get("emergency")
    if isinstance(emergency, bool):
        emergency = "equipment" if emergency else "none"
    elif emergency is not None:
        emergency = r.text("emergency", EMERGENCIES)
    events = data.get("contract_dates") or {}
    if not isinstance(events, dict):
        r.fail("contract_dates", "must be a table such as { acceptance = 2024-05-02 }")
    triggers = tuple(load_cues().triggers)
    dates = {}
    for key, value in events.items():
        if key not in triggers:
            r.fail(f"contract_dates.{key}", f"is not a known event (known: {', '.join(triggers)})")
        dates[key] = r.day(f"contract_dates.{key}", value)
    traveller = data.get("traveller") or {}
    if not isinstance(traveller, dict) or set(traveller) - {"name", "role"}:
        r.fail("traveller", "must be a table with only 'name' and 'role'")
    t = _Reader(traveller, f"{where} [traveller]")
    return TripFacts(
        destination=destination,
        tasks=tuple(dict.fromkeys(tasks)),
        citizenship=r.country("citizenship"),
        start=start,
        end=end,
        employer=r.text("employer"),
        employer_country=r.country("employer_country"),
        payroll_country=r.country("payroll_country"),
        expenses_paid_by=r.text("expenses_paid_by", EXPENSE_PAYERS),
        specialised_knowledge=r.flag("specialised_knowledge"),
        origin=r.country("origin"),
        construction=r.flag("construction"),
        emergency=emergency,
        oem_presence_in_canada=r.flag("oem_presence_in_canada"),
        contract_dates=dates,
        traveller_name=t.text("name"),
        traveller_role=t.text("role"),
    )


def load_trip(path: str | Path) -> TripFacts:
    """Trip facts from a TOML file; any problem is a BadInputError naming the field."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise BadInputError(f"trip file not found: {p}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{p.name}: not a valid TOML file ({exc})") from exc
    return trip_from_dict(data, p.name)


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class RouteResult:
    """How one route fares for this trip."""

    id: str
    title: str
    basis: str
    verdict: str
    blocking: tuple[RequirementResult, ...]
    open: tuple[RequirementResult, ...]
    risks: tuple[RequirementResult, ...]
    caution: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "basis": self.basis, "verdict": self.verdict,
                "blocking": [r.id for r in self.blocking], "open": [r.id for r in self.open],
                "risks": [r.id for r in self.risks], "caution": self.caution or None}


@dataclass(frozen=True)
class DocumentNeed:
    """One item of the border package, with the contract passages to mark in it."""

    id: str
    item: str
    need: str  # "yes" | "optional"
    when: str  # "always" | "c13"
    source: str
    clauses: tuple[Excerpt, ...]
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "item": self.item, "need": self.need, "when": self.when,
                "source": self.source,
                "clauses": [c.to_dict() for c in self.clauses], "note": self.note or None}


@dataclass(frozen=True)
class DispatchResult:
    verdict: str  # "qualifies" | "does_not_qualify" | "cannot_tell"
    destination: str
    route: RouteResult | None
    routes: tuple[RouteResult, ...]
    reasons: tuple[str, ...]
    date_check: DateCheck
    fallback: tuple[RequirementResult, ...]
    documents: tuple[DocumentNeed, ...]
    tasks: tuple[dict[str, Any], ...]
    trip: TripFacts
    names: dict[str, str]
    facts: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "destination": self.destination,
            "route": self.route.to_dict() if self.route else None,
            "routes": [r.to_dict() for r in self.routes],
            "reasons": list(self.reasons),
            "date_check": self.date_check.to_dict(),
            "fallback": [{"id": r.id, "title": r.title, "verdict": r.verdict,
                          "explanation": r.explanation, "source": r.source}
                         for r in self.fallback],
            "documents": [d.to_dict() for d in self.documents],
            "tasks": [dict(t) for t in self.tasks],
            "trip": self.trip.to_dict(),
            "names": dict(self.names),
            "facts": self.facts,
        }


_RANK = {"qualifies": 0, "cannot_tell": 1, "does_not_qualify": 2}


def _route_result(ctx: Context, route: Route) -> RouteResult:
    reqs = [ctx.results[r] for r in route.requirements]
    blocking = tuple(r for r in reqs if r.verdict == "gap" and r.severity == "fail")
    open_ = tuple(r for r in reqs if r.verdict == "needs_evidence" and r.severity == "fail")
    risks = tuple(r for r in reqs if r.severity == "risk" and r.verdict in ("gap",
                                                                             "needs_evidence"))
    verdict = "does_not_qualify" if blocking else "cannot_tell" if open_ else "qualifies"
    return RouteResult(route.id, route.title, route.basis, verdict, blocking, open_, risks,
                       route.caution)


def _marks(ctx: Context, marks: tuple[str, ...]) -> tuple[Excerpt, ...]:
    f = ctx.facts
    groups: dict[str, list[Excerpt]] = {
        "services": [e for s in ctx.trip_services() if ctx.status(s) == "obligated"
                     for e in ctx.service_evidence(s, "obligated")],
        "terms": [t.excerpt for t in f.terms],
        "pay": list(f.personnel_pay.excerpts) if f.personnel_pay else [],
        "schedules": [e for s in f.schedules for e in s.excerpts],
        "renewal": list(f.renewal.excerpts) if f.renewal else [],
        "origin": list(f.origin.excerpts) if f.origin else [],
        "partners": [e for p in f.partners for e in p.excerpts],
        "construction": list(f.construction.excerpts) if f.construction else [],
        "production": list(f.production.excerpts) if f.production else [],
        "specialised": list(f.specialised.excerpts) if f.specialised else [],
    }
    out: list[Excerpt] = []
    for m in marks:
        out.extend(groups.get(m, []))
    return tuple(dict.fromkeys(out))


def _documents(ctx: Context, route: RouteResult | None, c13: bool) -> tuple[DocumentNeed, ...]:
    trip = ctx.trip
    out = []
    for doc in ctx.catalogue.documents:
        need = doc.needs[trip.destination]
        if need == "no" or (doc.when == "c13" and not c13):
            continue
        note = ""
        if doc.id == "DOC-1" and route and route.id in ("cusma", "usmca") and trip.citizenship:
            note = f"Carry proof of {country_name(trip.citizenship)} citizenship for {route.title}."
        elif doc.when == "c13":
            note = "Only if the traveller applies for the C13 work permit (see the fallback)."
        elif doc.id == "DOC-6" and ctx.facts.origin is None and not trip.origin:
            note = "The contract does not state the origin; the invoice or certificate must."
        out.append(DocumentNeed(doc.id, doc.item, need, doc.when, doc.source,
                                _marks(ctx, doc.marks), note))
    return tuple(out)


def _tasks(ctx: Context) -> tuple[dict[str, Any], ...]:
    out = []
    for name in ctx.trip.tasks:
        task = ctx.catalogue.task(name)
        status = ctx.status(task.service) if task.service else None
        clauses = ctx.service_evidence(task.service, "obligated") if status == "obligated" else ()
        out.append({"task": name, "service": task.service or None, "status": status,
                    "allowed": task.allowed[ctx.trip.destination],
                    "clauses": [c.to_dict() for c in clauses]})
    return tuple(out)


def facts_dict(facts: DealFacts) -> dict[str, Any]:
    """The deal facts with their evidence, for the report, the letter and the app."""

    def one(f: Fact | None) -> dict[str, Any] | None:
        return None if f is None else {"value": f.value,
                                       "evidence": [e.to_dict() for e in f.excerpts]}

    return {
        "terms": [{"kind": t.kind, "period": t.describe(), "renewable": t.renewable,
                   "evidence": t.excerpt.to_dict()} for t in facts.terms],
        "personnel_pay": one(facts.personnel_pay),
        "expenses": one(facts.expenses),
        "construction": one(facts.construction),
        "production": one(facts.production),
        "partners": [one(p) for p in facts.partners],
        "subcontracting": one(facts.subcontracting),
        "renewal": one(facts.renewal),
        "schedules": [one(s) for s in facts.schedules],
        "origin": one(facts.origin),
        "specialised": one(facts.specialised),
    }


def _line(r: RequirementResult) -> str:
    return f"{r.id} ({r.title}): {r.explanation}"


def _dispatch(ctx: Context) -> DispatchResult:
    trip = ctx.trip
    dest = trip.destination
    cat = ctx.catalogue
    dc = date_check(ctx)
    common = dict(date_check=dc, trip=trip, names=ctx.names, tasks=_tasks(ctx),
                  facts=facts_dict(ctx.facts))
    if trip.citizenship == dest:
        docs = tuple(d for d in _documents(ctx, None, False) if d.id == "DOC-1")
        return DispatchResult("qualifies", dest, None, (), (
            f"The traveller is a citizen of {country_name(dest)} and needs no visitor status "
            "there.",), fallback=(), documents=docs, **common)
    routes = [_route_result(ctx, r) for r in cat.routes
              if r.jurisdiction == dest and r.kind == "visitor" and route_applies(ctx, r)]
    best = min(routes, key=lambda r: (_RANK[r.verdict], len(r.blocking), len(r.open)),
               default=None)
    reasons: list[str] = []
    if best is None:
        verdict = "does_not_qualify"
        reasons.append(f"No business-visitor route of {country_name(dest)} fits this deal.")
    else:
        verdict = best.verdict
        reasons.append(f"Route: {best.title} ({best.basis}).")
        reasons.extend(_line(r) for r in best.blocking)
        reasons.extend(_line(r) for r in best.open)
        reasons.extend(f"Risk: {_line(r)}" for r in best.risks)
        if best.caution:
            reasons.append(f"Caution: {best.caution}")
        if verdict == "qualifies":
            reasons.append("Every requirement of the route is met on the contract and the trip "
                           "facts.")
        others = [r for r in routes if r is not best]
        for r in others:
            if r.verdict != best.verdict:
                reasons.append(f"Also checked: {r.title}: {r.verdict.replace('_', ' ')}.")
    reasons.append(f"Dates: {dc.explanation}")
    fallback: tuple[RequirementResult, ...] = ()
    c13 = False
    if verdict == "does_not_qualify":
        fb = [r for r in cat.routes if r.jurisdiction == dest and r.kind == "fallback"]
        fallback = tuple(ctx.results[i] for r in fb for i in r.requirements
                         if ctx.results[i].verdict != "not_applicable")
        if fallback:
            c13 = any(r.check == "c13" and ctx.results[r.id].verdict in ("met", "needs_evidence")
                      for r in cat.requirements if r.id in {f.id for f in fallback})
        elif not fb:
            reasons.append(f"The catalogue lists no fallback route for {country_name(dest)}; "
                           "another status would be needed (ask counsel).")
    return DispatchResult(verdict, dest, best, tuple(routes), tuple(reasons),
                          fallback=fallback, documents=_documents(ctx, best, c13), **common)


def assess(analysis: Analysis, trip: TripFacts | None = None
           ) -> tuple[list[RequirementResult], DispatchResult | None]:
    """Requirement verdicts and (with a trip) the dispatch check, reading the contract once."""
    ctx = make_context(analysis, trip)
    results = evaluate_context(ctx)
    return results, (_dispatch(ctx) if trip is not None else None)


def check_dispatch(analysis: Analysis, trip: TripFacts) -> DispatchResult:
    """Whether this trip qualifies, why, the dates, the fallback and the package to carry."""
    return assess(analysis, trip)[1]


def dispatch_section(analysis: Analysis, trip: TripFacts) -> dict[str, Any]:
    """The report's "dispatch" object as a plain dict."""
    return check_dispatch(analysis, trip).to_dict()
