"""Tell a document's media type from its first bytes; the declared type and name are not trusted.

Only the head is read: archives (DOCX, XLSX are ZIP files) and PDFs are never expanded or parsed
on the server. A ZIP is accepted only as an Office Open XML document, recognised by its first
entry's name in the local file header.
"""

from __future__ import annotations

HEAD = 8192  # bytes the sniffer needs

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = (PDF, PNG, JPEG, TIFF, TEXT, CSV, DOCX, XLSX)
ACCEPTED_WORDS = "PDF, PNG, JPEG, TIFF, plain text or CSV, DOCX or XLSX"

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_OOXML = {".docx": DOCX, ".xlsx": XLSX}


def media_type(head: bytes, name: str) -> str | None:
    """Return the accepted media type the content shows, or None (the document is refused)."""
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            return found
    lowered = name.lower()
    if head.startswith(b"PK\x03\x04"):
        extension = lowered[lowered.rfind(".") :] if "." in lowered else ""
        return _OOXML.get(extension) if _office_open_xml(head) else None
    if _text(head):
        return CSV if lowered.endswith(".csv") else TEXT
    return None


def _office_open_xml(head: bytes) -> bool:
    """Say whether the ZIP's first entry is an OOXML package's ``[Content_Types].xml``."""
    if len(head) < 30:
        return False
    length = int.from_bytes(head[26:28], "little")
    return head[30 : 30 + length] == b"[Content_Types].xml"


def _text(head: bytes) -> bool:
    """Say whether the head is UTF-8 text without control bytes (tab, CR, LF and FF allowed)."""
    if not head or any(b < 32 and b not in (9, 10, 12, 13) for b in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end inside a character: only a flaw in its last three bytes is forgiven.
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True
