"""``rcp --help``, each command's help and ``rcp --version`` read as prose a newcomer can act on.

The commands are found by walking the parser, so a command added later is held to the same rules.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from service.cli import build_parser, main

RCP = Path(sys.executable).with_name("rcp")  # the installed entry point of this virtual environment
# reStructuredText that would show up literally: ``code``, :role:`x`, `link`_, directives.
RST = re.compile(r"``|:[a-z]+:`|`_|^\.\. ", re.MULTILINE)


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return found[0] if found else None


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Yield the path of every command and subcommand the parser has."""
    sub = _subparsers(parser)
    for name, child in (sub.choices if sub else {}).items():
        yield (*path, name)
        yield from commands(child, (*path, name))


def parser_of(path: tuple[str, ...]) -> argparse.ArgumentParser:
    """Return the parser of one command path."""
    parser = build_parser()
    for name in path:
        sub = _subparsers(parser)
        assert sub is not None
        parser = sub.choices[name]
    return parser


COMMANDS = sorted(commands(build_parser()))


def test_the_walk_finds_the_commands_a_reader_looks_for() -> None:
    names = {" ".join(path) for path in COMMANDS}
    expected = {"run", "deploy", "validate", "migrate", "backup", "token list", "user create", "notices"}
    assert expected <= names, f"missing: {expected - names}"
    assert {"worker", "scheduler", "webhook deliveries", "api openapi"} <= names


def test_rcp_help_is_prose_that_names_every_command() -> None:
    done = subprocess.run([str(RCP), "--help"], capture_output=True, text=True, timeout=60, check=False)

    assert done.returncode == 0, done.stderr
    assert not RST.search(done.stdout), done.stdout
    assert "Recordkeeping Compliance Program" in done.stdout
    assert "--version" in done.stdout
    listed = {path[0] for path in COMMANDS}
    assert all(re.search(rf"^\s+{re.escape(name)}\s+\S", done.stdout, re.MULTILINE) for name in listed)
    assert done.stderr == ""


def test_rcp_version_prints_the_installed_distribution_version() -> None:
    done = subprocess.run([str(RCP), "--version"], capture_output=True, text=True, timeout=60, check=False)

    assert done.returncode == 0
    assert done.stdout == f"rcp {version('rcp-orchestrator')}\n"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_each_command_explains_itself_and_every_option(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*path, "--help"])
    text = capsys.readouterr().out

    assert stopped.value.code == 0
    assert not RST.search(text), text
    parser = parser_of(path)
    assert parser.description, f"rcp {' '.join(path)} has no description"
    assert " ".join(parser.description.split()) in " ".join(text.split())
    undescribed = [
        a.dest
        for a in parser._actions
        if not isinstance(a, argparse._SubParsersAction) and a.help != argparse.SUPPRESS and not a.help
    ]
    assert undescribed == [], f"rcp {' '.join(path)}: options without a help text: {undescribed}"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_each_command_has_a_one_line_help_in_its_parents_list(path: tuple[str, ...]) -> None:
    sub = _subparsers(parser_of(path[:-1]))
    assert sub is not None
    helps = {a.dest: a.help for a in sub._choices_actions}

    assert helps.get(path[-1]), f"rcp {' '.join(path)} has no one-line help"
    assert "\n" not in (helps[path[-1]] or "")


def test_run_help_describes_its_options_with_their_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())

    for option in ("--host", "--port", "--no-runner", "--threads", "--trusted-proxy"):
        assert option in text
    assert "(default: 127.0.0.1)" in text
    assert "(default: 8)" in text
    assert "(default: PORT, else 8000)" in text


def test_the_readmes_command_line_table_names_every_command() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    missing = sorted({path[0] for path in COMMANDS if f"`rcp {path[0]}" not in section})

    assert missing == [], f"README's Command line section does not name: {missing}"
