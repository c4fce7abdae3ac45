"""The one allow-list of operations diagrams may call, each mapped to its handler.

Handlers are plain Python: a parameters dataclass in, a JSON-serialisable dict out. They are built
per transaction from ``Ports`` (the data and notification services of that transaction), so what
they write commits or rolls back with the step that called them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

P = TypeVar("P")
P_contra = TypeVar("P_contra", contravariant=True)
Ports = TypeVar("Ports")


@dataclass(frozen=True)
class CallContext:
    """Where a service-task call comes from: enough for a handler to key its side effects."""

    instance_id: str
    business_key: str | None
    process_key: str
    task_id: str
    task_name: str

    @property
    def step_key(self) -> str:
        """A key that is the same for every retry of this step (idempotent side effects)."""
        return f"{self.instance_id}:{self.task_id}"


class Handler(Protocol[P_contra]):
    def __call__(self, params: P_contra, call: CallContext) -> dict[str, Any]: ...


class UnknownOperation(LookupError):
    """A diagram named an operation the registry does not have."""


class BadParameters(ValueError):
    """The evaluated parameters do not fit the operation's parameter dataclass."""


@dataclass(frozen=True)
class Operation(Generic[P, Ports]):
    """An operation name, its parameters dataclass and how to build its handler from ports."""

    name: str
    params: type[P]
    build: Callable[[Ports], Handler[P]]
    description: str
    citation: str | None = None
    retries: int = 3

    def parameters(self) -> list[dict[str, Any]]:
        """Describe the parameters (for deploy checks and the modeler's picker)."""
        described = []
        for f in dataclasses.fields(self.params):  # type: ignore[arg-type]
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            type_name = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
            described.append({"name": f.name, "type": type_name, "required": required})
        return described


@dataclass
class Registry(Generic[Ports]):
    """Maps operation names to operations; ``bind`` gives a caller for one transaction's ports."""

    operations: Mapping[str, Operation[Any, Ports]] = field(default_factory=dict)

    @classmethod
    def of(cls, operations: Iterable[Operation[Any, Ports]]) -> Registry[Ports]:
        table: dict[str, Operation[Any, Ports]] = {}
        for op in operations:
            if op.name in table:
                raise ValueError(f"operation {op.name} registered twice")
            table[op.name] = op
        return cls(table)

    def names(self) -> set[str]:
        return set(self.operations)

    def get(self, name: str) -> Operation[Any, Ports]:
        try:
            return self.operations[name]
        except KeyError:
            raise UnknownOperation(f"no handler is registered for operation '{name}'") from None

    def describe(self) -> list[dict[str, Any]]:
        return [
            {
                "name": op.name,
                "description": op.description,
                "citation": op.citation,
                "params": op.parameters(),
            }
            for op in sorted(self.operations.values(), key=lambda o: o.name)
        ]

    def parameter_problems(self, name: str, given: Iterable[str]) -> list[str]:
        """Say what is wrong with the parameter ids a diagram passes to ``name``."""
        described = {p["name"]: p for p in self.get(name).parameters()}
        given_set = set(given)
        problems = [
            f"unknown parameter '{p}' for operation '{name}'" for p in sorted(given_set - described.keys())
        ]
        problems += [
            f"operation '{name}' needs parameter '{p}'"
            for p, d in sorted(described.items())
            if d["required"] and p not in given_set
        ]
        return problems

    def bind(self, ports: Ports) -> Callable[[str, dict[str, Any], CallContext], dict[str, Any]]:
        """Return a caller that builds handlers from ``ports`` on first use."""
        built: dict[str, Handler[Any]] = {}

        def call(name: str, values: dict[str, Any], context: CallContext) -> dict[str, Any]:
            op = self.get(name)
            try:
                params = op.params(**values)
            except TypeError as exc:
                raise BadParameters(f"operation '{name}': {exc}") from None
            handler = built.get(name)
            if handler is None:
                handler = built[name] = op.build(ports)
            return handler(params, context)

        return call
