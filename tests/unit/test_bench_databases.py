"""Benchmarks take their databases from the environment or make their own, and drop only those."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SOURCES = sorted(BENCH.glob("*.py"))


def _scratch() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scratch", BENCH / "scratch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Admin:
    """A stand-in for the maintenance connection: records the statements a bench sends."""

    def __init__(self, sent: list[str]) -> None:
        self.sent = sent

    def __enter__(self) -> _Admin:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def execute(self, sql: str) -> None:
        self.sent.append(sql)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleType, list[str]]]:
    scratch = _scratch()
    statements: list[str] = []
    monkeypatch.setattr(scratch.psycopg, "connect", lambda *a, **k: _Admin(statements))
    monkeypatch.delenv("RCP_BENCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("RCP_BENCH_PG_ADMIN_URL", raising=False)
    yield scratch, statements


def test_no_benchmark_names_the_test_database() -> None:
    named = re.compile(r"postgres(?:ql)?(?:\+\w+)?://[^\s\"']*/test(?![\w])|dbname=test\b")
    for source in SOURCES:
        assert not named.search(source.read_text()), f"{source.name} names the test database"


def test_every_dropped_database_is_one_the_same_bench_created_under_a_unique_name() -> None:
    for source in SOURCES:
        text = source.read_text()
        for dropped in re.findall(r"DROP DATABASE[^\"'\n]*?\"?\{(\w+)\}", text):
            assert re.search(r"CREATE DATABASE \\?\"?\{" + dropped + r"\}", text), source.name
            assert re.search(dropped + r" = f\".*uuid", text), f"{source.name}: {dropped} is not unique"
        names = re.findall(r"DROP DATABASE\s+(?:IF\s+EXISTS\s+)?(\S+)", text)
        fixed = [n for n in names if not n.lstrip('\\"').startswith("{")]
        assert not fixed, f"{source.name} drops a database by a fixed name: {fixed}"


def test_a_temporary_database_is_made_through_the_postgres_database_and_only_it_is_dropped(
    sent: tuple[ModuleType, list[str]],
) -> None:
    scratch, statements = sent
    with scratch.temporary_postgres() as url:
        assert url.startswith("postgresql://postgres@127.0.0.1:5432/rcp_bench_")
    name = url.rsplit("/", 1)[1]
    assert statements == [f'CREATE DATABASE "{name}"', f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']
    with scratch.temporary_postgres() as other:
        assert other != url  # two runs at once never share (or drop) each other's database


def test_the_environments_database_is_used_as_it_is_and_never_dropped(
    sent: tuple[ModuleType, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch, statements = sent
    monkeypatch.setenv("RCP_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/mine")
    with scratch.postgres_database() as url:
        assert url == "postgresql://postgres@127.0.0.1:5432/mine"
    assert statements == []


def test_the_admin_database_comes_from_the_environment(
    sent: tuple[ModuleType, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch, statements = sent
    monkeypatch.setenv("RCP_BENCH_PG_ADMIN_URL", "postgresql://bench@db.example:5433/postgres")
    with scratch.postgres_database() as url:
        assert url.startswith("postgresql://bench@db.example:5433/rcp_bench_")
    assert len(statements) == 2


@pytest.mark.parametrize("variable", ["RCP_BENCH_DATABASE_URL", "RCP_BENCH_PG_ADMIN_URL"])
def test_the_test_database_is_refused_from_the_environment(
    sent: tuple[ModuleType, list[str]], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    scratch, statements = sent
    monkeypatch.setenv(variable, "postgresql://postgres@127.0.0.1:5432/test")
    with pytest.raises(SystemExit, match="never use the database 'test'"), scratch.postgres_database():
        pass
    assert statements == []


def test_the_throughput_and_timer_benches_take_their_databases_from_the_scratch_module() -> None:
    for name in ("engine_throughput.py", "timer_lateness.py"):
        text = (BENCH / name).read_text()
        assert "import scratch" in text and "DROP DATABASE" not in text, name
