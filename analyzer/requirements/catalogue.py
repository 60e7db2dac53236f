"""Load and validate the requirements catalogue (catalogue.toml).

The legal tests live in data so that a lawyer can correct wording, sources or remedies without
touching code; this module makes sure an edit cannot silently break the engine, naming the entry
and field at fault.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analyzer.errors import BadInputError
from analyzer.results import KINDS, SERVICES, STATUSES

DEFAULT_PATH = Path(__file__).with_name("catalogue.toml")

JURISDICTIONS = ("CA", "US")
VERDICTS = ("met", "gap", "needs_evidence", "not_applicable")
SEVERITIES = ("fail", "risk")
CONFIDENCES = ("official", "official-via", "practice")
DECIDE_FROM = ("C", "D", "C+D")
ROUTE_KINDS = ("visitor", "group", "fallback")
DEALS = ("sale", "lease", "any")
DOC_NEEDS = ("yes", "optional", "no")
DOC_WHEN = ("always", "c13")
# Evidence groups a document item can ask the traveller to mark in the contract copy.
MARKS = (
    "services", "terms", "pay", "schedules", "renewal", "origin", "partners", "construction",
    "production", "specialised",
)
# Trip fields a requirement may be decided by (kept in step with dispatch.TripFacts by a test).
TRIP_FIELDS = (
    "destination", "citizenship", "tasks", "start", "end", "employer", "employer_country",
    "payroll_country", "expenses_paid_by", "specialised_knowledge", "origin", "construction",
    "emergency", "oem_presence_in_canada", "contract_dates",
)
CONTRACT_FACTS = (
    "contract.kind", "contract.parties", "contract.commercial_use", "services", "terms",
    "personnel_pay", "construction", "production", "partners", "subcontracting", "renewal",
    "schedules", "origin", "consumer", "commercial", "specialised", "documents",
)
DECIDED_BY = CONTRACT_FACTS + tuple(f"trip.{f}" for f in TRIP_FIELDS)
# Placeholders a remedy or duty template may use; filled from the contract's defined names.
NAME_FIELDS = frozenset(
    {"supplier", "Supplier", "customer", "Customer", "goods", "Goods", "agreement", "Agreement"}
)
REMEDY_FIELDS = NAME_FIELDS | {"services", "term"}
REASON_FIELDS = frozenset({"service", "supplier", "customer"})

_REQ_ID = re.compile(r"^(CA|US)-(ALT-)?\d+$")
_DOC_ID = re.compile(r"^DOC-\d+$")
_ROUTE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class CatalogueError(BadInputError):
    """The catalogue file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class SourceRef:
    cite: str
    confidence: str

    def __str__(self) -> str:
        return f"{self.cite} [{self.confidence}]"


@dataclass(frozen=True)
class Requirement:
    id: str
    jurisdiction: str
    route: str
    title: str
    test: str
    decide_from: str
    needs_trip: bool
    severity: str
    decided_by: tuple[str, ...]
    verdicts: tuple[str, ...]
    check: str
    depends_on: tuple[str, ...]
    remedy: str
    sources: tuple[SourceRef, ...]

    @property
    def source(self) -> str:
        """All citations on one line, as the report prints them."""
        return "; ".join(str(s) for s in self.sources)


@dataclass(frozen=True)
class Route:
    id: str
    jurisdiction: str
    kind: str
    title: str
    basis: str
    deal: str
    citizenships: tuple[str, ...]
    caution: str
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Task:
    name: str
    service: str  # "" when the task is no after-sales service
    allowed: dict[str, bool]
    forbidden_by: tuple[str, ...]


@dataclass(frozen=True)
class DocumentItem:
    id: str
    item: str
    needs: dict[str, str]  # jurisdiction -> "yes" | "optional" | "no"
    when: str
    marks: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    @property
    def source(self) -> str:
        return "; ".join(str(s) for s in self.sources)


