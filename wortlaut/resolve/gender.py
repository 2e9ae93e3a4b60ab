"""A speaker's gender as the articles themselves state it, never guessed from first names.

Evidence, in the words the store keeps for an entity:
- role nouns among its descriptors ("role:Sprecherin", "role:Minister"): feminine by this module's own word
  list or by the -in/-innen rule (stem + "in"), masculine by the word list;
- "Frau"/"Herr" before a name, in an alias or in a mention ("Frau Weber sagte");
- a mention that is a role noun after an article ("die Ministerin", "der neue Sprecher");
- a mention that is a bare personal pronoun ("sie", "er"), which the resolver linked to this speaker.

Only persons and anonymous voices ("eine Sprecherin der Polizei") have a gender here. No evidence, or evidence
both ways (two people merged, or a wrong link), is "unknown": the text does not say.

    speaker_gender("person", ["role:Kanzlerin"], [], [])   -> Gender("female", "role noun Kanzlerin")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

FEMALE = "female"
MALE = "male"
UNKNOWN = "unknown"
GENDERS = (FEMALE, MALE, UNKNOWN)
GENDERED_KINDS = ("person", "anonymous")

# Masculine role nouns; compounds match by their last part ("Bundesinnenminister" ends in "minister").
MASCULINE_ROLES = frozenset(
    {
        "abgeordneter",
        "anwalt",
        "arzt",
        "autor",
        "beamter",
        "berater",
        "bischof",
        "botschafter",
        "bruder",
        "bürger",
        "bürgermeister",
        "chef",
        "direktor",
        "experte",
        "forscher",
        "gründer",
        "herr",
        "journalist",
        "kandidat",
        "kanzler",
        "kollege",
        "kommissar",
        "könig",
        "leiter",
        "mann",
        "minister",
        "mitarbeiter",
        "papst",
        "pilot",
        "politiker",
        "präsident",
        "premier",
        "prinz",
        "professor",
        "regisseur",
        "richter",
        "sekretär",
        "senator",
        "sohn",
        "sprecher",
        "staatsanwalt",
        "trainer",
        "vater",
        "vorsitzender",
        "vorstand",
        "wissenschaftler",
        "zeuge",
    }
)

# Feminine nouns that are not a stem + "in" (compounds match by their last part: "Geschäftsfrau").
FEMININE_ROLES = frozenset(
    {
        "frau",
        "dame",
        "mutter",
        "tochter",
        "schwester",
        "witwe",
        "hebamme",
        "nonne",
        "großmutter",
        "beamtin",
        "expertin",
        "kollegin",
        "prinzessin",
        "zeugin",
    }
)

# Words ending in -in that are not feminine person nouns (things, places, names) although the -in rule would fire
# or might be expected to.
NOT_FEMININE = frozenset(
    {
        "benjamin",
        "berlin",
        "constantin",
        "florin",
        "glycerin",
        "glyzerin",
        "konstantin",
        "kristin",
        "medizin",
        "quentin",
        "severin",
        "termin",
        "terpentin",
        "valentin",
    }
)

# Stem endings of person nouns whose feminine form is stem + "in": Sprecher-in, Senator-in, Präsident-in,
# Jurist-in, Kandidat-in, Biolog-in, Regisseur-in.
AGENT_ENDINGS = ("er", "or", "ent", "ant", "ist", "at", "eur", "log", "nom")
UMLAUTS = str.maketrans("äöü", "aou")
ARTICLES = frozenset({"der", "die", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen"})
FEMININE_ARTICLES = frozenset({"die", "eine"})
PRONOUNS = {"sie": FEMALE, "er": MALE}
TITLES = {"frau": FEMALE, "herr": MALE, "herrn": MALE}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Gender:
    """The verdict and the words it rests on (shown to researchers so they can check it)."""

    value: str
    evidence: str = ""


def _ends_with_any(word: str, nouns: Iterable[str]) -> bool:
    return any(word == noun or (word.endswith(noun) and len(word) - len(noun) >= 3) for noun in nouns)


def _is_masculine_role(word: str) -> bool:
    return _ends_with_any(word, MASCULINE_ROLES) or _ends_with_any(word.translate(UMLAUTS), MASCULINE_ROLES)


def noun_gender(noun: str) -> str | None:
    """FEMALE or MALE for a German role noun ("Ministerin", "Sprecherinnen", "Kanzler"), else None.

    The -in/-innen rule takes a stem that is a known masculine role ("Ärztin" → Arzt, umlaut dropped) or ends
    like an agent noun ("Sprecher-in"); "Termin", "Medizin", "Berlin" and "Benjamin" are not feminine.
    """
    word = noun.strip().lower().rsplit("-", 1)[-1]
    if not word or word in NOT_FEMININE:
        return None
    if _ends_with_any(word, FEMININE_ROLES):
        return FEMALE
    for ending in ("innen", "in"):
        stem = word.removesuffix(ending)
        if stem != word and len(stem) >= 3 and (_is_masculine_role(stem) or stem.endswith(AGENT_ENDINGS)):
            return FEMALE
    return MALE if _is_masculine_role(word) else None


def mention_gender(text: str) -> tuple[str, str] | None:
    """(gender, evidence) stated by one speaker mention or alias: a pronoun, Frau/Herr + name, article + role."""
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    if len(lower) == 1 and lower[0] in PRONOUNS:
        return PRONOUNS[lower[0]], f"pronoun {words[0]}"
    if len(lower) > 1 and lower[0] in TITLES:
        return TITLES[lower[0]], f"{words[0]} {words[1]}"
    if lower and lower[0] in ARTICLES:
        for word in words[1:]:
            gender = noun_gender(word) if word[:1].isupper() else None
            if gender == MALE and lower[0] in FEMININE_ARTICLES:
                continue  # "die Abgeordnete", "die Vorsitzende": the noun alone is masculine-looking
            if gender:
                return gender, f"{words[0]} {word}"
    return None


def speaker_gender(kind: str, descriptors: Iterable[str], aliases: Iterable[str], mentions: Iterable[str]) -> Gender:
    """The gender the texts state for one entity; UNKNOWN when they say nothing or contradict each other."""
    if kind not in GENDERED_KINDS:
        return Gender(UNKNOWN)
    found: dict[str, list[str]] = {FEMALE: [], MALE: []}
    for descriptor in descriptors:
        role = descriptor.removeprefix("role:")
        gender = noun_gender(role) if role != descriptor else None
        if gender:
            found[gender].append(f"role noun {role}")
    for text in [*aliases, *mentions]:
        stated = mention_gender(text)
        if stated:
            found[stated[0]].append(stated[1])
    if found[FEMALE] and found[MALE]:
        return Gender(UNKNOWN, "conflicting: " + "; ".join(_unique(found[FEMALE] + found[MALE])))
    for gender in (FEMALE, MALE):
        if found[gender]:
            return Gender(gender, "; ".join(_unique(found[gender])))
    return Gender(UNKNOWN)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
