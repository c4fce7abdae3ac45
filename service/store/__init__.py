"""Persistence: schema, migrations, repositories and the unit of work."""

from .db import Database, UnitOfWork, make_engine

__all__ = ["Database", "UnitOfWork", "make_engine"]
