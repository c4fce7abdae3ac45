"""File names: kept as sent when safe, refused otherwise, and sent back in a safe header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 200
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def problem(name: str) -> str | None:
    """Return why ``name`` cannot be a document's name, or None when it can."""
    if not name or not name.strip():
        return "a document needs a file name"
    if len(name) > MAX_NAME:
        return f"the file name is longer than {MAX_NAME} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        return "the file name must not contain control characters"
    if _FORBIDDEN.search(name):
        return 'the file name must not contain a path or any of \\ / : * ? " < > |'
    if name.strip(". ") == "" or name.startswith(".") or name != name.strip():
        return "the file name must not start with a dot or space, nor end with a space"
    return None


def content_disposition(name: str, inline: bool = False) -> str:
    """Return a Content-Disposition header naming the file (ASCII fallback plus RFC 6266 UTF-8)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]", "_", ascii_name).strip() or "document"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
