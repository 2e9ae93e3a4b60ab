"""Post-processing of the learned model's quotations: small corrections for error classes the taggers make.

Each step is a named function over the document's tokens (with SoMaJo/HanTa analysis) and the quotations;
`cleaned` applies them in order at the end of QuotationModel.extract. They correct what the taggers cannot
see in their feature window, without retraining (issue 14):

* speaker_phrase: a speaker span is one noun phrase — the tagger lets it run on into the object, a place, a
  time or a second phrase ("Angela Merkel den Vorschlag", "Sacharowa in Wladiwostok").
* denied_content: what someone rejects is not their claim. A clause after "Berichte …, wonach" or after a
  rejected report or proposal ("wies Berichte zurück, er sei …") belongs to the report; a bare denied clause
  ("dementierte, dass …") is the denier's Reported act, not their Indirect claim.
* subject_of_cue: a quotation left without a speaker whose cue is a finite verb gets the verb's subject.
* continuation_speakers: a Konjunktiv continuation (IndirectFreeIndirect) carries the speaker of the nearest
  speech act before it — a sentence with a cue verb (also in the perfect) and its subject, or any full verb with
  a named subject, after the previous quotation ("Selenskyj äußerte sich zufrieden. Eine starke Armee sei …"),
  else a Reported quotation right before it.
* direct_follow_ups: a Direct quotation without a speaker right after a Direct or Indirect one is its speaker's.
* speaker_outside_quote: only a Reported quotation holds its own speaker; a Direct or Indirect one never has
  its speaker inside its quote ("Greenpeace forderte, das Atomkraftwerk Krümmel abzuschalten": not the power plant).
* nested_reports: a report inside an indirect quotation ("Ein Sprecher sagte, Merz habe erklärt, dass …") is a
  quotation of its own, of the inner speaker, nested in the outer one.
* agentless_report: a Reported quotation is someone's speech act; one without a speaker, or whose "speaker" is
  a time or place ("Am Montag zog der Sturm weiter"), a number ("Zwölf Todesopfer forderte ein Taifun"), a
  cross-reference in brackets ("(Wikinews berichtete)") or the subject of a passive ("Die Bevölkerung wurde
  gewarnt") is none.
* bare_denial: rejecting a thing ("Der Minister wies die Vorwürfe zurück") reports no content; no_speech_act:
  a Reported quotation without a speech verb, a cue or an intention narrates an event.
* not_a_quotation: quote marks around a title or a name ("der Film „This Is It“", „Black Lion Hospital“) or
  around one or two words nobody is said to have said mark no quotation; a short quotation needs a cue verb
  and a speaker.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise, takewhile

from ..document import Document, Quotation, Span, Token
from .lexicon import (
    CONTENT_NOUNS,
    CUE_LEMMAS,
    DENIAL_LEMMAS,
    SENTENCE_END,
    TITLE_NOUNS,
    is_quote_close,
    is_quote_mark,
    is_quote_open,
    particle_lemma,
)
from .rules import clause_after, cue_lemma, finite_of, mood_of
from .syntax import (
    GENITIVE_ARTICLES,
    OBJECT_PRONOUNS,
    PRONOUN_POS,
    choose_subject,
    head_noun,
    np_backward,
    plausible_subject,
)

#: tags after which a speaker phrase cannot go on once its head noun is there: a new noun phrase, an adverbial,
#: a pronoun ("Angela Merkel den Vorschlag", "das Nobelkomitee gestern", "Präsident seine Position").
NEW_PHRASE_POS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT", "PIDAT", "PPER", "PRF", "PIS", "PDS", "PWS"})
ADVERBIAL_POS = frozenset({"ADV", "ADJ(D)", "PTKNEG", "PROAV", "PAV", "PTKVZ", "KOUS", "KOKOM", "PRELS"})
#: genitive determiners and possessives, which attach a phrase instead of starting one ("Anwalt seiner Familie").
GENITIVE_DETERMINERS = GENITIVE_ARTICLES | {
    *("seines", "seiner", "ihres", "ihrer", "unseres", "unserer", "dessen"),
    *("aller", "vieler", "beider", "einiger", "mehrerer"),
}
DETERMINER_POS = frozenset({"ART", "PPOSAT", "PRELAT", "PIAT", "PIDAT"})
#: a quoted title after its title noun is at most this long; capitalised words this few are a name; a quotation
#: this short needs strong evidence (see not_a_quotation).
MAX_TITLE_WORDS, MAX_NAME_WORDS, MAX_WEAK_WORDS = 8, 4, 2
#: how many sentences back from a continuation its speaker's speech act may be.
ANCHOR_SENTENCES = 2
#: verbs of intention or demand that make a sentence a Reported quotation without a speech verb ("Die SPD will …").
INTENTION_LEMMAS = frozenset({"wollen", "sollen", "müssen", "planen"})
#: types whose speaker a Direct quotation right after them, without a speaker of its own, carries on.
FRAMED_TYPES = frozenset({"Direct", "Indirect"})
#: quotations whose quote can hold another one's report.
NESTING_TYPES = frozenset({"Indirect", "IndirectFreeIndirect", "FreeIndirect"})
#: articles of a dative or accusative object after the verb ("sagte der Zeitung", "dem Sender").
OBJECT_DETERMINERS = frozenset({"dem", "der", "den", "einem", "einer", "einen"})
#: words that open a speaker phrase but not a noun phrase ("Wie der Spiegel", "dem die Polizei").
LEADING_POS = frozenset({"KOUS", "KON", "PWAV"})
#: prepositions that attach an origin, organisation or remit to a name ("Anna Berg von der Polizei", "aus Bonn",
#: "Ombudsmann für Menschenrechte"); any other preposition right after a name starts a place or a time
#: ("Sacharowa in Wladiwostok", "Welajati im Rundfunk"). After a common noun the dataset keeps them all
#: ("die Staatsanwaltschaft auf einer Pressekonferenz in Iserlohn").
NAME_LINKS = frozenset({"von", "vom", "aus", "für", "zu"})
#: tokens after which a new sub-phrase starts inside the speaker's phrase (coordination, apposition, slash).
LINK_TEXTS = frozenset({",", "–", "-", "/", "(", "und", "sowie", "oder"})


def cleaned(doc: Document, quotations: list[Quotation]) -> list[Quotation]:
    """The model's quotations with each correction applied (quotations are changed in place)."""
    for q in quotations:
        q.speaker = speaker_outside_quote(doc, q, speaker_phrase(doc, q.speaker))
    for q in quotations:
        denied_content(doc, q, quotations)
        if not q.speaker:
            q.speaker = speaker_outside_quote(doc, q, subject_of_cue(doc, q))
    continuation_speakers(doc, quotations)
    direct_follow_ups(doc, quotations)
    quotations = quotations + nested_reports(doc, quotations)
    return [
        q
        for q in quotations
        if not (not_a_quotation(doc, q) or agentless_report(doc, q) or bare_denial(doc, q) or no_speech_act(doc, q))
    ]


