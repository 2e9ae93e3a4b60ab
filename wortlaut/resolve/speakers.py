"""Speaker resolution within an article: every quotation's speaker becomes an entity (person, organisation,
medium, state, anonymous). The pipeline's default resolver component.

A proper name inside the speaker span names the speaker; pronouns, role nouns, institution nouns and carriers
("Angaben") are linked to earlier entities (antecedents.py); vague sources ("Beobachter", "hieß es") are
anonymous. Everything is linear in the article's tokens.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable

from ..document import Document, Entity, Quotation, Token
from ..registry import resolvers
from . import lexicon as lex
from .antecedents import resolve_back_reference, resolve_carrier_compound, resolve_pronoun, resolve_role
from .context import (
    ArticleContext,
    Resolution,
    anonymous_entity,
    build_context,
    generic_entity,
    linked,
    mentions_in,
    tokens_in,
)
from .mentions import Mention
from .names import normalize_alias
from .words import NOUN_TAGS, is_carrier, is_plain_noun, nominative, noun_kind, role_of


def resolve_document(doc: Document) -> Document:
    """Set speaker_entity on every quotation with speaker spans; doc.entities lists the entities used."""
    ctx = build_context(doc)
    used: dict[str, Entity] = {}
    for q, resolution in resolve_all(ctx):
        q.speaker_entity = resolution.entity
        used.setdefault(resolution.entity.id, resolution.entity)
    doc.entities = list(used.values())
    return doc


def resolve_all(ctx: ArticleContext) -> Iterable[tuple[Quotation, Resolution]]:
    """Resolutions in text order; each resolved speaker becomes the salient source for the next ones."""
    for q in sorted(ctx.doc.quotations, key=lambda q: min((s.start for s in q.speaker), default=q.start)):
        if not q.speaker:
            continue
        resolution = resolve_speaker(ctx, q)
        if resolution.cluster is not None:
            first = tokens_in(ctx, q)
            ctx.previous.append(resolution.cluster)
            ctx.previous_sent.append(first[0].sent if first else 0)
            if q.nested_in is None:
                ctx.reporting.append((ctx.previous_sent[-1], resolution.cluster))
        yield q, resolution


@resolvers.register("article")
def article_resolver() -> Callable[[Document], Document]:
    """Resolve speakers within one article (the default resolver of the pipeline)."""
    return resolve_document


def resolve_speaker(ctx: ArticleContext, q: Quotation) -> Resolution:
    """Decide the entity of one quotation's speaker spans (which must not be empty).

    Order: a proper name inside the span; a pronoun; a role noun (definite → earlier named person,
    indefinite → the institution it speaks for, or anonymous); an institution noun (→ the named institution
    of the article, else a generic one); a carrier like "Angaben"/"demnach" (→ the source named before);
    otherwise anonymous.
    """
    tokens = tokens_in(ctx, q)
    start, end = min(s.start for s in q.speaker), max(s.end for s in q.speaker)
    inside = sorted(
        (m for m in mentions_in(ctx, start, end) if m.start >= start - 40),
        key=lambda m: (_is_attribute(ctx, m, start), _speaker_rank(m), m.start),
    )
    inside = [m for m in inside if not _opposed_head(ctx, start, m.start)]  # "Befürworter ... Mélenchons"
    if inside and inside[0].proper:
        return linked(ctx, inside[0].cluster, "named")
    words = [t for t in tokens if not t.pos.startswith("$")]
    if not words:
        return Resolution(anonymous_entity(ctx, [], q.speaker_text), "unresolved")
    surname = _known_surname(ctx, words)
    if surname is not None:
        return linked(ctx, surname, "named")
    pronoun = _pronoun(words)
    if pronoun:
        return resolve_pronoun(ctx, words[0], pronoun)
    possessor = _possessive_gender(words)
    if possessor:
        return resolve_pronoun(ctx, words[0], possessor)
    head, det = _head_noun(words)
    if (
        head is not None
        and role_of(head.text)
        and not noun_kind(head.text)
        and head.text.lower() not in lex.ANONYMOUS_HEADS
    ):
        return resolve_role(ctx, words, head, det, inside)
    prefixed = _hyphen_prefix_cluster(ctx, head) if head is not None else None
    if prefixed is not None:
        return linked(ctx, prefixed, "linked")
    party = (
        head.text
        if head is not None and head.text.lower() in lex.PARTIES
        else (_hyphen_prefix_party(head) if head is not None else None)
    )
    if party:
        return Resolution(generic_entity(ctx, party, "organisation", []), "generic")
    if head is not None and head.text[:1].isupper() and head.text.lower() in lex.MEDIUM_NAMES:
        return Resolution(generic_entity(ctx, head.text, "medium", []), "named")  # "der Spiegel"
    if inside:
        best = inside[0]
        if ctx.clusters[best.cluster].proper or best.definite:
            return linked(ctx, best.cluster, "linked" if ctx.clusters[best.cluster].proper else "generic")
        return Resolution(generic_entity(ctx, best.name, best.kind, best.descriptors), "generic")
    compound = resolve_carrier_compound(ctx, words)
    if compound is not None:
        return compound
    if head is None or is_carrier(head.text) or head.text.lower() in lex.BACK_REFERENCES:
        return resolve_back_reference(ctx, q, words)
    return Resolution(anonymous_entity(ctx, words), "anonymous")


def _speaker_rank(m: Mention) -> tuple[int, int, int]:
    """Which of several mentions in a speaker span speaks: proper names first, persons before institutions."""
    order = {"person": 0, "medium": 1, "organisation": 2, "state": 3}
    return (0 if m.proper else 1, order.get(m.kind, 4), 0 if m.definite else 1)


def _hyphen_prefix_cluster(ctx: ArticleContext, head: Token) -> int | None:
    """'Die SPD-Führung', 'Die NASA-Sprecherin': the organisation named before the hyphen."""
    if "-" not in head.text:
        return None
    key = normalize_alias(head.text.rsplit("-", 1)[0])
    for index, cluster in enumerate(ctx.clusters):
        if cluster.proper and cluster.kind != "person" and key in {normalize_alias(a) for a in cluster.aliases}:
            return index
    return None


def _hyphen_prefix_party(head: Token) -> str | None:
    """'Die SPD-Führung' before the SPD is named: the party itself."""
    prefix = head.text.rsplit("-", 1)[0] if "-" in head.text else ""
    return prefix if prefix.lower() in lex.PARTIES and not role_of(head.text) else None


def _is_attribute(ctx: ArticleContext, m: Mention, span_start: int) -> bool:
    """A name hanging off a noun inside the speaker span ('Sicherheitsrat der Vereinten Nationen', 'Gegner
    Thaksins') names who the speaker belongs to, not the speaker; it ranks after the span's own head."""
    if m.start <= span_start:
        return False
    i = bisect_left(ctx.token_starts, m.start) - 1
    while i >= 0 and ctx.doc.tokens[i].pos in ("ART", "ADJ(A)", "CARD") and ctx.doc.tokens[i].start >= span_start:
        i -= 1
    if i < 0 or ctx.doc.tokens[i].start < span_start or ctx.doc.tokens[i].pos not in NOUN_TAGS:
        return False
    governor = ctx.doc.tokens[i].text
    if governor.lower().endswith(lex.OPPOSED_HEADS):
        return True
    return noun_kind(governor) is not None and not nominative(governor).lower().endswith(lex.TYPE_NOUNS)


def _opposed_head(ctx: ArticleContext, start: int, end: int) -> bool:
    """The span's head before the name is a camp for or against someone ('Gegner', 'Befürworter')."""
    i = bisect_left(ctx.token_starts, start)
    while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].start < end:
        if ctx.doc.tokens[i].text.lower().endswith(lex.OPPOSED_HEADS):
            return True
        i += 1
    return False


