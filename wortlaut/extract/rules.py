"""A rule-based quotation extractor over SoMaJo/HanTa tokens: the baseline the learned model must beat.

It follows the annotation conventions of the German news quotation dataset:
* Direct: the quote includes its quote marks; frame = speaker + cue (+ the colon, or the leading comma when
  the frame follows the quote).
* Indirect: the quote is the complement clause without the sentence-final period; a frame before the quote
  includes the comma that closes it, a frame after it starts with the comma.
* "laut X", "X zufolge", "nach Angaben von X", ", so X": the cue is the preposition, the frame the source phrase.
* IndirectFreeIndirect: later Konjunktiv sentences without a cue, whole sentences with their period, carrying
  the speaker spans of the quotation they continue.
* FreeIndirect: reportative "sollen" sentences without a cue, attributed to the most recent speaker.
* Reported: a summarising cue verb with an object instead of a clause; the whole sentence is the quote.
* Quoted fragments inside another quotation's quote are nested Direct quotations of the same speaker.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from ..document import Document, Quotation, Span, Token
from ..registry import extractors
from .lexicon import (
    ADDRESSEE_NOUNS,
    ADDRESSEE_PREPOSITIONS,
    CLAUSE_BOUNDARIES,
    CLAUSE_ONLY_LEMMAS,
    COMPLEMENTISERS,
    CUE_LEMMAS,
    DATIVE_PRONOUNS,
    HEADLINE_LABELS,
    REPORTED_LEMMAS,
    SENTENCE_END,
    SOURCE_NOUNS,
    SOURCE_PREPOSITIONS,
    THOUGHT,
    WH_COMPLEMENTISERS,
    WRITTEN_SOURCES,
    detached_particle,
    is_quote_close,
    is_quote_mark,
    is_quote_open,
    pair_quote_marks,
    particle_lemma,
)
from .syntax import (
    choose_subject,
    head_noun,
    name_apposition,
    np_backward,
    np_forward,
    plausible_subject,
    subject_before,
)


@dataclass
class Draft:
    """A quotation under construction; ranges are (start, end) character offsets."""

    type: str
    medium: str
    quote: list[tuple[int, int]]
    speaker: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    frame: list[tuple[int, int]] = field(default_factory=list)
    addressee: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.5

    @property
    def start(self) -> int:
        return min(s for s, _ in self.quote)

    @property
    def end(self) -> int:
        return max(e for _, e in self.quote)


class Ranges:
    """Character ranges (tuples that start with start and end) sorted by start, with the running maximum of
    their ends, so which ranges hold a stretch of text is found by bisection instead of a pass over them all:
    checks like these run once per token or quotation, and a pass each would grow with the article squared."""

    def __init__(self, ranges: Iterable[tuple[int, ...]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [r[0] for r in self.ranges]
        self.reach = list(accumulate((r[1] for r in self.ranges), max))

    def covers(self, start: int, end: int) -> bool:
        """Whether some range holds start..end (range start <= start and end <= range end)."""
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end

    def strictly_covers(self, start: int, end: int) -> bool:
        """Whether some range holds start..end with room on both sides (range start < start, end < range end)."""
        k = bisect_left(self.starts, start) - 1
        return k >= 0 and self.reach[k] > end

    def around(self, start: int, end: int) -> Iterator[tuple[int, ...]]:
        """The ranges that hold start..end, walking back only while an earlier range can still reach end."""
        k = bisect_right(self.starts, start) - 1
        while k >= 0 and self.reach[k] >= end:
            if self.ranges[k][1] >= end:
                yield self.ranges[k]
            k -= 1

    def starting_in(self, lo: int, hi: int) -> list[tuple[int, ...]]:
        """The ranges that start in lo..hi, in order: only these can lie inside a stretch from lo to hi."""
        return self.ranges[bisect_left(self.starts, lo) : bisect_right(self.starts, hi)]


def rng(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].start, tokens[-1].end


class Analysis:
    """Everything the rules need about one tokenised document, computed once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.sentences = [sent for sent in doc.sentence_tokens() if sent]
        self.paragraph = self._paragraph_ids()
        self.quotes = pair_quote_marks(doc.text)
        self.quote_by_start = {s: e for s, e in self.quotes}
        self.quote_by_end = {e: s for s, e in self.quotes}
        self.quote_set = set(self.quotes)
        self.marks = Ranges(self.quotes)
        self.long_marks = Ranges((s, e) for s, e in self.quotes if len(doc.text[s:e].split()) >= 6)
        self.sentence_starts = [sent[0].start for sent in self.sentences]
        self.sentence_ends = [sent[-1].end for sent in self.sentences]

    def _paragraph_ids(self) -> list[int]:
        ids, current = [], 0
        for n, sent in enumerate(self.sentences):
            if n and "\n" in self.doc.text[self.sentences[n - 1][-1].end : sent[0].start]:
                current += 1
            ids.append(current)
        return ids

    def outer_quote_at(self, token: Token) -> tuple[int, int] | None:
        """The longest quote range that starts with this token's opening mark."""
        end = self.quote_by_start.get(token.start)
        return (token.start, end) if end else None