def set_speaker(q: Quotation, speaker: list[Span], quotations: list[Quotation]) -> None:
    """Give a quotation a new speaker, and its nested quotations too when they had its old one."""
    for child in quotations:
        if child.nested_in == q.id and child.speaker == q.speaker:
            child.speaker = list(speaker)
    q.speaker = speaker


def denied_content(doc: Document, q: Quotation, quotations: list[Quotation]) -> None:
    """Credit a clause complementing a report or a rejected claim to that report, and turn a bare denied clause
    into the denier's Reported act."""
    if q.type != "Indirect" or q.nested_in or not q.quote:
        return
    first = doc.tokens[doc.token_ids(q.quote[:1])[0]]
    sent = doc.sentence_of(first)
    k = first.i - sent[0].i
    wonach = next((w for w in (k, k - 1) if w >= 0 and sent[w].text.lower() == "wonach"), None)
    comma = (wonach if wonach is not None else k) - 1
    if comma < 1 or sent[comma].text != ",":
        return
    j = comma - 1
    while j > 0 and (sent[j].pos.startswith("V") or sent[j].pos == "PTKVZ") and comma - j <= 3:
        j -= 1
    verbs = sent[j + 1 : comma]
    np = np_backward(sent, j) if verbs or wonach is not None else None
    source = claim_phrase(sent[np[0] : np[1] + 1]) if np else []
    denial = any(is_denial(t, sent) for t in sent[:comma])
    if source and (wonach is not None or (denial and any(is_content_noun(t) for t in source))):
        set_speaker(q, [doc.token_span(source[0].i, source[-1].i)], quotations)
        if wonach is not None:
            q.cue = [doc.token_span(sent[wonach].i, sent[wonach].i)]
    elif any(is_denial(t, sent) for t in verbs) and sent[k].text.lower() in {"dass", "daß"}:
        q.type = "Reported"
        q.quote = [doc.token_span(sent[0].i, sent[-1].i)]


