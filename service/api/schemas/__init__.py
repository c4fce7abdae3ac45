"""JSON Schemas of the API: the one source for request validation, response checks and OpenAPI.

Request bodies are closed (``additionalProperties: false``: a misspelt field is an error, not
silently ignored); response objects are open, so adding a field never breaks an integrator.
"""

from __future__ import annotations

# Each area module adds its components to COMPONENTS when imported.
from service.api.schemas import casefiles, cases, documents, inputs, integration  # noqa: F401
from service.api.schemas.base import (
    ANY_OBJECT,
    BUSINESS_KEY,
    COMPONENTS,
    CONTROL_RANGES,
    COUNT_NAMES,
    COUNTS,
    DATETIME,
    ID,
    INT32_MAX,
    KEY_PATTERN,
    NAME,
    SCOPES,
    STRING,
    TEXT,
    UUID,
    VARIABLES,
    VERSION,
    Schema,
    nullable,
    obj,
    page_of,
    ref,
)

__all__ = [
    "ANY_OBJECT",
    "BUSINESS_KEY",
    "COMPONENTS",
    "CONTROL_RANGES",
    "COUNTS",
    "COUNT_NAMES",
    "DATETIME",
    "ID",
    "INT32_MAX",
    "KEY_PATTERN",
    "NAME",
    "SCOPES",
    "STRING",
    "TEXT",
    "UUID",
    "VARIABLES",
    "VERSION",
    "Schema",
    "nullable",
    "obj",
    "page_of",
    "ref",
]
