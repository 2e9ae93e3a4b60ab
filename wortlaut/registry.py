"""Named factories for swappable pipeline components (extractors, resolvers), as in spaCy's registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from .document import Document

Component = Callable[[Document], Document]
#: Builds a component; its arguments (a model directory, options) are the factory's own.
Factory = Callable[..., Component]
F = TypeVar("F", bound=Factory)


class Registry(Generic[F]):
    """Maps a name to a factory that builds a component; modules register themselves on import."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, F] = {}

    def register(self, name: str) -> Callable[[F], F]:
        def decorate(factory: F) -> F:
            self._factories[name] = factory
            return factory

        return decorate

    def get(self, name: str) -> F:
        if name not in self._factories:
            known = ", ".join(sorted(self._factories)) or "none"
            raise KeyError(f"unknown {self.kind} {name!r} (known: {known})")
        return self._factories[name]


extractors: Registry[Factory] = Registry("extractor")
resolvers: Registry[Factory] = Registry("resolver")
