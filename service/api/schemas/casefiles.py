"""Schemas of cases: a business key's family and its whole history (``GET /cases``)."""

from __future__ import annotations

from service.api.schemas.base import ANY_OBJECT, COMPONENTS, DATETIME, STRING, Schema, nullable, obj, ref

DATE: Schema = {"type": "string", "format": "date"}
STATUS: Schema = {"enum": ["waiting", "error", "completed", "cancelled"]}
LIST: Schema = {"type": "array", "items": STRING}

COMPONENTS["CaseSummary"] = obj(
    ["id", "businessKey", "processKey", "processName", "status", "applicant", "started"],
    id={"type": "string", "description": "the instance started under the case number"},
    businessKey=STRING,
    processKey=STRING,
    processName={"type": "string", "description": "the process's title"},
    status=STATUS,
    suspended={"type": "boolean"},
    hasIncident={"type": "boolean"},
    applicant={**nullable(STRING), "description": "the applicant, recordkeeper or auditee named at start"},
    started=DATETIME,
    updated=DATETIME,
    completed=nullable(DATETIME),
)
COMPONENTS["CaseMember"] = {
    "allOf": [
        ref("CaseSummary"),
        obj(
            ["relation", "stage"],
            businessKey=nullable(STRING),
            relation={"type": "string", "description": "why the instance belongs to the case"},
            stage={**LIST, "description": "the steps it is at (their names in the diagram)"},
        ),
    ]
}
SUSPENSION = obj(
    ["requestNumber", "start", "end", "days", "citation"],
    requestNumber=STRING,
    applicationNumber=STRING,
    informationNeeded=STRING,
    start=DATETIME,
    end={**nullable(DATETIME), "description": "null while the information is awaited"},
    days={**nullable({"type": "integer"}), "description": "calendar days suspended; null while open"},
    outcome={**nullable(STRING), "description": "received, withdrawn or cancelled"},
    citation={"type": "string", "description": "§163.12(c)(1)"},
)
CASE_NOTICE = obj(
    ["noticeNumber", "kind", "caseRef", "issuedAt", "ruleCited", "subject", "recipient"],
    noticeNumber=STRING,
    kind=STRING,
    caseRef={"type": "string", "description": "the number it was filed under (application, appeal ...)"},
    processInstanceId=nullable(STRING),
    issuedAt=DATETIME,
    issuedOn=DATE,
    ruleCited=STRING,
    subject=STRING,
    recipient=STRING,
)
DECISION = obj(
    ["at", "actor", "task", "data"],
    at=DATETIME,
    actor={"type": "string", "description": "who completed the task"},
    task={"type": "string", "description": "the task's name in the diagram"},
    element=STRING,
    data={**ANY_OBJECT, "description": "what was submitted"},
    processInstanceId=nullable(STRING),
)
MESSAGE = obj(
    ["at", "actor", "messageName"],
    at=DATETIME,
    actor=STRING,
    messageName=STRING,
    correlationKeys=ANY_OBJECT,
    variables=ANY_OBJECT,
    processInstanceId=nullable(STRING),
)
APPEAL = obj(
    ["appealNumber", "noticeNumber", "kind", "receivedOn", "decision", "pending"],
    appealNumber=STRING,
    noticeNumber={"type": "string", "description": "the notice of denial or removal appealed"},
    kind={"enum": ["denial", "removal"]},
    receivedOn=DATE,
    decisionDueOn=nullable(DATE),
    decision={**nullable(STRING), "description": "upheld, reversed or rejected_late; null while pending"},
    decidedOn=nullable(DATE),
    pending={"type": "boolean"},
)
ENTRY = obj(
    ["at", "kind", "summary"],
    at=DATETIME,
    kind={"type": "string", "description": "start, decision, message, notice, suspension, resumption ..."},
    summary=STRING,
    actor=nullable(STRING),
    ref={**nullable(STRING), "description": "the instance, notice or information request it concerns"},
    details={
        "type": "array",
        "description": "what the step carried, as labelled text (a decision's fields, a message's variables)",
        "items": obj(["label", "value"], label=STRING, value=STRING),
    },
)


TABLE_DECISION = obj(
    ["decision", "version", "task", "processKey", "processInstanceId", "inputs", "rule", "outputs", "at"],
    decision={"type": "string", "description": "the decision table's id (calledDecisionId)"},
    name=nullable(STRING),
    version={**nullable({"type": "integer"}), "description": "the version pinned"},
    task={"type": "string", "description": "the business rule task's element id"},
    processKey=STRING,
    processInstanceId=STRING,
    inputs={**ANY_OBJECT, "description": "each input column's label and the value it was given"},
    rule={
        **nullable(
            obj(
                ["id", "row", "annotation"],
                id=STRING,
                row=nullable({"type": "integer"}),
                annotation={**nullable(STRING), "description": "the paragraph the rule applies"},
            )
        ),
        "description": "the rule that hit; null when none matched",
    },
    outputs={**ANY_OBJECT, "description": "each output's name and value"},
    at=DATETIME,
)


def _list(item: Schema) -> Schema:
    return {"type": "array", "items": item}


CASE_PARTS = ["family", "openTasks", "deadlines", "suspensions", "notices", "decisions", "messages"]
COMPONENTS["Case"] = obj(
    ["businessKey", "processKey", "status", "stage", *CASE_PARTS, "appeals", "pendingAppeal", "history"],
    businessKey=STRING,
    processKey=STRING,
    processName=STRING,
    applicant=nullable(STRING),
    status=STATUS,
    stage={**LIST, "description": "the steps the case is at, across its family"},
    family=_list(ref("CaseMember")),
    openTasks=_list({"$ref": "#/components/schemas/Task"}),  # from schemas.cases, imported after this
    deadlines=_list(
        obj(["element", "due"], element=STRING, title=nullable(STRING), due=nullable(DATETIME))
        | {"description": "each with the citation that set it"}
    ),
    suspensions={**_list(SUSPENSION), "description": "every information request's suspension, in order"},
    notices={
        **_list(CASE_NOTICE),
        "description": "every notice of the family, whatever number it is filed under",
    },
    decisions=_list(DECISION),
    messages=_list(MESSAGE),
    appeals=_list(APPEAL),
    pendingAppeal={**nullable(STRING), "description": "the number of the appeal awaiting its decision"},
    history={**_list(ENTRY), "description": "everything above, in the order the case ran"},
    tableDecisions={
        **_list(TABLE_DECISION),
        "description": "what the DMN decision tables decided: table, version, inputs, rule, outputs",
    },
    documents={
        **_list({"$ref": "#/components/schemas/Document"}),  # from schemas.documents
        "description": "the documents attached to the case, tombstones included (download: scope documents)",
    },
)
