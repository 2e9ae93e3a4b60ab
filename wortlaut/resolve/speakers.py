"""Speaker resolution: every quotation's speaker becomes an entity (person, organisation, medium, state, anonymous).

Within an article, named mentions are found from HanTa's POS tags (NE runs, acronyms, organisation and role
nouns) and grouped by name ("Merz" joins "Friedrich Merz"). A speaker that is a pronoun or a definite
description ("er", "der ukrainische Präsident") is linked to the most salient earlier mention whose gender,
role and country agree; "Angaben zufolge" / "demnach" point back to the source named before; vague sources
("Beobachter", "hieß es") are anonymous. Entity ids come from the canonical name (`person:friedrich-merz`), so
the same person gets the same id in every article; `canonical_entity` merges across articles, with the manual
alias table always winning. Descriptors are typed strings: "role:Präsident", "country:Ukraine", "party:SPD",
"org:GdP". Everything is linear in the article's tokens; pronoun search looks back over a bounded window.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from ..document import Document, Entity, Quotation, Token
from ..registry import resolvers
from . import lexicon as lex

WINDOW_SENTENCES = 8  # how far back a pronoun or description looks for its antecedent
RECENT_CLUSTERS = 60  # how many recently opened entities an institution noun ("das Ministerium") may join
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
_CARDINAL_LOCATIONS = {"in", "im", "aus", "nach", "nahe", "bei", "ins", "gen", "vor", "nördlich", "südlich"}
_PRONOUN_GENDER = {
    "er": "m",
    "der": "m",
    "dieser": "m",
    "jener": "m",
    "sie": "f",
    "die": "f",
    "diese": "f",
    "es": "n",
    "das": "n",
    "dieses": "n",
}
_ARTICLE_GENDER = {
    "der": "m",
    "ein": "m",
    "dieser": "m",
    "die": "f",
    "eine": "f",
    "diese": "f",
    "das": "n",
    "dieses": "n",
}
_INDEFINITE = {
    "ein",
    "eine",
    "einem",
    "einer",
    "eines",
    "einen",
    "mehrere",
    "einige",
    "viele",
    "zahlreiche",
    "manche",
    "andere",
    "weitere",
}
_NON_SUBJECT_BEFORE = {"des", "dem", "den", "einem", "eines", "einer", "zum", "zur", "vom", "beim", "im"}
_TYPE_NOUNS = (
    "firma",
    "zeitung",
    "magazin",
    "sender",
    "partei",
    "gewerkschaft",
    "organisation",
    "agentur",
    "konzern",
    "unternehmen",
    "verein",
    "verband",
    "zeitschrift",
    "website",
    "gruppe",
    "band",
    "portal",
    "blatt",
    "bewegung",
    "netzwerk",
    "initiative",
    "fluggesellschaft",
    "airline",
)
_ARABIC_PARTICLE = re.compile(r"^(al|el|ad|as|asch|at|az|ar|bin|ibn|abu|bani)-[A-ZÄÖÜ]\w+")
_GENERIC_COMPANY = {
    "konzern",
    "unternehmen",
    "firma",
    "gesellschaft",
    "autobauer",
    "hersteller",
    "airline",
    "fluggesellschaft",
    "bank",
    "verein",
    "klub",
    "club",
    "partei",
}
_ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9&./-]{1,7}$")
_SLUG_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


# ---------------------------------------------------------------- names and words


@lru_cache(maxsize=65536)
def normalize_alias(name: str) -> str:
    """The key the alias table and all name comparisons use: lower case, no accents, single spaces.

    Umlauts fold to ae/oe/ue so "Müller" and "Mueller" meet; punctuation other than hyphens disappears.
    """
    low = name.lower().translate(_SLUG_FOLD)
    low = unicodedata.normalize("NFKD", low)
    low = "".join(c for c in low if not unicodedata.combining(c))
    low = re.sub(r"[^\w\s-]", " ", low)
    return re.sub(r"\s+", " ", low.replace("_", " ")).strip()


def slug(name: str) -> str:
    return re.sub(r"[\s-]+", "-", normalize_alias(name)).strip("-") or "x"


def entity_id(kind: str, name: str, scope: str | None = None) -> str:
    """Deterministic id from kind and name. Anonymous sources and bare institution words ("Polizei",
    "Regierung": a different police force in every article) are scoped to their article (`scope`), so they
    never merge across articles."""
    if kind == "anonymous":
        return f"anonymous:{slug(scope or 'doc')}:{slug(name)}"
    if scope is not None and is_generic_institution(name):
        return f"{kind}:{slug(name)}@{slug(scope)}"
    return f"{kind}:{slug(name)}"


def is_generic_institution(name: str) -> bool:
    """A bare institution word without qualifier: 'Polizei', 'Ministerium', 'Konzern' (not 'Bundesregierung')."""
    low = name.lower()
    return " " not in low and (
        low in lex.ORGANISATION_SUFFIXES
        or low in lex.STATE_SUFFIXES
        or low in lex.MEDIUM_SUFFIXES
        or low in _GENERIC_COMPANY
    )


@lru_cache(maxsize=65536)
def role_of(word: str) -> tuple[str, str] | None:
    """(role stem, gender) when a noun names a person by function; compounds match by suffix.

    Gender is 'f' for the -in/-innen forms, 'm' for the bare masculine stem, '' for forms like
    "Vorsitzende" whose gender only the article shows.
    """
    low = word.lower().split("-")[-1] if "-" in word else word.lower()
    if not low or not low[0].isalpha():
        return None
    if low.endswith("jährige") or low.endswith("jähriger"):
        return "jährige", "m" if low.endswith("r") else ""
    for fem in lex.FEMININE_ROLES:
        if low.endswith(fem):
            return fem.removesuffix("in"), "f"
    for tail, gender in (("innen", "pl"), ("in", "f")):
        if low.endswith(tail):
            stem = _role_stem(low[: -len(tail)])
            if stem:
                return stem, gender
    stem = _role_stem(low)
    if stem:
        return stem, "" if stem.endswith("e") or stem.endswith("te") else "m"
    return None


def _role_stem(low: str) -> str | None:
    best = None
    for stem in lex.ROLE_STEMS:
        if low.endswith(stem) and (best is None or len(stem) > len(best)):
            best = stem
    if best is None:
        return None
    return best.removesuffix("r") if best.endswith("ender") else best


@lru_cache(maxsize=65536)
def noun_kind(word: str) -> str | None:
    """'state', 'medium' or 'organisation' for nouns that name institutions (compounds and genitives included)."""
    low = word.lower()
    if low in lex.ORGANISATION_WORDS:
        return "organisation"
    for form in (low, low[:-1] if low.endswith("s") else "", low[:-2] if low.endswith("es") else ""):
        if not form:
            continue
        for kind, suffixes in (
            ("state", lex.STATE_SUFFIXES),
            ("medium", lex.MEDIUM_SUFFIXES),
            ("organisation", lex.ORGANISATION_SUFFIXES),
        ):
            for suffix in suffixes:
                if form == suffix or (len(suffix) > 3 and form.endswith(suffix)):
                    return kind
    return None


@lru_cache(maxsize=65536)
def country_of(adjective: str) -> str | None:
    low = adjective.lower()
    for ending in ("en", "er", "em", "es", "e", ""):
        stem = low[: len(low) - len(ending)] if ending else low
        if low.endswith(ending) and stem in lex.COUNTRY_ADJECTIVES:
            return lex.COUNTRY_ADJECTIVES[stem]
    return None


_COUNTRY_BY_KEY = {normalize_alias(c): c for c in lex.COUNTRIES}


@lru_cache(maxsize=65536)
def state_of_name(name: str) -> str | None:
    """The country a name stands for: itself, or the country whose capital or seat it is (Moskau → Russland)."""
    key = normalize_alias(name)
    if key in _COUNTRY_BY_KEY:
        return _COUNTRY_BY_KEY[key]
    return lex.CAPITALS.get(name.lower())


@lru_cache(maxsize=65536)
def is_carrier(word: str) -> bool:
    low = word.lower()
    return low in lex.CARRIER_NOUNS or low.endswith(
        ("angaben", "berichten", "berichte", "aussagen", "erklärung", "mitteilung", "bericht", "informationen")
    )


_MIXED_ACRONYM = re.compile(r"^(?=(?:.*[A-ZÄÖÜ]){2})[A-ZÄÖÜ][A-Za-zÄÖÜäöü.]{1,5}$")


def is_name_token(tok: Token) -> bool:
    """A word that can be part of a proper name: NE/FM (unless a role or carrier noun), or an acronym."""
    low = tok.text.lower()
    if not tok.text[:1].isupper():
        return low in lex.MEDIUM_NAMES or bool(_ARABIC_PARTICLE.match(tok.text))  # "n-tv", "el-Baradei"
    if low in lex.PARTIES:
        return True
    if (role_of(tok.text) and noun_kind(tok.text) is None) or is_carrier(tok.text) or low in lex.ANONYMOUS_HEADS:
        return False
    if tok.pos in ("NE", "FM"):
        return True
    return bool(_ACRONYM.match(tok.text) or _MIXED_ACRONYM.match(tok.text)) and not tok.pos.startswith("$")


# ---------------------------------------------------------------- mentions in the article


@dataclass
class Mention:
    """One named (or institution-noun) mention; `cluster` ties it to the article-level entity."""

    start: int
    end: int
    name: str
    kind: str
    sent: int
    gender: str = ""
    descriptors: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    subject: bool = True
    in_quote: bool = False
    proper: bool = True  # a proper name, not an institution noun like "die Polizei"
    definite: bool = True  # "die Polizei" can be referred back to, "eine Gewerkschaft" cannot
    cluster: int = -1


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


_INNER_PARTICLES = {
    "von",
    "van",
    "der",
    "den",
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "le",
    "la",
    "al",
    "el",
    "bin",
    "ibn",
    "zu",
    "ten",
    "ter",
    "dos",
    "y",
}
_ENGLISH_CONNECTORS = {"for", "of", "and", "the", "on", "with", "&"}
_NOUNS = ("NN", "NNA")


def _is_plain_noun(tok: Token) -> bool:
    """A capitalised word the lexicons know as a role, institution, carrier or vague source."""
    low = tok.text.lower()
    return bool(role_of(tok.text) or noun_kind(tok.text) or is_carrier(tok.text) or low in lex.ANONYMOUS_HEADS)


def _surname_after(tokens: list[Token], k: int) -> bool:
    """A capitalised NN after a lone first name is a surname HanTa did not know ('Thomas Steg sagte')."""
    if k + 1 >= len(tokens):
        return False
    tok = tokens[k + 1]
    if (
        tok.pos.startswith("$")
        or tok.pos in ("ART", "APPR", "APPRART", "KON")
        or not tok.text[:1].isupper()
        or _is_plain_noun(tok)
    ):
        return False
    after = tokens[k + 2] if k + 2 < len(tokens) else None
    return after is None or after.pos not in (*_NOUNS, "NE", "FM", "ADJ(A)")


def _particles_then_name(tokens: list[Token], j: int, run_length: int) -> int:
    """End index of 'von der Leyen' / 'al-Assad'-style particles plus surname starting at j, or -1."""
    k = j
    while k < len(tokens) and tokens[k].text.lower() in _INNER_PARTICLES and k - j < 2:
        if k > j and tokens[j].text.lower() == "zu":
            return -1  # "zu den Pionieren": a preposition, not "zu Guttenberg"
        k += 1
    if k == j or k >= len(tokens):
        return -1
    tok = tokens[k]
    if not tok.text[:1].isupper() or tok.pos == "ADJ(A)" or _is_plain_noun(tok):
        return -1
    if k + 1 < len(tokens) and is_name_token(tokens[k + 1]):
        return -1  # "von Human Rights Watch": an organisation after a name, not a surname particle
    if tokens[j].text.lower() == "von" and j > 0 and (run_length != 1 or _ACRONYM.match(tokens[j - 1].text)):
        return -1  # "Martin Behrsing von Greenpeace", "der IAEA von Ägypten"
    return k


def _name_runs(tokens: list[Token]) -> Iterable[tuple[int, int]]:
    """Maximal runs of name tokens as index pairs: NE/FM words, acronyms, 'von der' surnames, unknown surnames."""
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        start = i
        if tok.text[:1].isupper() and tok.text.lower() in ("von", "van", "de", "al", "el") and tok.pos != "ART":
            end = _particles_then_name(tokens, i, 1)
            if end < 0:
                i += 1
                continue
            i = end
        elif not (
            is_name_token(tok)
            or _role_then_name(tokens, i)
            or _unknown_capitalised(tokens, i)
            or _medium_in_context(tokens, i)
        ):
            i += 1
            continue
        k = i
        while k + 1 < n:
            nxt = tokens[k + 1]
            if is_name_token(nxt):
                k += 1
            elif (
                nxt.text.lower() in _ENGLISH_CONNECTORS
                and k + 2 < n
                and is_name_token(tokens[k + 2])
                and tokens[k].pos in ("NE", "FM")
            ):
                k += 2
            elif (
                nxt.text.lower() in _INNER_PARTICLES and (end := _particles_then_name(tokens, k + 1, k - start + 1)) > 0
            ):
                k = end
            elif k - start < 2 and _surname_after(tokens, k):
                k += 1
            else:
                break
        yield start, k
        i = k + 1


def _medium_in_context(tokens: list[Token], i: int) -> bool:
    """'des Magazins „Der Spiegel“', 'die Zeitung Welt': a medium's name that is also a common noun."""
    if tokens[i].text.lower() not in lex.MEDIUM_NAMES or i == 0:
        return False
    before = tokens[i - 1]
    if before.text in ("Der", "Die", "Das") and i > 1:
        before = tokens[i - 2]
    return before.text in ("„", '"', "»") or noun_kind(before.text) == "medium"


