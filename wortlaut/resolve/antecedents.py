"""Links a speaker that does not name itself to an earlier entity of the article.

A pronoun or a definite description ("er", "der ukrainische Präsident") takes the most salient earlier cluster
whose gender, role and country agree; "Angaben zufolge" / "demnach" point back to the source named before;
"Polizeiangaben" to the institution in the compound. The search looks back over a bounded window.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from ..document import Quotation, Token
from . import lexicon as lex
from .clusters import Cluster
from .context import ArticleContext, Resolution, anonymous_entity, generic_entity, linked
from .mentions import Mention
from .names import ACRONYM, normalize_alias
from .words import country_of, noun_kind, role_of, role_stem

WINDOW_SENTENCES = 8  # how far back a pronoun or description looks for its antecedent


# Antecedent salience: a penalty per sentence back, bonuses for subjects, persons (for er/sie) and the speakers
# just quoted, a penalty for names inside someone else's quote. Set on the hand-built gold sets (eval/speakers).
SALIENCE = {
    "distance": 0.6,
    "subject": 0.4,
    "in_quote": 1.0,
    "person": 1.0,
    "last_speaker": 1.0,
    "earlier_speaker": 0.6,
    "gender_doubt": 4.0,
}


def resolve_carrier_compound(ctx: ArticleContext, words: list[Token]) -> Resolution | None:
    """'Polizeiangaben', 'NASA-Angaben': the first part of the compound is the source."""
    for tok in words:
        low = tok.text.lower()
        suffix = next((c for c in lex.CARRIER_NOUNS if low.endswith(c) and len(low) > len(c) + 2), None)
        if suffix is None:
            continue
        prefix = tok.text[: len(tok.text) - len(suffix)].rstrip("-")
        if prefix.endswith("s") and noun_kind(prefix[:-1]):
            prefix = prefix[:-1]
        key = normalize_alias(prefix)
        for index, cluster in enumerate(ctx.clusters):
            if cluster.proper and key in {normalize_alias(a) for a in cluster.aliases}:
                return linked(ctx, index, "linked")
        acronym_source = ACRONYM.match(prefix) and suffix not in lex.FINDING_CARRIERS  # not "DNA-Analyse"
        kind = noun_kind(prefix) or ("organisation" if acronym_source else None)
        if kind is None or key in ("medien", "presse", "korrespondenten", "zeugen"):
            return None
        for index in range(len(ctx.clusters) - 1, -1, -1):
            cluster = ctx.clusters[index]
            if cluster.kind == kind and cluster.referable and normalize_alias(cluster.name).endswith(key):
                return linked(ctx, index, "linked")
        return Resolution(generic_entity(ctx, prefix[:1].upper() + prefix[1:], kind, []), "generic")
    return None


def resolve_back_reference(ctx: ArticleContext, q: Quotation, words: list[Token]) -> Resolution:
    """'nach eigenen Angaben' → the subject of the sentence; 'Angaben zufolge', 'demnach' → the source before."""
    if any(w.text.lower() in ("eigenen", "eigener", "eigene") for w in words):
        own = _subject_in_sentence(ctx, words[0])
        if own is not None:
            return linked(ctx, own, "backref")
    vague = any(w.text.lower() in lex.ANONYMOUS_HEADS for w in words)
    back = None if vague else _previous_source(ctx, words[0])
    if back is not None:
        return linked(ctx, back, "backref")
    return Resolution(anonymous_entity(ctx, words, q.speaker_text), "anonymous")


def _plural_verb_near(ctx: ArticleContext, tok: Token) -> bool:
    """Whether the finite verb next to a pronoun is plural (sie sagten / seien), which makes 'sie' plural."""
    for j in (tok.i + 1, tok.i - 1, tok.i + 2, tok.i - 2):
        if (
            0 <= j < len(ctx.doc.tokens)
            and ctx.doc.tokens[j].sent == tok.sent
            and ("FIN" in ctx.doc.tokens[j].pos or ctx.doc.tokens[j].pos.endswith("(INF)"))
        ):
            verb = ctx.doc.tokens[j].text.lower()
            return verb.endswith("en") or verb in ("sind", "waren")
    return False


def resolve_pronoun(ctx: ArticleContext, tok: Token, gender: str) -> Resolution:
    """Personal pronouns take the most salient agreeing antecedent; relative and demonstrative ones the nearest."""
    if gender == "f" and _plural_verb_near(ctx, tok):
        gender = "pl"
    nearest = tok.pos in ("PRELS", "PDS", "PDAT", "ART") or tok.text.lower().startswith("dies")

    def fits(cluster: Cluster) -> float:
        return _gender_fits(cluster, gender)

    best = (
        _nearest_antecedent(ctx, tok, fits)
        if nearest
        else _best_antecedent(ctx, tok, fits, prefer_person=gender in ("m", "f"))
    )
    if best is None and gender == "f":  # "sie" with an unrecognised plural verb
        best = _best_antecedent(ctx, tok, lambda c: _gender_fits(c, "pl"), prefer_person=False)
    if best is None:
        return Resolution(anonymous_entity(ctx, [tok]), "unresolved")
    return linked(ctx, best, "linked")


def _nearest_antecedent(ctx: ArticleContext, tok: Token, fits: Callable[[Cluster], float]) -> int | None:
    """'Alice Schwarzer, die ...', 'seinen Fahrer De Souza. Dieser ...': the closest agreeing mention."""
    i = bisect_left(ctx.starts, tok.start) - 1
    while i >= 0 and tok.sent - ctx.mentions[i].sent <= 2:
        m = ctx.mentions[i]
        if ctx.clusters[m.cluster].referable and m.end <= tok.start and fits(ctx.clusters[m.cluster]) >= 0.5:
            return m.cluster
        i -= 1
    return None


def _gender_fits(cluster: Cluster, gender: str) -> float:
    """1 for agreement, 0.5 for unknown gender, 0 for a clash; organisations agree grammatically."""
    if gender == "pl":
        return 1.0 if cluster.kind != "person" or cluster.gender == "pl" else 0.0
    if cluster.gender == gender:
        return 1.0 if cluster.kind == "person" or gender == "n" else 0.6
    if cluster.kind == "person":
        return 0.5 if not cluster.gender and gender in ("m", "f") else 0.0
    return 0.0


def _best_antecedent(
    ctx: ArticleContext, tok: Token, fits: Callable[[Cluster], float], prefer_person: bool = True
) -> int | None:
    """The most salient fitting cluster before `tok`: recent, subject, earlier speaker, not inside a quote."""
    scores: dict[int, float] = {}
    i = bisect_left(ctx.starts, tok.start) - 1
    while i >= 0:
        m = ctx.mentions[i]
        i -= 1
        distance = tok.sent - m.sent
        if distance > WINDOW_SENTENCES:
            break
        cluster = ctx.clusters[m.cluster]
        if m.cluster in scores or not cluster.referable or m.end > tok.start:
            continue
        fit = fits(cluster)
        if fit <= 0:
            continue
        score = (
            -SALIENCE["distance"] * distance
            + SALIENCE["subject"] * m.subject
            - SALIENCE["in_quote"] * m.in_quote
            - SALIENCE["gender_doubt"] * (1 - fit)
        )
        if prefer_person and cluster.kind == "person":
            score += SALIENCE["person"]
        scores[m.cluster] = score
    for rank, index in enumerate(reversed(ctx.previous[-4:])):
        if index in scores:
            scores[index] += SALIENCE["last_speaker"] if rank == 0 else SALIENCE["earlier_speaker"]
    if not scores:
        return None
    return max(scores, key=lambda c: scores[c])


def _role_matches(cluster: Cluster, stem: str) -> bool:
    wanted = lex.ROLE_SYNONYMS.get(stem, (stem,))
    for role in cluster.roles():
        have = role_of(role)
        if have and any(have[0] == w or have[0].endswith(w) or w.endswith(have[0]) for w in wanted):
            return True
    return False


def resolve_role(ctx: ArticleContext, words: list[Token], head: Token, det: str, inside: list[Mention]) -> Resolution:
    """'Der ukrainische Präsident' → the earlier Selenskyj; 'Ein Sprecher des Ministeriums' → the ministry."""
    stem, gender = role_of(head.text) or ("", "")
    gender = gender or lex.ARTICLE_GENDER.get(det, "")
    countries = {c for c in (country_of(w.text) for w in words if w.pos == "ADJ(A)") if c}
    org = normalize_alias(head.text.rsplit("-", 1)[0]) if "-" in head.text else ""
    if det not in lex.INDEFINITE and gender != "pl":

        def fits(cluster: Cluster) -> float:
            if cluster.kind != "person" or (gender in ("m", "f") and cluster.gender and cluster.gender != gender):
                return 0.0
            if countries and cluster.countries() and not countries & cluster.countries():
                return 0.0
            if org and not any(org in normalize_alias(d) for d in cluster.descriptors + cluster.aliases):
                return 0.0
            if stem == "jährige" or _role_matches(cluster, stem):
                return 1.0
            return 0.6 if countries & cluster.countries() else 0.0

        best = _best_antecedent(ctx, head, fits)
        if best is None:
            best = _recent_speaker(ctx, head, gender)
        if best is not None:
            return linked(ctx, best, "linked")
        court = _institution_of_role(ctx, stem)
        if court is not None:
            return linked(ctx, court, "generic")
    if inside:
        best_m = inside[0]
        if ctx.clusters[best_m.cluster].proper or best_m.definite:
            return linked(ctx, best_m.cluster, "generic")
        return Resolution(generic_entity(ctx, best_m.name, best_m.kind, [f"role:{head.text}"]), "generic")
    institution = _institution_in_compound(ctx, head)
    if institution is not None:
        return institution
    return Resolution(anonymous_entity(ctx, words), "anonymous")


def _institution_of_role(ctx: ArticleContext, stem: str) -> int | None:
    """'die Richter' speak for the court, 'der Staatsanwalt' for the prosecution named in the article."""
    institution = lex.ROLE_INSTITUTIONS.get(stem)
    if institution is None:
        return None
    found = [
        i
        for i, c in enumerate(ctx.clusters)
        if c.referable and normalize_alias(c.name).split()[0].endswith(institution)
    ]
    return max(found, key=lambda i: (ctx.clusters[i].proper, ctx.clusters[i].last)) if found else None


def _recent_speaker(ctx: ArticleContext, tok: Token, gender: str) -> int | None:
    """'der Franzose', 'der UN-Mitarbeiter' with no matching role: the person quoted just before, if gender agrees."""
    if not ctx.previous or ctx.previous_sent[-1] < tok.sent - 3:
        return None
    cluster = ctx.clusters[ctx.previous[-1]]
    if cluster.kind != "person" or (gender in ("m", "f") and cluster.gender not in ("", gender)):
        return None
    return ctx.previous[-1]


def _institution_in_compound(ctx: ArticleContext, head: Token) -> Resolution | None:
    """'Polizeisprecher' speaks for the police, 'Regierungssprecher' for the government named in the article."""
    low = head.text.lower().replace("-", "")
    stem = role_stem(low)
    if not stem or stem == "jährige":
        return None
    prefix = low[: low.rfind(stem)]
    if prefix.endswith("s") and noun_kind(prefix[:-1]):
        prefix = prefix[:-1]
    if len(prefix) < 3 or noun_kind(prefix) is None:
        return None
    kind = noun_kind(prefix) or "organisation"
    found = [
        i
        for i, c in enumerate(ctx.clusters)
        if c.kind == kind and c.referable and normalize_alias(c.name).endswith(normalize_alias(prefix))
    ]
    if len(found) == 1:  # with two governments in the article, "ein Regierungssprecher" is left unqualified
        return linked(ctx, found[0], "generic")
    return Resolution(generic_entity(ctx, prefix[:1].upper() + prefix[1:], kind, [f"role:{head.text}"]), "generic")


def _subject_in_sentence(ctx: ArticleContext, tok: Token) -> int | None:
    """'nach eigenen Angaben': the named subject of the same sentence."""
    i = bisect_left(ctx.starts, tok.start)
    lo, hi = i, i
    while lo > 0 and ctx.mentions[lo - 1].sent == tok.sent:
        lo -= 1
    while hi < len(ctx.mentions) and ctx.mentions[hi].sent == tok.sent:
        hi += 1
    candidates = [m for m in ctx.mentions[lo:hi] if ctx.clusters[m.cluster].referable]
    subjects = [m for m in candidates if m.subject] or candidates
    return subjects[0].cluster if subjects else None


def _previous_source(ctx: ArticleContext, tok: Token) -> int | None:
    """The source named just before: the last resolved speaker nearby, else the latest subject of this or the
    previous sentence ("Der Arbeitskreis hat das Dokument veröffentlicht. In dem Dokument heißt es ...")."""
    if ctx.reporting and ctx.reporting[-1][0] >= tok.sent - 3:
        return ctx.reporting[-1][1]  # the reporting source, not a speaker quoted inside its report
    i = bisect_left(ctx.starts, tok.start) - 1
    while i >= 0 and ctx.mentions[i].sent >= tok.sent - 1:
        m = ctx.mentions[i]
        if ctx.clusters[m.cluster].referable and m.subject and not m.in_quote and m.end <= tok.start:
            return m.cluster
        i -= 1
    return None
