"""A process killed between the blob write and the commit leaves no row, and the sweep cleans up.

The child process attaches a document to a case on the same database and store, and dies
(``os._exit``, no clean-up, no rollback) at the moment its transaction would commit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from service.actions import document_records, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.config import ROOT
from service.documents.local import LocalBlobStore
from service.documents.s3 import S3BlobStore
from service.views import documents as reading
from tests.s3kit import KEYS, new_bucket, s3_server
from tests.support import INTEGRATOR, Switchboard, make_services, processes

PORTAL = replace(INTEGRATOR, scopes=frozenset({"start", "documents"}))

CHILD = """
import io, json, os, sys
from dataclasses import replace
from service.actions import documents
from service.clock import SystemClock
from service.store.db import UnitOfWork
from tests.support import INTEGRATOR, Switchboard, make_services

given = json.loads(sys.argv[1])
services = make_services(given["url"], __import__("pathlib").Path(given["tmp"]), SystemClock(), Switchboard())
if given["store"] == "s3":
    import boto3
    from service.documents.s3 import S3BlobStore
    client = boto3.client("s3", endpoint_url=given["endpoint"], **given["keys"])
    services.documents = S3BlobStore(client, given["bucket"])
UnitOfWork.commit = lambda self: os._exit(9)  # killed with the row written but not committed
portal = replace(INTEGRATOR, scopes=frozenset({"documents"}))
documents.attach(services, portal, "A-1", [documents.Upload("late.pdf", io.BytesIO(b"%PDF-1.4 crash"))])
os._exit(0)  # not reached: the commit kills the process
"""


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.mark.parametrize("store", ["local", "s3"])
def test_a_crash_before_the_commit_leaves_no_row_and_the_sweep_removes_the_orphan_blob(
    store: str, request: pytest.FixtureRequest, sqlite_url: str, tmp_path: Path, clock: MovableClock
) -> None:
    services = make_services(sqlite_url, tmp_path, clock, Switchboard())
    given = {"url": sqlite_url, "tmp": str(tmp_path), "store": store}
    if store == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        client, bucket = new_bucket(endpoint)
        services.documents = S3BlobStore(client, bucket)
        given.update(endpoint=endpoint, bucket=bucket, keys=KEYS)
    else:
        assert isinstance(services.documents, LocalBlobStore)  # the default: <instance>/documents
    deploy(services, processes(), INTEGRATOR)
    starting.start(
        services,
        "smoke",
        {"application_number": "A-1", "received_on": "2026-01-05"},
        PORTAL,
        business_key="A-1",
    )

    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(given)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )

    assert child.returncode == 9, child.stderr.decode()[-2000:]
    assert reading.listing(services, PORTAL, "A-1") == []  # no row, so none points at nothing
    [orphan] = list(services.documents.blobs())  # the bytes were written first
    assert document_records.sweep_orphans(services, grace=timedelta(hours=1)) == 0  # still in grace
    assert document_records.sweep_orphans(services, grace=timedelta(0)) == 1
    assert list(services.documents.blobs()) == []
    assert orphan.sha256
    services.close()
