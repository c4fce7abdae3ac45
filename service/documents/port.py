"""The storage port: blobs named by the SHA-256 of their bytes, written whole or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredBlob:
    """What ``put`` wrote: the content's SHA-256 (hex) and its size in bytes."""

    sha256: str
    size: int


@dataclass(frozen=True)
class BlobInfo:
    """A blob the store holds, as the sweep sees it: its name and when it was last written."""

    sha256: str
    modified_at: datetime


class TooLarge(Exception):
    """The stream ran past the size limit ``put`` was given (nothing was kept)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the document is larger than {limit} bytes")
        self.limit = limit


class BlobMissing(Exception):
    """No blob has this SHA-256."""


class Readable(Protocol):
    """Anything bytes are read from in chunks: a file, an upload, a request body."""

    def read(self, size: int = -1, /) -> bytes: ...


class BlobStore(Protocol):
    """Where documents' bytes live; the same content is stored once."""

    def put(self, stream: Readable, limit: int | None = None) -> StoredBlob:
        """Store the stream's bytes (idempotent); raise ``TooLarge`` past ``limit`` bytes."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """Return a readable stream of the blob; raise ``BlobMissing`` when absent."""
        ...

    def exists(self, sha256: str) -> bool:
        """Say whether the blob is stored."""
        ...

    def info(self, sha256: str) -> BlobInfo | None:
        """Return the blob's name and last write time, or None when it is absent."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove the blob (nothing happens when it is absent)."""
        ...

    def blobs(self) -> Iterator[BlobInfo]:
        """Yield every stored blob (the sweep's walk)."""
        ...


class Hashing:
    """Count and hash bytes as they pass, refusing more than ``limit``."""

    def __init__(self, limit: int | None) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.limit = limit

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise TooLarge(self.limit)
        self.digest.update(chunk)

    def result(self) -> StoredBlob:
        return StoredBlob(self.digest.hexdigest(), self.size)


def chunks(stream: Readable) -> Iterator[bytes]:
    """Yield the stream in bounded chunks (never the whole body at once)."""
    while chunk := stream.read(CHUNK):
        yield chunk


def valid_sha256(name: str) -> bool:
    """Say whether ``name`` is 64 lower-case hex digits (the only names blobs have)."""
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)
