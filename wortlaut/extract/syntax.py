"""Noun phrases and subjects over SoMaJo/HanTa tokens, for the rule extractor.

A sentence is a list of tokens; phrases are (first, last) local indices into it. Noun phrases take their
"von"/"der" attachments ("der Vorsitzende des Verbands"), names HanTa does not know (capitalised words inside
the sentence) and an apposition naming the person (", Anna Berg,").
"""

from __future__ import annotations

from ..document import Token
from .lexicon import CLAUSE_BOUNDARIES, is_quote_close, is_quote_mark, is_quote_open

# Tags of words inside a noun phrase, of pronouns that are a phrase on their own, of words an NP after a verb
# may be preceded by, and of words that never belong to a noun phrase.
NP_POS = {"ART", "ADJ(A)", "NN", "NE", "PPOSAT", "CARD", "TRUNC", "PDAT", "PIAT", "FM", "XY", "PIDAT"}
PRONOUN_POS = {"PPER", "PIS", "PDS"}
SKIPPABLE = {"ADV", "PTKNEG", "PROAV", "ADJ(D)", "PRF", "PTKVZ"}
NON_NOMINAL_POS = {"APPR", "APPRART", "KON", "KOUS", "PPER", "PRF", "PRELS", "PDS", "PIS", "PWS", "PTKNEG", "PROAV"}
# Words that join a noun phrase to its attribute ("der Chef des Verbands"), and the genitive articles among them.
NP_LINKS = {"von", "vom", "der", "des", "für", "aus", "und", "zur", "zum"}
GENITIVE_ARTICLES = {"der", "des", "eines", "einer"}
# Pronouns after the verb that are its object, never its subject.
OBJECT_PRONOUNS = {"ihn", "ihm", "ihnen", "mich", "dich", "uns", "euch", "mir", "dir"}


def nominal(sent: list[Token], k: int) -> bool:
    """Part of a noun phrase: by POS, or a capitalised word inside the sentence (names HanTa does not know)."""
    t = sent[k]
    if not t.text[:1].isalnum():
        return False
    if t.pos in NP_POS or t.pos == "NNA":
        return True
    return k > 0 and t.text[:1].isupper() and t.pos not in NON_NOMINAL_POS and not t.pos.startswith("V")


def head_noun(t: Token) -> bool:
    """A word that can head a noun phrase: a noun or name, or a capitalised word HanTa tagged otherwise."""
    return t.text[:1].isalnum() and (
        t.pos in {"NN", "NE", "NNA", "FM", "XY"} or (t.text[:1].isupper() and t.pos not in NON_NOMINAL_POS | {"ART"})
    )


def np_backward(sent: list[Token], last: int) -> tuple[int, int] | None:
    """Local (first, last) of the noun phrase ending at sent[last], with its von/der attachments."""
    if last < 0:
        return None
    if sent[last].pos in PRONOUN_POS and sent[last].text.lower() not in {"das", "dies", "dieses", "es"}:
        return last, last
    if sent[last].text == ")":
        k = last
        while k > 0 and sent[k].text != "(":
            k -= 1
        head = np_backward(sent, k - 1) if k >= 1 else None
        return (head[0], last) if head else None
    k = last
    while k >= 0 and (
        nominal(sent, k)
        or (is_quote_mark(sent[k]) and k > 0)
        or (
            sent[k].text.lower() in NP_LINKS
            and k > 0
            and nominal(sent, k - 1)
            and sent[k].pos in {"APPR", "APPRART", "KON"}
        )
    ):
        k -= 1
        if (
            sent[k + 1].pos == "ART"
            and k >= 0
            and head_noun(sent[k])
            and sent[k + 1].text.lower() not in GENITIVE_ARTICLES
        ):
            break
    first = k + 1
    while first <= last and (
        (sent[first].text.lower() in NP_LINKS and sent[first].pos != "ART")
        or (is_quote_close(sent[first]) and not is_quote_open(sent[first]))
    ):
        first += 1
    if is_quote_mark(sent[last]) and not any(is_quote_mark(t) for t in sent[first:last]):
        return None
    if first > last or not any(head_noun(t) for t in sent[first : last + 1]):
        return None
    return first, last


