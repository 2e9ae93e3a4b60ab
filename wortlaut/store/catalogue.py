"""The speaker catalogue: article entities merged into speakers that span articles.

The store's writes and `eval-speakers` both feed article entities through this one class, so the merge
figures measure exactly what an ingest does. The matching itself is `wortlaut.resolve.canonical_entity`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..document import Entity
from ..resolve import canonical_entity, normalize_alias, slug


@dataclass
class Placement:
    """Where an article entity went: the catalogue entity it joined (or that was made for it), and what that
    entity gained, so a store writes exactly the change."""

    entity: Entity
    created: bool
    descriptors: list[str]
    aliases: list[str]  # normalised names (see resolve.normalize_alias)


class Catalogue:
    """Known speakers in memory, so placing an article's speaker costs no query."""

    def __init__(self, entities: Iterable[Entity] = (), manual: Mapping[str, str] | None = None) -> None:
        self.by_id = {e.id: e for e in entities}
        self.manual = dict(manual or {})  # normalised alias → entity id, set by hand (merge, split)
        # Merge candidates, sorted by id so merging never depends on load or insertion order (a resumed run
        # matches a clean one). Anonymous sources never merge, so they stay out: the list grows with the
        # number of distinct named speakers, not with the number of articles.
        self.entities = sorted((e for e in self.by_id.values() if e.kind != "anonymous"), key=lambda e: e.id)
        self._ids = [e.id for e in self.entities]
        # Pins: manual aliases equal to their entity's own name (what `split` makes). A pin claims only the
        # mentions and entities *named* so, not every cluster that merely counts it among its aliases.
        self.pins = {
            a: e for a, e in self.manual.items() if e in self.by_id and normalize_alias(self.by_id[e].name) == a
        }

    def size(self) -> tuple[int, int]:
        """(entities, aliases): what the store compares with its tables to notice another writer's additions."""
        return len(self.by_id), sum(len(e.aliases) for e in self.by_id.values())

    def add(self, entity: Entity) -> None:
        self.by_id[entity.id] = entity
        if entity.kind != "anonymous":
            at = bisect.bisect(self._ids, entity.id)
            self._ids.insert(at, entity.id)
            self.entities.insert(at, entity)

    def new_id(self, base: str) -> str:
        """`base` (the resolver's readable id, e.g. 'person:angela-merkel'), or with -2, -3, ... if taken."""
        candidate, n = base, 1
        while candidate in self.by_id:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def place(self, mention: Entity) -> Placement:
        """Merge an article's entity into the catalogue entity it is the same speaker as, or add it as new."""
        entity = self._unpinned(mention)
        target = self._match(entity)
        created = target is None
        if target is None:
            target = Entity(self.new_id(entity.id or slug(entity.name)), entity.name, entity.kind, [], [])
            self.add(target)
        descriptors = [d for d in entity.descriptors if d not in target.descriptors]
        target.descriptors.extend(descriptors)
        names = {normalize_alias(n) for n in [entity.name, *entity.aliases]} - {""} - set(target.aliases)
        aliases = sorted(names)
        target.aliases.extend(aliases)
        return Placement(target, created, descriptors, aliases)

    def _match(self, entity: Entity) -> Entity | None:
        """The known entity this one merges into; an anonymous source only meets its own id (same article)."""
        target = canonical_entity(entity, self.entities, self.manual)
        if target is not entity and target.id in self.by_id:
            return self.by_id[target.id]
        return self.by_id.get(entity.id) if target is entity else None

    def _unpinned(self, entity: Entity) -> Entity:
        """The entity without aliases that a split pinned to another speaker (unless it is its own name)."""
        own = normalize_alias(entity.name)
        kept = [a for a in entity.aliases if normalize_alias(a) == own or normalize_alias(a) not in self.pins]
        if len(kept) == len(entity.aliases):
            return entity
        return Entity(entity.id, entity.name, entity.kind, list(entity.descriptors), kept)
