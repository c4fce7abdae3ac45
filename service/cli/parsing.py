"""The parser every rcp command shares: descriptions kept as written, useful defaults shown."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wrap prose paragraphs, keep indented examples as written, show an option's useful default."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.strip("\n").split("\n\n")
        return "\n\n".join(_fill(p, width, indent) for p in paragraphs)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        # A flag's False, an unset None and a suppressed default say nothing a reader needs.
        silent = default is None or default is False or default == argparse.SUPPRESS
        if silent or "%(default)" in text or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class RcpParser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands (made from it) use the shared help formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def _fill(paragraph: str, width: int, indent: str) -> str:
    lines = paragraph.splitlines()
    # A heading ("examples:") or an indented line marks text laid out by hand: keep it so.
    if any(line.startswith(" ") or line.endswith(":") for line in lines):
        return "\n".join(indent + line for line in lines)
    return textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent, subsequent_indent=indent)


def processes_folder(text: str) -> Path:
    """Return the folder named on the command line if it holds diagrams (argparse type)."""
    folder = Path(text)
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"no folder {folder}")
    if not any(folder.glob("*.bpmn")):
        raise argparse.ArgumentTypeError(f"no diagrams (*.bpmn) in {folder}")
    return folder
