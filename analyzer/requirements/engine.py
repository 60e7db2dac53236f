"""Verdicts for every catalogue requirement, from an analysis and optional trip facts.

The catalogue says what each requirement is and which check decides it; the checks here read
the service statuses, the parties and the deal facts and explain each verdict in plain words,
with the passages that decide it. A gap gets remedy wording filled with the contract's own names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from analyzer.requirements.catalogue import Catalogue, Requirement, Route, load_catalogue
from analyzer.requirements.facts import (
    DealFacts,
    DealReader,
    Excerpt,
    Term,
    Window,
    load_cues,
)
from analyzer.results import SERVICES, Analysis

if TYPE_CHECKING:
    from analyzer.requirements.dispatch import TripFacts

# Names that read better than the first name in cues.toml's country table.
COUNTRY_NAMES = {"US": "the United States", "GB": "the United Kingdom", "NL": "the Netherlands"}
# Shown in a remedy when the contract states no period to build on.
DEFAULT_TERM = "[twenty-four (24) months from acceptance]"


def country_name(code: str | None) -> str:
    """A country's name for explanations ("DE" -> "Germany")."""
    if not code:
        return "an unknown country"
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    names = load_cues().countries.get(code)
    return names[0] if names else code


def country_list(codes, last: str = "and") -> str:
    return _list([country_name(c) for c in sorted(codes)], last)


@dataclass(frozen=True)
class RequirementResult:
    """The verdict on one catalogue requirement, as the report and the app show it."""

    id: str
    jurisdiction: str
    route: str
    title: str
    verdict: str  # "met" | "gap" | "needs_evidence" | "not_applicable"
    severity: str  # "fail" | "risk"
    explanation: str
    evidence: tuple[Excerpt, ...]
    remedy: str | None
    source: str
    test: str
    needs_trip: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "jurisdiction": self.jurisdiction,
            "route": self.route,
            "title": self.title,
            "verdict": self.verdict,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": [e.to_dict() for e in self.evidence],
            "remedy": self.remedy,
            "source": self.source,
            "test": self.test,
            "needs_trip": self.needs_trip,
        }


@dataclass(frozen=True)
class Outcome:
    """What a check decides; the engine adds the catalogue's title, source and remedy."""

    verdict: str
    explanation: str
    evidence: tuple[Excerpt, ...] = ()
    services: tuple[str, ...] = ()  # the services a remedy should add