def _unknown_capitalised(tokens: list[Token], i: int) -> bool:
    """A capitalised word inside a sentence that HanTa takes for an adjective or verb is an unknown name."""
    tok = tokens[i]
    return (
        i > 0
        and tok.text[:1].isupper()
        and tok.text[1:2].islower()
        and tokens[i - 1].text[:1].isalnum()
        and tok.pos.startswith(("ADJ(D)", "VV", "ADV"))
        and not _is_plain_noun(tok)
    )


def _role_then_name(tokens: list[Token], i: int) -> bool:
    """'VW-Chef Winterkorn': a capitalised unknown NN right after a role noun is a surname."""
    tok = tokens[i]
    return (
        i > 0
        and tok.pos in _NOUNS
        and tok.text[:1].isupper()
        and not _is_plain_noun(tok)
        and tokens[i - 1].pos in (*_NOUNS, "NE")
        and role_of(tokens[i - 1].text) is not None
        and noun_kind(tokens[i - 1].text) is None
    )


def _left_context(tokens: list[Token], i: int) -> tuple[int, list[Token]]:
    """Index where the noun phrase before a name starts, and its words (roles, adjectives, nouns).

    A genitive name right before a role noun belongs to it: "Mexikos Innenminister Francisco Ramirez".
    """
    k = i - 1
    words: list[Token] = []
    while k >= 0:
        tok = tokens[k]
        genitive = (
            tok.text.endswith("s")
            and tok.text[:1].isupper()
            and k + 1 < len(tokens)
            and role_of(tokens[k + 1].text) is not None
            and tok.pos in ("NE", "NN")
        )
        if tok.text in ("„", "“", '"', "»", "«", "‚", "‘"):
            k -= 1
            continue
        role_ne = tok.pos == "NE" and role_of(tok.text) is not None
        if not (tok.pos in ("NN", "NNA", "ADJ(A)", "CARD", "TRUNC") or genitive or role_ne) or tok.text[:1] == "(":
            if not (tok.pos == "KON" and k > 0 and tokens[k - 1].pos == "TRUNC"):
                break
        words.insert(0, tok)
        k -= 1
    if k >= 0 and tokens[k].pos in ("ART", "PDAT", "PPOSAT", "PIAT"):
        words.insert(0, tokens[k])
        k -= 1
    return k + 1, words


