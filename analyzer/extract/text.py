"""Plain-text and Markdown reader: finds the encoding, splits pages on form feeds."""

from __future__ import annotations

import codecs

from analyzer.errors import BadInputError
from analyzer.extract.layout import PageText

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte of ASCII characters."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding it was read in: BOM, UTF-16 shape, strict UTF-8, then detection."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    encoding = utf16_without_bom(data)
    if encoding:
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in ("utf_8", "ascii"):
        encoding = "cp1252"  # the sample decoded but the whole did not: legacy Windows text
    try:
        return data.decode(encoding, errors="replace"), encoding
    except LookupError:
        raise BadInputError(f"{name}: the text encoding cannot be read") from None


def read_text(data: bytes, name: str) -> tuple[list[PageText], list[str]]:
    text, encoding = decode(data, name)
    warnings = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed from the text")
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        warnings.append(f"text read as {encoding}")
    pages = [PageText(p) for p in text.split("\f")]
    while len(pages) > 1 and not pages[-1].text.strip():
        pages.pop()
    return pages, warnings
