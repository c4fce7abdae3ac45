"""Case documents: the upload form and the document as listed."""

from __future__ import annotations

from service.api.schemas.base import COMPONENTS, DATETIME, STRING, UUID, nullable, obj

COMPONENTS["DocumentUpload"] = obj(
    ["file"],
    closed=True,
    file={
        "type": "array",
        "minItems": 1,
        "maxItems": 20,
        "description": "the documents: PDF, PNG, JPEG, TIFF, plain text or CSV, DOCX or XLSX, told by "
        "their content; each at most RCP_DOCUMENT_MAX_BYTES (25 MB by default)",
        "items": {"type": "string", "contentMediaType": "application/octet-stream"},
    },
    answers={
        "type": "string",
        "maxLength": 200,
        "description": "what the documents answer, e.g. `information request 2` or a message name",
    },
    supersedes={**UUID, "description": "the id of the document of this case they correct"},
)
COMPONENTS["Document"] = obj(
    ["id", "businessKey", "name", "mediaType", "size", "sha256", "uploadedBy", "uploadedAt", "deleted"],
    id=UUID,
    businessKey=STRING,
    instanceId=STRING,
    name=STRING,
    mediaType={**STRING, "description": "told from the content, not from what the sender declared"},
    size={"type": "integer", "minimum": 0},
    sha256={"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "of the bytes; they never change"},
    uploadedBy=STRING,
    uploadedAt=DATETIME,
    answers=nullable(STRING),
    taskId=nullable(STRING),
    supersedes={**nullable(STRING), "description": "the document this one corrects"},
    supersededBy={**nullable(STRING), "description": "the newest document correcting this one"},
    deleted={
        **nullable(obj(["at", "by", "reason"], at=DATETIME, by=STRING, reason=STRING)),
        "description": "the tombstone: who removed the bytes, when and why (null while kept)",
    },
)
