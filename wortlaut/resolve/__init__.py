"""Speaker resolution: mentions ("Sie", "der ukrainische Präsident", "Selenskyj") to entities within an
article, and entities to the same real-world speaker across articles."""

from .speakers import (
    Resolution,
    absorb,
    build_context,
    canonical_entity,
    entity_id,
    name_stem_key,
    normalize_alias,
    resolve_all,
    resolve_document,
    slug,
)

__all__ = [
    "Resolution",
    "absorb",
    "build_context",
    "canonical_entity",
    "entity_id",
    "name_stem_key",
    "normalize_alias",
    "resolve_all",
    "resolve_document",
    "slug",
]