def _descriptors(words: Iterable[Token]) -> tuple[list[str], str, str | None]:
    """Typed descriptors from words around a name, the gender they reveal, and a type noun's kind."""
    out: list[str] = []
    gender, kind = "", None
    article_gender = ""
    for tok in words:
        low = tok.text.lower()
        if tok.pos in ("ART", "PDAT"):
            article_gender = _ARTICLE_GENDER.get(low, article_gender)
        elif tok.pos == "ADJ(A)":
            country = country_of(tok.text)
            if country:
                out.append(f"country:{country}")
        elif tok.pos in ("NN", "NNA", "NE", "TRUNC", "FM"):
            role = role_of(tok.text)
            if role and noun_kind(tok.text) is None:
                out.append(f"role:{tok.text.split('-')[-1] if '-' in tok.text else tok.text}")
                if "-" in tok.text:
                    out.append(f"org:{tok.text.rsplit('-', 1)[0]}")
                gender = role[1] if role[1] in ("m", "f") else gender
            elif tok.text.endswith("s") and state_of_name(tok.text[:-1]):
                out.append(f"country:{state_of_name(tok.text[:-1])}")
            elif noun_kind(tok.text):
                kind = noun_kind(tok.text)
            elif low == "frau":
                gender = "f"
            elif low in ("herr", "herrn"):
                gender = "m"
    if not gender and article_gender in ("m", "f") and any(d.startswith("role:") for d in out):
        gender = article_gender
    return out, gender, kind


