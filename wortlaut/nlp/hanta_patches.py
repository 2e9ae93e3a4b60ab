"""Faster, output-identical replacements for HanTa's lattice searches and SoMaJo's emoji pass and offsets.

HanTa analyses a word it has not precomputed by a Viterbi search over every segment of the word and
every morpheme tag that may follow the current state; its inner loop calls a method per (state, segment,
tag), although the morpheme score does not depend on the state and is minus infinity for most pairs.
The searches below score each (start, tag) column once per row and walk only the finite scores. They
visit the lattice cells in an order that inserts into every table row in the same order as HanTa does,
and add the same floats in the same order, so scores, tie-breaking and therefore tags and lemmas are
identical (tests/nlp/test_nlp.py and scripts comparing train and dev tokenisations check this). The
sentence-level Viterbi expands each state only by the tags the word can take, in HanTa's order; SoMaJo's
offsets of plain NFC text are found without its character alignment tables.
Written against HanTa 1.2.1 and SoMaJo 2.5; `install` refuses other versions and leaves them alone.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from functools import partial
from importlib.metadata import version
from operator import itemgetter
from typing import Any

import regex

HANTA_VERSION = "1.2.1"
SOMAJO_VERSION = "2.5.0"
EMPTY, START, END, UNKNOWN, END_UNKNOWN = 0, 1, 2, 3, -3
LOWER_BOUND = -1e6
WHOLE_WORD_PENALTY = 4.6  # HanTa's penalty for guessing the whole word as one unknown morpheme
_INF = math.inf
#: Every character SoMaJo's emoji pass looks for; a text without any of them has no emoji to split off.
_EMOJI_CHAR = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]")
#: What SoMaJo's offset search reads as a space (its `regex` module's \s, so the same characters).
_WHITESPACE = regex.compile(r"\s")

#: A lattice state: the last two morpheme tags.
State = tuple[int, int]
Lattice = list[dict[State, float]]
Column = list[tuple[int, float]]
#: Per lattice row: the (state, row) each state of that row was reached from.
Backpointers = list[dict[State, tuple[State, int]]]


class MorphemeScores:
    """HanTa's morpheme scores log p(segment | tag), arranged for the lattice searches.

    `known` inverts HanTa's per-tag morpheme tables so one lookup per segment finds every tag that has
    seen it; `base` pre-adds the constant part of an unseen morpheme's score in HanTa's float order.
    """

    def __init__(self, tagger: Any) -> None:
        self.known: dict[str, list[tuple[int, float]]] = {}
        for tag, morphemes in tagger.LP_m_t.items():
            for morpheme, lp in morphemes.items():
                self.known.setdefault(morpheme, []).append((tag, lp))
        self.guessable = {t for t in tagger.LP_hapax_t if t in tagger.LP_s_t}
        self.suffixes = {t: tagger.LP_s_t[t] for t in self.guessable}
        self.base = {t: [tagger.Int_t + tagger.LP_hapax_t[t] + lp for lp in tagger.LP_len_t[t]] for t in self.guessable}

    def for_word(self, word: str, strict: bool) -> Callable[[int, int], Column]:
        """column(i, tag): the finite (end, score of word[i:end] under tag) pairs, ends ascending."""
        wlen = len(word)
        known_from: dict[int, dict[int, dict[int, float]]] = {}
        suffix_scores: dict[tuple[int, int, int], float] = {}
        long_suffix_rows: dict[int, list[float]] = {}

        def known(i: int) -> dict[int, dict[int, float]]:
            """tag -> {end: score} of the seen morphemes that start at i."""
            found = known_from.get(i)
            if found is None:
                found = known_from[i] = {}
                for j in range(i + 1, wlen + 1):
                    for tag, lp in self.known.get(word[i:j], ()):
                        found.setdefault(tag, {})[j] = lp
            return found

        def suffix_score(t: int, j: int, mlen: int) -> float:
            """Score of the longest ending (up to 4, shorter than the morpheme) the tag has seen, as HanTa picks it."""
            key = (t, j, min(mlen, 5))
            lp_suf = suffix_scores.get(key)
            if lp_suf is None:
                lp_s = self.suffixes[t]
                for n in (4, 3, 2, 1):
                    if mlen > n and word[j - n : j] in lp_s:
                        lp_suf = lp_s[word[j - n : j]]
                        break
                else:
                    lp_suf = lp_s[""]
                suffix_scores[key] = lp_suf
            return lp_suf

        def long_suffix_scores(t: int) -> list[float]:
            """suffix_score by end for morphemes of 5 or more characters (the common case): all four endings
            are shorter than the morpheme, so the score depends on the end alone."""
            row = long_suffix_rows.get(t)
            if row is None:
                row = long_suffix_rows[t] = [0.0] * (wlen + 1)
                for end in range(5, wlen + 1):
                    row[end] = suffix_score(t, end, 5)
            return row

        def column(i: int, t: int) -> Column:
            seen = known(i).get(t, {})
            if strict or t not in self.guessable:
                return list(seen.items())
            base = self.base[t]
            long_suffix = long_suffix_scores(t)
            shortest = 1 if wlen < 4 else 3  # a guessed morpheme of a longer word has more than 2 characters
            found = [(j, lp) for j, lp in seen.items() if j - i < shortest]
            for j in range(i + shortest, wlen + 1):
                lp = seen.get(j)
                if lp is None:
                    mlen = j - i
                    if mlen < 5:
                        lp = base[mlen] + suffix_score(t, j, mlen)
                    else:
                        lp = base[mlen if mlen < 24 else 24] + long_suffix[j]
                    if wlen == mlen:
                        lp -= WHOLE_WORD_PENALTY
                found.append((j, lp))
            return found

        return column


def row_bound(row: dict[State, float], keep: int) -> float:
    """HanTa's beam: states more than 1 below the (keep+1)-th best are not expanded."""
    return sorted(row.values(), reverse=True)[keep] - 1 if len(row) > keep else LOWER_BOUND


