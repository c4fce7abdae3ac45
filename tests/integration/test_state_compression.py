"""On PostgreSQL with LZ4 an instance's saved state is compressed with LZ4 (migration 0020)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from service.store.db import make_engine

pytestmark = pytest.mark.postgres


def test_the_saved_state_is_compressed_with_lz4_where_the_server_has_it(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            methods = conn.execute(
                text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
            ).scalar()
            if methods is None or "lz4" not in methods:
                pytest.skip("this PostgreSQL has no LZ4: the state keeps pglz")
            method = conn.execute(
                text(
                    "SELECT attcompression FROM pg_attribute"
                    " WHERE attrelid = 'process_instances'::regclass AND attname = 'state'"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert method == "l"
