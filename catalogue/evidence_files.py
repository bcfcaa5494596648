"""What an evidence file is, judged by its content, never by its name.

A qualification check's evidence (catalogue/models/qualifications.py) may be a PDF, an OFD (the
national fixed-layout format, GB/T 33190), a JPEG or PNG picture, or an Office document. The name
a browser sends is whatever the uploader typed: an HTML page saved as 证书.pdf carries the name of a
PDF and the content of a web page. So each upload is checked by its signature (the first bytes,
and for the zip-based formats the parts inside), the extension must agree with it, and a download
says the type the content showed (catalogue/views/staff/evidence.py).
"""

import zipfile
from pathlib import PurePosixPath

PDF, OFD, JPEG, PNG, OLE, DOCX, XLSX = "PDF", "OFD", "JPEG", "PNG", "OLE", "DOCX", "XLSX"

# extension -> the content it must have
EXPECTED = {
    "pdf": PDF,
    "ofd": OFD,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "doc": OLE,  # Word 97-2003 and Excel 97-2003 share the compound-file container
    "docx": DOCX,
    "xls": OLE,
    "xlsx": XLSX,
}
EXTENSIONS = list(EXPECTED)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DESCRIPTIONS = {PDF: "PDF", OFD: "OFD", JPEG: "JPEG", PNG: "PNG", OLE: "Word/Excel 97-2003", DOCX: "Word", XLSX: "Excel"}

MAGIC = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
]
ZIP_MAGIC = b"PK\x03\x04"
# The part that makes a zip one of these formats.
ZIP_KINDS = [("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("OFD.xml", OFD)]


def extension_of(name):
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def kind_of(handle):
    """The format `handle`'s content shows (PDF, JPEG …), or None; reads a few bytes and, for a zip,
    its directory. Leaves the position at the start."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        handle.seek(0)
    for part, kind in ZIP_KINDS:
        if part in names:
            return kind
    return None


def matches(name, handle):
    """Whether the content of `handle` is what the extension of `name` promises."""
    expected = EXPECTED.get(extension_of(name))
    return expected is not None and kind_of(handle) == expected


def content_type(name, handle):
    """The type to serve a stored file with: its extension's, when its content agrees, else a bare download."""
    if matches(name, handle):
        return CONTENT_TYPES[extension_of(name)]
    return "application/octet-stream"
