"""Many contracts at once: the inputs a portfolio holds (files, folders, ZIPs) and one summary row
per contract, shared by `contract-analyzer batch` and the app's Portfolio page."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from analyzer.errors import BadInputError
from analyzer.limits import Limits
from analyzer.results import SERVICES

CONTRACT_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
# The requirements a portfolio table shows as columns: the contract-decided tests that most often
# fail (service written in as a duty, during the term, the lease routes).
KEY_REQUIREMENTS = ("CA-8", "CA-15", "CA-16", "US-2", "US-5", "US-9")


def open_zip(data: bytes, name: str, limits: Limits) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """A ZIP and its file members, refused when its member count or declared expanded size is
    past the limits (nothing is inflated before that check)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise BadInputError(f"{name}: not a readable ZIP file") from None
    if len(infos) > limits.max_zip_members:
        raise BadInputError(f"{name}: {len(infos)} files is over the limit of {limits.max_zip_members}")
    if sum(i.file_size for i in infos) > limits.max_unzipped_bytes:
        raise BadInputError(f"{name}: the ZIP would expand past {limits.max_unzipped_bytes // 2**20} MB")
    return zf, infos


def zip_members(data: bytes, name: str, limits: Limits) -> Iterator[tuple[str, bytes]]:
    """Contract files inside a ZIP, checked against the member and expanded-size limits first."""
    zf, infos = open_zip(data, name, limits)
    for info in infos:
        member = PurePosixPath(info.filename)
        if member.name.startswith(".") or "__MACOSX" in member.parts:
            continue
        if member.suffix.lower() in CONTRACT_SUFFIXES:
            with zf.open(info) as fh:
                yield f"{name}/{member}", fh.read(limits.max_bytes + 1)


def expand_inputs(paths: list[str | Path]) -> list[Path]:
    """Files as given, folders walked for contract files, in a stable order (ZIPs stay as files)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()
                              and f.suffix.lower() in CONTRACT_SUFFIXES | {".zip"}))
        else:
            out.append(p)
    return out


def summary_row(report: dict, file: str | None = None) -> dict:
    """One flat row per contract: parties, the status of each service, key verdicts, gap count."""
    contract = report["contract"]
    first = {side: next((p for p in contract["parties"] if p["side"] == side), None)
             for side in ("supplier", "customer")}
    row = {
        "file": file or report["source"]["path"],
        "kind": contract["kind"],
        "supplier": first["supplier"]["name"] if first["supplier"] else None,
        "supplier_country": first["supplier"]["country"] if first["supplier"] else None,
        "customer": first["customer"]["name"] if first["customer"] else None,
        "customer_country": first["customer"]["country"] if first["customer"] else None,
        "commercial_use": contract["commercial_use"],
    }
    for service in SERVICES:
        row[service] = report["services"][service]["status"]
    verdicts = {r["id"]: r["verdict"] for r in report.get("requirements", [])}
    for rid in KEY_REQUIREMENTS:
        row[rid] = verdicts.get(rid)
    row["gaps"] = sum(1 for v in verdicts.values() if v == "gap")
    return row
