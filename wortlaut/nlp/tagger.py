"""Linguistic pre-processing: SoMaJo tokens and sentences, HanTa POS, lemma and verb mood.

Both tools ship their own data, so nothing is downloaded at run time. Text is processed paragraph by
paragraph, which keeps memory flat for very long articles.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .. import settings
from ..document import Document, Token
from . import hanta_patches
from .lexicon_file import LEXICON_FILE, Memo, MemoKey, MemoValue, load_lexicon

if TYPE_CHECKING:  # both load their data on import: imported where first used
    from HanTa.HanoverTagger import HanoverTagger
    from somajo import SoMaJo

_PARAGRAPH = re.compile(r"\n\s*\n")
_UMLAUT = str.maketrans("äöü", "aou")
_KONJ1_ALWAYS = {"sei", "seien", "seiest", "seist", "seiet"}
_PAST_E = {"wurde", "wurden", "war", "waren"}
_UMLAUT_MODALS = {"müssen", "können", "dürfen", "mögen"}
#: Runs of non-space characters longer than this (URLs with long queries, encoded data, drawn lines of dashes)
#: become one token with a fixed analysis, never seen by SoMaJo's patterns or HanTa's morpheme lattice: both
#: slow down worse than linearly on them (2,000 dashes took a minute in HanTa, 50,000 minutes in SoMaJo). No
#: real word comes near it: German compounds stay under 80 characters, and the longest token of the annotated
#: corpus is a 91-character URL, so normal articles are tokenised and tagged exactly as before.
MAX_TOKEN_CHARS = 100
#: The fixed analysis of an over-long token: STTS 'XY' (non-word), its lemma the token itself, no mood.
LONG_TOKEN_POS = "XY"
_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
#: What SoMaJo sees in place of an over-long run: a plain word it keeps as one token.
_STAND_IN = "Langtoken"
#: Precomputed word analyses of the training vocabulary (built by `wortlaut train`), so a fresh process starts warm.
TAGGER_LEXICON = settings.MODEL_DIR / LEXICON_FILE


@lru_cache(maxsize=1)
def somajo() -> SoMaJo:
    from somajo import SoMaJo

    tokenizer = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)
    hanta_patches.install_somajo(tokenizer._tokenizer)
    return tokenizer


class MemoTagger:
    """HanTa with memoised word analyses.

    HanTa re-analyses every word it has not precomputed, once for the tag candidates and once more
    for the lemma, which is most of the analysis time; news vocabulary repeats, so remembering both
    per word form makes tagging several times faster with identical output. A lexicon file (see
    wortlaut.tagger_lexicon) pre-fills the memos, because a word's first analysis costs milliseconds.
    """

    #: Entries a memo may learn at run time beyond the lexicon's before it forgets what it learnt.
    MAX_ENTRIES = 500_000
    #: Per word form: tag candidates and lemmas; per lower-cased word: the two lattice searches behind them.
    MEMOS = ("candidates", "lemmas", "forwards", "paths")
    #: The arguments tag_sent_viterbi gives _tag_word besides the word and its case sensitivity.
    CUTOFF, CONDITIONAL = 5, True

    def __init__(self, tagger: HanoverTagger, lexicon: Path | None = None, max_entries: float = MAX_ENTRIES) -> None:
        self.tagger = tagger
        self.max_entries = max_entries
        loaded = load_lexicon(lexicon) if lexicon is not None else {}
        self._memos: dict[str, Memo] = {name: loaded.get(name, {}) for name in self.MEMOS}
        self._lexicon_sizes = {name: len(memo) for name, memo in self._memos.items()}
        self._tag_word = tagger._tag_word

        def remembered(word: str, cutoff: int = 5, casesensitive: bool = True, conditional: bool = False) -> MemoValue:
            if len(word) > MAX_TOKEN_CHARS:
                return []  # HanTa's unknown-word case: the sentence context alone picks the neighbours' tags
            key = (word, cutoff, casesensitive, conditional)
            return self._remember("candidates", key, lambda: self._tag_word(*key))

        tagger._tag_word = remembered  # tag_sent_viterbi looks it up on the instance
        self._remember_analyses(tagger)

    def _remember_analyses(self, tagger: HanoverTagger) -> None:
        """Memoise the two lattice searches too: they see the word lower-cased, so a capitalised and a
        lower-case form (sentence start, nominalisation) of a word missing from the lexicon share one search."""
        forward, viterbi = tagger.analyze_forward, tagger.analyze_viterbi
        tagger.analyze_forward = lambda word: self._remember("forwards", word, lambda: forward(word))
        tagger.analyze_viterbi = lambda word, pos: self._remember("paths", (word, pos), lambda: viterbi(word, pos))

    def memo(self) -> dict[str, Memo]:
        """All memos, in the form a lexicon file holds them."""
        return self._memos

    def _remember(self, name: str, key: MemoKey, compute: Callable[[], MemoValue]) -> MemoValue:
        """The memoised value for key; a full memo forgets what it learnt rather than growing without bound."""
        memo = self._memos[name]
        found = memo.get(key)
        if found is None:
            if len(memo) > self._lexicon_sizes[name] + self.max_entries:
                self._forget_learnt(name)
            found = memo[key] = compute()
        return found

    def _forget_learnt(self, name: str) -> None:
        """Keep only the lexicon's entries, which were inserted first."""
        memo = self._memos[name]
        kept = dict(islice(memo.items(), self._lexicon_sizes[name]))
        memo.clear()
        memo.update(kept)

    def prepare(self, word: str) -> None:
        """Run the lattice searches that tagging `word` would need wherever it stands, and memoise only them.

        HanTa looks a word up lower-cased, but which tags survive its cutoff, and so which lemma paths
        are searched, depends on whether the word is capitalised and whether it starts the sentence. The
        per-form candidates and lemmas are left out: from memoised searches they cost microseconds.
        """
        capitalised = word[:1].upper() + word[1:]
        for form, casesensitive in ((word, False), (word, True), (capitalised, True)):
            for tag, _ in self._tag_word(form, self.CUTOFF, casesensitive, self.CONDITIONAL):
                if tag != hanta_patches.UNKNOWN:  # an unknown word may take any tag; no search to foresee
                    self.tagger._analyze(form, tag, taglevel=1)

    def lemma(self, word: str, tag: int) -> str:
        # the "lemmas" memo holds strings only: HanTa's lemmas and the lexicon's; looked up directly first, as
        # nearly every word's lemma is known and this runs once per token
        found = self._memos["lemmas"].get((word, tag))
        if found is None:
            found = self._remember("lemmas", (word, tag), lambda: self.tagger._analyze(word, tag, taglevel=1)[0])
        return cast(str, found)

    def tag_sent(self, words: list[str]) -> list[tuple[str, str, str]]:
        """(word, lemma, STTS tag) per word, as HanTa's tag_sent(taglevel=1) gives; an over-long word gets the
        fixed analysis (LONG_TOKEN_POS, itself as lemma) without a lattice search."""
        tags = self.tagger.tag_sent_viterbi(words, True)
        int2tag = self.tagger.int2tag
        return [
            (w, w, LONG_TOKEN_POS) if len(w) > MAX_TOKEN_CHARS else (w, self.lemma(w, t), int2tag[t])
            for w, t in zip(words, tags)
        ]


