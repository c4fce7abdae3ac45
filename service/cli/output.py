"""Print what list commands find: an aligned table with a header row, or a JSON array for scripts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column of a listing: the JSON key of each row and the table's header for it."""

    key: str
    header: str


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Give a list command its ``--json`` option."""
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array of objects (stable keys) instead of the table, for scripts",
    )


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], as_json: bool) -> None:
    """Print rows as JSON (every key of each row) or as a table of the given columns."""
    if as_json:
        print(json.dumps([dict(r) for r in rows], indent=2, default=_plain))
    else:
        print(table(rows, columns))


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Return the rows as a table: a header row, then one line per row, columns aligned."""
    lines = [[c.header for c in columns]] + [[_cell(r.get(c.key)) for c in columns] for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    # The last column is not padded, so lines carry no trailing blanks.
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _plain(value) if isinstance(value, date) else str(value)


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
