"""A case record's archive: files plus a manifest of their SHA-256 hashes, packed and checked.

Plain functions over bytes (no database): ``pack`` writes the zip, ``check`` reads one back and
says, file by file, what no longer matches its manifest, and whether the exported audit entries
still chain (each entry's hash recomputed from its content, ``service.store.audit_chain``). The
manifest's chain head ties the archive to the live audit log (``case_record.live_check``).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from service.store.audit_chain import entry_hash

FORMAT = "rcp-case-record"
VERSION = 1
MANIFEST = "manifest.json"
TIMELINE = "timeline.json"
DOCUMENTS = "documents.json"
MAX_UNPACKED = 4 * 1024**3  # a record bigger than this is refused before it is read (a zip bomb)


@dataclass(frozen=True)
class RecordFile:
    """One file of the record: its path inside the archive and its bytes."""

    path: str
    content: bytes


class ChainHead(TypedDict):
    """The case's last audit entry when the record was made: its chain position and hash."""

    seq: int
    hash: str
    entries: int


class ListedFile(TypedDict):
    """A manifest line: a file's path, size and SHA-256."""

    path: str
    bytes: int
    sha256: str


class Manifest(TypedDict):
    """What the archive holds and the audit chain head it was made against."""

    format: str
    version: int
    businessKey: str
    exportedAt: str
    exportedBy: str
    auditChainHead: ChainHead | None
    files: list[ListedFile]


@dataclass
class ArchiveCheck:
    """What checking an archive found: the manifest's facts and every problem, by file."""

    business_key: str = ""
    exported_at: str = ""
    head: ChainHead | None = None
    files: int = 0
    entries: list[tuple[int, str]] = field(default_factory=list)  # (seq, hash) of the audit entries
    problems: list[str] = field(default_factory=list)


def digest(content: bytes) -> str:
    """Return the hex SHA-256 of ``content``."""
    return hashlib.sha256(content).hexdigest()


def to_json(value: Any) -> bytes:
    """Return ``value`` as the archive writes JSON: indented, keys sorted, UTF-8."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode()


def manifest(
    business_key: str, exported: datetime, by: str, head: ChainHead | None, files: Sequence[RecordFile]
) -> Manifest:
    """Return the manifest of ``files``: each one's path, size and hash, and the chain head."""
    return Manifest(
        format=FORMAT,
        version=VERSION,
        businessKey=business_key,
        exportedAt=exported.isoformat(),
        exportedBy=by,
        auditChainHead=head,
        files=[ListedFile(path=f.path, bytes=len(f.content), sha256=digest(f.content)) for f in files],
    )


def pack(files: Sequence[RecordFile], listed: Manifest, exported: datetime) -> bytes:
    """Return the zip of ``files`` with the manifest first."""
    out = io.BytesIO()
    stamp = exported.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in [(MANIFEST, to_json(listed)), *((f.path, f.content) for f in files)]:
            archive.writestr(zipfile.ZipInfo(path, date_time=stamp), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def check(data: bytes) -> ArchiveCheck:
    """Check every file of an archive against its manifest, and the audit entries' own hashes."""
    found = ArchiveCheck()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        found.problems.append("not a zip archive")
        return found
    with archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            found.problems.append("the archive unpacks to more than 4 GiB: not read")
            return found
        listed = _manifest(archive, found)
        if listed is None:
            return found
        _files(archive, listed, found)
        if TIMELINE in archive.namelist():
            _entries(archive.read(TIMELINE), listed.get("auditChainHead"), found)
        if DOCUMENTS in archive.namelist():
            _documents(archive.read(DOCUMENTS), listed, found)
    return found


def _manifest(archive: zipfile.ZipFile, found: ArchiveCheck) -> Mapping[str, Any] | None:
    try:
        listed = json.loads(archive.read(MANIFEST))
    except KeyError:
        found.problems.append(f"{MANIFEST}: missing")
        return None
    except ValueError:
        found.problems.append(f"{MANIFEST}: not JSON")
        return None
    if not isinstance(listed, dict) or listed.get("format") != FORMAT or listed.get("version") != VERSION:
        found.problems.append(f"{MANIFEST}: not a {FORMAT} manifest, version {VERSION}")
        return None
    found.business_key = str(listed.get("businessKey", ""))
    found.exported_at = str(listed.get("exportedAt", ""))
    found.head = listed.get("auditChainHead")
    return listed


def _files(archive: zipfile.ZipFile, listed: Mapping[str, Any], found: ArchiveCheck) -> None:
    names = set(archive.namelist()) - {MANIFEST}
    for line in listed.get("files") or []:
        path = str(line.get("path"))
        if path not in names:
            found.problems.append(f"{path}: listed in the manifest but missing from the archive")
            continue
        names.discard(path)
        content = archive.read(path)
        if digest(content) != line.get("sha256") or len(content) != line.get("bytes"):
            found.problems.append(f"{path}: content changed (SHA-256 differs from the manifest)")
        found.files += 1
    found.problems += [f"{name}: in the archive but not listed in the manifest" for name in sorted(names)]


def _entries(timeline: bytes, head: ChainHead | None, found: ArchiveCheck) -> None:
    """Recompute each exported audit entry's hash; the last one must be the manifest's head."""
    try:
        entries = json.loads(timeline).get("auditEntries") or []
    except (ValueError, AttributeError):
        found.problems.append(f"{TIMELINE}: not JSON")
        return
    for entry in entries:
        try:
            content = {**entry, "at": datetime.fromisoformat(entry["at"])}
            holds = entry_hash(content, entry["prev_hash"]) == entry["hash"]
        except (KeyError, TypeError, ValueError):
            holds = False
        if not holds:
            found.problems.append(f"{TIMELINE}: audit entry seq {entry.get('seq')} does not match its hash")
        found.entries.append((int(entry.get("seq") or 0), str(entry.get("hash"))))
    last = found.entries[-1] if found.entries else None
    if head is not None and last != (head.get("seq"), head.get("hash")):
        found.problems.append(f"{TIMELINE}: the last audit entry is not the manifest's chain head")


def _documents(listing: bytes, listed: Mapping[str, Any], found: ArchiveCheck) -> None:
    """Each document's bytes must be the content its row names (documents are content-addressed)."""
    hashes = {line.get("path"): line.get("sha256") for line in listed.get("files") or []}
    try:
        items = json.loads(listing).get("documents") or []
    except (ValueError, AttributeError):
        found.problems.append(f"{DOCUMENTS}: not JSON")
        return
    for item in items:
        path = item.get("file")
        if path is not None and hashes.get(path) != item.get("sha256"):
            found.problems.append(
                f"{path}: not the content document {item.get('id')} names (SHA-256 differs)"
            )