def claim_phrase(phrase: list[Token]) -> list[Token]:
    """The phrase from its claim noun with the article and adjectives before it ("am Dienstag Berichte der
    Zeitung" → "Berichte der Zeitung"); the whole phrase when it names no claim."""
    noun = next((n for n, t in enumerate(phrase) if is_content_noun(t)), None)
    if noun is None:
        return phrase
    start = noun
    while start > 0 and phrase[start - 1].pos in {"ART", "ADJ(A)", "PPOSAT", "PDAT", "PIAT", "CARD"}:
        start -= 1
    return phrase[start:]


def is_denial(token: Token, sent: list[Token]) -> bool:
    return token.pos.startswith("VV") and (particle_lemma(token, sent) in DENIAL_LEMMAS or token.lemma in DENIAL_LEMMAS)


def is_content_noun(token: Token) -> bool:
    """ "Berichte", "Vorwürfe", "Pressemeldungen": a claim noun by lemma, also as the end of a compound."""
    lemma = token.lemma or token.text
    return token.pos == "NN" and any(lemma == n or lemma.endswith(n.lower()) for n in CONTENT_NOUNS)


def speaker_outside_quote(doc: Document, q: Quotation, speaker: list[Span]) -> list[Span]:
    """The speaker without the tokens inside the quote. A Reported quotation's quote is the whole sentence,
    speaker included; a continuation whose speaker lies wholly inside its quote keeps it (the quote is then
    the wrong one, "Er bot … an, da …", and the speaker may still be right)."""
    if q.type == "Reported":
        return speaker
    quoted = set(doc.token_ids(q.quote))
    parts = [outside_part(doc.token_ids([s]), quoted) for s in speaker]
    if not any(parts) and q.type not in {"Direct", "Indirect"}:
        return speaker
    return [doc.token_span(part[0], part[-1]) for part in parts if part]


def outside_part(ids: list[int], quoted: set[int]) -> list[int]:
    """The tokens of one speaker span before the quote starts in it, or else after it ends."""
    before = list(takewhile(lambda i: i not in quoted, ids))
    return before or list(takewhile(lambda i: i not in quoted, reversed(ids)))[::-1]


def speaker_phrase(doc: Document, speaker: list[Span]) -> list[Span]:
    """Each span (run of tokens) of the speaker trimmed to the noun phrase it starts with; runs without a noun
    are dropped.

    Separate runs all stay: which one is the speaker neither the cue verb's subject nor a claim noun tells
    reliably ("Die Forderungen Berningers wies Minister Stolpe zurück"; training data, issue 14).
    """
    runs = [trimmed(doc, doc.token_ids([span])) for span in speaker]
    runs = [run for run in runs if run and not object_after_verb(doc, run, runs)]
    if not runs:
        return speaker
    return [doc.token_span(run[0], run[-1]) for run in runs]


def object_after_verb(doc: Document, run: list[int], runs: list[list[int]]) -> bool:
    """A run right after a verb, opening with an object article, when another run before that verb is its
    subject ("Der Chemiker Paul Berger sagte der Zeitung": the tagger also marks the paper)."""
    verb = run[0] - 1
    return (
        verb > 0
        and doc.tokens[verb].pos.startswith("V")
        and doc.tokens[run[0]].text.lower() in OBJECT_DETERMINERS
        and any(other and other[-1] == verb - 1 for other in runs)
    )


