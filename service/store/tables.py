"""Every table of the service, gathered on one MetaData for Alembic.

Areas of the service keep their tables in their own ``schema_*`` module on the shared
``metadata``; import each one here so migrations see all of them.
"""

from . import schema_api  # noqa: F401  (integrator API tables)
from .schema import metadata

__all__ = ["metadata"]