def _apposition(tokens: list[Token], k: int) -> tuple[list[Token], list[str]]:
    """Words of ', die Anwältin der Frau,' or ' (CDU)' right after a name: role words and bracketed aliases."""
    words: list[Token] = []
    brackets: list[str] = []
    n = len(tokens)
    if k + 1 < n and tokens[k + 1].text == "(":
        j = k + 2
        inner = []
        while j < n and tokens[j].text != ")" and j - k < 8:
            inner.append(tokens[j].text)
            j += 1
        brackets.append(" ".join(inner))
    elif k + 2 < n and tokens[k + 1].text == ",":
        j = k + 2
        while j < n and j - k < 8 and tokens[j].pos in ("ART", "PPOSAT", "ADJ(A)", "NN", "NNA", "TRUNC"):
            words.append(tokens[j])
            if tokens[j].pos in _NOUNS:
                break
            j += 1
        if not any(role_of(w.text) for w in words if w.pos in _NOUNS):
            words = []
    return words, brackets


_GERMAN_REGIONS = {
    "baden-württemberg",
    "bayern",
    "berlin",
    "brandenburg",
    "bremen",
    "hamburg",
    "hessen",
    "mecklenburg-vorpommern",
    "niedersachsen",
    "nordrhein-westfalen",
    "rheinland-pfalz",
    "saarland",
    "sachsen",
    "sachsen-anhalt",
    "schleswig-holstein",
    "thüringen",
}


def _is_type_noun(head: Token, name: str) -> bool:
    """'die Plattenfirma Sony-Music': the noun says what kind of thing the name is (unless the name is a place)."""
    if state_of_name(name) or name.lower() in _GERMAN_REGIONS:
        return False
    return _nominative(head.text).lower().endswith(_TYPE_NOUNS)


def _mention_for_run(tokens: list[Token], i: int, k: int) -> Mention | None:
    """A Mention for the name run tokens[i..k], or None when the run is a place or a genitive attribute."""
    first, last = tokens[i], tokens[k]
    name_tokens = [
        t.text for t in tokens[i : k + 1] if t.text.lower().rstrip(".") not in ("dr", "prof", "herr", "frau")
    ]
    if not name_tokens:
        return None
    if k + 1 < len(tokens) and role_of(tokens[k + 1].text) and last.text.endswith("s") and k + 2 < len(tokens):
        return None  # "Mexikos Innenminister ...": a descriptor of the next name
    start_ctx, left = _left_context(tokens, i)
    before = tokens[start_ctx - 1] if start_ctx > 0 else None
    if before is not None and before.text.lower() in _CARDINAL_LOCATIONS:
        return None  # "in Berlin", "im französischen Toulouse"
    if (i > 0 and tokens[i - 1].text.lower() in lex.PLACE_NOUNS) or first.text.lower() in lex.REGIONS:
        return None  # "die Dörfer Coca und Cocachimba", "in der Stadt Bentiu"
    if (
        i == k
        and last.text.endswith("s")
        and i > 0
        and tokens[i - 1].pos in _NOUNS
        and (not role_of(tokens[i - 1].text) or state_of_name(last.text[:-1]))
    ):
        return None  # "der Behörde Ugandas", "Der Innenminister Frankreichs"
    if k > i and first.text.endswith("s") and state_of_name(first.text[:-1]):
        return _mention_for_run(tokens, i + 1, k)  # "des Kosovos Hashim Thaçi"
    descriptors, gender, type_kind = _descriptors(left or _role_before_comma(tokens, i))
    appo, brackets = _apposition(tokens, k)
    more, appo_gender, _ = _descriptors(appo)
    descriptors += [d for d in more if d not in descriptors]
    gender = gender or appo_gender
    aliases: list[str] = []
    name = " ".join(name_tokens)
    head = left[-1] if left and left[-1].pos in _NOUNS and not role_of(left[-1].text) else None
    kind = _name_kind(name, type_kind if head is not None else None, descriptors)
    for inner in brackets:
        if inner.lower() in lex.PARTIES and kind == "person":
            descriptors.append(f"party:{inner}")
        elif state_of_name(inner) and kind == "person":
            descriptors.append(f"country:{state_of_name(inner)}")
        elif _ACRONYM.match(inner.replace(" ", "")) or _MIXED_ACRONYM.match(inner):
            aliases.append(inner)
    if head is not None and type_kind:
        if _is_type_noun(head, name):
            descriptors.append(f"type:{head.text}")
        else:
            name, kind = f"{_nominative(head.text)} {name}", type_kind  # "Staatsanwaltschaft Krefeld"
    elif kind == "state" and state_of_name(name):
        aliases.append(name)
        name = state_of_name(name) or name
    subject = not (before is not None and before.pos in ("APPR", "APPRART", *_NOUNS)) and not (
        left and left[0].text.lower() in _NON_SUBJECT_BEFORE
    )
    if kind == "state" and not left:
        gender = "n"  # countries without article are neuter: "Ägypten, das ..."
    elif kind != "person":
        gender = _article_gender(left[0].text if left and left[0].pos == "ART" else "", subject)
    start = tokens[start_ctx].start if kind == "person" and left else first.start
    return Mention(
        start=start,
        end=last.end,
        name=name,
        kind=kind,
        sent=first.sent,
        gender=gender,
        descriptors=descriptors,
        aliases=aliases,
        subject=subject,
    )