def fill_lattice(
    tagger: Any, word: str, strict: bool, allowed: frozenset[int] | None, backpointer: Backpointers | None
) -> Lattice:
    """The morpheme lattice of `word` up to its last character (HanTa's inner loop, reordered per state)."""
    wlen = len(word)
    nonfinal = tagger.LP_trans_nonfinal
    column = tagger.morpheme_scores.for_word(word, strict)
    table: Lattice = [{(EMPTY, START): 0.0}] + [{} for _ in range(wlen + 1)]
    for i in range(wlen + 1):
        row = table[i]
        bound = row_bound(row, 3)
        columns: dict[int, Column] = {}
        for state, lp in row.items():
            if lp < bound:
                continue
            prev = state[1]
            for tag1, lpt in nonfinal.get(state, ()):
                if allowed is not None and tag1 not in allowed:
                    continue
                scores = columns.get(tag1)
                if scores is None:
                    scores = columns[tag1] = column(i, tag1)
                base = lp + lpt
                newstate = (prev, tag1)
                for j, lpm in scores:
                    lp1 = base + lpm
                    if lp1 > LOWER_BOUND:
                        cell = table[j]
                        old = cell.get(newstate)
                        if old is None or lp1 > old:
                            cell[newstate] = lp1
                            if backpointer is not None:
                                backpointer[j][newstate] = (state, i)
    return table


def analyze_forward(tagger: Any, word: str) -> list[tuple[int, float]]:
    """HanTa's analyze_forward: (POS tag, log probability) candidates of a word, best first.

    Summed probabilities are the same doubles as HanTa's, but Python floats rather than numpy scalars:
    a tagger lexicon (wortlaut.tagger_lexicon) of them loads faster, without a numpy call per value.
    """
    from numpy import logaddexp

    table = fill_lattice(tagger, word, tagger.strict, None, None)
    final = table[-1]
    for state, lp in table[-2].items():
        for tag1, lpt in tagger.LP_trans_final.get(state, ()):
            lp1 = lp + lpt
            if lp1 > LOWER_BOUND:
                newstate = (state[1], tag1)
                if newstate not in final or lp1 > final[newstate]:
                    final[newstate] = lp1
    results: dict[int, float] = {}
    for state, lp in final.items():
        if lp == -_INF:
            continue
        pos = -state[1]
        results[pos] = float(logaddexp(results[pos], lp)) if pos in results else lp
    result_list = sorted(results.items(), key=itemgetter(1), reverse=True)
    return result_list or [(UNKNOWN, 0)]