# ---------------------------------------------------------------- cues


def cue_lemma(token: Token, sent: list[Token]) -> str | None:
    """The cue lemma of a verb token (particle verbs joined), or None if it is no cue."""
    if not token.pos.startswith("VV"):
        return None
    lemma = particle_lemma(token, sent)
    if lemma in CUE_LEMMAS:
        return lemma
    return token.lemma if token.lemma in CUE_LEMMAS and lemma == token.lemma else None


def finite_of(sent: list[Token], k: int) -> int:
    """Index of the finite verb governing the (participle/infinitive) cue at k; k itself if finite."""
    clause_final = (
        k + 1 >= len(sent) or sent[k + 1].text in CLAUSE_BOUNDARIES | SENTENCE_END or sent[k + 1].pos == "PTKVZ"
    )
    if "FIN" in sent[k].pos and not clause_final:
        return k
    j = k - 1
    while j >= 0 and sent[j].text not in {",", ":"}:
        if sent[j].pos in {"VA(FIN)", "VM(FIN)"}:
            return j
        j -= 1
    return k


def end_of_sentence(sent: list[Token]) -> int:
    """Local index of the last token before the final punctuation (and closing quote after it)."""
    k = len(sent) - 1
    while k > 0 and (sent[k].text in SENTENCE_END):
        k -= 1
    return k


def clause_after(sent: list[Token], comma: int, speech: bool = True, weak: bool = False) -> str | None:
    """Kind of the clause after a comma: 'dass' complementiser, 'konj' V2 clause, 'zu' infinitive, or None."""
    if comma + 1 >= len(sent):
        return None
    first = sent[comma + 1]
    if first.text.lower() in COMPLEMENTISERS or (speech and first.text.lower() in WH_COMPLEMENTISERS):
        return "dass"
    if weak and first.pos == "KOUS":  # "entscheiden, wenn …": an adverbial clause, not what was decided
        return None
    k = comma + 1
    while k < len(sent) and sent[k].text not in {",", ";"} | SENTENCE_END:
        if "FIN" in sent[k].pos:
            if mood_of(sent[k]) in {"konj1", "konj2"}:
                return "konj"
            article = first.pos == "PRELS" and comma + 2 < len(sent) and sent[comma + 2].pos in {"NN", "NE", "ADJ(A)"}
            main = article or first.pos not in {"PRELS", "PRELAT", "KOUS", "KON", "PWAV", "PWS", "APPR", "KOKOM"}
            return "v2" if speech and main and k > comma + 1 else None
        if sent[k].pos in {"VV(IZU)"} or (
            sent[k].text == "zu" and k + 1 < len(sent) and sent[k + 1].pos.startswith("VV(INF")
        ):
            return "zu"
        k += 1
    return None


def relative_clause_end(sent: list[Token], last: int) -> int:
    """Extend a frame over a relative clause on its source ("Nach Angaben X, die … wurden,")."""
    if last + 2 < len(sent) and sent[last + 1].text == "," and sent[last + 2].pos in {"PRELS", "PRELAT"}:
        for j in range(last + 3, len(sent)):
            if sent[j].text == ",":
                return j
    return last


def is_source_noun(token: Token) -> bool:
    """ "Angaben", "Untersuchungen", "Studie" — by form or by lemma, so plurals count."""
    return token.text in SOURCE_NOUNS or token.lemma in SOURCE_NOUNS


def mood_of(token: Token) -> str:
    """The tagger's mood, with Konjunktiv II also for umlauted -e/-en forms of umlaut-less lemmas (lägen, gäbe)."""
    low, lemma = token.text.lower(), token.lemma.lower()
    if (
        token.mood == "ind"
        and any(c in low for c in "äöü")
        and not any(c in lemma for c in "äöü")
        and low.endswith(("e", "en"))
    ):
        return "konj2"
    return token.mood


def has_main_clause(tokens: list[Token]) -> bool:
    """A finite verb outside relative and subordinate clauses."""
    subordinate = False
    for t in tokens:
        if t.text == ",":
            subordinate = False
        elif t.pos in {"PRELS", "PRELAT", "KOUS", "PWAV"}:
            subordinate = True
        elif "FIN" in t.pos and not subordinate:
            return True
    return False


