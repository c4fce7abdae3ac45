"""The webhook address rules, case by case (service.notify.egress), with a resolver the test sets."""

from __future__ import annotations

import pytest

from service.notify.egress import AllowList, UnsafeTarget, check
from service.notify.webhooks import excerpt

PUBLIC, OTHER = "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
NOBODY = AllowList.parse([])


def dns(**names: list[str]) -> object:
    table = {name.replace("_", "."): addresses for name, addresses in names.items()}
    return lambda host, port: table[host]


def test_every_address_a_name_resolves_to_must_be_public() -> None:
    resolve = dns(hooks_portal_example=[PUBLIC, "10.0.0.7"])

    with pytest.raises(UnsafeTarget, match="private address"):
        check("https://hooks.portal.example/in", NOBODY, resolve)  # type: ignore[arg-type]


def test_a_public_name_gives_its_checked_address_port_and_path() -> None:
    target = check("https://Hooks.Portal.Example:8443/in?x=1", NOBODY, dns(hooks_portal_example=[OTHER]))  # type: ignore[arg-type]

    assert (target.host, target.port, target.path, target.address) == (
        "hooks.portal.example",
        8443,
        "/in?x=1",
        OTHER,
    )


def test_an_unresolvable_host_is_refused() -> None:
    def nowhere(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(UnsafeTarget, match="does not resolve"):
        check("https://gone.portal.example/in", NOBODY, nowhere)


@pytest.mark.parametrize(
    ("entries", "allowed"),
    [
        (["hooks.corp.example"], True),  # by name
        (["10.20.0.0/16"], True),  # by network
        (["10.20.1.5"], True),  # one address
        (["10.30.0.0/16"], False),
        (["other.corp.example"], False),
    ],
)
def test_the_allow_list_exempts_hosts_by_name_or_network(entries: list[str], allowed: bool) -> None:
    resolve = dns(hooks_corp_example=["10.20.1.5"])
    url = "http://hooks.corp.example:8080/in"

    if allowed:
        assert check(url, AllowList.parse(entries), resolve).address == "10.20.1.5"  # type: ignore[arg-type]
    else:
        with pytest.raises(UnsafeTarget, match="private address"):
            check(url, AllowList.parse(entries), resolve)  # type: ignore[arg-type]


def test_a_network_exempts_only_the_addresses_inside_it() -> None:
    resolve = dns(hooks_corp_example=["10.20.1.5", "127.0.0.1"])

    with pytest.raises(UnsafeTarget, match="loopback"):
        check("http://hooks.corp.example/in", AllowList.parse(["10.20.0.0/16"]), resolve)  # type: ignore[arg-type]


def test_an_excerpt_is_short_printable_and_single_line() -> None:
    cut = excerpt(b"ok\r\n\x1b[2J\x00" + "\u202e".encode() + b"x" * 500)

    assert cut.startswith("ok [2J x")
    assert len(cut) == 200
    assert cut.isprintable()
