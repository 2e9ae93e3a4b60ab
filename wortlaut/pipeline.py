"""The analysis pipeline: tokenize → extract → resolve, each a component over one Document."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import nlp
from .document import Document
from .registry import Component, extractors, resolvers

DEFAULT_EXTRACTOR = "model"
FALLBACK_EXTRACTOR = "rules"
DEFAULT_RESOLVER = "article"


def _load_components() -> None:
    """Import the modules that register components (kept lazy so `import wortlaut` stays cheap)."""
    from .extract import rules, model  # noqa: F401
    from . import resolve  # noqa: F401


@dataclass
class Pipeline:
    """An ordered list of named components; calling it runs them all over a Document."""

    components: list[tuple[str, Component]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def __call__(self, doc: Document) -> Document:
        for _, component in self.components:
            doc = component(doc)
        return doc


@lru_cache(maxsize=8)
def load_pipeline(extractor: str | None = None, resolver: str | None = DEFAULT_RESOLVER) -> Pipeline:
    """Build (once per process) the pipeline; the learned model is the default when its artifact exists."""
    _load_components()
    name = extractor or DEFAULT_EXTRACTOR
    try:
        extract = extractors.get(name)()
    except FileNotFoundError:
        if extractor is not None:
            raise
        name, extract = FALLBACK_EXTRACTOR, extractors.get(FALLBACK_EXTRACTOR)()
    components: list[tuple[str, Component]] = [("tokenize", nlp.tokenize), (name, extract)]
    if resolver:
        components.append((resolver, resolvers.get(resolver)()))
    return Pipeline(components)
