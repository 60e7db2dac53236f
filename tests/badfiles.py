"""The bad-input corpus, built by the tests themselves: damaged, hostile and odd files around one
small contract, so nothing binary is committed and each case states how it was made.

`CONTRACT_LINES` is the clean contract; every readable variant of it must give the same analysis.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib

from tests import builders

SEED = 20260401  # random bytes are reproducible: a failure can be rebuilt from the case name

CONTRACT_LINES = [
    "EQUIPMENT PURCHASE AGREEMENT",
    'This Agreement is made between Hartwig Verpackungsmaschinen GmbH, Germany ("Seller") and',
    'Laurentian Fine Foods Inc., Canada ("Buyer").',
    "1. Definitions",
    '"Equipment" means the packaging line described in Schedule A.',
    "2. Installation",
    "2.1 Seller shall install and commission the Equipment at Buyer's plant in Laval.",
    "3. Warranty",
    "3.1 Seller shall repair or replace any defective part during the warranty period.",
    "4. Training",
    "4.1 Seller shall train four of Buyer's operators on site.",
    "5. Maintenance",
    "5.1 Buyer shall perform the routine maintenance of the Equipment at its own cost.",
    "6. Upgrades",
    "6.1 Software upgrades are not included in the price.",
]
# What the clean contract says; each line above is written so the rules cannot hesitate.
EXPECTED = {"installation": "obligated", "repair": "obligated", "training": "obligated",
            "maintenance": "customer", "upgrade": "excluded"}
MARKER = "Laurentian Fine Foods"  # a phrase of the contract that must never appear in logs or on disk


def contract_text() -> str:
    return "\n".join(CONTRACT_LINES) + "\n"


def contract_pdf() -> bytes:
    """The contract over three pages, as a word processor would print it."""
    return builders.pdf_pages([CONTRACT_LINES[:5], CONTRACT_LINES[5:11], CONTRACT_LINES[11:]])


def contract_docx() -> bytes:
    def build(d):
        for line in CONTRACT_LINES:
            d.add_paragraph(line)

    return builders.docx_bytes(build)


def random_bytes(n: int, salt: str) -> bytes:
    return random.Random(f"{SEED}:{salt}").randbytes(n)


def truncated(data: bytes, share: float) -> bytes:
    return data[: max(1, int(len(data) * share))]


# -- PDF -----------------------------------------------------------------------------------------


def pdf_broken_xref(data: bytes) -> bytes:
    """Every offset in the cross-reference table and the startxref pointer made wrong (same length),
    as happens when a file is edited by a tool that does not rewrite the table."""
    head, sep, tail = data.rpartition(b"\nxref\n")
    assert sep, "expected a classic xref table"
    tail = re.sub(rb"(?m)^\d{10} (\d{5}) n", rb"0000000009 \1 n", tail)
    tail = re.sub(rb"startxref\s+\d+", lambda m: b"startxref\n" + b"9" * (len(m.group()) - 10), tail)
    return head + sep + tail


def pdf_without_xref(data: bytes) -> bytes:
    """The cross-reference table and trailer cut off entirely: readers must rebuild them."""
    return data[: data.rindex(b"\nxref\n")] + b"\n%%EOF\n"


def pdf_owner_password(data: bytes) -> bytes:
    """Encrypted with an owner password only (printing/copy restrictions), as many signed contracts are:
    it opens without a password, so it must be read."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_many_pages(pages: int) -> bytes:
    """A PDF of `pages` pages sharing one content stream, written directly so that 2,000 pages cost
    milliseconds to build and a few hundred kilobytes."""
    stream = b"BT /F1 10 Tf 72 700 Td (Data room index page.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, once the page numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    first_page = len(objects) + 1
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> " \
           b"/Contents 4 0 R >>"
    objects.extend([page] * pages)
    return _pdf_file(objects)


