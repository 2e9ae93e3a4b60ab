"""Speaker resolution: mentions ("Sie", "der ukrainische Präsident", "Selenskyj") to entities within an
article (speakers), and entities to the same real-world speaker across articles (catalogue)."""

from .catalogue import absorb, canonical_entity
from .context import Resolution, build_context
from .mentions import title_line_end
from .names import entity_id, name_stem_key, normalize_alias, slug
from .speakers import resolve_all, resolve_document
from .words import is_date_or_number_word, is_source_noun

__all__ = [
    "Resolution",
    "absorb",
    "build_context",
    "canonical_entity",
    "entity_id",
    "is_date_or_number_word",
    "is_source_noun",
    "name_stem_key",
    "normalize_alias",
    "resolve_all",
    "resolve_document",
    "slug",
    "title_line_end",
]
