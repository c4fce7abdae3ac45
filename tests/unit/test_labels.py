"""Internal names (groups, messages, actors) are shown as people say them."""

from __future__ import annotations

from service.identity.actors import Actor
from service.views import inbox, labels


def test_groups_are_shown_by_their_title_and_no_lane_is_the_supervisors() -> None:
    assert labels.group_title("field_director") == "Field office Director"
    assert labels.group_title(None) == "Supervisors"
    assert labels.group_title("new_desk") == "New desk"


def test_messages_say_what_the_case_waits_for() -> None:
    assert labels.message_title("application_withdrawn") == "the application's withdrawal"
    assert labels.message_title("late_fee_paid") == "late fee paid"


def test_the_service_itself_is_named_the_service_and_people_by_their_name() -> None:
    assert labels.actor_label("system:system") == "the service"
    assert labels.actor_label("system", "retries") == "the service"
    assert labels.actor_label("user:ana") == "ana"
    assert labels.actor_label("integrator", "acme-erp") == "acme-erp (integrator)"


def test_only_analysts_who_work_no_lane_land_in_the_modeler() -> None:
    assert inbox.lands_in_modeler(Actor("user", "ana", frozenset({"analysts"})))
    assert not inbox.lands_in_modeler(Actor("user", "al", frozenset({"analysts", "reviewers"})))
    assert not inbox.lands_in_modeler(Actor("user", "sam", frozenset({"analysts", "supervisors"})))
    assert not inbox.lands_in_modeler(Actor("user", "rita", frozenset({"reviewers"})))
