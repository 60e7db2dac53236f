"""Safe defaults for what one input may cost. Every face (CLI, app, batch) passes these through."""

from __future__ import annotations

import os
from dataclasses import dataclass

from analyzer.errors import BadInputError


def _env_int(name: str, default: int) -> int:
    """A limit from the environment; a value that is not a whole number is an error, not the default,
    so a mistyped setting is never silently replaced by another limit."""
    value = os.environ.get(name, "").strip().replace("_", "")
    if not value:
        return default
    if not value.isdigit():
        raise BadInputError(f"{name} must be a whole number (got {os.environ[name]!r})")
    return int(value)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # file size
    max_pages: int = 1000
    max_chars: int = 20_000_000  # extracted text
    max_zip_members: int = 2000  # DOCX parts, ZIP batch members
    max_unzipped_bytes: int = 300 * 1024 * 1024  # total expanded size of a ZIP/DOCX, and of a PDF's Flate streams
    max_xml_bytes: int = 32 * 1024 * 1024  # expanded XML of a DOCX: parsed whole, it costs ~15x its size in memory
    max_seconds: int = 300  # processing time per document (enforced by batch workers)

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults overridden by CONTRACT_ANALYZER_MAX_* environment variables."""
        d = cls()
        return cls(
            max_bytes=_env_int("CONTRACT_ANALYZER_MAX_BYTES", d.max_bytes),
            max_pages=_env_int("CONTRACT_ANALYZER_MAX_PAGES", d.max_pages),
            max_chars=_env_int("CONTRACT_ANALYZER_MAX_CHARS", d.max_chars),
            max_zip_members=_env_int("CONTRACT_ANALYZER_MAX_ZIP_MEMBERS", d.max_zip_members),
            max_unzipped_bytes=_env_int("CONTRACT_ANALYZER_MAX_UNZIPPED_BYTES", d.max_unzipped_bytes),
            max_xml_bytes=_env_int("CONTRACT_ANALYZER_MAX_XML_BYTES", d.max_xml_bytes),
            max_seconds=_env_int("CONTRACT_ANALYZER_MAX_SECONDS", d.max_seconds),
        )