def pdf_page_tree_loop() -> bytes:
    """A page tree whose Kids point back at the tree itself: a reader that follows it naively never ends."""
    stream = b"BT /F1 10 Tf 72 700 Td (Seller shall install the Equipment.) Tj ET"
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 2 /Kids [3 0 R 2 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def pdf_stream_bomb(expanded_mb: int = 1024) -> bytes:
    """One page whose content stream is a few kilobytes of Flate data inflating to `expanded_mb` MB
    of nothing but spaces (a decompression bomb inside a PDF)."""
    blob, _, size = _repeated_deflate(b"", b" " * (1 << 20), expanded_mb, b"", wbits=15)
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(blob) + blob + b"\nendstream",
    ])


def _pdf_file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- ZIP and DOCX --------------------------------------------------------------------------------


def _repeated_deflate(head: bytes, chunk: bytes, count: int, tail: bytes, wbits: int = -15):
    """Deflate data for head + chunk * count + tail without compressing `count` chunks: after a full
    flush the compressor starts afresh, so every chunk compresses to the same bytes and the stream
    is built by repetition. Returns (data, crc32, expanded size)."""
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * count + last, crc, len(head) + len(chunk) * count + len(tail)


def zip_raw(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP from already-deflated members (name, data, crc32, declared size), with ZIP64 sizes, so a
    member may declare gigabytes or lie about its size."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, declared in members:
        fname = name.encode()
        zip64 = struct.pack("<HHQQ", 1, 16, declared, len(data))
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                           len(fname), len(zip64)) + fname + zip64 + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF,
                               0xFFFFFFFF, len(fname), len(zip64), 0, 0, 0, 0, offset) + fname + zip64
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def _deflated(name: str, content: bytes) -> tuple[str, bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, c.compress(content) + c.flush(), zlib.crc32(content), len(content)


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>')
DOC_TAIL = b"</w:body></w:document>"
PARAGRAPH = b"<w:p><w:r><w:t>Seller shall install the Equipment.</w:t></w:r></w:p>"


def docx_bomb(expanded_mb: int, *, declared_mb: int | None = None) -> bytes:
    """A DOCX whose document.xml is a long run of one paragraph, `expanded_mb` MB once inflated, built
    without compressing it. `declared_mb` makes the ZIP directory lie about that size."""
    chunk = PARAGRAPH * ((1 << 20) // len(PARAGRAPH))
    data, crc, size = _repeated_deflate(DOC_HEAD, chunk, expanded_mb, DOC_TAIL)
    declared = size if declared_mb is None else declared_mb << 20
    return zip_raw([_deflated("[Content_Types].xml", CONTENT_TYPES), _deflated("_rels/.rels", ROOT_RELS),
                    ("word/document.xml", data, crc, declared)])


def docx_many_parts(parts: int) -> bytes:
    extra = [_deflated(f"word/media/part{i}.xml", b"<x/>") for i in range(parts)]
    body = DOC_HEAD + PARAGRAPH + DOC_TAIL
    return zip_raw([_deflated("[Content_Types].xml", CONTENT_TYPES), _deflated("_rels/.rels", ROOT_RELS),
                    _deflated("word/document.xml", body), *extra])


def _rewrite_docx(data: bytes, edit) -> bytes:
    """Copy a DOCX, letting `edit(name, content) -> content | None` change or drop parts; `edit` may
    also return extra parts under the key None."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = edit(info.filename, src.read(info.filename))
            if content is not None:
                z.writestr(info.filename, content)
        for name, content in (edit(None, None) or {}).items():
            z.writestr(name, content)
    return out.getvalue()


def docm_renamed(data: bytes) -> bytes:
    """A macro-enabled Word file (main part typed macroEnabled, a vbaProject part) saved as .docx."""
    def edit(name, content):
        if name is None:
            return {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512}
        if name == "[Content_Types].xml":
            return content.replace(b"wordprocessingml.document.main+xml",
                                   b"ms-word.document.macroEnabled.main+xml")
        return content

    return _rewrite_docx(data, edit)


EXTERNAL_URL = "http://contracts.example.invalid/"  # .invalid never resolves; the guard records any lookup


def docx_external_relationships(data: bytes) -> bytes:
    """The contract with every kind of outside reference Word allows: a linked image, a hyperlink, an
    attached template, a linked OLE object, a linked sub-document, and an XML external entity."""
    rels_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    external = [
        ("rIdX1", "image", f"{EXTERNAL_URL}logo.png"),
        ("rIdX2", "hyperlink", f"{EXTERNAL_URL}terms"),
        ("rIdX3", "oleObject", f"{EXTERNAL_URL}object.xlsx"),
        ("rIdX4", "subDocument", f"{EXTERNAL_URL}schedule.docx"),
        ("rIdX5", "frame", f"{EXTERNAL_URL}frame.html"),
    ]
    template = ('<Relationship Id="rIdT" Type="' + rels_ns + '/attachedTemplate" '
                f'Target="{EXTERNAL_URL}template.dotm" TargetMode="External"/>')

    def edit(name, content):
        if name is None:
            return None
        if name == "word/_rels/document.xml.rels":
            links = "".join(f'<Relationship Id="{rid}" Type="{rels_ns}/{kind}" Target="{url}" TargetMode="External"/>'
                            for rid, kind, url in external)
            return content.replace(b"</Relationships>", links.encode() + b"</Relationships>")
        if name == "word/document.xml":
            doctype = (f'<!DOCTYPE w:document [<!ENTITY remote SYSTEM "{EXTERNAL_URL}entity.xml">'
                       '<!ENTITY local SYSTEM "file:///etc/hostname">]>').encode()
            content = content.replace(b"?>", b"?>" + doctype, 1)
            link = (b'<w:p><w:hyperlink r:id="rIdX2"><w:r><w:t>See the online terms.</w:t></w:r></w:hyperlink></w:p>'
                    b"<w:p><w:r><w:t>&remote;&local;</w:t></w:r></w:p>"
                    b'<w:subDoc r:id="rIdX4"/>')
            return content.replace(b"<w:sectPr", link + b"<w:sectPr", 1)
        return content

    out = _rewrite_docx(data, edit)
    return _with_settings_rels(out, template)


def _with_settings_rels(data: bytes, relationship: str) -> bytes:
    body = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{relationship}</Relationships>').encode()

    def edit(name, content):
        if name is None:
            return {"word/_rels/settings.xml.rels": body}
        if name == "word/_rels/settings.xml.rels":
            return None
        if name == "word/settings.xml":
            return content.replace(b"<w:zoom", b'<w:attachedTemplate r:id="rIdT"/><w:zoom', 1)
        return content

    return _rewrite_docx(data, edit)


def docx_all_tables() -> bytes:
    """The contract with every clause in a table row (number | heading | text), as some forms are laid out."""
    def build(d):
        d.add_paragraph(CONTRACT_LINES[0])
        d.add_paragraph(CONTRACT_LINES[1] + " " + CONTRACT_LINES[2])
        clauses = CONTRACT_LINES[3:]
        for i in range(0, len(clauses), 2):
            heading, body = clauses[i], clauses[i + 1]
            number, title = heading.split(" ", 1)
            t = d.add_table(rows=1, cols=3)
            t.style = "Table Grid"
            t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = number, title, body

    return builders.docx_bytes(build)


def pdf_all_tables() -> bytes:
    """The same contract printed as one ruled table: clause number | heading | text."""
    clauses = CONTRACT_LINES[3:]
    rows = [["No.", "Heading", "Clause"]]
    for i in range(0, len(clauses), 2):
        number, title = clauses[i].split(" ", 1)
        rows.append([number, title, clauses[i + 1]])
    return builders.pdf_with_table([CONTRACT_LINES[0], CONTRACT_LINES[1] + " " + CONTRACT_LINES[2]], rows, [])


# -- text ----------------------------------------------------------------------------------------


FILLER = ("The parties agree that this Agreement is governed by the laws of the Province of Quebec and that "
          "notices are given in writing to the addresses stated above. ")


def one_line(size: int) -> bytes:
    """The contract's clauses with every line break removed and boilerplate filling the line to `size`
    bytes, as some exports write a document: one line, one paragraph."""
    body = " ".join(line for line in CONTRACT_LINES if not re.fullmatch(r"\d+\. \w+", line)) + " "
    body += FILLER * ((size - len(body)) // len(FILLER) + 1)
    return body[:size].encode("ascii")
