"""Who may change process diagrams: analysts (and integrator tokens with the ``deploy`` scope)."""

from __future__ import annotations

from service.errors import Forbidden
from service.identity.actors import ANALYSTS, Actor

DEPLOY_SCOPE = "deploy"


def may_model(actor: Actor) -> bool:
    """Return whether the actor may validate, draft and deploy diagrams."""
    if actor.kind == "user":
        return ANALYSTS in actor.groups
    if actor.kind == "integrator":
        return DEPLOY_SCOPE in actor.scopes  # the API's deploy scope plays the analyst role
    return actor.kind == "system"


def require_analyst(actor: Actor) -> None:
    """Refuse (403) anyone who is not an analyst."""
    if not may_model(actor):
        what = f"the '{DEPLOY_SCOPE}' scope" if actor.kind == "integrator" else "the analysts group"
        raise Forbidden(f"changing process diagrams needs {what}", requiredGroup=ANALYSTS)


def require_reader(actor: Actor) -> None:
    """Refuse anyone who may neither model nor move cases (version lists and diffs)."""
    if not (may_model(actor) or actor.is_supervisor):
        raise Forbidden("process versions are for analysts and supervisors", requiredGroup=ANALYSTS)
