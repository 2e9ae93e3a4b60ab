"""The state of resolving one article: its mentions and clusters, the speakers resolved so far, and the
entities made for them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..document import Document, Entity, Quotation, Token
from . import lexicon as lex
from .clusters import Cluster, cluster_mentions
from .mentions import Mention, find_mentions
from .names import entity_id
from .words import NOUN_TAGS, is_date_or_number_word, is_source_noun

_UMLAUT_FREE = str.maketrans("äöüÄÖÜ", "aouAOU")


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
    return ArticleContext(doc, mentions, clusters, [m.start for m in mentions], doc.token_bounds()[0])


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


def anonymous_entity(ctx: ArticleContext, words: list[Token], fallback_key: str = "") -> Entity:
    """A vague source named by the head of its description ("Angaben von Ärzten" → Ärzte), scoped to the
    article. A source the text does not name at all ("Berichten zufolge", an unresolved "er") is an unknown
    source, kept apart from the article's other unknown sources by its words."""
    name = description_name(words)
    key = name or " ".join(w.text for w in words) or fallback_key or lex.UNKNOWN_SOURCE
    eid = entity_id("anonymous", key, ctx.doc.id)
    shown = name or lex.UNKNOWN_SOURCE
    return ctx.entities.setdefault(eid, Entity(eid, shown, "anonymous", [], [shown]))


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


def description_name(words: list[Token]) -> str | None:
    """The head of a description, with the determiner and adjectives right before it when the phrase opens the
    span ("ein Polizeisprecher", "Politische Beobachter"), else the head alone in its plural base form ("Angaben
    von Ärzten" → "Ärzte"); None when the words name no one (only source nouns, dates, numbers, pronouns)."""
    head = _description_head(words)
    if head is None:
        return _compound_source(words)
    first = head
    while first > 0 and words[first - 1].i == words[first].i - 1 and words[first - 1].pos == "ADJ(A)":
        first -= 1
    if first > 0 and words[first - 1].i == words[first].i - 1 and words[first - 1].text.lower() in lex.NAME_DETERMINERS:
        first -= 1
    if first > 0 and words[first - 1].pos != "CARD":
        return _nominative_after_indefinite(words[first - 1 : head + 1]) or plural_base_form(words[head])
    phrase = [w.text for w in words[first : head + 1]]
    if phrase[0].lower() in lex.NAME_DETERMINERS:
        phrase[0] = phrase[0].lower()
    text = " ".join(phrase)
    return text if text[:1].islower() else text[:1].upper() + text[1:]


def _nominative_after_indefinite(phrase: list[Token]) -> str | None:
    """'einem ehemaligen leitenden Angestellten' → 'ehemaliger leitender Angestellter': an adjectival noun after
    a dative or genitive indefinite article, in the nominative it has without one (its -en form reads as a
    plural); None for other phrases."""
    article, *adjectives, head = phrase
    ending = lex.OBLIQUE_INDEFINITE_ENDINGS.get(article.text.lower())
    if ending is None or head.pos != "NNA" or head.i - article.i != len(adjectives) + 1:
        return None
    return " ".join(w.text[:-2] + ending if w.text.endswith("en") else w.text for w in [*adjectives, head])


def _description_head(words: list[Token]) -> int | None:
    """Index of the first noun that names who speaks: not a source noun, date or number, and not inside a
    phrase embedded before its head ("einer mit einem Megafon bewaffneten Frau")."""
    open_determiner = embedded = False
    for n, tok in enumerate(words):
        if tok.pos in ("ART", "PIAT", "PDAT", "PPOSAT"):
            open_determiner = True
        elif tok.pos in ("APPR", "APPRART"):
            embedded = open_determiner
        elif _is_noun(words, n):
            if embedded:
                embedded = False
            elif is_source_noun(tok.text) or is_date_or_number_word(tok.text):
                open_determiner = False
            else:
                return n
    return None


def _compound_source(words: list[Token]) -> str | None:
    """'Medienberichten' → 'Medien', 'Zeitungsberichten' → 'Zeitung': the source in a source-noun compound."""
    for tok in words:
        low = tok.text.lower()
        suffix = next((c for c in lex.CARRIER_SUFFIXES if low.endswith(c) and len(low) - len(c) >= 4), None)
        if suffix is not None:
            prefix = tok.text[: len(tok.text) - len(suffix)].rstrip("-")
            return prefix[:-1] if prefix.endswith(("ungs", "ens", "tags")) else prefix
    return None


def _is_noun(words: list[Token], n: int) -> bool:
    """A capitalised noun, or a capitalised adjective standing for one ("Der 58-Jährige", "Angehörige")."""
    tok = words[n]
    if not tok.text.split("-")[-1][:1].isupper():  # "58-Jährige" too
        return False
    if tok.pos in (*NOUN_TAGS, "NE", "FM"):
        return True
    after = words[n + 1] if n + 1 < len(words) else None
    return tok.pos == "ADJ(A)" and (after is None or after.pos not in (*NOUN_TAGS, "NE", "FM", "ADJ(A)"))


def plural_base_form(noun: Token) -> str:
    """Undo the dative plural -n the lemma shows: 'Beobachtern' → 'Beobachter', 'Ärzten' → 'Ärzte',
    'Militärkreisen' → 'Militärkreise'."""
    text, lemma = noun.text, noun.lemma
    if not text.endswith("n") or not lemma:
        return text
    if text == lemma + "n" and lemma.endswith(("er", "el")):
        return text[:-1]
    if text == lemma + "en" and lemma.lower().endswith(lex.E_PLURAL_STEMS):
        return text[:-1]  # "Militärkreisen" → "Militärkreise"
    if text[:-2] != lemma and text[:-2].translate(_UMLAUT_FREE) == lemma:
        return text[:-1]
    return text
