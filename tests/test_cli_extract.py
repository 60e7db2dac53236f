"""`contract-analyzer extract`: JSON output, and one clear line with exit code 3 on bad input."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from tests import builders
from tests.cli import run


def test_extract_json_keys_and_offsets(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("1. Scope\nSeller shall install the Press.\f2. Warranty\nSeller shall repair defects.\n")
    r = run("extract", str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"source", "text", "pages", "clauses", "warnings"}
    assert set(out["source"]) == {"path", "format", "sha256", "pages"}
    assert out["source"]["pages"] == 2
    assert [p["number"] for p in out["pages"]] == [1, 2]
    clause = next(c for c in out["clauses"] if c["label"] == "2.")
    assert set(clause) == {"id", "label", "heading", "parent", "start", "end", "page", "kind"}
    assert out["text"][clause["start"]:clause["end"]].startswith("2. Warranty")
    assert clause["page"] == 2 and clause["heading"] == "Warranty"


def test_extract_text_format(tmp_path):
    f = tmp_path / "c.pdf"
    f.write_bytes(builders.pdf_pages([["Seller shall train four operators."]]))
    r = run("extract", str(f), "--format", "text")
    assert r.returncode == 0
    assert "Seller shall train four operators." in r.stdout


def _docx_bomb() -> bytes:
    """A DOCX-shaped ZIP whose document.xml would expand to 1 GB (compresses to about 1 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(1024):
                fh.write(chunk)
    return out.getvalue()


def _pdf() -> bytes:
    return builders.pdf_pages([["Seller shall install the Equipment."], ["Page two text here."]])


def _docx() -> bytes:
    return builders.docx_bytes(lambda d: d.add_paragraph("Seller shall install the Equipment. " * 50))


BAD_INPUTS = {
    "zero bytes": ("empty.pdf", lambda: b"", {}, "empty"),
    "unsupported type": ("data.pdf", lambda: bytes(range(256)) * 40, {}, "unsupported"),
    "corrupt pdf": ("broken.pdf", lambda: b"%PDF-1.7\n" + os.urandom(3000), {}, "PDF"),
    "truncated pdf": ("cut.pdf", lambda: _pdf()[: len(_pdf()) // 2], {}, "PDF"),
    "truncated docx": ("cut.docx", lambda: _docx()[: len(_docx()) // 2], {}, "Word"),
    "password pdf": ("locked.pdf", lambda: builders.pdf_encrypted(_pdf()), {}, "password"),
    "docx zip bomb": ("bomb.docx", _docx_bomb, {}, "expand"),
    "over size limit": ("big.txt", lambda: b"Seller shall repair. " * 1000, {"CONTRACT_ANALYZER_MAX_BYTES": "1000"},
                        "size limit"),
    "over page limit": ("long.pdf", lambda: builders.pdf_pages([[f"Page {i} body."] for i in range(5)]),
                        {"CONTRACT_ANALYZER_MAX_PAGES": "3"}, "page"),
    "scanned pdf": ("scan.pdf", lambda: builders.pdf_scan(2), {}, "scan"),
    "old word": ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, {}, ".doc"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_3_with_one_clear_line(tmp_path, case):
    name, make, env, words = BAD_INPUTS[case]
    f = tmp_path / name
    f.write_bytes(make())
    out = tmp_path / "out.json"
    r = run("extract", str(f), "--out", str(out), env=env)
    assert r.returncode == 3, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert words.lower() in lines[0].lower()
    assert name in lines[0]
    assert not out.exists()
    assert r.stdout == ""


def test_missing_file(tmp_path):
    r = run("extract", str(tmp_path / "nope.pdf"))
    assert r.returncode == 3
    assert r.stderr.strip() == f"contract-analyzer: {tmp_path / 'nope.pdf'}: no such file"


def test_scan_with_ocr_needs_tesseract_or_reads_text(tmp_path):
    import shutil

    f = tmp_path / "scan.pdf"
    f.write_bytes(builders.pdf_scan(1))
    r = run("extract", str(f), "--ocr")
    if shutil.which("tesseract") is None:
        assert r.returncode == 3 and "tesseract" in r.stderr.lower()
    else:
        assert r.returncode == 0, r.stderr
        assert "Seller shall repair the Equipment" in json.loads(r.stdout)["text"]