@dataclass(frozen=True)
class Rules:
    lease_kinds: tuple[str, ...]
    lease_roles: tuple[str, ...]
    max_stay_days: dict[str, int]
    cusma_citizenships: tuple[str, ...]
    usmca_citizenships: tuple[str, ...]
    initial_services: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    requirements: tuple[Requirement, ...]
    routes: tuple[Route, ...]
    tasks: tuple[Task, ...]
    documents: tuple[DocumentItem, ...]
    rules: Rules
    status_reasons: dict[str, str]
    service_duties: dict[str, str]

    def requirement(self, req_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == req_id:
                return r
        raise KeyError(req_id)

    def route(self, route_id: str) -> Route:
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)

    def task(self, name: str) -> Task:
        for t in self.tasks:
            if t.name == name:
                return t
        raise KeyError(name)

    def evaluation_order(self) -> list[Requirement]:
        """Requirements with every dependency before the entries that summarise it."""
        done: dict[str, Requirement] = {}
        by_id = {r.id: r for r in self.requirements}

        def visit(r: Requirement) -> None:
            if r.id in done:
                return
            for dep in r.depends_on:
                visit(by_id[dep])
            done[r.id] = r

        for r in self.requirements:
            visit(r)
        return list(done.values())


class _Entry:
    """Typed access to one TOML table; every error names the file, the entry and the field."""

    def __init__(self, path: Path, where: str, table: Any, fields: set[str]):
        self.path, self.where = path, where
        if not isinstance(table, dict):
            self.fail(None, "must be a table")
        unknown = sorted(set(table) - fields)
        if unknown:
            self.fail(unknown[0], "is not a known field (typo?)")
        self.table = table

    def fail(self, field: str | None, message: str) -> None:
        at = f"{self.where}: field '{field}'" if field else self.where
        raise CatalogueError(f"{self.path.name}: {at} {message}")

    def _get(self, field: str) -> Any:
        if field not in self.table:
            self.fail(field, "is missing")
        return self.table[field]

    def text(
        self, field: str, *, choices: tuple[str, ...] | None = None, empty: bool = False
    ) -> str:
        value = self._get(field)
        if not isinstance(value, str):
            self.fail(field, f"must be a string (got {type(value).__name__})")
        if not empty and not value.strip():
            self.fail(field, "must not be empty")
        if choices is not None and value not in choices:
            self.fail(field, f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    def flag(self, field: str) -> bool:
        value = self._get(field)
        if not isinstance(value, bool):
            self.fail(field, f"must be true or false (got {value!r})")
        return value

    def texts(
        self, field: str, *, choices: tuple[str, ...] | None = None, empty: bool = True,
        pattern: re.Pattern[str] | None = None,
    ) -> tuple[str, ...]:
        value = self._get(field)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, "must be a list of strings")
        if not empty and not value:
            self.fail(field, "must not be empty")
        if len(set(value)) != len(value):
            self.fail(field, "lists an item twice")
        for v in value:
            if choices is not None and v not in choices:
                self.fail(field, f"has {v!r}, which is not one of {', '.join(choices)}")
            if pattern is not None and not pattern.match(v):
                self.fail(field, f"has {v!r}, which is not in the expected form")
        return tuple(value)

    def per_jurisdiction(self, field: str, kind: type) -> dict[str, Any]:
        value = self._get(field)
        if not isinstance(value, dict) or set(value) != set(JURISDICTIONS):
            self.fail(field, f"must be a table with exactly the keys {', '.join(JURISDICTIONS)}")
        for j, v in value.items():
            if type(v) is not kind:
                self.fail(field, f"must give a {kind.__name__} for {j} (got {v!r})")
        return dict(value)

    def template(self, field: str, allowed: frozenset[str], *, empty: bool = False) -> str:
        value = self.text(field, empty=empty)
        self.check_template(field, value, allowed)
        return value

    def check_template(self, field: str, value: str, allowed: frozenset[str]) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            self.fail(field, f"is not a valid template ({exc})")
        bad = sorted(n for n in names if n not in allowed)
        if bad:
            self.fail(field, f"uses unknown placeholder {{{bad[0]}}}; allowed: "
                      + ", ".join(sorted(allowed)))

    def sources(self, field: str) -> tuple[SourceRef, ...]:
        value = self._get(field)
        if not isinstance(value, list) or not value:
            self.fail(field, "must be a non-empty list of {cite, confidence} tables")
        out = []
        for i, item in enumerate(value, 1):
            sub = _Entry(self.path, f"{self.where}, source {i}", item, {"cite", "confidence"})
            out.append(SourceRef(sub.text("cite"), sub.text("confidence", choices=CONFIDENCES)))
        return tuple(out)


