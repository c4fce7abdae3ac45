"""A time limit for diagram scripts and expressions.

The AST policy keeps imports, files and the network out of a script, but not ``while True``: such
a step would hold its case (and on SQLite every writer) for ever. While a script or expression
runs, a trace function follows the code compiled from the diagram, opcode by opcode, and stops it
once it runs past its limit; the step then fails like any failing script (the case gets an
incident). A single long operation (``"x" * 10**10``) is one opcode: ``sizes`` refuses those.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# Diagram scripts are compiled by ``exec``/``eval`` from strings; library code has real files.
SCRIPT_FILENAME = "<string>"
CHECK_EVERY = 1024  # trace events between looks at the clock


class ScriptTimeout(RuntimeError):
    """A diagram script or expression ran past its time limit."""


@contextmanager
def time_limited(seconds: float) -> Iterator[None]:
    """Stop diagram code run inside the block once it has run for ``seconds``."""
    deadline = time.monotonic() + seconds
    steps = 0

    def on_step(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        nonlocal steps
        steps += 1
        if steps % CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise ScriptTimeout(f"the script ran longer than {seconds:g} s, the limit for diagram scripts")
        return on_step

    def on_call(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        # Only the diagram's own frames (and the functions and comprehensions it defines). Every
        # opcode counts: ``while True: pass`` jumps back without ever starting a new line.
        if frame.f_code.co_filename != SCRIPT_FILENAME:
            return None
        frame.f_trace_opcodes = True
        return on_step

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)
