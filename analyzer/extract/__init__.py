"""One entry point for every format: `extract(path)` or `extract(data, name=...)` -> Document.

The format is decided from the content (magic bytes), not the extension, since clients rename
files freely; a mismatch is kept as a warning.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from analyzer.document import Document
from analyzer.errors import BadInputError
from analyzer.extract.layout import assemble
from analyzer.limits import Limits

__all__ = ["extract", "sniff", "Document"]

TEXT_CONTROL_MAX = 0.05  # share of control bytes above which a file is binary, not text
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".txt": "txt", ".md": "txt", ".text": "txt"}


def sniff(data: bytes, name: str) -> str:
    """'pdf', 'docx' or 'txt' from the bytes; BadInputError for anything else."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the DOCX reader says so if the ZIP is not a Word file
    if head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise BadInputError(f"{name}: old Word (.doc) and RTF files are not supported; save as .docx or PDF")
    from analyzer.extract.text import BOMS, utf16_without_bom

    if any(data.startswith(bom) for bom, _ in BOMS) or utf16_without_bom(data):
        return "txt"
    sample = data[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13) and b != 0)
    nul = sample.count(0)
    if sample and (control + nul * 0.2) / len(sample) > TEXT_CONTROL_MAX:
        raise BadInputError(f"{name}: unsupported file type (not a PDF, DOCX or text file)")
    return "txt"


def extract(
    source: str | os.PathLike | bytes,
    name: str | None = None,
    *,
    limits: Limits | None = None,
    ocr: bool = False,
) -> Document:
    """Read a contract from a path, or from bytes plus the file name it came with."""
    limits = limits or Limits.from_env()
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        path = name or "upload"
    else:
        p = Path(source)
        path = name or str(p)
        if not p.exists():
            raise BadInputError(f"{path}: no such file")
        if not p.is_file():
            raise BadInputError(f"{path}: not a file")
        size = p.stat().st_size
        if size > limits.max_bytes:
            raise BadInputError(f"{path}: {_size(size)} is over the size limit of {_size(limits.max_bytes)}")
        data = p.read_bytes()
    label = Path(path).name
    if not data:
        raise BadInputError(f"{label}: the file is empty")
    if len(data) > limits.max_bytes:
        raise BadInputError(f"{label}: {_size(len(data))} is over the size limit of {_size(limits.max_bytes)}")

    fmt = sniff(data, label)
    warnings: list[str] = []
    ext = EXTENSIONS.get(Path(path).suffix.lower())
    if ext and ext != fmt:
        warnings.append(f"the file is named {Path(path).suffix} but holds {fmt.upper()} content; read as {fmt.upper()}")
    try:
        pages, more = _read(fmt, data, label, limits, ocr)
    except (BadInputError, MemoryError):
        raise
    except Exception as exc:  # a reader library failing on a damaged file is still bad input
        raise BadInputError(f"{label}: the {fmt.upper()} file cannot be read ({type(exc).__name__})") from None
    if len(pages) > limits.max_pages:
        raise BadInputError(f"{label}: {len(pages)} pages is over the limit of {limits.max_pages} pages")
    sha = hashlib.sha256(data).hexdigest()
    doc = assemble(pages, path, fmt, sha, strip_running=(fmt == "pdf"))
    if len(doc.text) > limits.max_chars:
        raise BadInputError(f"{label}: {len(doc.text):,} characters is over the limit of {limits.max_chars:,}")
    if not doc.text.strip():
        raise BadInputError(f"{label}: no text found in the file")
    doc.warnings = warnings + more
    return doc


def _size(n: int) -> str:
    """A size as a user reads it: 50.4 MB, not "50 MB is over the limit of 50 MB"."""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def _read(fmt: str, data: bytes, label: str, limits: Limits, ocr: bool):
    if fmt == "pdf":
        from analyzer.extract.pdf import read_pdf

        return read_pdf(data, label, limits, ocr=ocr)
    if fmt == "docx":
        from analyzer.extract.docx import read_docx

        return read_docx(data, label, limits)
    from analyzer.extract.text import read_text

    return read_text(data, label)
