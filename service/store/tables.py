"""Every table of the service, gathered on one MetaData for Alembic.

Areas of the service keep their tables in their own ``schema_*`` module on the shared
``metadata``; import each one here so migrations see all of them.
"""

from service.store import (
    schema_api,  # noqa: F401  (registers the integrator API's tables)
    schema_cases,  # noqa: F401  (registers the case list's search tables)
    schema_decisions,  # noqa: F401  (registers the DMN decision tables)
    schema_documents,  # noqa: F401  (registers the case documents' metadata)
    schema_inbox,  # noqa: F401  (registers the inbox tables)
    schema_jobs,  # noqa: F401  (registers the background-work tables)
    schema_modeler,  # noqa: F401  (registers the modeler tables)
    schema_program,  # noqa: F401  (registers the program's tables)
)
from service.store.schema import metadata

__all__ = ["metadata"]
