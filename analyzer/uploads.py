"""What arrives through the app's upload boxes: contract files opened in memory, ZIPs included, and a
labelled corpus ZIP unpacked into a folder the caller removes.

Everything a user can send is checked against the limits before it is expanded, and a bad ZIP
becomes one clear error for that file, never a stop for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analyzer.errors import BadInputError
from analyzer.limits import Limits
from analyzer.portfolio import open_zip, zip_members


@dataclass(frozen=True)
class Upload:
    """One contract to analyse, or the reason it cannot be read."""

    name: str
    data: bytes | None
    error: str | None = None


def contract_files(files: Iterable[tuple[str, bytes]], limits: Limits | None = None) -> Iterator[Upload]:
    """Each uploaded contract, and each contract file inside an uploaded ZIP (as "batch.zip/a.pdf")."""
    limits = limits or Limits.from_env()
    for name, data in files:
        if not name.lower().endswith(".zip"):
            yield Upload(name, data)
            continue
        found = 0
        try:
            for member, content in zip_members(data, name, limits):
                found += 1
                yield Upload(member, content)
        except BadInputError as exc:
            yield Upload(name, None, str(exc))
            continue
        if not found:
            yield Upload(name, None, f"{name}: no PDF, DOCX or TXT contract inside the ZIP")


def unpack_corpus(data: bytes, name: str, dest: Path, limits: Limits | None = None) -> Path:
    """Unpack a labelled corpus ZIP (annotations/, contracts/, split.json) under `dest`; its root.

    Member paths that would leave `dest` are refused, and so is a ZIP past the member-count or
    expanded-size limits, before anything is written.
    """
    limits = limits or Limits.from_env()
    zf, infos = open_zip(data, name, limits)
    dest = dest.resolve()
    for info in infos:
        member = PurePosixPath(info.filename)
        if member.is_absolute() or ".." in member.parts or "__MACOSX" in member.parts:
            raise BadInputError(f"{name}: unsafe path inside the ZIP: {info.filename}")
        target = dest.joinpath(*member.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src:
            target.write_bytes(src.read(limits.max_bytes + 1))
    roots = sorted({p.parent for p in dest.rglob("annotations") if p.is_dir()}, key=lambda p: len(p.parts))
    if not roots:
        raise BadInputError(f"{name}: no annotations/ folder inside; see the corpus format in corpus/README.md")
    return roots[0]