def _requirement(path: Path, table: Any, index: int) -> Requirement:
    where = f"requirement #{index}"
    if isinstance(table, dict) and isinstance(table.get("id"), str):
        where = f"requirement {table['id']}"
    e = _Entry(path, where, table, {f for f in Requirement.__dataclass_fields__})
    req_id = e.text("id")
    if not _REQ_ID.match(req_id):
        e.fail("id", f"must look like CA-5, US-2 or CA-ALT-1 (got {req_id!r})")
    jurisdiction = e.text("jurisdiction", choices=JURISDICTIONS)
    if not req_id.startswith(jurisdiction + "-"):
        e.fail("jurisdiction", f"is {jurisdiction} but the id says otherwise")
    decide_from = e.text("decide_from", choices=DECIDE_FROM)
    needs_trip = e.flag("needs_trip")
    if needs_trip != ("D" in decide_from):
        e.fail("needs_trip", f"must be {str('D' in decide_from).lower()} when decide_from is "
               f"{decide_from!r}")
    return Requirement(
        id=req_id,
        jurisdiction=jurisdiction,
        route=e.text("route"),
        title=e.text("title"),
        test=e.text("test"),
        decide_from=decide_from,
        needs_trip=needs_trip,
        severity=e.text("severity", choices=SEVERITIES),
        decided_by=e.texts("decided_by", choices=DECIDED_BY, empty=False),
        verdicts=e.texts("verdicts", choices=VERDICTS, empty=False),
        check=e.text("check"),
        depends_on=e.texts("depends_on", pattern=_REQ_ID),
        remedy=e.template("remedy", REMEDY_FIELDS, empty=True),
        sources=e.sources("sources"),
    )


def _route(path: Path, table: Any, index: int) -> Route:
    where = f"route #{index}"
    if isinstance(table, dict) and isinstance(table.get("id"), str):
        where = f"route {table['id']}"
    e = _Entry(path, where, table, {f for f in Route.__dataclass_fields__})
    route_id = e.text("id")
    if not _ROUTE_ID.match(route_id):
        e.fail("id", f"must be lower-case words joined by '-' (got {route_id!r})")
    return Route(
        id=route_id,
        jurisdiction=e.text("jurisdiction", choices=JURISDICTIONS),
        kind=e.text("kind", choices=ROUTE_KINDS),
        title=e.text("title"),
        basis=e.text("basis"),
        deal=e.text("deal", choices=DEALS),
        citizenships=e.texts("citizenships", pattern=_COUNTRY),
        caution=e.text("caution", empty=True),
        requirements=e.texts("requirements", pattern=_REQ_ID, empty=False),
    )


def _task(path: Path, table: Any, index: int) -> Task:
    where = f"task #{index}"
    if isinstance(table, dict) and isinstance(table.get("name"), str):
        where = f"task {table['name']!r}"
    e = _Entry(path, where, table, {f for f in Task.__dataclass_fields__})
    return Task(
        name=e.text("name"),
        service=e.text("service", choices=("",) + SERVICES, empty=True),
        allowed=e.per_jurisdiction("allowed", bool),
        forbidden_by=e.texts("forbidden_by", pattern=_REQ_ID),
    )


def _document(path: Path, table: Any, index: int) -> DocumentItem:
    where = f"document #{index}"
    if isinstance(table, dict) and isinstance(table.get("id"), str):
        where = f"document {table['id']}"
    e = _Entry(path, where, table, {"id", "item", "CA", "US", "when", "marks", "sources"})
    doc_id = e.text("id")
    if not _DOC_ID.match(doc_id):
        e.fail("id", f"must look like DOC-3 (got {doc_id!r})")
    return DocumentItem(
        id=doc_id,
        item=e.text("item"),
        needs={j: e.text(j, choices=DOC_NEEDS) for j in JURISDICTIONS},
        when=e.text("when", choices=DOC_WHEN),
        marks=e.texts("marks", choices=MARKS),
        sources=e.sources("sources"),
    )


def _rules(path: Path, table: Any) -> Rules:
    e = _Entry(path, "[rules]", table, {f for f in Rules.__dataclass_fields__})
    stays = e.per_jurisdiction("max_stay_days", int)
    for j, days in stays.items():
        if days <= 0:
            e.fail("max_stay_days", f"must be positive for {j}")
    return Rules(
        lease_kinds=e.texts("lease_kinds", choices=KINDS, empty=False),
        lease_roles=tuple(r.lower() for r in e.texts("lease_roles")),
        max_stay_days=stays,
        cusma_citizenships=e.texts("cusma_citizenships", pattern=_COUNTRY, empty=False),
        usmca_citizenships=e.texts("usmca_citizenships", pattern=_COUNTRY, empty=False),
        initial_services=e.texts("initial_services", choices=SERVICES),
    )


