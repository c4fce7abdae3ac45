"""S3-compatible object storage for scale-out: every node reads and writes the same bucket.

boto3 is the optional ``s3`` extra; it is imported only when ``RCP_DOCUMENTS_STORE=s3``.
Credentials come from boto3's usual sources (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
a profile, an instance role), never from the service's own settings.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from service.documents.port import (
    BlobInfo,
    BlobMissing,
    Hashing,
    Readable,
    StoredBlob,
    chunks,
    valid_sha256,
)

SPOOL = 8 * 1024 * 1024  # bytes kept in memory before the upload spills to a temporary file


class S3BlobStore:
    """Blobs as objects ``<prefix><sha256>`` in one bucket."""

    def __init__(self, client: Any, bucket: str, prefix: str = "documents/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def connect(cls, bucket: str, endpoint_url: str | None, region: str | None, prefix: str) -> S3BlobStore:
        """Return a store on a bucket (``endpoint_url`` names a non-AWS server such as MinIO)."""
        import boto3

        client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
        return cls(client, bucket, prefix)

    def put(self, stream: Readable, limit: int | None = None) -> StoredBlob:
        """Hash while spooling, then upload under the hash (the key is known only at the end)."""
        hashing = Hashing(limit)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
            for chunk in chunks(stream):
                hashing.feed(chunk)
                spool.write(chunk)
            stored = hashing.result()
            spool.seek(0)
            # Uploaded again even when present: the object's time is refreshed, so the sweep's
            # grace period protects it until its row commits.
            self.client.upload_fileobj(spool, self.bucket, self._key(stored.sha256))
        return stored

    def open(self, sha256: str) -> BinaryIO:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
        except self.client.exceptions.NoSuchKey:
            raise BlobMissing(sha256) from None
        return cast(BinaryIO, answer["Body"])

    def exists(self, sha256: str) -> bool:
        return self.info(sha256) is not None

    def info(self, sha256: str) -> BlobInfo | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return BlobInfo(sha256, head["LastModified"])

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))

    def blobs(self) -> Iterator[BlobInfo]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix) :]
                if valid_sha256(name):
                    yield BlobInfo(name, item["LastModified"])

    def _key(self, sha256: str) -> str:
        if not valid_sha256(sha256):
            raise BlobMissing(sha256)
        return self.prefix + sha256