def _role_before_comma(tokens: list[Token], i: int) -> list[Token]:
    """'Der Geschäftsführer der Firma, Gerd-Jürgen Bruckschen': the role phrase the name is in apposition to."""
    if i < 2 or tokens[i - 1].text != ",":
        return []
    for j in range(i - 2, max(-1, i - 9), -1):
        if tokens[j].pos in _NOUNS and role_of(tokens[j].text) and noun_kind(tokens[j].text) is None:
            start = j - 1 if j > 0 and tokens[j - 1].pos in ("ART", "PPOSAT") else j
            return tokens[start : j + 1]
    return []


def _article_gender(article: str, subject: bool) -> str:
    """Grammatical gender from the article; 'der' is masculine only as a subject (else genitive/dative feminine)."""
    low = article.lower()
    if low == "der" and not subject:
        return ""
    return _ARTICLE_GENDER.get(low, "")


def _nominative(noun: str) -> str:
    """Undo the genitive -s/-es of an institution noun so 'des Sozialgerichts' names 'Sozialgericht'."""
    low = noun.lower()
    for ending in ("es", "s"):
        if low.endswith(ending) and noun_kind(noun[: -len(ending)]):
            return noun[: -len(ending)]
    return noun


def _name_kind(name: str, type_kind: str | None, descriptors: list[str]) -> str:
    low = name.lower()
    words = low.replace("-", " ").split()
    if low in lex.MEDIUM_NAMES or type_kind == "medium":
        return "medium"
    if type_kind:
        return type_kind
    if state_of_name(name):
        return "state"
    if low in lex.PARTIES:
        return "organisation"
    last = name.split()[-1]
    suffix_kind = noun_kind(last) if last.lower() not in lex.MEDIUM_NAMES else None
    if any(w in lex.ORGANISATION_WORDS for w in words) or suffix_kind:
        return suffix_kind or "organisation"
    if any(d.startswith("role:") for d in descriptors):
        return "person"
    first = name.split()[0]
    if _ACRONYM.match(first) or _MIXED_ACRONYM.match(first):
        return "organisation"
    return "person"


def _institution_mention(tokens: list[Token], i: int) -> Mention | None:
    """'die Polizei', 'das isländische Fischereiministerium': an institution named by a common noun."""
    tok = tokens[i]
    kind = noun_kind(tok.text)
    if kind is None or role_of(tok.text) or is_carrier(tok.text) or tok.text.lower() in lex.ANONYMOUS_HEADS:
        return None
    start_ctx, left = _left_context(tokens, i)
    left = [t for t in left if t.pos != "NE"]
    article = left[0].text.lower() if left and left[0].pos in ("ART", "PIAT", "PDAT", "PPOSAT") else ""
    adjectives = [t.text for t in left if t.pos == "ADJ(A)" and (t.text[:1].isupper() or country_of(t.text))]
    name = " ".join([*(_nominative_adjective(a) for a in adjectives), _nominative(tok.text)])
    name = name[:1].upper() + name[1:]
    before = tokens[start_ctx - 1] if start_ctx > 0 else None
    subject = article not in _NON_SUBJECT_BEFORE and not (before and before.pos in ("APPR", "APPRART", *_NOUNS))
    descriptors = [f"country:{c}" for c in (country_of(t.text) for t in left if t.pos == "ADJ(A)") if c]
    definite = article not in _INDEFINITE and not (left and left[0].pos == "PIAT")
    complement, acronym = _bracketed_acronym(tokens, i)
    proper = acronym is not None
    if proper:
        name = f"{name} {complement}".strip()
    return Mention(
        start=tokens[start_ctx].start,
        end=tok.end,
        name=name,
        kind=kind,
        sent=tok.sent,
        gender=_article_gender(article, subject),
        descriptors=descriptors,
        subject=subject,
        aliases=[acronym] if acronym else [],
        proper=proper,
        definite=definite or proper,
    )


def _bracketed_acronym(tokens: list[Token], i: int) -> tuple[str, str | None]:
    """'Gewerkschaft der Polizei (GdP)', 'Schutzvereinigung für Wertpapierbesitz (DSW)': complement and acronym."""
    j = i + 1
    while j < len(tokens) and j - i <= 4 and tokens[j].text != "(":
        if tokens[j].pos not in ("ART", "APPR", "APPRART", "ADJ(A)", *_NOUNS, "NE"):
            return "", None
        j += 1
    if (
        j + 2 < len(tokens)
        and tokens[j].text == "("
        and tokens[j + 2].text == ")"
        and (_ACRONYM.match(tokens[j + 1].text) or _MIXED_ACRONYM.match(tokens[j + 1].text))
    ):
        return " ".join(t.text for t in tokens[i + 1 : j]), tokens[j + 1].text
    return "", None


def _phrase_mention(tokens: list[Token], i: int) -> Mention | None:
    """'des Weißen Hauses', 'des Roten Kreuzes': fixed two-word institution names."""
    if i == 0:
        return None
    phrase = lex.PHRASES.get(f"{tokens[i - 1].text} {tokens[i].text}".lower())
    if phrase is None:
        return None
    name, kind = phrase
    return Mention(
        start=tokens[i - 1].start,
        end=tokens[i].end,
        name=name,
        kind=kind,
        sent=tokens[i].sent,
        subject=i < 2 or tokens[i - 2].pos not in ("APPR", "APPRART"),
    )


