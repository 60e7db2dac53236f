"""Labelled corpora in the documented format (corpus/README.md): loading, validation, gold labels.

The same code serves the team's corpus and an analyst's own, so every check names the contract and
the span it is about.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.results import PRECEDENCE, SERVICES, SIDES, STATUSES, Mention

KINDS = ("purchase", "supply", "lease", "warranty", "service", "license", "other")
OBLIGORS = ("supplier", "customer", "third_party", "none")
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    service: str
    status: str
    obligor: str
    quote: str


@dataclass
class LabelledContract:
    id: str
    path: Path
    kind: str
    annotation: dict
    spans: list[GoldSpan]

    @property
    def services(self) -> dict[str, str]:
        return self.annotation["services"]


def _annotation_problems(ann: dict, where: str) -> list[str]:
    """Schema and vocabulary checks that need no extraction."""
    p: list[str] = []
    for key in ("id", "kind", "commercial_use", "parties", "services", "spans"):
        if key not in ann:
            p.append(f"{where}: missing '{key}'")
    if p:
        return p
    if ann["kind"] not in KINDS:
        p.append(f"{where}: kind {ann['kind']!r} is not one of {', '.join(KINDS)}")
    if ann["commercial_use"] not in (True, False, None):
        p.append(f"{where}: commercial_use must be true, false or null")
    for i, party in enumerate(ann["parties"]):
        if party.get("side") not in SIDES:
            p.append(f"{where}: party {i}: side {party.get('side')!r} is not one of {', '.join(SIDES)}")
        country = party.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
            p.append(f"{where}: party {i}: country {country!r} is not ISO 3166 alpha-2")
    if set(ann["services"]) != set(SERVICES):
        p.append(f"{where}: services must list exactly {', '.join(SERVICES)}")
    for service, status in ann["services"].items():
        if status not in STATUSES:
            p.append(f"{where}: services.{service}: {status!r} is not a status")
    for i, span in enumerate(ann["spans"]):
        for key in ("quote", "service", "status", "obligor", "start", "end"):
            if key not in span:
                p.append(f"{where}: span {i}: missing '{key}'")
        if span.get("service") not in SERVICES:
            p.append(f"{where}: span {i}: service {span.get('service')!r} unknown")
        if span.get("status") not in STATUSES:
            p.append(f"{where}: span {i}: status {span.get('status')!r} unknown")
        if span.get("obligor") not in OBLIGORS:
            p.append(f"{where}: span {i}: obligor {span.get('obligor')!r} is not one of {', '.join(OBLIGORS)}")
    return p


def precedence_status(statuses: list[str]) -> str:
    """The contract-level status that spans imply by decision rule 2."""
    live = [s for s in statuses if s != "absent"]
    return min(live, key=PRECEDENCE.index) if live else "absent"


def _contract_file(root: Path, ann: dict) -> Path:
    """The contract an annotation names, which must lie inside the corpus folder (an uploaded
    corpus must not point at files elsewhere on the machine)."""
    if "file" in ann:
        path = (root / ann["file"]).resolve()
        if not path.is_relative_to(root.resolve()):
            raise ValueError(f"file {ann['file']!r} is outside the corpus folder")
    else:
        path = next((root / "contracts").glob(f"{ann['id']}.*"), root / "contracts" / ann["id"])
    if not path.is_file():
        raise ValueError(f"no contract file for {ann['id']}")
    return path


def load_corpus(root: str | Path, split: str | None = None) -> list[LabelledContract]:
    """Contracts of the corpus (or of one split), in id order."""
    root = Path(root)
    wanted = None
    if split:
        wanted = set(load_split(root)[split])
    out = []
    for ann_path in sorted((root / "annotations").glob("*.json")):
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        if wanted is not None and ann.get("id") not in wanted:
            continue
        path = _contract_file(root, ann)
        spans = [GoldSpan(s["start"], s["end"], s["service"], s["status"], s["obligor"], s["quote"])
                 for s in ann.get("spans", []) if "start" in s]
        out.append(LabelledContract(ann["id"], path, ann["kind"], ann, spans))
    return out


def load_split(root: Path) -> dict[str, list[str]]:
    split = json.loads((Path(root) / "split.json").read_text(encoding="utf-8"))
    return {k: list(split.get(k, [])) for k in SPLITS}


def validate_corpus(root: str | Path) -> list[str]:
    """Every problem in a corpus: schema, vocabularies, offsets against the extracted text,
    contract-level statuses implied by the spans, and a split that names each contract once."""
    from analyzer.errors import BadInputError
    from analyzer.extract import extract

    root = Path(root)
    problems: list[str] = []
    ids: list[str] = []
    ann_files = sorted((root / "annotations").glob("*.json"))
    if not ann_files:
        return [f"{root}: no annotations/*.json"]
    for ann_path in ann_files:
        where = ann_path.name
        try:
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})")
            continue
        found = _annotation_problems(ann, where)
        problems.extend(found)
        if found:
            continue
        ids.append(ann["id"])
        try:
            path = _contract_file(root, ann)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        try:
            text = extract(path).text
        except BadInputError as exc:
            problems.append(f"{where}: {exc}")
            continue
        for i, span in enumerate(ann["spans"]):
            got = text[span["start"]:span["end"]]
            if " ".join(got.replace("|", " ").split()) != " ".join(span["quote"].replace("|", " ").split()):
                problems.append(f"{where}: span {i}: text at {span['start']}:{span['end']} is not the quote")
        for service in SERVICES:
            implied = precedence_status([s["status"] for s in ann["spans"] if s["service"] == service])
            if implied != ann["services"][service] and not ann.get("note"):
                problems.append(f"{where}: services.{service} is {ann['services'][service]!r} but the spans "
                                f"imply {implied!r} (add a note if a specific clause overrides)")
    split_path = root / "split.json"
    if not split_path.exists():
        problems.append(f"{root}: no split.json")
    else:
        split = load_split(root)
        named = [i for k in SPLITS for i in split[k]]
        for i in sorted(set(ids) - set(named)):
            problems.append(f"split.json: {i} is in no split")
        for i in sorted({i for i in named if named.count(i) > 1}):
            problems.append(f"split.json: {i} is in more than one split")
        for i in sorted(set(named) - set(ids)):
            problems.append(f"split.json: {i} has no annotation")
    return problems


def gold_status(m: Mention, spans: list[GoldSpan]) -> str:
    """Gold label of a detected mention: the span of its service holding the term, else the span
    overlapping its sentence most, else absent (a service word outside every span is absent)."""
    same = [s for s in spans if s.service == m.service]
    holding = [s for s in same if s.start <= m.start and m.end <= s.end]
    if holding:
        return min(holding, key=lambda s: s.end - s.start).status
    overlap = [(min(s.end, m.sent_end) - max(s.start, m.sent_start), s) for s in same]
    overlap = [(o, s) for o, s in overlap if o > 0]
    if overlap:
        return max(overlap, key=lambda t: t[0])[1].status
    return "absent"
