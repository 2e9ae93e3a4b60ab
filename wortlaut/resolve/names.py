"""Names as keys: the normalised form every name comparison uses, slugs, entity ids, inflection-blind keys.

An entity id comes from the kind and the canonical name (`person:friedrich-merz`), so the same person gets the
same id in every article; bare institution words ("Polizei") are scoped to their article instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import lexicon as lex

ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9&./-]{1,7}$")  # "BBC", "IAEA", "N24"
MIXED_ACRONYM = re.compile(r"^(?=(?:.*[A-ZÄÖÜ]){2})[A-ZÄÖÜ][A-Za-zÄÖÜäöü.]{1,5}$")  # "GdP", "WiWo"
_SLUG_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


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
        or low in lex.GENERIC_COMPANY
    )


def name_stem_key(name: str) -> str:
    """Inflection-blind key: 'Deutschen Bank' and 'Deutsche Bank' meet."""
    words = []
    for word in normalize_alias(name).split():
        words.append(re.sub(r"(en|es|er|e|n|s)$", "", word) if len(word) > 4 else word)
    return " ".join(words)
