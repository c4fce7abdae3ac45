"""The embedded store: one file per blob under ``<instance>/documents/``, written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from service.documents.port import (
    BlobInfo,
    BlobMissing,
    Hashing,
    Readable,
    StoredBlob,
    chunks,
    valid_sha256,
)


class LocalBlobStore:
    """Blobs as files ``<root>/ab/cd/<sha256>``; partial writes live in ``<root>/tmp`` only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.scratch = root / "tmp"

    def put(self, stream: Readable, limit: int | None = None) -> StoredBlob:
        """Write to a scratch file while hashing, then move it into place (rename is atomic)."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        hashing = Hashing(limit)
        handle, scratch = tempfile.mkstemp(dir=self.scratch, prefix="upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks(stream):
                    hashing.feed(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            stored = hashing.result()
            final = self._path(stored.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            # Same content, same name: replacing an existing copy refreshes its time, which the
            # sweep's grace period reads (a blob about to get its row is never swept).
            os.replace(scratch, final)
            return stored
        finally:
            if os.path.exists(scratch):
                os.unlink(scratch)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self._path(sha256).open("rb")
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def info(self, sha256: str) -> BlobInfo | None:
        path = self._path(sha256)
        return BlobInfo(sha256, _mtime(path)) if path.is_file() else None

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def blobs(self) -> Iterator[BlobInfo]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if valid_sha256(path.name):
                yield BlobInfo(path.name, _mtime(path))

    def scratch_files(self) -> Iterator[tuple[Path, datetime]]:
        """Yield partial uploads a killed process left behind (the sweep removes old ones)."""
        if self.scratch.is_dir():
            for path in self.scratch.iterdir():
                yield path, _mtime(path)

    def _path(self, sha256: str) -> Path:
        if not valid_sha256(sha256):
            raise BlobMissing(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)