def _known_surname(ctx: ArticleContext, words: list[Token]) -> int | None:
    """A capitalised word (HanTa may call it NN) that is the surname of a person named in the article."""
    for tok in words:
        if tok.text.lower().endswith(lex.OPPOSED_HEADS):
            return None  # "Befürworter einer Unterstützung Mélenchons"
        if tok.text[:1].isupper() and tok.pos in (*NOUN_TAGS, "NE", "FM") and not is_plain_noun(tok):
            key = normalize_alias(tok.text)
            for index, cluster in enumerate(ctx.clusters):
                if (
                    cluster.kind == "person"
                    and cluster.proper
                    and normalize_alias(cluster.name).split()[-1] in (key, key[:-1] if key.endswith("s") else key)
                ):
                    return index
    return None


def _pronoun(words: list[Token]) -> str | None:
    """'m', 'f', 'n' or 'pl' when the speaker is a bare personal or demonstrative pronoun."""
    if len(words) != 1:
        return None
    tok = words[0]
    low = tok.text.lower()
    if tok.pos not in ("PPER", "PDS", "PRELS", "ART", "PDAT") or low not in lex.PRONOUN_GENDER:
        return None
    return lex.PRONOUN_GENDER[low]


def _head_noun(words: list[Token]) -> tuple[Token | None, str]:
    """First noun that is not a carrier ('Angaben'), with the determiner before it."""
    det = ""
    for tok in words:
        low = tok.text.lower()
        if tok.pos in ("ART", "PPOSAT", "PDAT", "PIAT") or low in lex.INDEFINITE:
            det = low
        elif (
            tok.pos in (*NOUN_TAGS, "NE", "FM") or (tok.text[:1].isalnum() and "-" in tok.text and role_of(tok.text))
        ) and not is_carrier(tok.text):
            return tok, det
        elif tok.pos in ("APPR", "APPRART"):
            det = ""
    for tok in words:
        if tok.pos in NOUN_TAGS or tok.text.lower() in lex.BACK_REFERENCES:
            return tok, det
    return None, det


def _possessive_gender(words: list[Token]) -> str | None:
    """'seiner Meinung nach', 'ihren Angaben zufolge': the possessor is the speaker."""
    if not any(is_carrier(w.text) for w in words):
        return None
    for w in words:
        low = w.text.lower()
        if w.pos == "PPOSAT" and low.startswith("sein"):
            return "m"
        if w.pos == "PPOSAT" and low.startswith("ihr"):
            return "f"
    return None