def trimmed(doc: Document, run: list[int]) -> list[int]:
    """A run cut to the noun phrase it starts with; empty when it holds no noun or pronoun."""
    tokens = [doc.tokens[i] for i in run]
    first = phrase_start(tokens)
    last = phrase_end(tokens, first)
    phrase = tokens[first : last + 1]
    return run[first : last + 1] if any(head_noun(t) or t.pos in PRONOUN_POS for t in phrase) else []


def phrase_start(tokens: list[Token]) -> int:
    """Skip what cannot open a speaker phrase: a headline label up to its colon ("Arbeitswelt: Die SPD"), a
    detached quote mark or punctuation, a conjunction, a relative pronoun before an article or a name ("in der Hu
    … bezeichnete"), an object pronoun before the subject ("nannte ihn der Abgeordnete")."""
    k = max((k for k, t in enumerate(tokens) if t.text == ":"), default=-1) + 1
    while k < len(tokens) - 1 and (
        detached_mark(tokens, k)
        or (not tokens[k].text[:1].isalnum() and tokens[k].text != "(" and not is_quote_mark(tokens[k]))
        or tokens[k].pos in LEADING_POS
        or (tokens[k].pos == "PRELS" and tokens[k + 1].pos in {"ART", "PPOSAT", "NE"})
        or (tokens[k].text.lower() in OBJECT_PRONOUNS and tokens[k + 1].pos in {"ART", "PPOSAT", "NE", "NN"})
    ):
        k += 1
    return k


def detached_mark(tokens: list[Token], k: int) -> bool:
    """A quote mark standing apart from the next word (a quotation's closing mark before the speaker)."""
    return is_quote_mark(tokens[k]) and tokens[k].space_after


def phrase_end(tokens: list[Token], first: int) -> int:
    """The last token of the noun phrase from `first`.

    The phrase ends where, after a head noun, a second phrase, an adverbial, a verb or a relative clause
    begins, or a place or time after the main name. Genitives, "von" attachments, coordination and
    appositions (", die Vorsitzende der Partei") start a sub-phrase that needs its own head first; nothing
    inside brackets or quote marks ends it ("CSV (Chrëschtlech Sozial Vollekspartei)", "„Die Zeit“").
    """
    seen_head = attached = False
    depth = 0
    k = first
    while k < len(tokens):
        t = tokens[k]
        if depth == 0 and seen_head and ends_phrase(tokens, k, attached):
            break
        depth += opens(tokens, k) - closes(tokens, k)
        genitive = seen_head and t.pos in DETERMINER_POS and t.text.lower() in GENITIVE_DETERMINERS
        if t.text in LINK_TEXTS or genitive:
            seen_head, attached = False, attached or t.text not in {",", "–", "-"}
        elif t.pos in {"APPR", "APPRART"}:
            seen_head, attached = False, True
        else:
            seen_head = seen_head or head_noun(t) or t.pos in PRONOUN_POS
        k += 1
    last = k - 1
    while last > first and not tokens[last].text[:1].isalnum() and depth_balanced(tokens, first, last):
        last -= 1
    return last


def opens(tokens: list[Token], k: int) -> int:
    t = tokens[k]
    return int(t.text == "(" or (is_quote_open(t) and not t.space_after and k + 1 < len(tokens)))


def closes(tokens: list[Token], k: int) -> int:
    t = tokens[k]
    return int(
        t.text == ")" or (is_quote_close(t) and k > 0 and not tokens[k - 1].space_after and not opens(tokens, k))
    )


def depth_balanced(tokens: list[Token], first: int, last: int) -> bool:
    """Whether dropping tokens[last] keeps brackets and quote marks paired (a closing one stays)."""
    return not closes(tokens, last) or sum(opens(tokens, k) - closes(tokens, k) for k in range(first, last + 1)) > 0