def _templates(path: Path, table: Any, name: str, keys: tuple[str, ...],
               allowed: frozenset[str]) -> dict[str, str]:
    e = _Entry(path, f"[{name}]", table, set(keys))
    return {k: e.template(k, allowed) for k in keys}


def _tables(data: dict, key: str, path: Path) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise CatalogueError(f"{path.name}: needs at least one [[{key}]] table")
    return value


def _cross_check(path: Path, cat: Catalogue) -> None:
    """References between entries: ids unique, routes and dependencies exist, no cycles."""

    def fail(message: str) -> None:
        raise CatalogueError(f"{path.name}: {message}")

    for kind, items in (("requirement", cat.requirements), ("route", cat.routes),
                        ("document", cat.documents)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                fail(f"{kind} {item.id} is defined twice")
            seen.add(item.id)
    names = [t.name for t in cat.tasks]
    if len(set(names)) != len(names):
        fail("a task name is defined twice")
    reqs = {r.id: r for r in cat.requirements}
    routes = {r.id: r for r in cat.routes}
    for r in cat.requirements:
        if r.route not in routes:
            fail(f"requirement {r.id}: field 'route' names unknown route {r.route!r}")
        if routes[r.route].jurisdiction != r.jurisdiction:
            fail(f"requirement {r.id}: field 'route' names a route of the other jurisdiction")
        for dep in r.depends_on:
            if dep not in reqs:
                fail(f"requirement {r.id}: field 'depends_on' names unknown requirement {dep}")
    for route in cat.routes:
        for req_id in route.requirements:
            if req_id not in reqs:
                fail(f"route {route.id}: field 'requirements' names unknown requirement {req_id}")
            if reqs[req_id].jurisdiction != route.jurisdiction:
                fail(f"route {route.id}: field 'requirements' mixes in {req_id} of the other "
                     "jurisdiction")
    for task in cat.tasks:
        for req_id in task.forbidden_by:
            if req_id not in reqs:
                fail(f"task {task.name!r}: field 'forbidden_by' names unknown requirement "
                     f"{req_id}")
    # Dependency cycles would make evaluation order undefined.
    state: dict[str, int] = {}

    def visit(req_id: str, trail: list[str]) -> None:
        if state.get(req_id) == 2:
            return
        if state.get(req_id) == 1:
            fail("requirements depend on each other in a cycle: " + " -> ".join(trail + [req_id]))
        state[req_id] = 1
        for dep in reqs[req_id].depends_on:
            visit(dep, trail + [req_id])
        state[req_id] = 2

    for req_id in reqs:
        visit(req_id, [])


def parse_catalogue(data: dict, path: Path = DEFAULT_PATH) -> Catalogue:
    """Build a validated Catalogue from already-parsed TOML (tests feed broken variants here)."""
    known = {"schema", "rules", "status_reasons", "service_duties", "route", "task",
             "requirement", "document"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise CatalogueError(f"{path.name}: top-level key {unknown[0]!r} is not known (typo?)")
    if data.get("schema") != 1:
        raise CatalogueError(f"{path.name}: 'schema' must be 1 (got {data.get('schema')!r})")
    reasons = tuple(s for s in STATUSES if s != "obligated")
    cat = Catalogue(
        requirements=tuple(
            _requirement(path, t, i) for i, t in enumerate(_tables(data, "requirement", path), 1)
        ),
        routes=tuple(_route(path, t, i) for i, t in enumerate(_tables(data, "route", path), 1)),
        tasks=tuple(_task(path, t, i) for i, t in enumerate(_tables(data, "task", path), 1)),
        documents=tuple(
            _document(path, t, i) for i, t in enumerate(_tables(data, "document", path), 1)
        ),
        rules=_rules(path, data.get("rules")),
        status_reasons=_templates(path, data.get("status_reasons"), "status_reasons", reasons,
                                  REASON_FIELDS),
        service_duties=_templates(path, data.get("service_duties"), "service_duties", SERVICES,
                                  NAME_FIELDS),
    )
    _cross_check(path, cat)
    return cat


def read_toml(path: Path, error: type[Exception], what: str) -> dict:
    """A TOML data file, or one clear `error` naming it when it is missing or not TOML."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise error(f"{what} not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path.name}: not valid TOML ({exc})") from exc


@lru_cache(maxsize=8)
def _load(resolved: str) -> Catalogue:
    path = Path(resolved)
    return parse_catalogue(read_toml(path, CatalogueError, "requirements catalogue"), path)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue at `path` (default: the packaged one), parsed once per process."""
    return _load(str(Path(path or DEFAULT_PATH).resolve()))