def hanover_tagger() -> HanoverTagger:
    from HanTa import HanoverTagger as ht

    tagger = ht.HanoverTagger("morphmodel_ger.pgz")
    hanta_patches.install_hanta(tagger)
    return tagger


@lru_cache(maxsize=1)
def hanta() -> MemoTagger:
    return MemoTagger(hanover_tagger(), TAGGER_LEXICON if TAGGER_LEXICON.is_file() else None)


def verb_mood(form: str, lemma: str, pos: str) -> str:
    """Konjunktiv I/II from the finite verb form; the distinction drives indirect speech.

    German marks Konjunktiv I on 3rd person singular with a bare -e (habe, werde, müsse) and on
    'sein' everywhere (sei, seien); Konjunktiv II with an umlaut the lemma lacks (hätte, wäre, müsste).
    """
    if "FIN" not in pos:
        return ""
    low = form.lower()
    if low in _KONJ1_ALWAYS:
        return "konj1"
    lem = lemma.lower()
    if any(c in low for c in "äöü") and not any(c in lem for c in "äöü") and low.translate(_UMLAUT)[:2] == lem[:2]:
        return "konj2"
    if lem in _UMLAUT_MODALS and any(c in low for c in "äöü") and re.search(r"te(n|st|t)?$", low):
        return "konj2"
    if low.endswith("würde") or low.endswith("würden"):
        return "konj2"
    if low.endswith("e") and not low.endswith("te") and low not in _PAST_E and len(low) > 2:
        return "konj1"
    return "ind"


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) pairs; blank lines separate paragraphs, single newlines do not."""
    start = 0
    for match in _PARAGRAPH.finditer(text):
        if match.start() > start:
            yield start, text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


class LongRuns:
    """A paragraph with its over-long runs of non-space characters replaced by a stand-in word for SoMaJo,
    and the way back from offsets in that text to offsets in the paragraph."""

    def __init__(self, para: str) -> None:
        parts: list[str] = []
        self.runs: list[tuple[int, int, int]] = []  # (start in the masked text, start and end in the paragraph)
        last = shift = 0
        for match in _LONG_RUN.finditer(para):
            parts += [para[last : match.start()], _STAND_IN]
            self.runs.append((match.start() - shift, match.start(), match.end()))
            shift += match.end() - match.start() - len(_STAND_IN)
            last = match.end()
        self.masked = "".join(parts) + para[last:]
        self._starts = [masked for masked, _, _ in self.runs]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Paragraph offsets of a token found at start..end of the masked text."""
        k = bisect_right(self._starts, start) - 1
        if k < 0:
            return start, end
        masked, run_start, run_end = self.runs[k]
        if start == masked:
            return run_start, run_end
        shift = run_end - (masked + len(_STAND_IN))
        return start + shift, end + shift