def ends_phrase(tokens: list[Token], k: int, attached: bool) -> bool:
    """Whether tokens[k], after a head noun, starts something that is not the speaker.

    Right after the main name (not after a name inside an attachment: "der SPD im Bundestag") a preposition
    other than NAME_LINKS and even a genitive-looking article start something else ("Paul Berger der
    Zeitung" is a dative object: a person's name takes no genitive attribute).
    """
    t = tokens[k]
    after_name = is_name(tokens, k - 1) and not attached
    if (t.text[:1].isupper() and head_noun(t)) or glued(tokens, k):
        return False
    if t.pos.startswith("V") or t.pos in ADVERBIAL_POS or t.pos in NEW_PHRASE_POS:
        return after_name or t.text.lower() not in GENITIVE_DETERMINERS
    if t.pos in {"APPR", "APPRART"}:
        return after_name and t.text.lower() not in NAME_LINKS
    if t.text in {",", "–", "-"}:
        return not apposition_follows(tokens, k)
    return False


def glued(tokens: list[Token], k: int) -> bool:
    """A piece of one written word split by the tokenizer ("ver" and "di" of "ver.di")."""
    after = not tokens[k].space_after and k + 1 < len(tokens) and tokens[k + 1].text == "."
    return after or (not tokens[k - 1].space_after and tokens[k - 1].text == ".")


def is_name(tokens: list[Token], k: int) -> bool:
    """A proper name, or a capitalised word right after one (surnames HanTa does not know: "Frank Werneke")."""
    t = tokens[k]
    return t.pos == "NE" or (k > 0 and tokens[k - 1].pos == "NE" and t.text[:1].isupper() and head_noun(t))


def apposition_follows(tokens: list[Token], comma: int) -> bool:
    """ ", Anna Berg" or ", die Vorsitzende der Partei": a noun phrase after the comma, not a clause; or the
    relative pronoun alone that heads the clause with the cue ("Celebi, die …")."""
    rest = tokens[comma + 1 :]
    if not rest:
        return False
    if len(rest) == 1 and rest[0].pos in {"PRELS", "PDS"}:
        return True  # "Celebi, die …": the relative pronoun is the cue verb's subject
    if rest[0].pos in {"NE", "NN", "NNA", "ADJ(A)", "FM"}:
        return True
    nominal = {"NN", "NE", "NNA", "ADJ(A)"}
    after = rest[1].pos if len(rest) > 1 else ""
    return (rest[0].pos in {"ART", "PIS"} and after in nominal | {"ART"}) or (
        rest[0].pos == "PRELS" and after in nominal
    )


def subject_of_cue(doc: Document, q: Quotation) -> list[Span]:
    """The subject of the quotation's finite cue verb, for a quotation the tagger gave none: a cue verb in an
    active clause has someone who spoke ("Der Abgeordnete nannte den Plan „absurd“")."""
    verbs = [doc.tokens[i] for i in doc.token_ids(q.cue) if doc.tokens[i].pos.startswith("VV(FIN")]
    if not verbs:
        return []
    sent = doc.sentence_of(verbs[0])
    fin = verbs[0].i - sent[0].i
    stop = next(
        (k for k in range(fin + 1, len(sent)) if sent[k].text in {",", ":"} or is_quote_open(sent[k])), len(sent)
    )
    subject = choose_subject(sent, fin, stop)
    if subject is None or not plausible_subject(sent, subject, fin):
        return []
    return [doc.token_span(sent[subject[0]].i, sent[subject[1]].i)]


def continuation_speakers(doc: Document, quotations: list[Quotation]) -> None:
    """Re-attribute each continuation to the speech act right before it (see continuation_speaker)."""
    ordered = sorted((q for q in quotations if not q.nested_in and q.quote), key=lambda q: q.start)
    for n, q in enumerate(ordered):
        if q.type != "IndirectFreeIndirect" or n == 0:
            continue
        previous = ordered[n - 1]
        speaker = speaker_between(doc, previous.end, q.start)
        if not speaker and previous.type == "Reported":
            speaker = list(previous.speaker)
        if speaker:
            set_speaker(q, speaker, quotations)