def addressee_in(sent: list[Token], lo: int, hi: int, subject: tuple[int, int] | None) -> tuple[int, int] | None:
    """To whom it was said, inside the frame tokens lo..hi: "gegenüber X", "vor Journalisten", or a dative
    object ("sagte dem Sender", "warf ihm vor"); the preposition stays outside, as in the dataset."""
    taken = set(range(subject[0], subject[1] + 1)) if subject else set()
    for k in range(lo, hi + 1):
        t = sent[k]
        if k in taken or (
            k > 0 and sent[k - 1].pos.startswith("APPR") and t.text.lower() not in ADDRESSEE_PREPOSITIONS
        ):
            continue
        if t.text.lower() in ADDRESSEE_PREPOSITIONS:
            np = np_forward(sent, k + 1)
            if np and np[1] <= hi and (t.text.lower() == "gegenüber" or sent[np[1]].text in ADDRESSEE_NOUNS):
                return np
        elif t.text.lower() in DATIVE_PRONOUNS and t.pos == "PPER":
            return k, k
        elif t.text.lower() == "dem" and t.pos == "ART":
            np = np_forward(sent, k)
            if np and np[1] <= hi and not taken & set(range(np[0], np[1] + 1)):
                return np
    return None


def medium_of_source(text: str) -> str:
    """Sources ("laut X", "nach Angaben X") are spoken-or-written unless X is plainly a text."""
    return "Writing" if any(w in text for w in WRITTEN_SOURCES) else "SW"