def analyze_viterbi(tagger: Any, word: str, targetpos: int) -> list[tuple[int, int]]:
    """HanTa's analyze_viterbi: the best (morpheme tag, end) path of a word with a known POS."""
    wlen = len(word)
    reachable = tagger.reachability.get(targetpos, frozenset())
    for localstrict in (True, False):
        backpointer: Backpointers = [{} for _ in range(wlen + 2)]
        table = fill_lattice(tagger, word, localstrict, reachable, backpointer)
        final = table[-1]
        for state, lp in table[-2].items():
            for tag1, lpt in tagger.LP_trans_final.get(state, ()):
                if tag1 == targetpos:
                    lp1 = lp + lpt
                    if lp1 > LOWER_BOUND:
                        newstate = (state[1], tag1)
                        if newstate not in final or lp1 > final[newstate]:
                            final[newstate] = lp1
                            backpointer[-1][newstate] = (state, wlen)
                    break
        if final:
            break
    pmax, beststate = -_INF, (EMPTY, EMPTY)
    for state, lp in final.items():
        if lp > pmax:
            pmax, beststate = lp, state
    i = len(backpointer) - 1
    if beststate == (EMPTY, EMPTY):
        states = [((UNKNOWN, END_UNKNOWN), i), ((START, UNKNOWN), i - 1)]
    else:
        states = [(beststate, i)]
        state = beststate
        while i > 0:
            state, i = backpointer[i][state]
            states.append((state, i))
        states = states[:-1]
    return [(state[1], i) for (state, i) in states[::-1]]


class SentenceViterbi:
    """HanTa's tag_sent_viterbi, expanding each state only by the tags the word can take.

    HanTa walks every transition of a state (about 56) for every word and skips those the word cannot take
    (mostly all but one to three). Every state's transition table lists the tags in one common order, so
    here the word's own tags are put in that order once per word and looked up in each state's table: rows
    fill in the same order with the same sums, and ties break as in HanTa.
    """

    def __init__(self, tagger: Any, order: dict[int, int]) -> None:
        self.tagger = tagger
        self.order = order

    @staticmethod
    def common_order(tagger: Any) -> dict[int, int] | None:
        """Rank of each tag in the order every transition table follows (tags ranked as first seen); None when
        a table does not follow it, and HanTa's own search has to walk each table."""
        order: dict[int, int] = {}
        for transitions in tagger.LP_trans_word.values():
            for c in transitions:
                order.setdefault(c, len(order))
        for transitions in tagger.LP_trans_word.values():
            ranks = [order[c] for c in transitions]
            if ranks != sorted(ranks):
                return None
        return order

    def _word_tags(self, word: str, casesensitive: bool) -> list[tuple[int, float]] | None:
        """The (tag, score) pairs the word can take, in the transition tables' order; None when any tag may
        follow (an unknown word)."""
        wprobs = self.tagger._tag_word(word, cutoff=5, casesensitive=casesensitive, conditional=True)
        scores = dict(wprobs)
        if not scores or (len(scores) == 1 and UNKNOWN in scores):
            return None
        return sorted(((c, p) for c, p in scores.items() if c != END), key=lambda cp: self.order.get(cp[0], -1))

    def __call__(self, sent: list[str], casesensitive: bool = True) -> list[int]:
        trans = self.tagger.LP_trans_word
        backpointer: list[dict[State, State]] = []
        prevrow: dict[State, float] = {(EMPTY, START): 0.0}
        for i, word in enumerate(sent):
            tags = self._word_tags(word, casesensitive and i > 0)
            row: dict[State, float] = {}
            back: dict[State, State] = {}
            bound = row_bound(prevrow, 5)
            for state, lp0 in prevrow.items():
                if lp0 < bound:
                    continue
                transitions = trans[state]
                if tags is None:
                    successors = [(c, lp_tc, 0.0) for c, lp_tc in transitions.items() if c != END]
                else:
                    successors = [(c, transitions[c], lpwc) for c, lpwc in tags if c in transitions]
                for c, lp_tc, lpwc in successors:
                    lp = lp0 + lp_tc + lpwc
                    if lp > LOWER_BOUND:
                        newstate = (state[1], c)
                        if newstate not in row or lp > row[newstate]:
                            row[newstate] = lp
                            back[newstate] = state
            backpointer.append(back)
            prevrow = row
        best, state = -_INF, (EMPTY, EMPTY)
        for last, lp0 in prevrow.items():
            lp = lp0 + trans[last].get(END, -_INF)
            if lp > best:
                best, state = lp, last
        tags_out = []
        for back in reversed(backpointer):
            tags_out.append(state[1])
            state = back[state]
        return tags_out[::-1]


