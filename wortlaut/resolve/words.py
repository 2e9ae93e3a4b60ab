"""What a single word says about a speaker: a role ("Sprecherin"), an institution ("Ministerium"), a country
("ukrainische", "Moskau"), a carrier of speech ("Angaben"), or part of a proper name."""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Token
from . import lexicon as lex
from .names import ACRONYM, MIXED_ACRONYM, normalize_alias

NOUN_TAGS = ("NN", "NNA")
_ARABIC_PARTICLE = re.compile(r"^(al|el|ad|as|asch|at|az|ar|bin|ibn|abu|bani)-[A-ZÄÖÜ]\w+")


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
            stem = role_stem(low[: -len(tail)])
            if stem:
                return stem, gender
    stem = role_stem(low)
    if stem:
        return stem, "" if stem.endswith("e") or stem.endswith("te") else "m"
    return None


def role_stem(low: str) -> str | None:
    """The longest role stem a lower-case word ends with ("polizeisprecher" → "sprecher"), "vorsitzender" as
    "vorsitzende" so both forms share one stem."""
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
    """The country an inflected adjective names: 'ukrainischen' → Ukraine."""
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
    """A noun that carries what was said ('Angaben', 'Polizeiangaben'), standing in for its source."""
    low = word.lower()
    return low in lex.CARRIER_NOUNS or low.endswith(lex.CARRIER_SUFFIXES)


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
    return bool(ACRONYM.match(tok.text) or MIXED_ACRONYM.match(tok.text)) and not tok.pos.startswith("$")


def is_plain_noun(tok: Token) -> bool:
    """A capitalised word the lexicons know as a role, institution, carrier or vague source."""
    low = tok.text.lower()
    return bool(role_of(tok.text) or noun_kind(tok.text) or is_carrier(tok.text) or low in lex.ANONYMOUS_HEADS)


def nominative(noun: str) -> str:
    """Undo the genitive -s/-es of an institution noun so 'des Sozialgerichts' names 'Sozialgericht'."""
    low = noun.lower()
    for ending in ("es", "s"):
        if low.endswith(ending) and noun_kind(noun[: -len(ending)]):
            return noun[: -len(ending)]
    return noun


@lru_cache(maxsize=65536)
def is_source_noun(word: str) -> bool:
    """What was said or found ('Angaben', 'Medienberichten', 'Erkenntnisse'), never who: not a name.

    Carriers that are people ('Zeugen') are sources, not source nouns."""
    low = word.lower().split("-")[-1]
    return (is_carrier(low) and not low.endswith("zeugen")) or low in lex.SOURCE_NOUNS


@lru_cache(maxsize=65536)
def is_date_or_number_word(word: str) -> bool:
    """A word of a date or quantity: 'Woche', 'August', 'zwölf', '2002', '7.' (not 'G8' or 'N24')."""
    low = word.lower()
    return low in lex.TIME_NOUNS or low in lex.NUMBER_WORDS or bool(re.fullmatch(r"[\d.,]+", low))
