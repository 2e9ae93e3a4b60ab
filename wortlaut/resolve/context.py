"""The state of resolving one article: its mentions and clusters, the speakers resolved so far, and the
entities made for them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..document import Document, Entity, Quotation, Token
from .clusters import Cluster, cluster_mentions
from .mentions import Mention, find_mentions
from .names import entity_id


@dataclass
class Resolution:
    """The entity a speaker resolves to and how: named, linked, backref, generic, anonymous or unresolved."""

    entity: Entity
    how: str
    cluster: int | None = None


@dataclass
class ArticleContext:
    """One article's mentions and clusters (`starts`: mention starts, `token_starts`: token starts, for bisect)."""

    doc: Document
    mentions: list[Mention]
    clusters: list[Cluster]
    starts: list[int]
    token_starts: list[int]
    previous: list[int] = field(default_factory=list)  # clusters of the speakers resolved so far, in order
    previous_sent: list[int] = field(default_factory=list)  # the sentence each of them was found in
    reporting: list[tuple[int, int]] = field(default_factory=list)  # (sentence, cluster) of non-nested speakers
    entities: dict[str, Entity] = field(default_factory=dict)


def build_context(doc: Document) -> ArticleContext:
    """Mentions (marked when inside a quote, where they are rarely the one speaking) and their clusters."""
    mentions = find_mentions(doc)
    quotes = sorted((s.start, s.end) for q in doc.quotations for s in q.quote)
    quote_starts = [s for s, _ in quotes]
    for m in mentions:
        k = bisect_right(quote_starts, m.start) - 1
        m.in_quote = any(quotes[j][0] <= m.start and m.end <= quotes[j][1] for j in range(max(0, k - 3), k + 1))
    clusters = cluster_mentions(mentions)
    return ArticleContext(doc, mentions, clusters, [m.start for m in mentions], [t.start for t in doc.tokens])


def tokens_in(ctx: ArticleContext, q: Quotation) -> list[Token]:
    """The tokens of a quotation's speaker spans."""
    out: list[Token] = []
    for span in q.speaker:
        i = bisect_left(ctx.token_starts, span.start)
        while i > 0 and ctx.doc.tokens[i - 1].end > span.start:
            i -= 1
        while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].start < span.end:
            out.append(ctx.doc.tokens[i])
            i += 1
    return out


def mentions_in(ctx: ArticleContext, start: int, end: int) -> list[Mention]:
    """Mentions overlapping the character range start..end."""
    i = bisect_left(ctx.starts, start)
    while i > 0 and ctx.mentions[i - 1].end > start:
        i -= 1
    out = []
    while i < len(ctx.mentions) and ctx.mentions[i].start < end:
        if ctx.mentions[i].end > start:
            out.append(ctx.mentions[i])
        i += 1
    return out


def cluster_entity(ctx: ArticleContext, index: int) -> Entity:
    """The entity of a cluster, made once per article; a cluster without a proper name is scoped to it."""
    cluster = ctx.clusters[index]
    eid = entity_id(cluster.kind, cluster.name, None if cluster.proper else ctx.doc.id or "doc")
    entity = ctx.entities.get(eid)
    if entity is None:
        entity = Entity(eid, cluster.name, cluster.kind, list(cluster.descriptors), list(cluster.aliases))
        ctx.entities[eid] = entity
    return entity


def anonymous_entity(ctx: ArticleContext, text: str) -> Entity:
    """A vague source ("Beobachter") named by its words, scoped to the article."""
    name = re.sub(r"\s+", " ", text).strip(" ,.;:„“\"'") or "unbekannt"
    eid = entity_id("anonymous", name, ctx.doc.id)
    return ctx.entities.setdefault(eid, Entity(eid, name, "anonymous", [], [name]))


def generic_entity(ctx: ArticleContext, name: str, kind: str, descriptors: list[str]) -> Entity:
    """An entity named by words rather than a resolved cluster ("ein Regierungssprecher" → Regierung); a bare
    institution word is scoped to the article."""
    eid = entity_id(kind, name, ctx.doc.id or "doc")
    entity = ctx.entities.setdefault(eid, Entity(eid, name, kind, [], [name]))
    entity.descriptors += [d for d in descriptors if d not in entity.descriptors]
    return entity


def linked(ctx: ArticleContext, index: int, how: str) -> Resolution:
    """The speaker resolves to cluster `index`; `how` records why."""
    return Resolution(cluster_entity(ctx, index), how, index)


def strip_article(words: list[Token]) -> str:
    """The speaker's words without articles and prepositions, capitalised: the name of an unlinked source."""
    kept = [w.text for w in words if w.pos not in ("ART", "APPR", "APPRART", "PPOSAT")]
    text = " ".join(kept)
    return text[:1].upper() + text[1:]