class Extractor:
    """Applies the rules sentence by sentence and keeps what it found in text order."""

    def __init__(self, doc: Document) -> None:
        self.a = Analysis(doc)
        self.doc = doc
        self.drafts: list[Draft] = []
        self.claimed: set[int] = set()  # sentence numbers whose main content is already a quotation
        self.last_speaker: dict[int, tuple[list[tuple[int, int]], str]] = {}

    # -- helpers
    def span(self, sent: list[Token], lo: int, hi: int) -> tuple[int, int]:
        return sent[lo].start, sent[hi].end

    def add(self, draft: Draft, n: int, anchor: bool = True) -> Draft:
        """Keep a quotation; unless `anchor` is off, its speaker is the one later Konjunktiv sentences continue."""
        self.drafts.append(draft)
        self.claimed.add(n)
        if draft.speaker and anchor:
            self.last_speaker[n] = (draft.speaker, draft.medium)
        return draft

    def recent_speaker(self, n: int, back: int = 4) -> tuple[list[tuple[int, int]], str] | None:
        here = self.a.paragraph[min(n, len(self.a.paragraph) - 1)]
        for m in range(n - 1, max(-1, n - 1 - back), -1):
            if m in self.last_speaker and here - self.a.paragraph[m] <= 1:
                return self.last_speaker[m]
        return None

    # -- the rules
    def run(self) -> list[Draft]:
        for n, sent in enumerate(self.a.sentences):
            found = self.headline_colon(n, sent) or self.colon_intro(n, sent)
            found = found or self.verb_cues(n, sent)
            found = self.source_cues(n, sent) or found
            if not found:
                self.dash_attribution(n, sent) or self.von_colon(n, sent) or self.continuation(n, sent)
        self.direct_without_cue()
        self.nested_fragments()
        return sorted(self.drafts, key=lambda d: (d.start, -d.end))

    def colon_intro(self, n: int, sent: list[Token]) -> bool:
        """ "Der Verbandschef kritisierte die Entscheidung scharf:" and the quote opening the next sentence."""
        if len(sent) < 3 or sent[-1].text != ":" or n + 1 >= len(self.a.sentences):
            return False
        quote = self.a.outer_quote_at(self.a.sentences[n + 1][0])
        verbs = [k for k, t in enumerate(sent) if t.pos.startswith("V") and "FIN" in t.pos]
        if not quote or not verbs:
            return False
        fin = verbs[0]
        cues = [k for k, t in enumerate(sent) if cue_lemma(t, sent)]
        lemma = cue_lemma(sent[cues[0]], sent) if cues else None
        subject = self.subordinate_subject(sent, fin) or choose_subject(sent, fin, len(sent) - 1)
        cue = [rng([sent[cues[0]]])] if cues else []
        medium = CUE_LEMMAS.get(lemma, "Speech") if lemma else "Speech"
        frame_lo = self.clause_start(sent, min([fin] + ([subject[0]] if subject else [])))
        self.add(self.make("Direct", medium, [quote], sent, subject, cue, (frame_lo, len(sent) - 1), 0.7), n)
        self.claim_quote(quote, n + 1)
        return True

    def verb_cues(self, n: int, sent: list[Token]) -> bool:
        found = False
        for k, token in enumerate(sent):
            lemma = cue_lemma(token, sent)
            if (
                lemma is None
                and token.text.lower() in {"heißt", "hieß"}
                and k + 1 < len(sent)
                and sent[k + 1].text == "es"
            ):
                lemma = "heißen"
            if lemma is None:
                continue
            if self.cue_clause(n, sent, k, lemma):
                found = True
        return found

    def cue_clause(self, n: int, sent: list[Token], k: int, lemma: str) -> bool:
        """Try the frame shapes around the cue verb sent[k]; add the quotation it introduces."""
        medium = CUE_LEMMAS.get(lemma, "Speech")
        particle = detached_particle(sent[k], sent)
        cue = [rng([sent[k]])] + ([rng([particle])] if particle and particle_lemma(sent[k], sent) == lemma else [])
        fin = finite_of(sent, k)
        if lemma == "heißen":
            cue = [self.span(sent, k, k + 1)]
        if self.inside_long_quote(sent[k]):
            return False
        wie = self.wie_clause(n, sent, k, fin, medium, cue)
        if wie is not None:
            return wie
        # post-posed frame: "„…“, sagte X." / "…, sagte X." (but not after an apposition "Anna Berg, eine Ärztin,")
        apposition = fin >= 1 and sent[fin - 1].text == "," and subject_before(sent, fin) is not None
        if not apposition and (
            (fin >= 1 and sent[fin - 1].text == ",") or (lemma == "heißen" and k >= 1 and sent[k - 1].text == ",")
        ):
            found = self.postposed(n, sent, k, fin, lemma, medium, cue)
            if found is not None:
                return found
        # "Das erklärte X." referring back to the previous sentence
        if fin == 1 and sent[0].text.lower() in {"das", "dies"} and n > 0:
            return self.das_cue(n, sent, k, medium, cue)
        # pre-posed frame: scan to the clause break after the cue ("mitgeteilt hatte," ends a subordinate clause)
        j = k + 1
        if (j < len(sent) and sent[j].pos in {"VA(FIN)", "VM(FIN)"} and "FIN" not in sent[k].pos) or (
            j < len(sent)
            and sent[j].pos in {"VA(FIN)", "VM(FIN)"}
            and fin == k
            and k > 0
            and self.in_subordinate(sent, k)
        ):
            j += 1
        while j < len(sent) and sent[j].text not in {",", ":", ";"} | SENTENCE_END and not is_quote_open(sent[j]):
            if "FIN" in sent[j].pos and j > k:
                break
            j += 1
            if (
                j < len(sent)
                and sent[j].text == ","
                and (after := name_apposition(sent, j))
                and after < len(sent)
                and sent[after].text == ","
            ):
                j = after + 1
        if j >= len(sent) or sent[j].text in SENTENCE_END or (j < len(sent) and "FIN" in sent[j].pos):
            return self.reported(n, sent, k, fin, lemma, medium)
        subject = self.subordinate_subject(sent, k) or choose_subject(sent, fin, j)
        frame_lo = subject[0] if subject and subject[0] < fin else min(fin, k)
        frame_lo = self.clause_start(sent, frame_lo)
        if sent[j].text == ":" or is_quote_open(sent[j]):
            q = j + 1 if sent[j].text == ":" else j
            if q < len(sent) and (rngq := self.a.outer_quote_at(sent[q])):
                frame_hi = j if sent[j].text == ":" else j - 1
                self.add(self.make("Direct", medium, [rngq], sent, subject, cue, (frame_lo, frame_hi), 0.8), n)
                self.claim_quote(rngq, n)
                return True
            if sent[j].text == ":" and q < len(sent):
                quote = self.span(sent, q, end_of_sentence(sent))
                self.add(self.make("Indirect", medium, [quote], sent, subject, cue, (frame_lo, j), 0.5), n)
                return True
            return False
        if sent[j].text == "," and j + 1 < len(sent) and (rngq := self.a.outer_quote_at(sent[j + 1])):
            self.add(self.make("Direct", medium, [rngq], sent, subject, cue, (frame_lo, j), 0.75), n)
            self.claim_quote(rngq, n)
            return True
        kind = clause_after(sent, j, speech=medium != THOUGHT, weak=lemma in CLAUSE_ONLY_LEMMAS)
        if lemma in CLAUSE_ONLY_LEMMAS and lemma != "heißen" and kind is None:
            if subject:
                self.last_speaker[n] = ([self.span(sent, *subject)], medium)
            return False
        if kind is None:
            return self.reported(n, sent, k, fin, lemma, medium)
        end = end_of_sentence(sent)
        quote = self.span(sent, j + 1, end)
        if kind == "v2" and (medium not in {"Speech", "SW", "Writing"} or lemma in CLAUSE_ONLY_LEMMAS):
            return self.reported(n, sent, k, fin, lemma, medium)
        conf = {"dass": 0.8, "konj": 0.75, "zu": 0.55, "v2": 0.5}[kind]
        self.add(self.make("Indirect", medium, [quote], sent, subject, cue, (frame_lo, j), conf), n)
        return True

    def clause_start(self, sent: list[Token], lo: int) -> int:
        """Frames start at the clause start (adverbials like "Auch" or "Zudem" belong to them)."""
        k = lo
        while (
            k > 0
            and sent[k - 1].text not in CLAUSE_BOUNDARIES
            and not is_quote_close(sent[k - 1])
            and "FIN" not in sent[k - 1].pos
        ):
            k -= 1
        return k

    def postposed(
        self, n: int, sent: list[Token], k: int, fin: int, lemma: str, medium: str, cue: list[tuple[int, int]]
    ) -> bool | None:
        """ "„…“, sagte X." / "…, sagte X." — None when the comma only closed an apposition before the verb."""
        comma = fin - 1 if lemma != "heißen" else k - 1
        hi = end_of_sentence(sent)
        subject = np_forward(sent, k + 2 if lemma == "heißen" else fin + 1)
        if subject and subject[0] > k and fin != k:
            subject = None
        frame = (comma, hi)
        before = sent[comma - 1] if comma >= 1 else None
        if before is not None and is_quote_close(before) and before.end in self.a.quote_by_end:
            rq = (self.a.quote_by_end[before.end], before.end)
            self.add(self.make("Direct", medium, [rq], sent, subject, cue, frame, 0.85), n)
            self.claim_quote(rq, n)
            return True
        if comma < 1:
            return False
        quote = (sent[0].start, sent[comma - 1].end)
        if not has_main_clause(sent[:comma]):
            return None
        self.add(self.make("Indirect", medium, [quote], sent, subject, cue, frame, 0.7), n)
        return True

    def das_cue(self, n: int, sent: list[Token], k: int, medium: str, cue: list[tuple[int, int]]) -> bool:
        prev = self.a.sentences[n - 1]
        if self.a.paragraph[n - 1] != self.a.paragraph[n] or n - 1 in self.claimed:
            return False
        subject = np_forward(sent, k + 1)
        if not subject:
            return False
        hi = end_of_sentence(sent)
        quote = [rng(prev), rng([sent[0]])]
        draft = self.make("Indirect", medium, quote, sent, subject, cue, (k, hi), 0.6)
        self.add(draft, n)
        self.claimed.add(n - 1)
        self.last_speaker[n - 1] = (draft.speaker, medium)
        return True

    def reported(self, n: int, sent: list[Token], k: int, fin: int, lemma: str, medium: str) -> bool:
        """A summary cue with an object: the sentence is a Reported quotation, or just a speaker anchor."""
        subject = choose_subject(sent, fin, len(sent))
        if not subject or self.passive(sent, k, fin) or not plausible_subject(sent, subject, fin):
            return False
        speaker = [self.span(sent, *subject)]
        if lemma in REPORTED_LEMMAS and not self.inside_quote(sent[k]) and sent[0].text != "(":
            hi = len(sent) - 1
            self.add(Draft("Reported", medium, [self.span(sent, 0, hi)], speaker=speaker, confidence=0.4), n)
            return True
        self.last_speaker[n] = (speaker, medium)
        return False

    @staticmethod
    def in_subordinate(sent: list[Token], k: int) -> bool:
        lo = k
        while lo > 0 and sent[lo - 1].text not in {",", ":", ";"}:
            lo -= 1
        return sent[lo].pos == "KOUS"

    def subordinate_subject(self, sent: list[Token], k: int) -> tuple[int, int] | None:
        """In "Nachdem die Anwältin dem Richter mitgeteilt hatte," the subject follows the conjunction."""
        lo = k
        while lo > 0 and sent[lo - 1].text not in {",", ":", ";"}:
            lo -= 1
        if sent[lo].pos != "KOUS" or sent[lo].text.lower() == "wie":
            return None
        np = np_forward(sent, lo + 1)
        return np if np and np[1] < k else None

    @staticmethod
    def passive(sent: list[Token], k: int, fin: int) -> bool:
        return fin != k and sent[fin].lemma == "werden" and sent[k].pos == "VV(PP)"

    def inside_long_quote(self, token: Token) -> bool:
        """Cue words inside a quoted passage belong to the quoted speaker's words, not to the article."""
        return self.a.long_marks.strictly_covers(token.start, token.end)

    def wie_clause(
        self, n: int, sent: list[Token], k: int, fin: int, medium: str, cue: list[tuple[int, int]]
    ) -> bool | None:
        """ "Wie X mitteilte, …" / "…, wie X berichtete": the cue clause frames the rest of the sentence."""
        lo = k
        while lo > 0 and sent[lo - 1].text not in {",", ":", ";"}:
            lo -= 1
        if sent[0].text == "Wie" and not any("FIN" in t.pos for t in sent[1:k]):
            lo = 0
        if sent[lo].text.lower() != "wie" or k + 1 >= len(sent):
            return None
        hi = end_of_sentence(sent)
        subject = np_forward(sent, lo + 2 if sent[lo + 1].text.lower() in {"aus", "von"} else lo + 1)
        cue = [rng([sent[lo]]), *cue]
        if lo == 0 and sent[k + 1].text == "," and k + 2 <= hi:
            quote, frame = [self.span(sent, k + 2, hi)], (0, k + 1)
        elif lo >= 2 and sent[lo - 1].text == ",":
            clause_end = next((j for j in range(k, hi + 1) if sent[j].text == ","), hi + 1) - 1
            pieces = [self.span(sent, 0, lo - 2)] + (
                [self.span(sent, clause_end + 2, hi)] if clause_end + 2 <= hi else []
            )
            quote, frame = pieces, (lo - 1, clause_end)
        else:
            return None
        self.add(self.make("Indirect", medium, quote, sent, subject, cue, frame, 0.7), n)
        return True

    def inside_quote(self, token: Token) -> bool:
        return self.a.marks.strictly_covers(token.start, token.end)

    def claim_quote(self, quote: tuple[int, int], n: int) -> None:
        """Claim the sentences that lie within the quote (or end at most two characters after it)."""
        m = bisect_left(self.a.sentence_starts, quote[0])
        while m < len(self.a.sentences) and self.a.sentence_ends[m] <= quote[1] + 2:
            self.claimed.add(m)
            m += 1

    def make(
        self,
        qtype: str,
        medium: str,
        quote: list[tuple[int, int]],
        sent: list[Token],
        subject: tuple[int, int] | None,
        cue: list[tuple[int, int]],
        frame: tuple[int, int],
        confidence: float,
    ) -> Draft:
        speaker = [self.span(sent, *subject)] if subject else []
        lo, hi = frame
        addressee = addressee_in(sent, lo, hi, subject)
        return Draft(
            qtype,
            medium,
            quote,
            speaker=speaker,
            cue=cue,
            frame=[self.span(sent, lo, hi)],
            addressee=[self.span(sent, *addressee)] if addressee else [],
            confidence=confidence if speaker else confidence * 0.6,
        )

    def source_cues(self, n: int, sent: list[Token]) -> bool:
        """ "laut X", "X zufolge", "nach Angaben von X", "gemäß X", ", so X" inside a sentence."""
        found = False
        hi = end_of_sentence(sent)
        for k, t in enumerate(sent):
            low = t.text.lower()
            frame = speaker = None
            if low in SOURCE_PREPOSITIONS and low != "zufolge" and t.pos.startswith("APP"):
                np = np_forward(sent, k + 1)
                if np:
                    frame, speaker = (k, np[1]), np
            elif (low == "zufolge" and k >= 1) or (low == "nach" and k >= 1 and is_source_noun(sent[k - 1])):
                np = np_backward(sent, k - 1)
                if np:
                    frame, speaker = (np[0], k), np
            elif low == "nach" and any(is_source_noun(x) for x in sent[k + 1 : k + 4]):
                np = np_forward(sent, k + 1)
                if np and any(is_source_noun(x) for x in sent[np[0] : np[1] + 1]):
                    frame, speaker = (k, relative_clause_end(sent, np[1])), np
            elif low == "demnach" and t.pos in {"PROAV", "ADV", "PAV"}:
                frame, speaker = (k, k), (k, k)
            elif low == "so" and k >= 1 and sent[k - 1].text == "," and t.pos == "ADV":
                np = np_forward(sent, k + 1)
                if np and np[1] >= hi - 3:
                    frame, speaker = (k - 1, np[1] if np[1] > hi - 1 else hi), np
            if frame is None or speaker is None:  # set together
                continue
            if self.inside_quote(t):
                continue
            lo_f, hi_f = frame
            pieces = []
            if lo_f > 0:
                left_end = lo_f - 1 if sent[lo_f - 1].text != "," else lo_f - 2
                if left_end >= 0 and is_quote_close(sent[left_end]) and sent[left_end].end in self.a.quote_by_end:
                    pieces.append((self.a.quote_by_end[sent[left_end].end], sent[left_end].end))
                elif left_end >= 0:
                    pieces.append(self.span(sent, 0, left_end))
            if hi_f < hi:
                right_lo = hi_f + 1 + (1 if sent[hi_f + 1].text == "," else 0)
                if right_lo <= hi:
                    pieces.append(self.span(sent, right_lo, hi))
            if not pieces:
                continue
            qtype = "Indirect"
            if len(pieces) == 1 and pieces[0] in self.a.quote_set:
                qtype = "Direct"
            speaker_text = self.doc.text[sent[speaker[0]].start : sent[speaker[1]].end]
            draft = Draft(
                qtype,
                "Speech" if low == "so" else medium_of_source(speaker_text),
                pieces,
                speaker=[self.span(sent, *speaker)],
                cue=[rng([t])],
                frame=[self.span(sent, lo_f, hi_f)],
                confidence=0.7,
            )
            self.add(draft, n, anchor=n not in self.last_speaker)
            found = True
        return found

    def headline_colon(self, n: int, sent: list[Token]) -> bool:
        """`Moskau: Sicherheitsgarantien sind "Gefahr"` — a short speaker, a colon, what was said."""
        colon = next((k for k, t in enumerate(sent[:5]) if t.text == ":"), None)
        if colon is None or colon == 0 or colon + 1 >= len(sent):
            return False
        np = np_backward(sent, colon - 1)
        if not np or np[0] != 0 or not any(head_noun(t) for t in sent[:colon]):
            return False
        if is_source_noun(sent[colon - 1]) or sent[0].text in HEADLINE_LABELS:
            return False
        hi = end_of_sentence(sent)
        first = sent[colon + 1]
        rq = self.a.outer_quote_at(first)
        headline = len(self.a.sentences) and self.is_single_line(n)
        if rq and rq[1] >= sent[hi].end - 1:
            quote, qtype = [rq], "Direct"
        elif headline and any("FIN" in t.pos for t in sent[colon + 1 :]):
            quote, qtype = [self.span(sent, colon + 1, hi)], "Indirect"
        else:
            return False
        self.add(
            Draft(
                qtype,
                "Speech",
                quote,
                speaker=[self.span(sent, 0, colon - 1)],
                frame=[self.span(sent, 0, colon)],
                confidence=0.6,
            ),
            n,
        )
        if rq:
            self.claim_quote(rq, n)
        return True

    def is_single_line(self, n: int) -> bool:
        sent = self.a.sentences[n]
        text = self.doc.text
        before = text[: sent[0].start].rstrip(" \t")
        after = text[sent[-1].end :].lstrip(" \t")
        return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))

    def dash_attribution(self, n: int, sent: list[Token]) -> bool:
        """ "„…“ – Kommissarin Anna Berg" : a quote followed by a dash and the speaker."""
        for k, t in enumerate(sent):
            before = sent[k - 1] if k >= 1 else (self.a.sentences[n - 1][-1] if n > 0 else None)
            if t.text in {"–", "—", "-"} and before and is_quote_close(before) and before.end in self.a.quote_by_end:
                np = np_forward(sent, k + 1)
                if np:
                    rq = (self.a.quote_by_end[before.end], before.end)
                    self.add(
                        Draft(
                            "Direct",
                            "Speech",
                            [rq],
                            speaker=[self.span(sent, *np)],
                            frame=[self.span(sent, k, np[1])],
                            confidence=0.6,
                        ),
                        n,
                    )
                    return True
        return False

    def von_colon(self, n: int, sent: list[Token]) -> bool:
        """ "Von Anna Berg:" ending a paragraph, the quoted paragraph(s) after it."""
        if len(sent) < 3 or sent[0].text != "Von" or sent[-1].text != ":" or n + 1 >= len(self.a.sentences):
            return False
        nxt = self.a.sentences[n + 1]
        rq = self.a.outer_quote_at(nxt[0])
        np = np_forward(sent, 1)
        if not rq or not np:
            return False
        self.add(
            Draft(
                "Direct",
                "Speech",
                [rq],
                speaker=[self.span(sent, *np)],
                frame=[self.span(sent, 0, len(sent) - 1)],
                confidence=0.6,
            ),
            n,
        )
        self.claim_quote(rq, n + 1)
        return True

    def continuation(self, n: int, sent: list[Token]) -> bool:
        """Konjunktiv sentences after a quotation continue it (IndirectFreeIndirect); "soll" ones are FreeIndirect."""
        if n in self.claimed or self.is_single_line(n):
            return False
        moods = [mood_of(t) for t in sent if "FIN" in t.pos and not self.inside_quote(t)]
        konj1 = "konj1" in moods
        recent = self.recent_speaker(n, back=3 if konj1 else 1)
        if not moods or recent is None:
            return False
        speaker, medium = recent
        sollen = any(t.text.lower() in {"soll", "sollen"} and "FIN" in t.pos for t in sent)
        if konj1 or (moods[0] == "konj2" and n - 1 in self.claimed):
            qtype, conf = "IndirectFreeIndirect", 0.5
        elif sollen:
            qtype, conf, medium = "FreeIndirect", 0.35, "SW"
        else:
            return False
        quote = rng(sent)
        previous = self.drafts[-1] if self.drafts else None
        if previous and previous.type == qtype and n - 1 in self.claimed and previous.speaker == speaker:
            previous.quote[-1] = (previous.quote[-1][0], quote[1])
            self.claimed.add(n)
            self.last_speaker[n] = recent
            return True
        self.add(Draft(qtype, medium, [quote], speaker=list(speaker), confidence=conf), n)
        return True

    def direct_without_cue(self) -> None:
        """Long quotes no rule explained are Direct, attributed to the speaker of the nearest quotation."""
        covered = Ranges(span for d in self.drafts for span in d.quote)
        for s, e in self.a.quotes:
            if covered.covers(s, e):
                continue
            if len(self.doc.text[s:e].split()) < 6:
                continue
            n = self.sentence_of(s)
            recent = self.recent_speaker(n + 1, back=3) if n is not None else None
            speaker = list(recent[0]) if recent else []
            self.drafts.append(Draft("Direct", "Speech", [(s, e)], speaker=speaker, confidence=0.4 if speaker else 0.2))

    def title_like(self, s: int, e: int) -> bool:
        """Names and titles in quote marks („Spiegel“, „Neues Deutschland“) are not quotations."""
        overlapping = (self.doc.tokens[i] for i in self.doc.token_ids([self.doc.span(s, e)]))
        inner = [t for t in overlapping if s < t.start and t.end < e and not is_quote_mark(t)]
        return not inner or _title_words([t.text for t in inner]) or (len(inner) == 1 and inner[0].pos == "NE")

    def sentence_of(self, offset: int) -> int | None:
        """The first sentence from whose start to whose end the offset lies."""
        n = bisect_left(self.a.sentence_ends, offset)
        return n if n < len(self.a.sentences) and self.a.sentence_starts[n] <= offset else None

    def nested_fragments(self) -> None:
        """Quoted words inside an Indirect/continuation quote are nested Direct quotations of its speaker."""
        for draft in list(self.drafts):
            if draft.type == "Direct" or draft.type == "Reported":
                continue
            for s, e in self.a.marks.starting_in(draft.start, draft.end):
                if any(qs <= s and e <= qe for qs, qe in draft.quote) and (s, e) not in draft.quote:
                    if any(d.type == "Direct" and d.quote == [(s, e)] for d in self.drafts) or self.title_like(s, e):
                        continue
                    self.drafts.append(
                        Draft(
                            "Direct",
                            draft.medium,
                            [(s, e)],
                            speaker=list(draft.speaker),
                            cue=list(draft.cue),
                            frame=list(draft.frame),
                            confidence=draft.confidence * 0.8,
                        )
                    )