def np_forward(sent: list[Token], first: int) -> tuple[int, int] | None:
    """Local (first, last) of the noun phrase starting at or after sent[first] (skipping adverbs)."""
    k = first
    while k < len(sent) and sent[k].pos in SKIPPABLE and sent[k].text not in {",", "."}:
        k += 1
    if k >= len(sent):
        return None
    if sent[k].pos in PRONOUN_POS and sent[k].text.lower() not in {"das", "dies", "es"}:
        return k, k
    start = k
    if is_quote_open(sent[k]) and k + 1 < len(sent) and nominal(sent, k + 1):
        close = next((j for j in range(k + 1, min(len(sent), k + 8)) if is_quote_close(sent[j])), None)
        if close is not None:
            return start, close
    while k < len(sent):
        t = sent[k]
        if (
            k > start
            and head_noun(sent[k - 1])
            and sent[k - 1].pos != "TRUNC"
            and (
                t.pos in {"CARD", "ADJ(A)", "PIAT", "PPOSAT", "PDAT"}
                or (t.pos == "ART" and t.text.lower() not in GENITIVE_ARTICLES)
            )
        ):
            break
        if nominal(sent, k) or (is_quote_mark(t) and k > start):
            k += 1
        elif t.text == "(" and ")" in [x.text for x in sent[k : k + 5]]:
            k += [x.text for x in sent[k : k + 5]].index(")") + 1
        elif t.text.lower() in NP_LINKS and k + 1 < len(sent) and nominal(sent, k + 1) and k > start:
            k += 1
        elif t.text == "," and k > start and name_apposition(sent, k):
            k = name_apposition(sent, k)
        else:
            break
    last = k - 1
    while last >= start and (
        sent[last].text.lower() in NP_LINKS or (is_quote_open(sent[last]) and not is_quote_close(sent[last]))
    ):
        last -= 1
    if last < start or not any(head_noun(t) for t in sent[start : last + 1]):
        return None
    return start, last


def name_apposition(sent: list[Token], comma: int) -> int:
    """Index after ", Vorname Name" (an apposition naming the person), or 0."""
    k = comma + 1
    while k < len(sent) and (
        sent[k].pos == "NE"
        or (nominal(sent, k) and sent[k].text[:1].isupper() and (sent[k].pos != "NN" or sent[k - 1].pos == "NE"))
    ):
        k += 1
    if k - comma >= 2 and (
        k >= len(sent) or sent[k].text in {",", ".", "(", ":"} or sent[k].pos in {"APPR", "APPRART"}
    ):
        return k
    return 0


def subject_before(sent: list[Token], verb: int) -> tuple[int, int] | None:
    """Subject ending right before the finite verb, with an apposition "Anna Berg, eine Ärztin," included."""
    last = verb - 1
    if last >= 0 and sent[last].text == ",":
        inner = np_backward(sent, last - 1)
        if inner and inner[0] >= 2 and sent[inner[0] - 1].text == ",":
            head = np_backward(sent, inner[0] - 2)
            start = phrase_start(sent, head[0]) if head else None
            if start is not None:
                return start, inner[1]
        return None
    found = np_backward(sent, last)
    if found and clause_starts_at(sent, found[0]):
        return found
    return None


def phrase_start(sent: list[Token], first: int) -> int | None:
    """Where a noun phrase with prepositional attributes ("Der Vorsitzende des Verbands in Deutschland") starts,
    if it starts a clause."""
    k = first
    while k > 0 and not clause_starts_at(sent, k) and (nominal(sent, k - 1) or sent[k - 1].pos in {"APPR", "APPRART"}):
        k -= 1
    return k if clause_starts_at(sent, k) else None


def choose_subject(sent: list[Token], fin: int, stop: int) -> tuple[int, int] | None:
    """The cue verb's subject: before the finite verb, unless only the NP after it names someone
    ("Der Zeitung sagte Merkel")."""
    before = subject_before(sent, fin)
    after = np_forward(sent, fin + 1)
    if after and after[1] >= stop:
        after = None
    if (
        before
        and after
        and sent[before[1]].pos == "NN"
        and sent[after[1]].pos in {"NE", "PPER"}
        and not any(t.pos.startswith("APPR") for t in sent[after[0] : after[1] + 1])
    ):
        return after
    return before or after


def plausible_subject(sent: list[Token], np: tuple[int, int], fin: int) -> bool:
    """A noun phrase after the verb is only the subject when nothing nominal fills the field before the verb
    ("Dagegen protestierte der Verband", not "Uiguren wie Isa weisen die Anschuldigungen zurück")."""
    if np[0] < fin:
        return True
    if sent[np[0]].text.lower() in OBJECT_PRONOUNS:
        return False
    return not any(nominal(sent, j) for j in range(0, fin)) or sent[np[0]].pos == "PPER"


def clause_starts_at(sent: list[Token], k: int) -> bool:
    """Whether sent[k] opens a clause: sentence start, after a clause break or closing quote, or after a
    sentence-initial conjunction or adverb."""
    if k == 0:
        return True
    prev = sent[k - 1]
    return (
        prev.text in CLAUSE_BOUNDARIES or is_quote_close(prev) or (prev.pos in {"KON", "ADV", "PROAV"} and k - 1 == 0)
    )
