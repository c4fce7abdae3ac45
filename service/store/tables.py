"""Every table of the service, gathered on one MetaData for Alembic.

Areas of the service keep their tables in their own ``schema_*`` module on the shared
``metadata``; import each one here so migrations see all of them.
"""

from . import (
    schema_inbox,  # noqa: F401  (registers the inbox tables)
    schema_program,  # noqa: F401 - registers the program's tables
)
from .schema import metadata

__all__ = ["metadata"]