def _title_words(words: list[str]) -> bool:
    return len(words) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _spans(doc: Document, ranges: list[tuple[int, int]]) -> list[Span]:
    return [Span.of(doc.text, s, e) for s, e in ranges]


def to_quotations(doc: Document, drafts: list[Draft]) -> list[Quotation]:
    """Number the drafts q1, q2, … in text order and link each to the smallest quotation containing it."""
    out: list[Quotation] = []
    for n, d in enumerate(drafts, 1):
        out.append(
            Quotation(
                id=f"q{n}",
                type=d.type,
                medium=d.medium,
                confidence=d.confidence,
                quote=_spans(doc, d.quote),
                speaker=_spans(doc, d.speaker),
                cue=_spans(doc, d.cue),
                frame=_spans(doc, d.frame),
                addressee=_spans(doc, d.addressee),
            )
        )
    for q, outer in zip(out, innermost_containers(drafts), strict=True):
        q.nested_in = out[outer].id if outer is not None else None
    return out


def innermost_containers(drafts: list[Draft]) -> list[int | None]:
    """Per draft, the position of the shortest other draft (the first of equals) with a quote segment around it.

    Only the segments that can still reach the draft's end are visited, not every quotation of the article.
    """
    segments = Ranges((s, e, m) for m, d in enumerate(drafts) for s, e in d.quote)
    found: list[int | None] = []
    for n, d in enumerate(drafts):
        outer = {m for _, _, m in segments.around(d.start, d.end) if m != n}
        sizes = [
            (drafts[m].end - drafts[m].start, m) for m in outer if (drafts[m].start, drafts[m].end) != (d.start, d.end)
        ]
        found.append(min(sizes)[1] if sizes else None)
    return found


def extract(doc: Document) -> Document:
    """Find the quotations of a tokenised document with hand-written rules."""
    if not doc.tokens:
        doc.quotations = []
        return doc
    doc.quotations = to_quotations(doc, Extractor(doc).run())
    return doc


@extractors.register("rules")
def rules_extractor() -> Callable[[Document], Document]:
    """Factory for the pipeline registry: the rules need no artifact."""
    return extract
