"""Named and institution mentions in an article, found from HanTa's POS tags.

Name runs (NE/FM words, acronyms, "von der Leyen", surnames HanTa did not know) and institution nouns ("die
Polizei") become Mentions with their kind, gender and typed descriptors ("role:Präsident", "country:Ukraine",
"party:SPD", "org:GdP") read from the words around them. One linear pass per sentence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..document import Document, Token
from . import lexicon as lex
from .names import ACRONYM, MIXED_ACRONYM
from .words import (
    NOUN_TAGS,
    country_of,
    is_carrier,
    is_name_token,
    is_plain_noun,
    nominative,
    noun_kind,
    role_of,
    state_of_name,
)

QUOTE_OPENERS = ("„", "»", '"', "‚")
QUOTE_CLOSERS = ("“", "«", '"', "‘", "”")
MAX_QUOTED_NAME_WORDS = 6  # longer quoted words after an institution noun are what it said, not its name


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


def _surname_after(tokens: list[Token], k: int) -> bool:
    """A capitalised NN after a lone first name is a surname HanTa did not know ('Thomas Steg sagte')."""
    if k + 1 >= len(tokens):
        return False
    tok = tokens[k + 1]
    if (
        tok.pos.startswith("$")
        or tok.pos in ("ART", "APPR", "APPRART", "KON")
        or not tok.text[:1].isupper()
        or is_plain_noun(tok)
    ):
        return False
    after = tokens[k + 2] if k + 2 < len(tokens) else None
    return after is None or after.pos not in (*NOUN_TAGS, "NE", "FM", "ADJ(A)")


def _particles_then_name(tokens: list[Token], j: int, run_length: int) -> int:
    """End index of 'von der Leyen' / 'al-Assad'-style particles plus surname starting at j, or -1."""
    k = j
    while k < len(tokens) and tokens[k].text.lower() in lex.INNER_PARTICLES and k - j < 2:
        if k > j and tokens[j].text.lower() == "zu":
            return -1  # "zu den Pionieren": a preposition, not "zu Guttenberg"
        k += 1
    if k == j or k >= len(tokens):
        return -1
    tok = tokens[k]
    if not tok.text[:1].isupper() or tok.pos == "ADJ(A)" or is_plain_noun(tok):
        return -1
    if _article_particle(tokens[j:k]) and tok.pos not in ("NE", "FM"):
        return -1  # "Mugabe der Vorbereitung", "Merkel den Vorschlag": an article and a noun, not "der Leyen"
    if k + 1 < len(tokens) and is_name_token(tokens[k + 1]):
        return -1  # "von Human Rights Watch": an organisation after a name, not a surname particle
    if tokens[j].text.lower() == "von" and j > 0 and (run_length != 1 or ACRONYM.match(tokens[j - 1].text)):
        return -1  # "Martin Behrsing von Greenpeace", "der IAEA von Ägypten"
    return k


def _article_particle(particles: list[Token]) -> bool:
    """'den', or 'der' without 'von' before it: an article ("Merkel den Vorschlag"), unlike "von der Leyen"."""
    words = [t.text.lower() for t in particles]
    return "den" in words or ("der" in words and not {"von", "van"} & set(words))


def _quoted_name_end(tokens: list[Token], i: int) -> int:
    """'der Fernsehsender „Channel 10“', 'die Organisation „Ärzte ohne Grenzen“': words in quote marks right after
    a noun that says what kind of institution follows are its name, whatever HanTa tags them; the index of the
    last word inside, or -1. After other institution nouns a quote is what was said ("warf der Opposition
    „Ideenlosigkeit“ vor")."""
    if (
        i < 2
        or tokens[i - 1].text not in QUOTE_OPENERS
        or tokens[i - 2].pos not in NOUN_TAGS
        or noun_kind(tokens[i - 2].text) is None
        or not nominative(tokens[i - 2].text).lower().endswith(lex.TYPE_NOUNS)  # not "der Opposition „Ideenlosigkeit“"
        or not tokens[i].text[:1].isupper()
        or tokens[i].pos == "ART"  # "die Zeitung „Die Welt“": the medium names are looked up without it
    ):
        return -1
    k = i
    while k + 1 < len(tokens) and tokens[k + 1].text not in QUOTE_CLOSERS:
        k += 1
        if k - i >= MAX_QUOTED_NAME_WORDS or not tokens[k].text[:1].isalnum():
            return -1
    return k if k + 1 < len(tokens) else -1


def _name_runs(tokens: list[Token]) -> Iterable[tuple[int, int]]:
    """Maximal runs of name tokens as index pairs: NE/FM words, acronyms, 'von der' surnames, unknown surnames,
    quoted names of institutions."""
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        start = i
        quoted_end = _quoted_name_end(tokens, i)
        if quoted_end >= 0:
            yield i, quoted_end
            i = quoted_end + 1
            continue
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
                nxt.text.lower() in lex.ENGLISH_CONNECTORS
                and k + 2 < n
                and is_name_token(tokens[k + 2])
                and tokens[k].pos in ("NE", "FM")
            ):
                k += 2
            elif (
                nxt.text.lower() in lex.INNER_PARTICLES
                and (end := _particles_then_name(tokens, k + 1, k - start + 1)) > 0
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
        and not is_plain_noun(tok)
    )


