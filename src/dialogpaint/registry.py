"""One registry type for pluggable backends (editors, dialogue models), with one set of rules.

Rules: a name maps to a `Spec` (a factory and a line of description). Built-ins register at import,
extensions through an entry-point group (`dialogpaint.editors`, `dialogpaint.dialogues`), read only
when a name is not found, and never replacing a name already registered. Is: the mapping and those
rules. Is not: how a backend is built (the factories) or names that are paths (the loaders decide).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .errors import ConfigError


@dataclass(frozen=True)
class Spec:
    name: str
    factory: Callable[..., object]  # keyword options -> the backend
    description: str                # one line, shown by `dialogpaint backends`


class Registry(dict):
    """name -> Spec, plus the entry-point group extensions register through."""

    def __init__(self, kind: str, group: str):
        super().__init__()
        self.kind = kind        # "editor", "dialogue backend": for messages
        self.group = group      # the entry-point group of extensions

    def register(self, name: str, factory: Callable[..., object], description: str) -> None:
        self[name] = Spec(name, factory, description)

    def find(self, name: str) -> Spec | None:
        """The Spec of `name`, reading the extensions' entry points when it is not registered yet."""
        if name not in self:
            from importlib.metadata import entry_points

            for ep in entry_points(group=self.group):
                if ep.name not in self:
                    self.register(ep.name, ep.load(), f"extension from {ep.value}")
        return self.get(name)

    def build(self, name: str, *, also: str = "", **options):
        """The backend `name` built with `options`; `ConfigError` naming the known ones if there is none."""
        spec = self.find(name)
        if spec is None:
            raise ConfigError(f"unknown {self.kind} {name!r}; known: {', '.join(sorted(self))}{also}")
        return spec.factory(**options)
