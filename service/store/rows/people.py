"""Rows about people and integrators: users, tokens, logins, inbox filters and drafts, webhooks.

TypedDicts, so readers keep ``row["field"]``; each names exactly the columns its query selects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict, final


class UserRow(TypedDict):
    """A staff user with their groups, by name (``users`` and ``user_groups``)."""

    id: int
    username: str
    display_name: str
    email: str | None
    password_hash: str
    active: bool
    created_at: datetime
    source: str  # local | oidc
    subject: str | None  # the identity provider's ``sub`` of an oidc user
    groups: list[str]


class GroupMemberRow(TypedDict):
    """An active member of a group (``UserRepository.in_group``)."""

    username: str
    display_name: str


class LoginFailureRow(TypedDict):
    """Failed sign-ins counted under one key (``sign_in_failures``; "" stands for any)."""

    username: str
    address: str
    failures: int
    last_failed_at: datetime
    blocked_until: datetime | None
    refusal_noted: bool


class SavedFilterRow(TypedDict):
    """A named inbox filter of a user (``saved_filters``)."""

    id: int
    username: str
    name: str
    query: str
    kind: str  # tasks | cases
    created_at: datetime


class TaskDraftRow(TypedDict):
    """A user's unsent form of an open task (``task_drafts``)."""

    task_id: str
    username: str
    fields: dict[str, Any]
    saved_at: datetime


class _DiagramDraftColumns(TypedDict):
    """The columns of ``diagram_drafts`` but the XML."""

    id: str
    owner: str
    title: str
    process_key: str | None
    base_definition_id: int | None
    created_at: datetime
    updated_at: datetime


# Final, so that ``"bpmn_xml" in row`` tells a draft from its summary.
@final
class DiagramDraftSummaryRow(_DiagramDraftColumns):
    """An analyst's diagram draft without its XML (``DraftRepository.list_for``)."""


@final
class DiagramDraftRow(_DiagramDraftColumns):
    """An analyst's diagram draft (``diagram_drafts``)."""

    bpmn_xml: str


class CaseMigrationRow(TypedDict):
    """A case moved from one definition version to another (``case_migrations``)."""

    id: int
    instance_id: str
    process_key: str
    from_definition_id: int
    to_definition_id: int
    from_version: int
    to_version: int
    instance_version: int
    migrated_at: datetime
    migrated_by: str


class TokenRow(TypedDict):
    """An integrator's API token, its secret stored hashed (``api_tokens``)."""

    id: str
    name: str
    secret_hash: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class IdempotencyRow(TypedDict):
    """The first answer to a request with an Idempotency-Key (``api_idempotency_keys``)."""

    id: int
    owner: str
    key: str
    operation: str
    request_hash: str
    instance_id: str | None
    response_status: int
    response_body: dict[str, Any]
    created_at: datetime
    expires_at: datetime


class BufferedMessageRow(TypedDict):
    """A message kept until an instance waits for it (``api_buffered_messages``)."""

    id: str
    message_name: str
    business_key: str | None
    instance_id: str | None
    correlation_keys: dict[str, Any]
    variables: dict[str, Any]
    sender_kind: str
    sender: str
    status: str
    created_at: datetime
    expires_at: datetime
    delivered_at: datetime | None
    delivered_to: str | None


class WebhookRow(TypedDict):
    """An integrator's webhook (``api_webhooks``)."""

    id: str
    owner: str
    url: str
    description: str | None
    salt: str
    active: bool
    created_at: datetime
    deleted_at: datetime | None


class WebhookWithEventsRow(WebhookRow):
    """A webhook with the event types it subscribes to, sorted (``WebhookRepository.get``)."""

    events: list[str]
