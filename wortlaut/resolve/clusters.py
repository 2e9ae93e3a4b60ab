"""Mentions of one entity within an article grouped into a Cluster ("Merz" joins "Friedrich Merz")."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon as lex
from .mentions import Mention
from .names import normalize_alias

RECENT_CLUSTERS = 60  # how many recently opened entities an institution noun ("das Ministerium") may join


@dataclass
class Cluster:
    """All mentions of one entity in an article."""

    name: str
    kind: str
    gender: str = ""
    descriptors: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    proper: bool = False
    referable: bool = False
    last: int = 0  # start of the latest mention seen so far

    def add(self, mention: Mention) -> None:
        if len(mention.name.split()) > len(self.name.split()) and mention.kind == self.kind:
            self.name = mention.name
        if not self.gender or self.gender == "n":
            self.gender = mention.gender or self.gender
        for d in mention.descriptors:
            if d not in self.descriptors:
                self.descriptors.append(d)
        for a in [mention.name, *mention.aliases]:
            if a not in self.aliases:
                self.aliases.append(a)

    def roles(self) -> set[str]:
        return {d.split(":", 1)[1].lower() for d in self.descriptors if d.startswith("role:")}

    def countries(self) -> set[str]:
        return {d.split(":", 1)[1] for d in self.descriptors if d.startswith("country:")}


def cluster_mentions(mentions: list[Mention]) -> list[Cluster]:
    """Group mentions of one entity: equal names, a surname joining its full name, acronym and long form,
    and an institution noun joining the named institution before it ("die Staatsanwaltschaft" → "Staatsanwaltschaft
    Krefeld", "der Konzern" → "Ryanair")."""
    clusters: list[Cluster] = []
    by_key: dict[str, int] = {}
    persons: list[tuple[list[str], int]] = []
    for m in mentions:
        index = _existing_cluster(m, clusters, by_key, persons)
        if index is None:
            index = len(clusters)
            clusters.append(Cluster(m.name, m.kind))
        cluster = clusters[index]
        cluster.add(m)
        cluster.last = m.start
        cluster.proper = cluster.proper or m.proper
        cluster.referable = cluster.referable or m.proper or m.definite
        m.cluster = index
        if m.proper or m.definite:
            for alias in [m.name, *m.aliases]:
                by_key.setdefault(normalize_alias(alias), index)
        if m.kind == "person":
            persons.append((normalize_alias(m.name).split(), index))
    return clusters


def _existing_cluster(
    m: Mention, clusters: list[Cluster], by_key: dict[str, int], persons: list[tuple[list[str], int]]
) -> int | None:
    if not m.proper and not m.definite:
        return None
    key = normalize_alias(m.name)
    for alias in [m.name, *m.aliases]:
        if normalize_alias(alias) in by_key:
            return by_key[normalize_alias(alias)]
    if m.kind == "person":
        index = _person_cluster(key.split(), persons)
        if index is None and key.endswith("s"):  # genitive: "Celebis Angaben"
            index = by_key.get(key[:-1]) or _person_cluster(key[:-1].split(), persons)
        return index if index is not None else _family_name_first(key.split(), persons)
    if m.proper or " " in m.name:
        return None
    head = key
    generic = head in lex.GENERIC_COMPANY
    best = None
    for index in range(max(0, len(clusters) - RECENT_CLUSTERS), len(clusters)):
        cluster = clusters[index]
        if not cluster.referable or normalize_alias(cluster.name) == head:
            continue
        words = normalize_alias(cluster.name).split()
        typed = cluster.proper and f"type {head}" in {normalize_alias(d) for d in cluster.descriptors}
        joins = (
            (cluster.kind == m.kind and any(w.endswith(head) for w in words))
            or typed
            or (generic and cluster.proper and cluster.kind == "organisation")
        )
        if joins and (best is None or cluster.last > clusters[best].last):
            best = index
    return best


def _person_cluster(words: list[str], persons: list[tuple[list[str], int]]) -> int | None:
    """The latest person whose name ends with these words, or whose words end this longer name."""
    if not words:
        return None
    for other, index in reversed(persons):
        shorter, longer = (words, other) if len(words) <= len(other) else (other, words)
        if longer[-len(shorter) :] == shorter and shorter[-1] == longer[-1]:
            return index
    return None


def _family_name_first(words: list[str], persons: list[tuple[list[str], int]]) -> int | None:
    """'Li' after 'Li Fei', 'Kim' after 'Kim Jong Un': a lone name that is the first word of exactly one full
    name of the article (and the last word of none), as with names that put the family name first."""
    if len(words) != 1:
        return None
    found = {index for other, index in persons if len(other) > 1 and other[0] == words[0]}
    return found.pop() if len(found) == 1 else None
