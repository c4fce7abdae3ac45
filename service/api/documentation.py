"""The OpenAPI document and its HTML rendering: public, so problem `type` links open in a browser."""

from __future__ import annotations

import json
from functools import lru_cache

from service.api import docs_page, openapi
from service.api.contract import Answer, Call, Reply, operation

TAG = "Documentation"
# The page is one static document: no script may run, nothing is loaded from anywhere.
DOCS_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@operation(
    "GET",
    "/openapi.json",
    operation_id="getOpenApiDocument",
    tag=TAG,
    scope=None,
    public=True,
    summary="This API as an OpenAPI 3.1 document",
    answers={200: Answer("the document", {"type": "object"})},
)
def openapi_document(call: Call) -> Reply:
    return Reply(document_bytes())


@lru_cache(maxsize=1)
def document_bytes() -> bytes:
    """Return the document as the answer's bytes (encoded once per process, not per fetch)."""
    return json.dumps(openapi.document(), separators=(",", ":")).encode()


@lru_cache(maxsize=1)
def page() -> str:
    """Return the rendered documentation page (rendered once per process)."""
    return docs_page.render(openapi.document())


@operation(
    "GET",
    "/docs",
    operation_id="getApiDocumentation",
    tag=TAG,
    scope=None,
    public=True,
    summary="This API's documentation as a web page",
    answers={200: Answer("the page", {"type": "string"}, "text/html")},
)
def documentation(call: Call) -> Reply:
    return Reply(page(), media_type="text/html", headers={"Content-Security-Policy": DOCS_CSP})
