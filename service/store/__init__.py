"""Persistence: schema, migrations, repositories and the unit of work."""

from service.store.db import Database, UnitOfWork, make_engine

__all__ = ["Database", "UnitOfWork", "make_engine"]
