"""What an analysis finds: parties, service mentions, per-service status, requirement verdicts.

These dataclasses are the boundary between the library and its faces (CLI, app, reports).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.document import Clause, Document, Source

SERVICES = ("installation", "repair", "maintenance", "upgrade", "training")
STATUSES = ("obligated", "customer", "excluded", "optional", "absent")
# Contract-level precedence (status-guidelines rule 2): earlier wins.
PRECEDENCE = ("obligated", "customer", "optional", "excluded", "absent")
SIDES = ("supplier", "customer", "other")
KINDS = ("purchase", "supply", "lease", "warranty", "service", "license", "other")


@dataclass(frozen=True)
class Party:
    name: str
    role: str | None
    side: str  # "supplier" | "customer" | "other"
    country: str | None  # ISO 3166 alpha-2


@dataclass
class Mention:
    """One service term in its sentence, with the cues the rules and the classifier read."""

    service: str
    start: int  # the service term itself
    end: int
    sent_start: int  # the sentence (or list item) around it
    sent_end: int
    clause: str | None  # clause label as printed, e.g. "7.2"
    page: int
    obligor: str  # "supplier" | "customer" | "third_party" | "unknown"
    modality: str  # "duty" | "permission" | "none"
    negated: bool
    condition: str | None  # "separate_agreement" | "on_request" | "charge" | "after_event" | None
    context: str  # "body" | "definition" | "heading" | "toc" | "table"
    cues: tuple[str, ...]
    rule_status: str
    status: str = ""
    score: float = 0.0
    file: str | None = None


@dataclass(frozen=True)
class Evidence:
    text: str
    page: int
    clause: str | None
    start: int
    end: int
    status: str
    score: float
    file: str | None = None


@dataclass
class ServiceResult:
    status: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ContractFacts:
    kind: str
    parties: list[Party]
    commercial_use: bool | None

    def side(self, side: str) -> list[Party]:
        return [p for p in self.parties if p.side == side]


@dataclass
class Analysis:
    """The whole result for one deal (one or several files)."""

    documents: list[Document]
    clauses: list[list[Clause]]  # per document
    contract: ContractFacts
    mentions: list[Mention]
    services: dict[str, ServiceResult]
    requirements: list = field(default_factory=list)  # list[RequirementResult]
    dispatch: object | None = None  # DispatchResult
    warnings: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # party names and role words -> side

    @property
    def sources(self) -> list[Source]:
        return [d.source for d in self.documents]