@dataclass(frozen=True)
class DateCheck:
    """The planned visit set against the warranty, service and lease periods."""

    status: str  # "within" | "outside" | "unknown" | "not_needed" | "no_term" | "no_dates"
    explanation: str
    terms: tuple[dict[str, Any], ...] = ()
    needed: tuple[str, ...] = ()
    evidence: tuple[Excerpt, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "explanation": self.explanation,
                "terms": [dict(t) for t in self.terms], "needed": list(self.needed),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class Context:
    """Everything the checks read, computed once per evaluation."""

    analysis: Analysis
    trip: TripFacts | None
    catalogue: Catalogue
    facts: DealFacts
    reader: DealReader
    results: dict[str, RequirementResult] = field(default_factory=dict)

    # -- the deal --------------------------------------------------------------------------

    @property
    def names(self) -> dict[str, str]:
        return self.facts.names.fields()

    @property
    def supplier(self) -> str:
        return self.facts.names.supplier

    @property
    def customer(self) -> str:
        return self.facts.names.customer

    @property
    def is_lease(self) -> bool:
        rules = self.catalogue.rules
        if self.analysis.contract.kind in rules.lease_kinds:
            return True
        return any((p.role or "").lower() in rules.lease_roles
                   for p in self.analysis.contract.parties)

    def countries(self, side: str) -> set[str]:
        return {p.country for p in self.analysis.contract.side(side) if p.country}

    def party_excerpts(self, side: str) -> tuple[Excerpt, ...]:
        """The first sentence naming each party of `side` (usually the preamble)."""
        out = []
        for p in self.analysis.contract.side(side):
            for s in self.reader.sentences:
                if p.name and p.name.lower() in s.text.lower():
                    out.append(self.reader.excerpt(s))
                    break
        return tuple(out)

    def status(self, service: str) -> str:
        r = self.analysis.services.get(service)
        return r.status if r else "absent"

    def obligated(self) -> list[str]:
        return [s for s in SERVICES if self.status(s) == "obligated"]

    def service_evidence(self, service: str, status: str | None = None) -> tuple[Excerpt, ...]:
        r = self.analysis.services.get(service)
        if not r:
            return ()
        want = status or r.status
        picked = [e for e in r.evidence if e.status == want] or list(r.evidence)
        return tuple(Excerpt.from_evidence(e) for e in picked)

    def reason(self, service: str) -> str:
        """Why a service the supplier does not owe does not count, in the contract's words."""
        status = self.status(service)
        template = self.catalogue.status_reasons.get(status)
        if not template:
            return f"{service} is a duty of {self.supplier}"
        return template.format(service=service, supplier=self.supplier, customer=self.customer)

    # -- the trip ----------------------------------------------------------------------------

    def trip_services(self) -> list[str]:
        if not self.trip:
            return []
        out = []
        for name in self.trip.tasks:
            service = self.catalogue.task(name).service
            if service and service not in out:
                out.append(service)
        return out

    # -- wording -----------------------------------------------------------------------------

    def cite(self, excerpt: Excerpt) -> str:
        """'clause 7.2, page 4', naming the file only when the deal has several."""
        return excerpt.cite(with_file=len(self.analysis.documents) > 1)

    def cites(self, excerpts: tuple[Excerpt, ...] | list[Excerpt]) -> str:
        return _list(list(dict.fromkeys(self.cite(e) for e in excerpts)))


Check = Callable[[Context, Requirement], Outcome]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _list(items: list[str] | tuple[str, ...], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


_VERBS = {"installation": "install", "repair": "repair", "maintenance": "maintain",
          "upgrade": "upgrade", "training": "train"}


def _verbs(services: list[str]) -> str:
    """'maintain and repair' for ["maintenance", "repair"]."""
    return _list([_VERBS.get(s, s) for s in services])


def _cap(text: str) -> str:
    """Capitalise the first letter only ("the Seller" -> "The Seller")."""
    return text[:1].upper() + text[1:]


def _trip_note(ctx: Context) -> str:
    return "" if ctx.trip else " Trip facts must confirm it."


# --------------------------------------------------------------------------------------------
# Checks


@check("summary")
def _summary(ctx: Context, req: Requirement) -> Outcome:
    deps = [ctx.results[d] for d in req.depends_on if d in ctx.results]
    live = [d for d in deps if d.verdict != "not_applicable"]
    if not live:
        return Outcome("not_applicable", "None of the tests this one rests on applies.")
    failed = [d for d in live if d.verdict == "gap" and d.severity == "fail"]
    evidence = tuple(e for d in live for e in d.evidence[:1])
    if failed:
        names = _list([f"{d.id} ({d.title.lower()})" for d in failed])
        return Outcome("gap", f"The visit would not be the supplier's international after-sales "
                       f"business, because {names} fails.", evidence)
    open_ = [d for d in live if d.verdict == "needs_evidence"]
    if open_:
        return Outcome("needs_evidence", "Cannot be settled until "
                       + _list([d.id for d in open_]) + " is settled.", evidence)
    return Outcome("met", "A supplier abroad services, under its own contract duty, goods it "
                   "sold or leased to the customer; this is after-sales service, which stays "
                   "outside the local labour market." + _trip_note(ctx), evidence)


@check("pay")
def _pay(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    fact = ctx.facts.personnel_pay
    evidence = fact.excerpts if fact else ()
    if fact and fact.value == "customer":
        return Outcome("gap", f"The contract has {ctx.customer} pay {ctx.supplier}'s personnel "
                       f"({ctx.cites(fact.excerpts)}); the technician would be paid by the "
                       "customer. "
                       f"{_cap(ctx.customer)} should pay {ctx.supplier}, never the "
                       "technician.", evidence)
    payroll = ctx.trip.payroll_country if ctx.trip else None
    if payroll == j:
        return Outcome("gap", f"The traveller is paid from {country_name(j)} (payroll country "
                       f"{j}); the pay must come from the employer abroad.", evidence)
    expenses = ""
    if ctx.trip and ctx.trip.expenses_paid_by == "customer":
        expenses = (" The customer paying reasonable travel expenses is acceptable; it must not "
                    "pay wages.")
    if payroll:
        said = (f" The contract agrees ({ctx.cites(fact.excerpts)})." if fact else
                " The contract itself does not say who pays the technicians.")
        return Outcome("met", f"The traveller is paid from {country_name(payroll)}, outside "
                       f"{country_name(j)}.{said}{expenses}", evidence)
    if fact and fact.value == "supplier":
        return Outcome("met", f"The contract says {ctx.supplier}'s personnel are employed and paid "
                       f"by {ctx.supplier} ({ctx.cites(fact.excerpts)})." + _trip_note(ctx)
                       + expenses, evidence)
    return Outcome("needs_evidence", f"The contract does not say who pays the technicians. Show "
                   f"that {ctx.supplier} pays them from abroad (payroll country), or add a clause "
                   "saying so." + expenses)


@check("employer_abroad")
def _employer_abroad(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    employer = ctx.trip.employer_country if ctx.trip else None
    evidence = ctx.party_excerpts("supplier")
    if employer == j:
        return Outcome("gap", f"The traveller's employer is based in {country_name(j)}; the "
                       "employer's business and profits must be abroad.", evidence)
    if employer:
        return Outcome("met", f"The traveller's employer is based in {country_name(employer)}.",
                       evidence)
    countries = ctx.countries("supplier")
    if j in countries:
        return Outcome("gap", f"{_cap(ctx.supplier)} is established in {country_name(j)}, "
                       "so its business and profits are not abroad.", evidence)
    if countries:
        return Outcome("met", f"{_cap(ctx.supplier)} is established in "
                       f"{country_list(countries)}."
                       + _trip_note(ctx), evidence)
    return Outcome("needs_evidence", f"The contract does not show where {ctx.supplier} is "
                   "established; give its country (the employer letter can show it).")


@check("cross_border")
def _cross_border(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    sup, cus = ctx.countries("supplier"), ctx.countries("customer")
    evidence = ctx.party_excerpts("supplier") + ctx.party_excerpts("customer")
    if not sup or not cus:
        missing = _list([n for n, c in ((ctx.supplier, sup), (ctx.customer, cus)) if not c])
        return Outcome("needs_evidence", f"The contract does not show where {missing} is "
                       "established, so the cross-border deal cannot be confirmed.", evidence)
    if j in sup:
        return Outcome("gap", f"{_cap(ctx.supplier)} is in {country_name(j)}: there is no "
                       "transaction from abroad behind the visit.", evidence)
    if sup & cus:
        return Outcome("gap", f"Both parties are in {country_list(sup & cus)}:"
                       " the deal does not cross a border.", evidence)
    note = ("" if j in cus else f" The customer is not in {country_name(j)}; these rules matter "
            f"only for service done in {country_name(j)}.")
    return Outcome("met", f"{_cap(ctx.supplier)} ({country_list(sup)}) supplies "
                   f"{ctx.customer} ({country_list(cus)}) across the border.{note}", evidence)


@check("supplier_abroad")
def _supplier_abroad(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    sup = ctx.countries("supplier")
    evidence = ctx.party_excerpts("supplier")
    if not sup:
        return Outcome("needs_evidence", f"The contract does not show where {ctx.supplier} is "
                       "established.", evidence)
    if j in sup:
        return Outcome("gap", f"{_cap(ctx.supplier)} is in {country_name(j)}: the goods "
                       f"come from a local company (such as a subsidiary or distributor), not "
                       "from abroad.", evidence)
    return Outcome("met", f"The goods come from {ctx.supplier}, established in "
                   f"{country_list(sup)}.", evidence)


@check("origin")
def _origin(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    fact = ctx.facts.origin
    evidence = fact.excerpts if fact else ()
    code = (ctx.trip.origin if ctx.trip and ctx.trip.origin else None) or (
        fact.value if fact else None)
    if not code:
        return Outcome("needs_evidence", "Neither the contract nor the trip facts say where the "
                       "goods were made; carry the commercial invoice or certificate of origin.")
    where = "the trip facts" if ctx.trip and ctx.trip.origin else ctx.cites(fact.excerpts)
    if code == j:
        return Outcome("gap", f"The goods are made in {country_name(j)} ({where}). Practitioners "
                       "treat this as a problem; the official text we checked does not. Raise it "
                       "with counsel before the trip.", evidence)
    return Outcome("met", f"The goods are made in {country_name(code)} ({where}).", evidence)


@check("commercial")
def _commercial(ctx: Context, req: Requirement) -> Outcome:
    fact = ctx.facts.consumer
    if fact:
        return Outcome("gap", "The contract speaks of personal or household goods "
                       f"({ctx.cites(fact.excerpts)}); only commercial or industrial goods "
                       "qualify.",
                       fact.excerpts)
    use = ctx.analysis.contract.commercial_use
    if use is False:
        return Outcome("gap", "The goods are not for commercial or industrial use.")
    if use:
        return Outcome("met", f"{_cap(ctx.customer)} acquires the "
                       f"{ctx.facts.names.goods} for its business.")
    said = ctx.facts.commercial
    if said:
        return Outcome("met", f"The contract states business use ({ctx.cites(said.excerpts)}).",
                       said.excerpts)
    return Outcome("needs_evidence", "The contract does not say the goods are for business use; "
                   "say so, or show the customer's business use.")


def _gaps(ctx: Context, services: list[str]) -> str:
    """'The contract does not make training anyone's duty; ...', one reason per service."""
    return "; ".join(_cap(ctx.reason(s)) for s in services)


@check("service_duty")
def _service_duty(ctx: Context, req: Requirement) -> Outcome:
    obligated = ctx.obligated()
    if ctx.trip:
        planned = ctx.trip_services()
        if not planned:
            return Outcome("gap", "None of the planned tasks is an after-sales service the "
                           "contract could require.")
        missing = [s for s in planned if s not in obligated]
        evidence = tuple(e for s in planned if s in obligated for e in ctx.service_evidence(s))
        if missing:
            return Outcome("gap", f"The contract does not make {ctx.supplier} do every "
                           f"planned service. {_gaps(ctx, missing)}.", evidence, tuple(missing))
        return Outcome("met", f"Every planned service is a duty of {ctx.supplier}: "
                       + "; ".join(f"{s} ({ctx.cites(ctx.service_evidence(s))})" for s in planned)
                       + ".", evidence)
    if not obligated:
        mentioned = [s for s in SERVICES if ctx.status(s) != "absent"]
        evidence = tuple(e for s in mentioned for e in ctx.service_evidence(s))
        why = (f" {_gaps(ctx, mentioned)}." if mentioned else
               " No installation, repair, maintenance, upgrade or training duty appears.")
        return Outcome("gap", f"The contract does not make {ctx.supplier} provide any service."
                       + why, evidence,
                       tuple(mentioned) or tuple(ctx.catalogue.rules.initial_services)
                       + ("repair",))
    evidence = tuple(e for s in obligated for e in ctx.service_evidence(s))
    others = [s for s in SERVICES if s not in obligated and ctx.status(s) != "absent"]
    note = f" Not covered: {_gaps(ctx, others)}." if others else ""
    return Outcome("met", f"{_cap(ctx.supplier)} must provide "
                   + "; ".join(f"{s} ({ctx.cites(ctx.service_evidence(s))})" for s in obligated)
                   + f".{note}", evidence)


@check("original_deal")
def _original_deal(ctx: Context, req: Requirement) -> Outcome:
    relevant = [s for s in (ctx.trip_services() if ctx.trip else SERVICES)
                if ctx.status(s) == "obligated"]
    if not relevant:
        optional = [s for s in SERVICES if ctx.status(s) == "optional"]
        if optional and not ctx.trip:
            return Outcome("gap", "The service is left to a later agreement, so it would not be "
                           f"part of the original deal: {_gaps(ctx, optional)}.",
                           tuple(e for s in optional for e in ctx.service_evidence(s)),
                           tuple(optional))
        return Outcome("not_applicable", "No planned service is a contract duty, so there is no "
                       "warranty or service term to place in the original deal (see the service "
                       "test).")
    loc = ctx.reader.loc
    primary = loc.name(0)
    renewal = [e for e in (ctx.facts.renewal.excerpts if ctx.facts.renewal else ())
               if loc.doc_index(e.file) == 0]
    rooted, loose_schedule, separate = [], [], []
    evidence: list[Excerpt] = []
    for s in relevant:
        places = []
        for e in ctx.service_evidence(s, "obligated"):
            doc = loc.doc_index(e.file)
            label = loc.attachment(doc, e.start, ctx.reader.cues.schedule_label) if (
                doc is not None) else None
            if doc not in (0, None):
                places.append(("separate", e))
            elif label and not ctx.facts.schedule_incorporated(label):
                places.append(("schedule", e))
            else:
                places.append(("rooted", e))
        kinds = {k for k, _ in places}
        evidence.extend(e for _, e in places)
        if "rooted" in kinds or "separate" in kinds and renewal:
            rooted.append(s)
        elif "separate" in kinds:
            separate.append(s)
        else:
            loose_schedule.append(s)
    evidence.extend(renewal)
    if separate:
        files = _list(sorted({e.file or "" for e in evidence if loc.doc_index(e.file) != 0}))
        return Outcome("needs_evidence", f"{_cap(_list(separate))} is only in a separate "
                       f"document ({files}), and the original contract ({primary}) provides for "
                       "no extension or renewal. Show that it was agreed with the original sale "
                       "or lease, or extends it.", tuple(evidence), tuple(separate))
    if loose_schedule:
        return Outcome("needs_evidence", f"{_cap(_list(loose_schedule))} is in a schedule "
                       "the contract does not say forms part of it. State that the schedule "
                       "forms part of the agreement.", tuple(evidence), tuple(loose_schedule))
    extra = ""
    if ctx.facts.schedules:
        where = ctx.cites(ctx.facts.schedules[0].excerpts)
        extra = f" The schedules form part of the agreement ({where})."
    if renewal:
        extra += f" The original contract provides for extension ({ctx.cites(renewal)})."
    return Outcome("met", f"The duties for {_list(rooted)} are part of the original "
                   f"contract.{extra}", tuple(evidence))


@check("activities")
def _activities(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    obligated = ctx.obligated()
    if ctx.trip:
        banned = [t for t in ctx.trip.tasks if not ctx.catalogue.task(t).allowed[j]]
        if banned:
            refs = sorted({r for t in banned for r in ctx.catalogue.task(t).forbidden_by
                           if r.startswith(j)})
            return Outcome("gap", f"The trip includes {_list(banned)}, which is not after-sales "
                           f"service" + (f" (see {_list(refs)})" if refs else "") + ".",
                           services=tuple(obligated))
        if "upgrade" in ctx.trip_services() and "upgrade" not in obligated:
            return Outcome("gap", "An upgrade visit counts only when the order or agreement for "
                           f"the upgrade states the service; here {ctx.reason('upgrade')}.",
                           services=("upgrade",))
        return Outcome("met", f"The planned tasks ({_list(ctx.trip.tasks)}) are accepted "
                       "after-sales activities.")
    if not obligated:
        return Outcome("gap", "No accepted activity (repair, servicing, supervising installation, "
                       "commissioning, training) is a contract duty.",
                       services=tuple(ctx.catalogue.rules.initial_services) + ("repair",))
    evidence = tuple(e for s in obligated for e in ctx.service_evidence(s))
    return Outcome("met", f"The contract duties ({_list(obligated)}) are accepted after-sales "
                   "activities." + _trip_note(ctx), evidence)


@check("no_construction")
def _no_construction(ctx: Context, req: Requirement) -> Outcome:
    fact = ctx.facts.construction
    evidence = fact.excerpts if fact else ()
    trip = ctx.trip
    if trip and ("construction" in trip.tasks or trip.construction):
        return Outcome("gap", "The trip involves construction or building-trades work, which a "
                       "visiting technician may supervise but not do.", evidence)
    if fact and fact.value == "carved_in":
        return Outcome("gap", f"The contract has {ctx.supplier} do construction or trades work "
                       f"itself ({ctx.cites(fact.excerpts)}); its staff may only supervise and "
                       "test that work.", evidence)
    if fact:
        return Outcome("met", f"Construction and trades work is {ctx.customer}'s "
                       f"({ctx.cites(fact.excerpts)}); {ctx.supplier} only supervises and tests.",
                       evidence)
    if trip and trip.construction is False:
        return Outcome("met", "The trip involves no construction or building-trades work.")
    installing = ctx.status("installation") == "obligated" or (
        trip is not None and "installation" in ctx.trip_services())
    if installing:
        return Outcome("needs_evidence", f"{_cap(ctx.supplier)} installs, but the contract "
                       "does not say who does the foundations, electrical and piping work. Say "
                       f"that {ctx.customer}'s contractors do it and {ctx.supplier} only "
                       "supervises.", ctx.service_evidence("installation"))
    return Outcome("not_applicable", "No installation duty and no construction work appear in "
                   "the contract.")


@check("no_production")
def _no_production(ctx: Context, req: Requirement) -> Outcome:
    fact = ctx.facts.production
    evidence = fact.excerpts if fact else ()
    if ctx.trip and "production operation" in ctx.trip.tasks:
        return Outcome("gap", "The trip includes running the equipment for production, which is "
                       "productive work, not after-sales service.", evidence)
    if fact and fact.value == "supplier":
        return Outcome("gap", f"The contract has {ctx.supplier}'s staff run the "
                       f"{ctx.facts.names.goods} for production ({ctx.cites(fact.excerpts)}).",
                       evidence)
    if fact:
        return Outcome("met", f"{_cap(ctx.supplier)}'s staff run the "
                       f"{ctx.facts.names.goods} only for trials and tests "
                       f"({ctx.cites(fact.excerpts)}).", evidence)
    return Outcome("met", f"Nothing in the contract has {ctx.supplier}'s staff run production"
                   + (", and no production work is planned." if ctx.trip else "."))


@check("specialised")
def _specialised(ctx: Context, req: Requirement) -> Outcome:
    fact = ctx.facts.specialised
    evidence = fact.excerpts if fact else ()
    support = (f" The contract supports it ({ctx.cites(fact.excerpts)}), but the proof is the "
               "traveller's own record." if fact else "")
    known = ctx.trip.specialised_knowledge if ctx.trip else None
    if known is True:
        return Outcome("met", "The traveller has documented product-specific knowledge (CV, "
                       "manufacturer training)." + support, evidence)
    if known is False:
        return Outcome("gap", "The trip facts say the traveller has no documented specialised "
                       "knowledge of the product.", evidence)
    return Outcome("needs_evidence", "Needs the traveller's proof of specialised knowledge "
                   "(CV, manufacturer training certificates)." + support, evidence)


def _same_org(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return " ".join(w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in x).split()
                        if w not in {"the", "inc", "ltd", "llc", "gmbh", "ag", "co", "corp",
                                     "limited", "corporation", "sa", "spa", "bv", "nv", "plc"})

    na, nb = norm(a), norm(b)
    return bool(na) and (na == nb or na.startswith(nb + " ") or nb.startswith(na + " "))


@check("own_staff")
def _own_staff(ctx: Context, req: Requirement) -> Outcome:
    partners = ctx.facts.partners
    sub = ctx.facts.subcontracting
    p_evidence = tuple(e for p in partners for e in p.excerpts)
    employer = ctx.trip.employer if ctx.trip else None
    if employer:
        suppliers = ctx.analysis.contract.side("supplier")
        if any(_same_org(employer, p.name) or (p.role and _same_org(employer, p.role))
               for p in suppliers) or employer.lower() in ("supplier", ctx.supplier.lower()):
            return Outcome("met", f"The traveller works for {ctx.supplier} itself.",
                           ctx.party_excerpts("supplier"))
        for p in partners:
            if _same_org(employer, p.value):
                return Outcome("met", f"The traveller works for {p.value}, named in the "
                               f"original contract as service partner "
                               f"({ctx.cites(p.excerpts)}).", p.excerpts)
        return Outcome("gap", f"The traveller works for {employer}, which is neither "
                       f"{ctx.supplier} nor a service partner the original contract names.",
                       p_evidence + (sub.excerpts if sub else ()))
    if sub:
        return Outcome("needs_evidence", f"The contract lets {ctx.supplier} hand the services to "
                       f"parties it does not name ({ctx.cites(sub.excerpts)}). Only its own staff "
                       "or a partner named in the original contract qualify; give the traveller's "
                       "employer.", sub.excerpts + p_evidence)
    if partners:
        return Outcome("met", f"Services are done by {ctx.supplier} or by the partner named in "
                       f"the contract ({_list([p.value for p in partners])}, "
                       f"{ctx.cites(p_evidence)})." + _trip_note(ctx), p_evidence)
    return Outcome("met", f"The contract names no outside servicer, so {ctx.supplier}'s own staff "
                   "do the work." + _trip_note(ctx))


def _term_dict(term: Term, window: Window | None, covers: bool | None) -> dict[str, Any]:
    return {
        "kind": term.kind,
        "period": term.describe(),
        "triggers": list(term.triggers),
        "renewable": term.renewable,
        "start": window.start.isoformat() if window and window.start else None,
        "end": window.end.isoformat() if window and window.end else None,
        "missing": list(window.missing) if window else [],
        "covers_visit": covers,
        "evidence": term.excerpt.to_dict(),
    }


def date_check(ctx: Context, services: list[str] | None = None) -> DateCheck:
    """Whether the trip dates fall within a warranty, service or lease period."""
    trip = ctx.trip
    terms = ctx.facts.terms
    evidence = tuple(t.excerpt for t in terms)
    if trip is None or trip.start is None:
        return DateCheck("no_dates", "Give the trip's start and end dates to check them against "
                         "the warranty, service or lease period.",
                         tuple(_term_dict(t, None, None) for t in terms), ("trip dates",),
                         evidence)
    end = trip.end or trip.start
    services = ctx.trip_services() if services is None else services
    initial = set(ctx.catalogue.rules.initial_services)
    timed = [s for s in services if s not in initial]
    windows = [(t, t.window(trip.contract_dates)) for t in terms]
    rows = []
    for t, w in windows:
        covers = None if w.missing else (w.start <= trip.start and end <= w.end)
        rows.append(_term_dict(t, w, covers))
    rows_t = tuple(rows)
    visit = f"{trip.start.isoformat()} to {end.isoformat()}"
    if not timed:
        ended = [w for _, w in windows if w.end and w.end < trip.start]
        if windows and len(ended) == len(windows):
            last = max(w.end for w in ended)
            return DateCheck("outside", f"Every period in the contract ended by "
                             f"{last.isoformat()}, before the visit ({visit}).", rows_t, (),
                             evidence)
        return DateCheck("not_needed", f"The planned work ({_list(services) or 'none'}) is owed "
                         "on delivery, not timed by a warranty or service period.", rows_t, (),
                         evidence)
    if not terms:
        return DateCheck("no_term", "The contract states no warranty, service or lease period, "
                         f"so the {_list(timed)} visit ({visit}) cannot be shown to fall within "
                         "one.", (), (), ())
    covering = [t for (t, w) in windows if not w.missing and w.start <= trip.start
                and end <= w.end]
    if covering:
        t = covering[0]
        return DateCheck("within", f"The visit ({visit}) falls within the {t.kind} period "
                         f"({t.describe()}, {ctx.cite(t.excerpt)}).", rows_t, (), evidence)
    missing = tuple(dict.fromkeys(m for _, w in windows for m in w.missing))
    if missing:
        return DateCheck("unknown", "To place the period on the calendar, give the date of "
                         f"{_list([m.replace('start', 'the period start') for m in missing], 'or')}"
                         " among the trip facts (contract_dates in a trip file, the dates of contract events"
                         " in the app).", rows_t,
                         tuple(f"{m} date" for m in missing), evidence)
    renewable = [t for t, w in windows if t.renewable and w.end and w.end < trip.start]
    if renewable:
        t = renewable[0]
        return DateCheck("unknown", f"The {t.kind} period ended on "
                         f"{t.window(trip.contract_dates).end.isoformat()}, but it can be renewed "
                         f"({ctx.cite(t.excerpt)}); show the renewal.", rows_t, ("renewal",),
                         evidence)
    last_end = max(w.end for _, w in windows)
    first_start = min(w.start for _, w in windows)
    if trip.start < first_start:
        why = f"starts before the first period begins ({first_start.isoformat()})"
    else:
        why = f"falls after the periods end (last end {last_end.isoformat()})"
    return DateCheck("outside", f"The {_list(timed)} visit ({visit}) {why}.", rows_t, (),
                     evidence)


@check("in_term")
def _in_term(ctx: Context, req: Requirement) -> Outcome:
    obligated = ctx.obligated()
    terms = ctx.facts.terms
    evidence = tuple(t.excerpt for t in terms)
    if ctx.trip is None:
        if not obligated:
            return Outcome("not_applicable", "The contract has no service duty to time.")
        initial = set(ctx.catalogue.rules.initial_services)
        timed = [s for s in obligated if s not in initial]
        if not terms:
            if timed:
                return Outcome("gap", f"The contract states no warranty, service or lease period "
                               f"for {_list(timed)}, so no visit can be shown to fall within "
                               "one.", services=tuple(timed))
            return Outcome("met", f"The duties ({_list(obligated)}) are owed on delivery; no "
                           "period is needed for them.")
        dated = [t for t in terms if t.has_trigger or t.start_date]
        if not dated:
            return Outcome("needs_evidence", "The period has no clear start ("
                           + "; ".join(f"{t.describe()}, {ctx.cite(t.excerpt)}" for t in terms)
                           + "). Tie it to delivery, installation or acceptance.", evidence)
        return Outcome("met", "The contract sets "
                       + "; ".join(f"a {t.kind} period of {t.describe()} ({ctx.cite(t.excerpt)})"
                                   for t in dated)
                       + ". The visit must fall within it.", evidence)
    dc = date_check(ctx)
    verdict = {"within": "met", "not_needed": "met", "outside": "gap", "no_term": "gap",
               "unknown": "needs_evidence", "no_dates": "needs_evidence"}[dc.status]
    timed = tuple(s for s in ctx.trip_services()
                  if s not in ctx.catalogue.rules.initial_services)
    return Outcome(verdict, dc.explanation, dc.evidence, timed)


@check("after_lease")
def _after_lease(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    if not ctx.is_lease:
        return Outcome("not_applicable", "The deal is a sale, not a lease; the after-sales tests "
                       "apply.")
    sup = ctx.countries("supplier")
    evidence = ctx.party_excerpts("supplier")
    if not sup:
        return Outcome("needs_evidence", f"The lease does not show where {ctx.supplier} is "
                       "established.", evidence)
    if j in sup:
        return Outcome("gap", f"{_cap(ctx.supplier)} is in {country_name(j)}: the "
                       "equipment is not leased from abroad.", evidence)
    duties = [s for s in ("maintenance", "repair") if ctx.status(s) == "obligated"]
    if not duties:
        return Outcome("gap", f"The lease does not make {ctx.supplier} maintain or repair the "
                       f"equipment: {_gaps(ctx, ['maintenance', 'repair'])}.",
                       tuple(e for s in ("maintenance", "repair")
                             for e in ctx.service_evidence(s)), ("maintenance", "repair"))
    ev = tuple(e for s in duties for e in ctx.service_evidence(s))
    return Outcome("met", f"{_cap(ctx.supplier)}, established in "
                   f"{country_list(sup)}, must {_verbs(duties)} the "
                   f"leased equipment ({ctx.cites(ev)}). Canada accepts this after-lease service "
                   "under its general business-visitor rules.", evidence + ev)


def _fta(ctx: Context, req: Requirement, allowed: tuple[str, ...], label: str) -> Outcome | None:
    """Shared gates of the CUSMA/USMCA routes: sales only, and the listed citizenships."""
    if ctx.is_lease:
        return Outcome("not_applicable", f"{label} after-sales covers sales only; a lease uses "
                       "the after-lease route.")
    citizenship = ctx.trip.citizenship if ctx.trip else None
    if citizenship and citizenship not in allowed:
        return Outcome("not_applicable", f"{label} is open to citizens of "
                       f"{country_list(allowed, 'or')}; the traveller is a citizen of "
                       f"{country_name(citizenship)}.")
    return None


@check("cusma")
def _cusma(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    allowed = ctx.catalogue.rules.cusma_citizenships
    gate = _fta(ctx, req, allowed, "CUSMA")
    if gate:
        return gate
    sup = ctx.countries("supplier")
    obligated = ctx.obligated()
    evidence = tuple(e for s in obligated for e in ctx.service_evidence(s))
    if j in sup:
        return Outcome("gap", f"The goods are bought from {ctx.supplier} in {country_name(j)}, not "
                       "from an enterprise outside it.", ctx.party_excerpts("supplier"))
    if not obligated:
        return Outcome("gap", "No warranty or service duty of the seller comes with the sale.",
                       services=("repair", "maintenance"))
    if not sup:
        return Outcome("needs_evidence", f"The contract does not show where {ctx.supplier} is "
                       "established.", evidence)
    if ctx.trip and not ctx.trip.citizenship:
        return Outcome("needs_evidence", "Give the traveller's citizenship: this route is for "
                       f"citizens of {country_list(allowed, 'or')}.", evidence)
    who = ("The traveller's citizenship qualifies, and the" if ctx.trip else
           f"Open to citizens of {country_list(allowed, 'or')}: the")
    return Outcome("met", f"{who} sale comes with service duties of {ctx.supplier} "
                   f"({_list(obligated)}), bought from a seller in {country_list(sup)}.", evidence)


@check("stay")
def _stay(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    trip = ctx.trip
    if trip is None or trip.start is None:
        return Outcome("needs_evidence", "Needs the trip dates and the traveller's papers "
                       "(passport, visa or eTA where required, funds, return travel).")
    days = ((trip.end or trip.start) - trip.start).days + 1
    limit = ctx.catalogue.rules.max_stay_days[j]
    if days > limit:
        return Outcome("gap", f"The stay of {days} days is longer than a temporary business "
                       f"visit (about {limit} days).")
    return Outcome("met", f"A stay of {days} days is temporary. Carry the passport, any visa or "
                   "eTA, proof of funds and the return ticket.")


def _route_failed(ctx: Context, req: Requirement) -> Outcome | None:
    failed = [ctx.results[d] for d in req.depends_on
              if d in ctx.results and ctx.results[d].verdict == "gap"]
    if not failed:
        return Outcome("not_applicable", "The business-visitor route does not fail on the "
                       "service or period tests, so this fallback is not needed.")
    return None


@check("c13")
def _c13(ctx: Context, req: Requirement) -> Outcome:
    gate = _route_failed(ctx, req)
    if gate:
        return gate
    trip = ctx.trip
    if trip is None:
        return Outcome("needs_evidence", "The business-visitor route fails. A C13 work permit may "
                       "fit an emergency repair, or an out-of-warranty repair when the maker has "
                       "no commercial presence in Canada; give the trip facts to check.")
    if trip.emergency in ("equipment", "life_or_property"):
        return Outcome("met", "An emergency repair that keeps people at work can use the C13 "
                       "work permit, in or out of warranty.")
    if not {"repair", "maintenance"} & set(ctx.trip_services()):
        return Outcome("gap", "The C13 work permit is for repair personnel; the planned tasks "
                       "are not repairs.")
    if trip.oem_presence_in_canada:
        return Outcome("gap", "The manufacturer has a commercial presence in Canada, so the "
                       "out-of-warranty C13 stream is not open.")
    if trip.specialised_knowledge is False:
        return Outcome("gap", "The out-of-warranty C13 stream needs specific product knowledge, "
                       "which the traveller lacks.")
    if trip.oem_presence_in_canada is None or trip.specialised_knowledge is None:
        need = [n for n, v in (("whether the maker has a commercial presence in Canada",
                                trip.oem_presence_in_canada),
                               ("the traveller's specialised knowledge",
                                trip.specialised_knowledge)) if v is None]
        return Outcome("needs_evidence", "For the out-of-warranty C13 stream, give "
                       + _list(need) + ".")
    return Outcome("met", "Out-of-warranty repair by a specialist of a maker without a "
                   "commercial presence in Canada can use the C13 work permit (employer "
                   "compliance submission and fee; usually about 30 days).")


@check("emergency_services")
def _emergency_services(ctx: Context, req: Requirement) -> Outcome:
    gate = _route_failed(ctx, req)
    if gate:
        return gate
    emergency = ctx.trip.emergency if ctx.trip else None
    if emergency == "life_or_property":
        return Outcome("met", "The visit protects or preserves life or property in an emergency, "
                       "which needs no permit. The officer decides; keep proof of the emergency.")
    if emergency in ("equipment", "none"):
        return Outcome("gap", "This exemption covers emergencies threatening life or property, "
                       "not equipment repair or routine service.")
    return Outcome("needs_evidence", "Say whether there is an emergency, and whether it "
                   "threatens life or property.")


@check("us_sale_duty")
def _us_sale_duty(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    if ctx.is_lease:
        return Outcome("not_applicable", "The US rule speaks of goods bought; for a lease see "
                       "US-9.")
    sup = ctx.countries("supplier")
    if j in sup:
        return Outcome("gap", f"{_cap(ctx.supplier)} is in the United States, so the goods "
                       "are not bought from a company outside the US.",
                       ctx.party_excerpts("supplier"))
    trip = ctx.trip
    obligated = ctx.obligated()
    if trip:
        banned = [t for t in trip.tasks if not ctx.catalogue.task(t).allowed[j]]
        if banned:
            return Outcome("gap", f"The trip includes {_list(banned)}, which is not installing, "
                           "servicing or repairing the equipment, or training others to.")
        planned = ctx.trip_services()
        missing = [s for s in planned if s not in obligated]
        if missing:
            return Outcome("gap", "The sale contract does not specifically require the seller to "
                           f"provide every planned service. {_gaps(ctx, missing)}.",
                           tuple(e for s in planned if s in obligated
                                 for e in ctx.service_evidence(s)), tuple(missing))
        obligated = planned
    elif not obligated:
        mentioned = [s for s in SERVICES if ctx.status(s) != "absent"]
        return Outcome("gap", "The sale contract does not specifically require the seller to "
                       "install, service, repair or train."
                       + (f" {_gaps(ctx, mentioned)}." if mentioned else ""),
                       tuple(e for s in mentioned for e in ctx.service_evidence(s)),
                       tuple(mentioned) or ("installation", "repair", "training"))
    evidence = tuple(e for s in obligated for e in ctx.service_evidence(s))
    if not sup:
        return Outcome("needs_evidence", f"The duties are there, but the contract does not show "
                       f"where {ctx.supplier} is established.", evidence)
    return Outcome("met", f"The sale contract requires {ctx.supplier} to provide "
                   + "; ".join(f"{s} ({ctx.cites(ctx.service_evidence(s))})" for s in obligated)
                   + "." + _trip_note(ctx), evidence)


@check("usmca")
def _usmca(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    allowed = ctx.catalogue.rules.usmca_citizenships
    gate = _fta(ctx, req, allowed, "USMCA")
    if gate:
        return gate
    sup = ctx.countries("supplier")
    obligated = ctx.obligated()
    evidence = tuple(e for s in obligated for e in ctx.service_evidence(s))
    origin = (ctx.trip.origin if ctx.trip and ctx.trip.origin else None) or (
        ctx.facts.origin.value if ctx.facts.origin else None)
    origin_ev = ctx.facts.origin.excerpts if ctx.facts.origin else ()
    if j in sup:
        return Outcome("gap", "The goods are bought from a US company, not from an enterprise "
                       "outside the US.", ctx.party_excerpts("supplier"))
    if origin == j:
        return Outcome("gap", "The goods are made in the United States; this route needs goods "
                       "made outside the US.", origin_ev)
    if not obligated:
        return Outcome("gap", "No warranty or service contract of the seller comes with the sale.",
                       services=("repair", "maintenance"))
    terms = [t for t in ctx.facts.terms if t.kind in ("warranty", "service", "agreement")]
    if ctx.trip:
        dc = date_check(ctx)
        if dc.status in ("outside", "no_term"):
            return Outcome("gap", "The visit must happen during the life of the warranty or "
                           f"service agreement. {dc.explanation}", dc.evidence,
                           tuple(s for s in ctx.trip_services() if s in ("repair", "maintenance",
                                                                          "upgrade")))
    open_points = []
    if not sup:
        open_points.append(f"where {ctx.supplier} is established")
    if not origin:
        open_points.append("where the goods were made (certificate of origin)")
    if ctx.trip and not ctx.trip.citizenship:
        open_points.append("the traveller's citizenship")
    if ctx.trip:
        dc = date_check(ctx)
        if dc.status in ("unknown", "no_dates"):
            open_points.append(dc.explanation[0].lower() + dc.explanation[1:].rstrip("."))
    elif not terms:
        open_points.append("the warranty or service period")
    if open_points:
        return Outcome("needs_evidence", "Still to show: " + "; ".join(open_points) + ".",
                       evidence + origin_ev)
    who = ("The traveller's citizenship qualifies" if ctx.trip else
           f"Open to citizens of {country_list(allowed, 'or')}")
    return Outcome("met", f"{who}: the sale comes with service duties of {ctx.supplier} "
                   f"({_list(obligated)}), the seller is outside the US and the goods are made in "
                   f"{country_name(origin)}.", evidence + origin_ev)


@check("point_of_sale")
def _point_of_sale(ctx: Context, req: Requirement) -> Outcome:
    obligated = ctx.obligated()
    if not obligated:
        return Outcome("not_applicable", "No service duty to renew or to hand to a servicer.")
    sub = ctx.facts.subcontracting
    if sub:
        return Outcome("gap", f"The contract lets {ctx.supplier} use servicers it does not name "
                       f"({ctx.cites(sub.excerpts)}); conservative US practice wants third-party "
                       "servicers fixed at the time of sale.", sub.excerpts)
    loc = ctx.reader.loc
    primary = loc.name(0)
    renewal = ctx.facts.renewal
    renewal_here = [e for e in (renewal.excerpts if renewal else ())
                    if loc.doc_index(e.file) == 0]
    separate = [s for s in obligated
                if all(loc.doc_index(e.file) not in (0, None)
                       for e in ctx.service_evidence(s, "obligated"))]
    if separate and not renewal_here:
        return Outcome("gap", f"{_cap(_list(separate))} comes from a separate service "
                       f"contract that the original contract ({primary}) does not provide for.",
                       tuple(e for s in separate for e in ctx.service_evidence(s)))
    fixed = [t for t in ctx.facts.terms if t.kind == "service" and not t.renewable]
    if fixed and not renewal_here:
        t = fixed[0]
        return Outcome("gap", f"The service term ({t.describe()}, {ctx.cite(t.excerpt)}) has no "
                       "renewal option; conservative US practice wants renewals written into "
                       "the original contract.", (t.excerpt,))
    evidence = tuple(renewal_here) + tuple(e for p in ctx.facts.partners for e in p.excerpts)
    detail = f" Renewal is provided for ({ctx.cites(renewal_here)})." if renewal_here else ""
    return Outcome("met", "The service terms and any servicers are fixed in the original "
                   f"contract.{detail}", evidence)


@check("us_lease")
def _us_lease(ctx: Context, req: Requirement) -> Outcome:
    j = req.jurisdiction
    if not ctx.is_lease:
        return Outcome("not_applicable", "The deal is a sale; US-2 applies.")
    sup = ctx.countries("supplier")
    if not sup:
        return Outcome("needs_evidence", f"The lease does not show where {ctx.supplier} is "
                       "established.")
    if j in sup:
        return Outcome("gap", f"{_cap(ctx.supplier)} is in the United States: the "
                       "equipment is not leased from a foreign enterprise.",
                       ctx.party_excerpts("supplier"))
    duties = [s for s in ("maintenance", "repair") if ctx.status(s) == "obligated"]
    if not duties:
        return Outcome("gap", f"The lease does not call for {ctx.supplier} to service the "
                       f"equipment: {_gaps(ctx, ['maintenance', 'repair'])}.",
                       services=("maintenance", "repair"))
    ev = tuple(e for s in duties for e in ctx.service_evidence(s))
    lease_terms = [t for t in ctx.facts.terms if t.kind == "lease"]
    if not lease_terms:
        return Outcome("needs_evidence", "The lease calls for service, but states no lease term, "
                       "so service during the lease cannot be shown. State the lease term.", ev,
                       tuple(duties))
    t = lease_terms[0]
    return Outcome("met", f"The lease calls for {ctx.supplier} to {_verbs(duties)} the equipment "
                   f"({ctx.cites(ev)}) during the lease term ({t.describe()}, "
                   f"{ctx.cite(t.excerpt)}). "
                   "Caution: US after-lease service rests on a 2013 CBP policy memo, not on the "
                   "regulation, and USMCA does not cover it; carry the lease and expect "
                   "questions.", ev + (t.excerpt,))


# --------------------------------------------------------------------------------------------
# Evaluation


def get_catalogue(path: str | None = None) -> Catalogue:
    """The catalogue, with every `check` name confirmed to exist in this engine."""
    from analyzer.requirements.catalogue import CatalogueError

    cat = load_catalogue(path)
    for req in cat.requirements:
        if req.check not in CHECKS:
            raise CatalogueError(f"catalogue.toml: requirement {req.id}: field 'check' names "
                                 f"unknown check {req.check!r}; known: "
                                 + ", ".join(sorted(CHECKS)))
    return cat


def fill_remedy(ctx: Context, req: Requirement, services: tuple[str, ...]) -> str | None:
    """The catalogue's remedy with the contract's own names, the services and the period."""
    if not req.remedy:
        return None
    names = ctx.names
    duties = [ctx.catalogue.service_duties[s].format(**names) for s in dict.fromkeys(services)]
    if len(duties) > 1:
        letters = "abcdefghij"
        parts = [f"({letters[i]}) {d}" for i, d in enumerate(duties)]
        listed = "; ".join(parts[:-1]) + "; and " + parts[-1]
    else:
        listed = duties[0] if duties else "[the services]"
    term = next((t.describe() for t in ctx.facts.terms
                 if t.kind in ("warranty", "service", "lease") and t.has_trigger), DEFAULT_TERM)
    return req.remedy.format(**names, services=listed, term=term)


def _scope(ctx: Context, req: Requirement) -> Outcome | None:
    """Trip-level exclusions: the other country, or a citizen of the destination."""
    trip = ctx.trip
    if trip is None:
        return None
    if req.jurisdiction != trip.destination:
        return Outcome("not_applicable", f"The trip goes to {country_name(trip.destination)}; "
                       f"the rules of {country_name(req.jurisdiction)} are not checked for it.")
    if trip.citizenship == req.jurisdiction:
        return Outcome("not_applicable", f"The traveller is a citizen of "
                       f"{country_name(req.jurisdiction)} and needs no visitor status there.")
    return None


def make_context(analysis: Analysis, trip: TripFacts | None = None,
                 catalogue: Catalogue | None = None) -> Context:
    reader = DealReader(analysis)
    return Context(analysis, trip, catalogue or get_catalogue(), reader.read(), reader)


def evaluate_context(ctx: Context) -> list[RequirementResult]:
    for req in ctx.catalogue.evaluation_order():
        outcome = _scope(ctx, req) or CHECKS[req.check](ctx, req)
        remedy = fill_remedy(ctx, req, outcome.services) if outcome.verdict == "gap" else None
        ctx.results[req.id] = RequirementResult(
            id=req.id, jurisdiction=req.jurisdiction, route=req.route, title=req.title,
            verdict=outcome.verdict, severity=req.severity, explanation=outcome.explanation,
            evidence=tuple(dict.fromkeys(outcome.evidence)), remedy=remedy, source=req.source,
            test=req.test, needs_trip=req.needs_trip,
        )
    return [ctx.results[r.id] for r in ctx.catalogue.requirements]


def evaluate(analysis: Analysis, trip: TripFacts | None = None) -> list[RequirementResult]:
    """One result per catalogue requirement, both jurisdictions, in catalogue order."""
    return evaluate_context(make_context(analysis, trip))


def requirements_section(analysis: Analysis, trip: TripFacts | None = None) -> list[dict]:
    """The report's "requirements" list as plain dicts."""
    return [r.to_dict() for r in evaluate(analysis, trip)]


def route_applies(ctx: Context, route: Route) -> bool:
    """Whether a trip could use `route`: right kind of deal and, if listed, citizenship."""
    deal = "lease" if ctx.is_lease else "sale"
    if route.deal not in ("any", deal):
        return False
    citizenship = ctx.trip.citizenship if ctx.trip else None
    return not route.citizenships or citizenship in route.citizenships