def _role_then_name(tokens: list[Token], i: int) -> bool:
    """'VW-Chef Winterkorn': a capitalised unknown NN right after a role noun is a surname."""
    tok = tokens[i]
    return (
        i > 0
        and tok.pos in NOUN_TAGS
        and tok.text[:1].isupper()
        and not is_plain_noun(tok)
        and tokens[i - 1].pos in (*NOUN_TAGS, "NE")
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
        in_phrase = (tok.pos in ("NN", "NNA", "ADJ(A)", "CARD", "TRUNC") or genitive or role_ne) and tok.text[:1] != "("
        truncated_pair = tok.pos == "KON" and k > 0 and tokens[k - 1].pos == "TRUNC"  # "Innen- und Außenminister"
        if not (in_phrase or truncated_pair):
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
            article_gender = lex.ARTICLE_GENDER.get(low, article_gender)
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
            if tokens[j].pos in NOUN_TAGS:
                break
            j += 1
        if not any(role_of(w.text) for w in words if w.pos in NOUN_TAGS):
            words = []
    return words, brackets


def _is_type_noun(head: Token, name: str) -> bool:
    """'die Plattenfirma Sony-Music': the noun says what kind of thing the name is (unless the name is a place)."""
    if state_of_name(name) or name.lower() in lex.GERMAN_STATES:
        return False
    return nominative(head.text).lower().endswith(lex.TYPE_NOUNS)


def _mention_for_run(tokens: list[Token], i: int, k: int) -> Mention | None:
    """A Mention for the name run tokens[i..k], or None when the run is a place or a genitive attribute."""
    first, last = tokens[i], tokens[k]
    name_tokens = [
        t.text for t in tokens[i : k + 1] if t.text.lower().rstrip(".") not in ("dr", "prof", "herr", "frau")
    ]
    if not name_tokens:
        return None
    if last.text.endswith("s") and _role_follows(tokens, k + 1):
        return None  # "Mexikos Innenminister ...", "Mannheims oberster Bürgermeister ...": describes the next name
    start_ctx, left = _left_context(tokens, i)
    before = tokens[start_ctx - 1] if start_ctx > 0 else None
    if before is not None and before.text.lower() in lex.CARDINAL_LOCATIONS:
        return None  # "in Berlin", "im französischen Toulouse"
    if (i > 0 and tokens[i - 1].text.lower() in lex.PLACE_NOUNS) or first.text.lower() in lex.REGIONS:
        return None  # "die Dörfer Coca und Cocachimba", "in der Stadt Bentiu"
    if (
        i == k
        and last.text.endswith("s")
        and i > 0
        and tokens[i - 1].pos in NOUN_TAGS
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
    head = left[-1] if left and left[-1].pos in NOUN_TAGS and not role_of(left[-1].text) else None
    kind = _name_kind(name, type_kind if head is not None else None, descriptors)
    for inner in brackets:
        if inner.lower() in lex.PARTIES and kind == "person":
            descriptors.append(f"party:{inner}")
        elif state_of_name(inner) and kind == "person":
            descriptors.append(f"country:{state_of_name(inner)}")
        elif ACRONYM.match(inner.replace(" ", "")) or MIXED_ACRONYM.match(inner):
            aliases.append(inner)
    if head is not None and type_kind:
        if _is_type_noun(head, name):
            descriptors.append(f"type:{head.text}")
        else:
            name, kind = f"{nominative(head.text)} {name}", type_kind  # "Staatsanwaltschaft Krefeld"
    elif kind == "state" and state_of_name(name):
        aliases.append(name)
        name = state_of_name(name) or name
    subject = not (before is not None and before.pos in ("APPR", "APPRART", *NOUN_TAGS)) and not (
        left and left[0].text.lower() in lex.NON_SUBJECT_BEFORE
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


def _role_follows(tokens: list[Token], j: int) -> bool:
    """A role noun, after adjectives, starts at j and something follows it (the name it describes)."""
    while j < len(tokens) and tokens[j].pos == "ADJ(A)":
        j += 1
    return j + 1 < len(tokens) and role_of(tokens[j].text) is not None


def _role_before_comma(tokens: list[Token], i: int) -> list[Token]:
    """'Der Geschäftsführer der Firma, Gerd-Jürgen Bruckschen': the role phrase the name is in apposition to."""
    if i < 2 or tokens[i - 1].text != ",":
        return []
    for j in range(i - 2, max(-1, i - 9), -1):
        if tokens[j].pos in NOUN_TAGS and role_of(tokens[j].text) and noun_kind(tokens[j].text) is None:
            start = j - 1 if j > 0 and tokens[j - 1].pos in ("ART", "PPOSAT") else j
            return tokens[start : j + 1]
    return []


def _article_gender(article: str, subject: bool) -> str:
    """Grammatical gender from the article; 'der' is masculine only as a subject (else genitive/dative feminine)."""
    low = article.lower()
    if low == "der" and not subject:
        return ""
    return lex.ARTICLE_GENDER.get(low, "")


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
    if ACRONYM.match(first) or MIXED_ACRONYM.match(first):
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
    noun = nominative(tok.text)
    name = " ".join([*(_nominative_adjective(a, noun) for a in adjectives), noun])
    name = name[:1].upper() + name[1:]
    before = tokens[start_ctx - 1] if start_ctx > 0 else None
    subject = article not in lex.NON_SUBJECT_BEFORE and not (before and before.pos in ("APPR", "APPRART", *NOUN_TAGS))
    descriptors = [f"country:{c}" for c in (country_of(t.text) for t in left if t.pos == "ADJ(A)") if c]
    definite = article not in lex.INDEFINITE and not (left and left[0].pos == "PIAT")
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
        if tokens[j].pos not in ("ART", "APPR", "APPRART", "ADJ(A)", *NOUN_TAGS, "NE"):
            return "", None
        j += 1
    if (
        j + 2 < len(tokens)
        and tokens[j].text == "("
        and tokens[j + 2].text == ")"
        and (ACRONYM.match(tokens[j + 1].text) or MIXED_ACRONYM.match(tokens[j + 1].text))
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


def _nominative_adjective(word: str, noun: str) -> str:
    """The adjective as it stands before the bare noun: 'Deutschen Umwelthilfe' → 'Deutsche', 'isländische
    Fischereiministerium' → 'Isländisches', 'Deutschen Wetterdienstes' → 'Deutscher'."""
    word = word[:1].upper() + word[1:]
    word = word[:-1] if word.endswith("en") else word
    return word + _STRONG_ENDING.get(_noun_gender(noun), "") if word.endswith("e") else word


_STRONG_ENDING = {"n": "s", "m": "r"}


def _noun_gender(noun: str) -> str:
    """'n' or 'm' for institution nouns whose ending shows it (longest ending wins), else '' (feminine/plural)."""
    low = noun.lower()
    best = ("", 0)
    for gender, endings in (("n", lex.NEUTER_ENDINGS), ("m", lex.MASCULINE_ENDINGS)):
        for ending in endings:
            if low.endswith(ending) and len(ending) > best[1]:
                best = (gender, len(ending))
    return best[0]


def find_mentions(doc: Document) -> list[Mention]:
    """Named and institution mentions in text order; one linear pass per sentence."""
    mentions: list[Mention] = []
    for sentence in _sentences(doc, title_line_end(doc)):
        used: set[int] = set()
        for i, k in _name_runs(sentence):
            mention = _mention_for_run(sentence, i, k)
            used.update(range(i, k + 1))
            if mention:
                mentions.append(mention)
        for i, tok in enumerate(sentence):
            if i not in used and tok.pos in NOUN_TAGS and (i + 1 >= len(sentence) or i + 1 not in used):
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


def title_line_end(doc: Document) -> int:
    """Where the headline ends when the text opens with it (the dataset glues it to the first sentence without
    a stop: "... überquert Rhein und Neckar Mannheim protestierte ..."); 0 when it does not."""
    if not doc.title:
        return 0
    for title in (doc.title, doc.title.split(": ", 1)[-1]):
        if title.strip() and doc.text.startswith(title.strip()):
            return len(title.strip())
    return 0


def _sentences(doc: Document, title_end: int = 0) -> Iterable[list[Token]]:
    """Sentences as token lists; the headline is a sentence of its own, so no name runs across its end."""
    for sentence in doc.sentence_tokens():
        if sentence and sentence[0].start < title_end <= sentence[-1].start:
            cut = bisect_left(sentence, title_end, key=lambda tok: tok.start)
            yield sentence[:cut]
            yield sentence[cut:]
        elif sentence:
            yield sentence