def _nominative_adjective(word: str) -> str:
    """'Deutschen Umwelthilfe' → 'Deutsche', 'chinesischen Regierung' → 'Chinesische': no oblique -n."""
    word = word[:1].upper() + word[1:]
    return word[:-1] if word.endswith("en") else word


def find_mentions(doc: Document) -> list[Mention]:
    """Named and institution mentions in text order; one linear pass per sentence."""
    mentions: list[Mention] = []
    for sentence in _sentences(doc.tokens):
        used: set[int] = set()
        for i, k in _name_runs(sentence):
            mention = _mention_for_run(sentence, i, k)
            used.update(range(i, k + 1))
            if mention:
                mentions.append(mention)
        for i, tok in enumerate(sentence):
            if i not in used and tok.pos in _NOUNS and (i + 1 >= len(sentence) or i + 1 not in used):
                mention = _phrase_mention(sentence, i) or _institution_mention(sentence, i)
                if mention:
                    mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    return _with_bare_surnames(doc, mentions)


def _with_bare_surnames(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """'Balkenende selbst sah ...': a surname HanTa did not tag as a name, once the full name has been seen."""
    surnames = {m.name.split()[-1]: m for m in mentions if m.kind == "person" and " " in m.name}
    if not surnames:
        return mentions
    covered = [(m.start, m.end) for m in mentions]
    starts = [c[0] for c in covered]
    extra = []
    for tok in doc.tokens:
        first = surnames.get(tok.text)
        if first is None or tok.start <= first.start:
            continue
        k = bisect_right(starts, tok.start) - 1
        if k >= 0 and covered[k][1] > tok.start:
            continue
        extra.append(
            Mention(
                start=tok.start,
                end=tok.end,
                name=tok.text,
                kind="person",
                sent=tok.sent,
                subject=tok.i == 0 or doc.tokens[tok.i - 1].pos not in ("APPR", "APPRART"),
            )
        )
    return sorted(mentions + extra, key=lambda m: m.start)


def _sentences(tokens: list[Token]) -> Iterable[list[Token]]:
    current: list[Token] = []
    for tok in tokens:
        if current and tok.sent != current[-1].sent:
            yield current
            current = []
        current.append(tok)
    if current:
        yield current


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
        return index
    if m.proper or " " in m.name:
        return None
    head = key
    generic = head in _GENERIC_COMPANY
    best = None
    for index in range(max(0, len(clusters) - RECENT_CLUSTERS), len(clusters)):
        cluster = clusters[index]
        if not cluster.referable or normalize_alias(cluster.name) == head:
            continue
        words = normalize_alias(cluster.name).split()
        typed = cluster.proper and f"type {head}" in {normalize_alias(d) for d in cluster.descriptors}
        if (
            (cluster.kind == m.kind and any(w.endswith(head) for w in words))
            or typed
            or (generic and cluster.proper and cluster.kind == "organisation")
        ):
            if best is None or cluster.last > clusters[best].last:
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


# ---------------------------------------------------------------- speakers


@dataclass
class Resolution:
    """The entity a speaker resolves to and how: named, linked, backref, generic, anonymous or unresolved."""

    entity: Entity
    how: str
    cluster: int | None = None


@dataclass
class ArticleContext:
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
    mentions = find_mentions(doc)
    quotes = sorted((s.start, s.end) for q in doc.quotations for s in q.quote)
    quote_starts = [s for s, _ in quotes]
    for m in mentions:
        k = bisect_right(quote_starts, m.start) - 1
        m.in_quote = any(quotes[j][0] <= m.start and m.end <= quotes[j][1] for j in range(max(0, k - 3), k + 1))
    clusters = cluster_mentions(mentions)
    return ArticleContext(doc, mentions, clusters, [m.start for m in mentions], [t.start for t in doc.tokens])


def _tokens_in(ctx: ArticleContext, q: Quotation) -> list[Token]:
    out: list[Token] = []
    for span in q.speaker:
        i = bisect_left(ctx.token_starts, span.start)
        while i > 0 and ctx.doc.tokens[i - 1].end > span.start:
            i -= 1
        while i < len(ctx.doc.tokens) and ctx.doc.tokens[i].start < span.end:
            out.append(ctx.doc.tokens[i])
            i += 1
    return out


def _mentions_in(ctx: ArticleContext, start: int, end: int) -> list[Mention]:
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
    cluster = ctx.clusters[index]
    eid = entity_id(cluster.kind, cluster.name, None if cluster.proper else ctx.doc.id or "doc")
    entity = ctx.entities.get(eid)
    if entity is None:
        entity = Entity(eid, cluster.name, cluster.kind, list(cluster.descriptors), list(cluster.aliases))
        ctx.entities[eid] = entity
    return entity


def anonymous_entity(ctx: ArticleContext, text: str) -> Entity:
    name = re.sub(r"\s+", " ", text).strip(" ,.;:„“\"'") or "unbekannt"
    eid = entity_id("anonymous", name, ctx.doc.id)
    return ctx.entities.setdefault(eid, Entity(eid, name, "anonymous", [], [name]))


def generic_entity(ctx: ArticleContext, name: str, kind: str, descriptors: list[str]) -> Entity:
    eid = entity_id(kind, name, ctx.doc.id or "doc")
    entity = ctx.entities.setdefault(eid, Entity(eid, name, kind, [], [name]))
    entity.descriptors += [d for d in descriptors if d not in entity.descriptors]
    return entity


def _speaker_rank(m: Mention) -> tuple[int, int, int]:
    order = {"person": 0, "medium": 1, "organisation": 2, "state": 3}
    return (0 if m.proper else 1, order.get(m.kind, 4), 0 if m.definite else 1)


def _linked(ctx: ArticleContext, index: int, how: str) -> Resolution:
    return Resolution(cluster_entity(ctx, index), how, index)


def resolve_speaker(ctx: ArticleContext, q: Quotation) -> Resolution:
    """Decide the entity of one quotation's speaker spans (which must not be empty).

    Order: a proper name inside the span; a pronoun; a role noun (definite → earlier named person,
    indefinite → the institution it speaks for, or anonymous); an institution noun (→ the named institution
    of the article, else a generic one); a carrier like "Angaben"/"demnach" (→ the source named before);
    otherwise anonymous.
    """
    tokens = _tokens_in(ctx, q)
    start, end = min(s.start for s in q.speaker), max(s.end for s in q.speaker)
    inside = sorted(
        (m for m in _mentions_in(ctx, start, end) if m.start >= start - 40),
        key=lambda m: (_is_attribute(ctx, m, start), _speaker_rank(m), m.start),
    )
    inside = [m for m in inside if not _opposed_head(ctx, start, m.start)]  # "Befürworter ... Mélenchons"
    if inside and inside[0].proper:
        return _linked(ctx, inside[0].cluster, "named")
    words = [t for t in tokens if not t.pos.startswith("$")]
    if not words:
        return Resolution(anonymous_entity(ctx, q.speaker_text), "unresolved")
    surname = _known_surname(ctx, words)
    if surname is not None:
        return _linked(ctx, surname, "named")
    pronoun = _pronoun(words)
    if pronoun:
        return _resolve_pronoun(ctx, words[0], pronoun)
    possessor = _possessive_gender(words)
    if possessor:
        return _resolve_pronoun(ctx, words[0], possessor)
    head, det = _head_noun(words)
    if (
        head is not None
        and role_of(head.text)
        and not noun_kind(head.text)
        and head.text.lower() not in lex.ANONYMOUS_HEADS
    ):
        return _resolve_role(ctx, words, head, det, inside)
    prefixed = _hyphen_prefix_cluster(ctx, head) if head is not None else None
    if prefixed is not None:
        return _linked(ctx, prefixed, "linked")
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
            return _linked(ctx, best.cluster, "linked" if ctx.clusters[best.cluster].proper else "generic")
        return Resolution(generic_entity(ctx, best.name, best.kind, best.descriptors), "generic")
    compound = _carrier_compound(ctx, words)
    if compound is not None:
        return compound
    if head is None or is_carrier(head.text) or head.text.lower() in lex.BACK_REFERENCES:
        return _back_reference(ctx, q, words)
    return Resolution(anonymous_entity(ctx, _strip_article(words)), "anonymous")


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
    if i < 0 or ctx.doc.tokens[i].start < span_start or ctx.doc.tokens[i].pos not in _NOUNS:
        return False
    governor = ctx.doc.tokens[i].text
    if governor.lower().endswith(lex.OPPOSED_HEADS):
        return True
    return noun_kind(governor) is not None and not _nominative(governor).lower().endswith(_TYPE_NOUNS)


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
        if tok.text[:1].isupper() and tok.pos in (*_NOUNS, "NE", "FM") and not _is_plain_noun(tok):
            key = normalize_alias(tok.text)
            for index, cluster in enumerate(ctx.clusters):
                if (
                    cluster.kind == "person"
                    and cluster.proper
                    and normalize_alias(cluster.name).split()[-1] in (key, key[:-1] if key.endswith("s") else key)
                ):
                    return index
    return None


def _carrier_compound(ctx: ArticleContext, words: list[Token]) -> Resolution | None:
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
                return _linked(ctx, index, "linked")
        kind = noun_kind(prefix) or ("organisation" if _ACRONYM.match(prefix) else None)
        if kind is None or key in ("medien", "presse", "korrespondenten", "zeugen"):
            return None
        for index in range(len(ctx.clusters) - 1, -1, -1):
            cluster = ctx.clusters[index]
            if cluster.kind == kind and cluster.referable and normalize_alias(cluster.name).endswith(key):
                return _linked(ctx, index, "linked")
        return Resolution(generic_entity(ctx, prefix[:1].upper() + prefix[1:], kind, []), "generic")
    return None


def _back_reference(ctx: ArticleContext, q: Quotation, words: list[Token]) -> Resolution:
    """'nach eigenen Angaben' → the subject of the sentence; 'Angaben zufolge', 'demnach' → the source before."""
    if any(w.text.lower() in ("eigenen", "eigener", "eigene") for w in words):
        own = _subject_in_sentence(ctx, words[0])
        if own is not None:
            return _linked(ctx, own, "backref")
    vague = any(w.text.lower() in lex.ANONYMOUS_HEADS for w in words)
    back = None if vague else _previous_source(ctx, words[0])
    if back is not None:
        return _linked(ctx, back, "backref")
    return Resolution(anonymous_entity(ctx, _strip_article(words) or q.speaker_text), "anonymous")


def _strip_article(words: list[Token]) -> str:
    kept = [w.text for w in words if w.pos not in ("ART", "APPR", "APPRART", "PPOSAT")]
    text = " ".join(kept)
    return text[:1].upper() + text[1:]


def _pronoun(words: list[Token]) -> str | None:
    """'m', 'f', 'n' or 'pl' when the speaker is a bare personal or demonstrative pronoun."""
    if len(words) != 1:
        return None
    tok = words[0]
    low = tok.text.lower()
    if tok.pos not in ("PPER", "PDS", "PRELS", "ART", "PDAT") or low not in _PRONOUN_GENDER:
        return None
    return _PRONOUN_GENDER[low]


def _head_noun(words: list[Token]) -> tuple[Token | None, str]:
    """First noun that is not a carrier ('Angaben'), with the determiner before it."""
    det = ""
    for tok in words:
        low = tok.text.lower()
        if tok.pos in ("ART", "PPOSAT", "PDAT", "PIAT") or low in _INDEFINITE:
            det = low
        elif (
            tok.pos in (*_NOUNS, "NE", "FM") or (tok.text[:1].isalnum() and "-" in tok.text and role_of(tok.text))
        ) and not is_carrier(tok.text):
            return tok, det
        elif tok.pos in ("APPR", "APPRART"):
            det = ""
    for tok in words:
        if tok.pos in _NOUNS or tok.text.lower() in lex.BACK_REFERENCES:
            return tok, det
    return None, det


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


def _resolve_pronoun(ctx: ArticleContext, tok: Token, gender: str) -> Resolution:
    """Personal pronouns take the most salient agreeing antecedent; relative and demonstrative ones the nearest."""
    if gender == "f" and _plural_verb_near(ctx, tok):
        gender = "pl"
    fits = lambda c: _gender_fits(c, gender)  # noqa: E731
    nearest = tok.pos in ("PRELS", "PDS", "PDAT", "ART") or tok.text.lower().startswith("dies")
    best = (
        _nearest_antecedent(ctx, tok, fits)
        if nearest
        else _best_antecedent(ctx, tok, fits, prefer_person=gender in ("m", "f"))
    )
    if best is None and gender == "f":  # "sie" with an unrecognised plural verb
        best = _best_antecedent(ctx, tok, lambda c: _gender_fits(c, "pl"), prefer_person=False)
    if best is None:
        return Resolution(anonymous_entity(ctx, tok.text), "unresolved")
    return _linked(ctx, best, "linked")


def _nearest_antecedent(ctx: ArticleContext, tok: Token, fits: Callable[[Cluster], float]) -> int | None:
    """'Alice Schwarzer, die ...', 'seinen Fahrer De Souza. Dieser ...': the closest agreeing mention."""
    i = bisect_left(ctx.starts, tok.start) - 1
    while i >= 0 and tok.sent - ctx.mentions[i].sent <= 2:
        m = ctx.mentions[i]
        if ctx.clusters[m.cluster].referable and m.end <= tok.start and fits(ctx.clusters[m.cluster]) >= 0.5:
            return m.cluster
        i -= 1
    return None


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


def _resolve_role(ctx: ArticleContext, words: list[Token], head: Token, det: str, inside: list[Mention]) -> Resolution:
    """'Der ukrainische Präsident' → the earlier Selenskyj; 'Ein Sprecher des Ministeriums' → the ministry."""
    stem, gender = role_of(head.text) or ("", "")
    gender = gender or _ARTICLE_GENDER.get(det, "")
    countries = {c for c in (country_of(w.text) for w in words if w.pos == "ADJ(A)") if c}
    org = normalize_alias(head.text.rsplit("-", 1)[0]) if "-" in head.text else ""
    if det not in _INDEFINITE and gender != "pl":

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
            return _linked(ctx, best, "linked")
        court = _institution_of_role(ctx, stem)
        if court is not None:
            return _linked(ctx, court, "generic")
    if inside:
        best_m = inside[0]
        if ctx.clusters[best_m.cluster].proper or best_m.definite:
            return _linked(ctx, best_m.cluster, "generic")
        return Resolution(generic_entity(ctx, best_m.name, best_m.kind, [f"role:{head.text}"]), "generic")
    institution = _institution_in_compound(ctx, head)
    if institution is not None:
        return institution
    return Resolution(anonymous_entity(ctx, _strip_article(words)), "anonymous")


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
    stem = _role_stem(low)
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
        return _linked(ctx, found[0], "generic")
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
            first = _tokens_in(ctx, q)
            ctx.previous.append(resolution.cluster)
            ctx.previous_sent.append(first[0].sent if first else 0)
            if q.nested_in is None:
                ctx.reporting.append((ctx.previous_sent[-1], resolution.cluster))
        yield q, resolution


@resolvers.register("article")
def article_resolver() -> Callable[[Document], Document]:
    """Resolve speakers within one article (the default resolver of the pipeline)."""
    return resolve_document


# ---------------------------------------------------------------- across articles


def _person_parts(entity: Entity) -> tuple[list[str], str]:
    words = [w for w in normalize_alias(entity.name).split() if w not in ("dr", "prof")]
    return words[:-1], words[-1] if words else ""


def _descriptor_overlap(a: Entity, b: Entity) -> int:
    keys = lambda e: {normalize_alias(d) for d in e.descriptors if not d.startswith("type:")}  # noqa: E731
    return len(keys(a) & keys(b))


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
    return bool(_ACRONYM.match(short)) or short.lower() in lex.MEDIUM_NAMES or short.lower() in lex.ORGANISATION_WORDS


def name_stem_key(name: str) -> str:
    """Inflection-blind key: 'Deutschen Bank' and 'Deutsche Bank' meet."""
    words = []
    for word in normalize_alias(name).split():
        words.append(re.sub(r"(en|es|er|e|n|s)$", "", word) if len(word) > 4 else word)
    return " ".join(words)


def _merge_named(entity: Entity, known: Sequence[Entity]) -> Entity:
    from rapidfuzz import fuzz

    keys = {normalize_alias(a) for a in [entity.name, *entity.aliases]}
    for other in known:
        if keys & {normalize_alias(a) for a in [other.name, *other.aliases]}:
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


def absorb(catalogue: Entity, entity: Entity) -> Entity:
    """Merge an article's entity into its catalogue entity: its names become aliases, descriptors are unioned."""
    for name in [entity.name, *entity.aliases]:
        if name not in catalogue.aliases and name != catalogue.name:
            catalogue.aliases.append(name)
    for descriptor in entity.descriptors:
        if descriptor not in catalogue.descriptors:
            catalogue.descriptors.append(descriptor)
    return catalogue
