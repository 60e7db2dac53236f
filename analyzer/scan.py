"""A portfolio scanned in memory: one summary row (or one clear error) per contract, the gaps across
the portfolio, filters, and the table as CSV or Excel.

The app's Portfolio page shows these; a file that cannot be read costs its own row only.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analyzer.batch import analyze_document
from analyzer.limits import Limits
from analyzer.portfolio import KEY_REQUIREMENTS, summary_row
from analyzer.results import SERVICES
from analyzer.uploads import Upload

COLUMNS = ("file", "kind", "supplier", "supplier_country", "customer", "customer_country", "commercial_use",
           *SERVICES, *KEY_REQUIREMENTS, "gaps", "error")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # names come from contracts: never let one run as a formula


@dataclass(frozen=True)
class Scanned:
    """One contract of the portfolio: its row, the requirements it fails (id -> title), or its error."""

    name: str
    row: dict
    gaps: dict[str, str]
    error: str | None = None


def scan(upload: Upload, *, use_model: bool = True, limits: Limits | None = None) -> Scanned:
    """Analyse one contract for the portfolio table; bad input, or a failure on this one file, gives an
    error row instead of stopping the portfolio (the same record as `contract-analyzer batch`)."""
    empty = dict.fromkeys(COLUMNS) | {"file": upload.name}
    if upload.error is not None or upload.data is None:
        return Scanned(upload.name, empty | {"error": upload.error}, {}, upload.error)
    rec = analyze_document(upload.name, upload.data, limits or Limits.from_env(), use_model=use_model)
    if rec["error"] is not None:
        return Scanned(upload.name, empty | {"error": rec["error"]}, {}, rec["error"])
    report = rec["report"]
    row = summary_row(report, upload.name) | {"error": None}
    gaps = {r["id"]: r["title"] for r in report["requirements"] if r["verdict"] == "gap"}
    return Scanned(upload.name, {c: row.get(c) for c in COLUMNS}, gaps)


def gap_counts(results: Iterable[Scanned]) -> list[tuple[str, str, int]]:
    """(requirement id, title, contracts with that gap), most frequent first."""
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for r in results:
        counts.update(r.gaps.keys())
        titles.update(r.gaps)
    return [(rid, titles[rid], n) for rid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def select(rows: Iterable[dict], *, kinds: Sequence[str] = (), service: str | None = None,
           statuses: Sequence[str] = (), gaps_only: bool = False, text: str = "") -> list[dict]:
    """Rows that pass the filters; an empty filter lets everything through."""
    needle = text.strip().lower()
    out = []
    for row in rows:
        if kinds and row.get("kind") not in kinds:
            continue
        if service and statuses and row.get(service) not in statuses:
            continue
        if gaps_only and not row.get("gaps"):
            continue
        if needle and not any(needle in str(row.get(k) or "").lower() for k in ("file", "supplier", "customer")):
            continue
        out.append(row)
    return out


def _cell(value) -> str | int | bool | None:
    """A value as a spreadsheet shows it; text that a spreadsheet would run as a formula stays text."""
    if value is None or isinstance(value, int | bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[dict]) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else _cell(row.get(k)) for k in COLUMNS})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[dict]) -> bytes:
    """The table as an Excel workbook: one sheet, a frozen header row and a filter on every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Portfolio"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    n = 1
    for row in rows:
        ws.append([_cell(row.get(k)) for k in COLUMNS])
        n += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=n, column=len(COLUMNS)).coordinate}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