def install_hanta(tagger: Any) -> bool:
    """Route this HanTa instance's word analyses through the searches above (False: other HanTa version)."""
    if version("HanTa") != HANTA_VERSION:
        return False
    tagger.morpheme_scores = MorphemeScores(tagger)
    tagger.analyze_forward = partial(analyze_forward, tagger)
    tagger.analyze_viterbi = partial(analyze_viterbi, tagger)
    order = SentenceViterbi.common_order(tagger)
    if order is not None:  # else HanTa's own sentence search stays
        tagger.tag_sent_viterbi = SentenceViterbi(tagger, order)
    return True


def plain_offsets(tokens: list[Any], raw: str) -> list[tuple[int, int]] | None:
    """SoMaJo's _determine_offsets for the usual case, where each token stands right at the search position or
    after spaces (`raw` with whitespace already made spaces); None for a token it has to search for
    character by character, an empty one, or markup.

    SoMaJo compiles its whitespace pattern again and copies the rest of the text for every token.
    """
    offsets = []
    at = 0
    for token in tokens:
        if token.markup:
            return None
        text = _WHITESPACE.sub(" ", token.text if token.original_spelling is None else token.original_spelling)
        start = at
        while raw.startswith(" ", start):
            start += 1
        if not text or text[0] == " " or not raw.startswith(text, start):
            return None
        at = start + len(text)
        offsets.append((start, at))
    return offsets


def faster_token_offsets(somajo_token_offsets: Callable[..., list[tuple[int, int]]]) -> Callable[..., Any]:
    """SoMaJo's token_offsets, which first aligns the text with its NFC form character by character in dicts:
    for plain text already in NFC that alignment is the identity, so the offsets are found directly."""

    def token_offsets(
        token_list: list[Any], raw: str, position: int, xml_input: bool, tokens: list[Any]
    ) -> list[tuple[int, int]]:
        offsets = None
        if not xml_input and unicodedata.is_normalized("NFC", raw):
            offsets = plain_offsets(tokens, _WHITESPACE.sub(" ", raw))
        if offsets is None:
            return somajo_token_offsets(token_list, raw, position, xml_input, tokens)
        return [(start + position, end + position) for start, end in offsets]

    token_offsets.somajo_token_offsets = somajo_token_offsets  # type: ignore[attr-defined]  # the original, kept for tests
    return token_offsets


def install_somajo(tokenizer: Any) -> bool:
    """Skip SoMaJo's per-character emoji scan on text that has no emoji character at all, and find the offsets
    of plain NFC text without its alignment tables (False: other version).

    SoMaJo runs two regex searches per grapheme of every token; a token without any character of the
    emoji classes yields no split, so the scan's result is known without running it. Its module-level
    token_offsets is replaced once per process (every SoMaJo instance calls it through the module).
    """
    if version("SoMaJo") != SOMAJO_VERSION:
        return False
    from somajo import alignment

    split_emojis = tokenizer._split_emojis

    def split_emojis_if_any(node: Any, token_class: str = "emoticon") -> None:
        if _EMOJI_CHAR.search(node.value.text):
            split_emojis(node, token_class)

    tokenizer._split_emojis = split_emojis_if_any
    if not hasattr(alignment.token_offsets, "somajo_token_offsets"):
        alignment.token_offsets = faster_token_offsets(alignment.token_offsets)
    return True