def direct_follow_ups(doc: Document, quotations: list[Quotation]) -> None:
    """A Direct quotation left without a speaker, in the sentence of a Direct or Indirect quotation right before it
    or the next one, is that quotation's speaker's ("X sagte, dass … . „…“", "erläutert: „…“, und fügt hinzu:
    „…“"). After a Reported or a continuation it is often someone else's (out of fold on train)."""
    ordered = sorted((q for q in quotations if not q.nested_in and q.quote), key=lambda q: q.start)
    for previous, q in pairwise(ordered):
        if q.type != "Direct" or q.speaker or not previous.speaker:
            continue
        gap = doc.tokens[doc.token_ids(q.quote)[0]].sent - doc.tokens[doc.token_ids(previous.quote)[-1]].sent
        if gap <= 1 and previous.type in FRAMED_TYPES:
            set_speaker(q, list(previous.speaker), quotations)


def speaker_between(doc: Document, after: int, before: int) -> list[Span]:
    """The speaker of the nearest speech act in the whole sentences between two offsets (at most
    ANCHOR_SENTENCES back)."""
    for sent in sentences_back(doc, after, before)[:ANCHOR_SENTENCES]:
        for k in range(len(sent)):
            subject = speech_act_subject(sent, k)
            if subject:
                return [local_span(doc, sent, *subject)]
    return []


def speech_act_subject(sent: list[Token], k: int) -> tuple[int, int] | None:
    """The subject of sent[k] when it is the verb of a speech act in an active clause: a cue verb, finite or a
    participle with its auxiliary ("Die Ministerin hat … erklärt"), or any finite full verb whose subject holds a
    name ("Anna Berg besuchte am Montag die Baustelle"): a continuation right after a named person's act is
    theirs. A name with a long apposition before the verb counts as its subject (name_with_apposition)."""
    t = sent[k]
    if not t.pos.startswith("VV"):
        return None
    cue = cue_lemma(t, sent) is not None
    fin = finite_of(sent, k) if cue else k
    if "FIN" not in sent[fin].pos or (fin != k and sent[fin].lemma == "werden"):
        return None
    subject = choose_subject(sent, fin, len(sent))
    if subject is None or not plausible_subject(sent, subject, fin):
        subject = name_with_apposition(sent, fin)
    if subject is None:
        return None
    named = any(x.pos == "NE" for x in sent[subject[0] : subject[1] + 1])
    return subject if cue or named else None


def name_with_apposition(sent: list[Token], fin: int) -> tuple[int, int] | None:
    """ "Anna Berg, Vorsitzende des Vereins und Kandidatin im Wahlkreis, verteidigte …": a sentence opening
    with a name and an apposition up to the comma before the finite verb, too long for choose_subject."""
    comma = next((k for k, t in enumerate(sent[:fin]) if t.text == ","), None)
    if comma is None or comma == 0 or fin < 2 or sent[fin - 1].text != ",":
        return None
    opening, apposition = sent[:comma], sent[comma + 1 : fin - 1]
    if not all(t.pos in {"NE", "NN", "ART"} for t in opening) or not any(t.pos == "NE" for t in opening):
        return None
    return (0, fin - 2) if apposition and not any(t.pos.startswith("V") or t.text == "," for t in apposition) else None


def sentences_back(doc: Document, after: int, before: int) -> list[list[Token]]:
    """The whole sentences between two offsets, the last one first."""
    k = bisect_right(doc.token_bounds()[1], before) - 1
    found: list[list[Token]] = []
    while k >= 0:
        sent = doc.sentence_of(doc.tokens[k])
        if sent[0].start < after:
            break
        if sent[-1].end <= before:
            found.append(sent)
        k = sent[0].i - 1
    return found