def tokenize(doc: Document, tagger: MemoTagger | None = None) -> Document:
    """Fill doc.tokens and doc.sentences; token offsets index doc.text exactly.

    `tagger` defaults to the shared hanta(); building the lexicon passes a fresh one so its memos hold
    only what the given texts need.
    """
    tokens: list[Token] = []
    sentences: list[tuple[int, int]] = []
    tagger = tagger or hanta()
    for offset, para in paragraphs(doc.text):
        if not para.strip():
            continue
        long_runs = LongRuns(para)
        for sentence in somajo().tokenize_text([long_runs.masked]):
            words = [t for t in sentence if t.character_offset is not None and t.text.strip()]
            if not words:
                continue
            bounds = [long_runs.original(*w.character_offset) for w in words]
            texts = [
                para[start:end] if end - start > MAX_TOKEN_CHARS else w.text for w, (start, end) in zip(words, bounds)
            ]
            tags = tagger.tag_sent(texts)
            sent_id = len(sentences)
            for word, (start, end), (text, lemma, pos) in zip(words, bounds, tags):
                tokens.append(
                    Token(
                        i=len(tokens),
                        start=offset + start,
                        end=offset + end,
                        text=doc.text[offset + start : offset + end],
                        sent=sent_id,
                        pos=pos,
                        lemma=lemma,
                        mood=verb_mood(text, lemma, pos),
                        space_after=bool(word.space_after),
                    )
                )
            sentences.append((tokens[-len(words)].start, tokens[-1].end))
    doc.tokens, doc.sentences = tokens, sentences
    return doc
