"""OIDC settings from the environment and what the service reads from a provider's ID token claims."""

from __future__ import annotations

from typing import Any

import pytest

from service.config import OidcSettings, Settings, parse_group_map
from service.identity.external import check_group_map, identity_from_claims
from service.identity.users import SignInRefused

ENV = {
    "RCP_OIDC_ISSUER": "https://sso.agency.example/realms/cbp",
    "RCP_OIDC_CLIENT_ID": "rcp",
    "RCP_OIDC_CLIENT_SECRET": "very-secret-value",
    "RCP_OIDC_GROUP_MAP": "cbp-reviewers=reviewers,cbp-directors=field_director",
    "RCP_OIDC_LABEL": "CBP Login",
}


def test_without_an_issuer_oidc_is_off_and_passwords_are_on() -> None:
    settings = OidcSettings.from_env({})

    assert not settings.enabled and settings.local_passwords
    assert (settings.scopes, settings.groups_claim, settings.username_claim) == (
        "openid profile email",
        "groups",
        "preferred_username",
    )


def test_the_environment_configures_the_provider_and_the_secret_stays_out_of_repr() -> None:
    settings = Settings.from_env({**ENV, "SECRET_KEY": "k", "RCP_LOCAL_PASSWORDS": "0"}).oidc

    assert settings.enabled and not settings.local_passwords
    assert settings.metadata_url == "https://sso.agency.example/realms/cbp/.well-known/openid-configuration"
    assert settings.group_map == (("cbp-reviewers", "reviewers"), ("cbp-directors", "field_director"))
    assert settings.label == "CBP Login" and settings.client_secret == "very-secret-value"
    assert "very-secret-value" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RCP_LOCAL_PASSWORDS": "0"}, "RCP_LOCAL_PASSWORDS=0 needs RCP_OIDC_ISSUER"),
        ({"RCP_OIDC_ISSUER": "https://sso.example"}, "RCP_OIDC_CLIENT_ID is not"),
        (
            {**ENV, "RCP_OIDC_GROUP_MAP": "cbp-reviewers"},
            "'cbp-reviewers' is not provider-group=program_group",
        ),
    ],
)
def test_a_setup_nobody_could_sign_in_with_is_refused_at_start(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OidcSettings.from_env(env)


def test_directory_names_holding_commas_are_mapped_when_pairs_are_separated_by_semicolons() -> None:
    text = "cn=reviewers,ou=groups,dc=cbp=reviewers; cn=directors,ou=groups,dc=cbp=field_director"

    assert parse_group_map(text) == (
        ("cn=reviewers,ou=groups,dc=cbp", "reviewers"),
        ("cn=directors,ou=groups,dc=cbp", "field_director"),
    )
    assert parse_group_map("a=reviewers\nb=penalties\n") == (("a", "reviewers"), ("b", "penalties"))


def test_a_map_to_a_group_the_program_does_not_have_is_refused() -> None:
    settings = OidcSettings.from_env({**ENV, "RCP_OIDC_GROUP_MAP": "cbp-reviewers=reviewer"})

    with pytest.raises(ValueError, match="unknown group\\(s\\) reviewer; the program's groups are reviewers"):
        check_group_map(settings)


def _identity(claims: dict[str, Any], **env: str) -> Any:
    return identity_from_claims(claims, OidcSettings.from_env({**ENV, **env}))


def test_only_mapped_groups_count_and_one_provider_group_may_give_two() -> None:
    found = _identity(
        {"sub": "s-1", "preferred_username": "Jane.Doe@CBP.example", "groups": ["cbp-reviewers", "staff", 7]},
        RCP_OIDC_GROUP_MAP="cbp-reviewers=reviewers,cbp-reviewers=penalties,cbp-directors=field_director",
    )

    assert found.username == "jane.doe@cbp.example"
    assert found.groups == ("penalties", "reviewers")
    assert found.provider_groups == ("cbp-reviewers", "staff")
    assert (found.display_name, found.email) == ("jane.doe@cbp.example", None)


def test_the_configured_claims_are_read_and_the_subject_names_a_user_without_a_username() -> None:
    found = _identity(
        {"sub": "a1b2c3", "roles": "cbp-directors other", "name": "Dave D"},
        RCP_OIDC_GROUPS_CLAIM="roles",
        RCP_OIDC_USERNAME_CLAIM="upn",
    )

    assert (found.username, found.groups, found.display_name) == ("a1b2c3", ("field_director",), "Dave D")


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"preferred_username": "jane"}, "did not say who you are"),
        ({"sub": "s-1", "preferred_username": "Jane Doe"}, "'jane doe'"),
    ],
)
def test_claims_that_name_nobody_usable_are_refused(claims: dict[str, Any], message: str) -> None:
    with pytest.raises(SignInRefused, match=message):
        _identity(claims)