def nested_reports(doc: Document, quotations: list[Quotation]) -> list[Quotation]:
    """Inner reported quotations of the indirect ones, each nested in its outer quotation; quoted words inside
    the inner quote move to the inner speaker."""
    taken = {(q.start, q.end) for q in quotations}
    found: list[Quotation] = []
    for q in quotations:
        if q.type not in NESTING_TYPES or q.nested_in or len(q.quote) != 1:
            continue
        inner = inner_report(doc, q, f"q{len(quotations) + len(found)}")
        if inner is None or (inner.start, inner.end) in taken:
            continue
        if q.type != "Indirect" and inner.frame[0].start == q.start and indicative(doc, inner.frame):
            became_report(q, inner)
            continue
        for child in quotations:
            if child.nested_in == q.id and inner.start <= child.start and child.end <= inner.end:
                child.nested_in, child.speaker, child.cue = inner.id, list(inner.speaker), list(inner.cue)
        found.append(inner)
    return found


def indicative(doc: Document, frame: list[Span]) -> bool:
    """Whether the frame's finite verb is indicative: "Der Beschluss sieht vor, dass …" is the article's own
    report, "Er habe geschrieben, dass …" still the earlier speaker's (a continuation with a nested report)."""
    finite = [doc.tokens[i] for i in doc.token_ids(frame) if "FIN" in doc.tokens[i].pos]
    return bool(finite) and mood_of(finite[0]) == "ind"


def became_report(q: Quotation, inner: Quotation) -> None:
    """A continuation that opens with its own speaker and cue ("Der Beschluss sieht vor, dass …") is a new
    Indirect quotation of that speaker, not the earlier speaker's continuation."""
    q.type, q.medium = "Indirect", inner.medium
    q.quote, q.speaker, q.cue, q.frame = inner.quote, inner.speaker, inner.cue, inner.frame


def inner_report(doc: Document, q: Quotation, new_id: str) -> Quotation | None:
    """ "Merz habe erklärt, dass …" inside the quote: a cue verb with its subject, a comma and a reported clause
    that runs to the end of the outer quote (without its final period)."""
    ids = doc.token_ids(q.quote)
    sent = doc.sentence_of(doc.tokens[ids[0]])
    lo, hi = ids[0] - sent[0].i, min(ids[-1], sent[-1].i) - sent[0].i
    while hi > lo and sent[hi].text in SENTENCE_END:
        hi -= 1
    for k in range(lo + 1, hi):
        lemma = cue_lemma(sent[k], sent)
        if lemma is None:
            continue
        comma = k + 1 if sent[k + 1].text == "," else k + 2
        if comma >= hi or sent[comma].text != "," or clause_after(sent, comma) not in {"dass", "konj"}:
            continue
        fin = finite_of(sent, k)
        subject = choose_subject(sent, fin, comma)
        if subject is None or subject[0] < lo or not plausible_subject(sent, subject, fin):
            continue
        return Quotation(
            id=new_id,
            type="Indirect",
            medium=CUE_LEMMAS.get(lemma, "Speech"),
            quote=[local_span(doc, sent, comma + 1, hi)],
            speaker=[local_span(doc, sent, *subject)],
            cue=[local_span(doc, sent, k, k)],
            frame=[local_span(doc, sent, min(subject[0], fin), comma)],
            nested_in=q.id,
            confidence=q.confidence,
        )
    return None


def local_span(doc: Document, sent: list[Token], first: int, last: int) -> Span:
    """The span of a sentence's tokens first..last (indices into the sentence)."""
    return doc.token_span(sent[first].i, sent[last].i)


def not_a_quotation(doc: Document, q: Quotation) -> bool:
    """A Direct quotation whose marks hold a title or a name, scare quotes, or a word or two without a cue verb
    and a speaker."""
    if q.type != "Direct" or len(q.quote) != 1:
        return False
    ids = doc.token_ids(q.quote)
    if not ids or not is_quote_open(doc.tokens[ids[0]]) or not is_quote_close(doc.tokens[ids[-1]]):
        return False
    words = [doc.tokens[i] for i in ids[1:-1] if doc.tokens[i].text[:1].isalnum()]
    if not words:
        return True
    before = doc.tokens[ids[0] - 1] if ids[0] > 0 else None
    return (
        (before is not None and len(words) <= MAX_TITLE_WORDS and (is_title_noun(before) or is_so_called(doc, before)))
        or (len(words) <= MAX_NAME_WORDS and is_name_like(words))
        or (len(words) <= MAX_WEAK_WORDS and not strongly_attested(doc, q))
    )


