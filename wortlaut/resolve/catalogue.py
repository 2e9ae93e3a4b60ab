"""Across articles: which catalogue entity an article's entity is the same real-world speaker as.

The manual alias table always wins; then equal ids, person names that agree in surname and first names, and
organisation or medium names that are equal, extended ("BBC" / "BBC News") or near-identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz.distance import JaroWinkler

from ..document import Entity
from . import lexicon as lex
from .names import ACRONYM, name_stem_key, normalize_alias


def _person_parts(entity: Entity) -> tuple[list[str], str]:
    """(first names, surname) of a person's normalised name, academic titles dropped."""
    words = [w for w in normalize_alias(entity.name).split() if w not in ("dr", "prof")]
    return words[:-1], words[-1] if words else ""


def _descriptor_overlap(a: Entity, b: Entity) -> int:
    """How many roles, parties and countries two entities share: breaks ties between equal surnames."""
    return len(_descriptor_keys(a) & _descriptor_keys(b))


def _descriptor_keys(entity: Entity) -> set[str]:
    return {normalize_alias(d) for d in entity.descriptors if not d.startswith("type:")}


def _first_names_agree(mine: list[str], theirs: list[str]) -> bool | None:
    """True/False when both carry first names; None when one is a bare surname."""
    if not mine or not theirs:
        return None
    a, b = mine[0], theirs[0]
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return JaroWinkler.similarity(a, b) >= 0.9


def canonical_entity(entity: Entity, known: Sequence[Entity], aliases: Mapping[str, str]) -> Entity:
    """The catalogue entity this one merges into, or the entity itself when it is new.

    The manual alias table (normalized alias → entity id) always wins. Otherwise: same id; for persons the
    same surname (Jaro-Winkler ≥ 0.94 tolerates transliteration) with agreeing first names, or a bare
    surname that only one known person carries (ties broken by shared descriptors); for other kinds an
    equal name or alias, a well-known name or acronym extended ("BBC" / "BBC News"), or a near-identical
    name (token-sort ratio ≥ 92, absorbs German inflection). Article-scoped entities (anonymous sources,
    bare "Polizei") only meet their own id again, when the same article is analysed a second time.
    """
    by_id = {e.id: e for e in known}
    for name in [entity.name, *entity.aliases]:
        target = aliases.get(normalize_alias(name))
        if target:
            return by_id.get(target) or Entity(
                target, entity.name, entity.kind, list(entity.descriptors), list(entity.aliases)
            )
    if entity.id in by_id:  # the same article analysed again, or the same name in another article
        return by_id[entity.id]
    if entity.kind == "anonymous" or "@" in entity.id:
        return entity
    same_kind = [e for e in known if e.kind == entity.kind]
    if entity.kind == "person":
        return _merge_person(entity, same_kind)
    return _merge_named(entity, same_kind)


def _merge_person(entity: Entity, known: Sequence[Entity]) -> Entity:
    first, surname = _person_parts(entity)
    if not surname:
        return entity
    candidates = []
    for other in known:
        o_first, o_surname = _person_parts(other)
        if not o_surname or JaroWinkler.similarity(surname, o_surname) < 0.94:
            continue
        agree = _first_names_agree(first, o_first)
        if agree is False:
            continue
        candidates.append((agree is True, _descriptor_overlap(entity, other), other))
    if not candidates:
        return entity
    full = [c for c in candidates if c[0]]
    if full:
        return max(full, key=lambda c: c[1])[2]
    if len(candidates) == 1:
        return candidates[0][2]
    ranked = sorted(candidates, key=lambda c: -c[1])
    return ranked[0][2] if ranked[0][1] > ranked[1][1] else entity


def _extends_known_name(short: str, long: str) -> bool:
    """'BBC' and 'BBC News', 'Spiegel' and 'Spiegel Online': a well-known name or acronym plus more words."""
    a, b = normalize_alias(short).split(), normalize_alias(long).split()
    if not a or len(a) >= len(b) or b[: len(a)] != a:
        return False
    return bool(ACRONYM.match(short)) or short.lower() in lex.MEDIUM_NAMES or short.lower() in lex.ORGANISATION_WORDS


def _merge_named(entity: Entity, known: Sequence[Entity]) -> Entity:
    from rapidfuzz import fuzz

    keys = specific_keys(entity)
    for other in known:
        if keys & specific_keys(other):
            return other
    for other in known:
        if _extends_known_name(entity.name, other.name) or _extends_known_name(other.name, entity.name):
            return other
    mine = name_stem_key(entity.name)
    best, best_score = None, 0.0
    for other in known:
        score = fuzz.token_sort_ratio(mine, name_stem_key(other.name))
        if score > best_score:
            best, best_score = other, score
    return best if best is not None and best_score >= 92 else entity


#: Heads that name a kind of body, not one body: "die Kammer" in one article is not "die Kammer" in another.
GENERIC_HEADS = frozenset((*lex.ORGANISATION_SUFFIXES, *lex.STATE_SUFFIXES, *lex.MEDIUM_SUFFIXES))


def specific_keys(entity: Entity) -> set[str]:
    """The entity's normalized name and aliases that can identify it across articles: not a bare kind of
    body ("die kammer", "ministerium"), which different articles use for different ones."""
    keys = set()
    for name in [entity.name, *entity.aliases]:
        key = normalize_alias(name)
        words = key.split()
        if words and words[0] in lex.NAME_DETERMINERS:
            words = words[1:]
        if not (len(words) == 1 and words[0] in GENERIC_HEADS):
            keys.add(key)
    return keys


def absorb(catalogue: Entity, entity: Entity) -> Entity:
    """Merge an article's entity into its catalogue entity: its names become aliases, descriptors are unioned."""
    for name in [entity.name, *entity.aliases]:
        if name not in catalogue.aliases and name != catalogue.name:
            catalogue.aliases.append(name)
    for descriptor in entity.descriptors:
        if descriptor not in catalogue.descriptors:
            catalogue.descriptors.append(descriptor)
    return catalogue