def is_title_noun(token: Token) -> bool:
    """ "Film", "Fernsehsender", "Wochenzeitung": a noun that introduces a title or a name, also in compounds."""
    lemma = (token.lemma or token.text).lower()
    return token.pos == "NN" and any(lemma == n.lower() or lemma.endswith(n.lower()) for n in TITLE_NOUNS)


def is_so_called(doc: Document, token: Token) -> bool:
    """ "die sogenannte „Reform“": scare quotes, the writer's distance from a word, not anyone's words."""
    low = token.text.lower()
    previous = doc.tokens[token.i - 1].text.lower() if token.i > 0 else ""
    return low.startswith("sogenannt") or (low.startswith("genannt") and previous == "so")


def is_name_like(words: list[Token]) -> bool:
    """Capitalised words only ("This Is It", "Black Lion Hospital"), or one proper or foreign name."""
    if len(words) == 1:
        return words[0].pos in {"NE", "FM"}
    return all(w.text[:1].isupper() or w.text[:1].isdigit() for w in words)


def strongly_attested(doc: Document, q: Quotation) -> bool:
    """A speaker and a cue verb, or a speaker and a quotation around it: what a quotation of a word or two
    needs to be one ("nannte es „absurd“", "habe von „veränderter Lage“ gesprochen")."""
    cue_verb = any(doc.tokens[i].pos.startswith("V") for i in doc.token_ids(q.cue))
    return bool(q.speaker) and (cue_verb or q.nested_in is not None)


def agentless_report(doc: Document, q: Quotation) -> bool:
    """A Reported quotation without an agent to report (see the module docstring)."""
    if q.type != "Reported":
        return False
    ids = doc.token_ids(q.speaker)
    if not ids:
        return True
    first = doc.tokens[ids[0]]
    bracketed = ids[0] > 0 and doc.tokens[ids[0] - 1].text == "("
    return first.pos in {"APPR", "APPRART", "CARD"} or bracketed or passive_subject(doc, ids[-1])


def bare_denial(doc: Document, q: Quotation) -> bool:
    """A Reported quotation that only rejects a thing ("Der Minister wies die Vorwürfe zurück") reports no
    content: its only speech verbs are denials and no clause follows them."""
    tokens = [doc.tokens[i] for i in doc.token_ids(q.quote)]
    if q.type != "Reported" or not tokens or any(t.text in {",", ":", ";"} or is_quote_mark(t) for t in tokens):
        return False
    sent = doc.sentence_of(tokens[0])
    cues = [t for t in tokens if cue_lemma(t, sent) is not None or is_denial(t, sent)]
    return bool(cues) and all(is_denial(t, sent) for t in cues)


def no_speech_act(doc: Document, q: Quotation) -> bool:
    """A Reported quotation without a cue, a speech or denial verb or a verb of intention narrates an event
    ("Der Streit zieht sich durch die Geschichte des Landes"), it reports no one's speech."""
    tokens = [doc.tokens[i] for i in doc.token_ids(q.quote)]
    if q.type != "Reported" or not tokens or q.cue:
        return False
    sent = doc.sentence_of(tokens[0])
    return not any(cue_lemma(t, sent) is not None or is_denial(t, sent) or t.lemma in INTENTION_LEMMAS for t in tokens)


def passive_subject(doc: Document, last: int) -> bool:
    """A phrase before "wurde … gewarnt": the subject of a passive clause is what was acted on, not the agent
    ("Die Bevölkerung wurde vor Erdrutschen gewarnt")."""
    if last + 1 >= len(doc.tokens) or doc.tokens[last + 1].lemma != "werden" or "FIN" not in doc.tokens[last + 1].pos:
        return False
    rest = doc.sentence_of(doc.tokens[last])
    return any(t.pos == "VV(PP)" and t.i > last for t in rest)
