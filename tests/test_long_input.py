"""Very long input: over-long tokens get a fixed analysis without SoMaJo or HanTa seeing them, a long article
analysed in pieces finds what its pieces find, and the functions rewritten to be linear in the article's
length agree with the plain definitions they replace."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from wortlaut import nlp
from wortlaut.bench.long import long_article
from wortlaut.document import Document, Quotation
from wortlaut.extract import rules
from wortlaut.extract.features import CueLexicon, matching_rule, role_window, view
from wortlaut.nlp import tagger as nlp_tagger
from wortlaut.pipeline import analyse_article as analyse
from wortlaut.pipeline import load_pipeline, pieces

LONG_WORD = "-" * 50_000
ARTICLE = (
    "„Wir werden das Stadion nicht verkaufen“, sagte Bürgermeisterin Anna Keller am Montag. Der Stadtrat habe "
    "längst entschieden, erklärte sie. Laut Kämmerer Jörg Brandt fehlen trotzdem zwei Millionen Euro.\n\n"
    "Gewerkschaftschef Markus Vogel warnte, die Beschäftigten seien am Ende ihrer Kräfte. Die Verwaltung "
    "kritisierte er scharf: „So kann es nicht weitergehen.“\n\n"
    "Vogel sagte, der Senat habe von einem „Missverständnis“ gesprochen. Man werde die Lage genau prüfen."
)


def counting(calls: list[Any], function: Callable) -> Callable:
    """`function`, noting its first argument on every call."""

    def counted(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(first)
        return function(first, *args, **kwargs)

    return counted


def test_an_over_long_token_gets_the_fixed_analysis_unseen_by_somajo_and_hanta(monkeypatch: pytest.MonkeyPatch) -> None:
    tagger, somajo = nlp.MemoTagger(nlp.hanover_tagger()), nlp.somajo()  # no lexicon: every word reaches HanTa
    tagged: list[Any] = []
    analysed: list[Any] = []
    segmented: list[Any] = []
    monkeypatch.setattr(tagger, "_tag_word", counting(tagged, tagger._tag_word))
    monkeypatch.setattr(tagger.tagger, "_analyze", counting(analysed, tagger.tagger._analyze))
    monkeypatch.setattr(somajo, "tokenize_text", counting(segmented, somajo.tokenize_text))
    text = f"Er sagte, man müsse {LONG_WORD} löschen.\n\n{LONG_WORD}"

    doc = nlp.tokenize(Document(text=text), tagger)

    long_tokens = [t for t in doc.tokens if t.text == LONG_WORD]
    assert [(t.start, t.pos, t.lemma, t.mood) for t in long_tokens] == [
        (text.index(LONG_WORD), "XY", LONG_WORD, ""),
        (text.rindex(LONG_WORD), "XY", LONG_WORD, ""),
    ]
    assert [t.text for t in doc.tokens[:6]] == ["Er", "sagte", ",", "man", "müsse", LONG_WORD]
    assert [t.pos for t in doc.tokens[:2]] == ["PPER", "VV(FIN)"]
    assert all(t.text == text[t.start : t.end] for t in doc.tokens)
    assert {"sagte", "müsse"} <= set(tagged) & set(analysed)
    assert not any(len(word) > nlp_tagger.MAX_TOKEN_CHARS for word in tagged + analysed)
    assert segmented and not any(LONG_WORD in para for paras in segmented for para in paras)


def test_a_token_of_exactly_the_limit_is_still_tagged_by_hanta() -> None:
    word = "x" * nlp_tagger.MAX_TOKEN_CHARS
    doc = nlp.tokenize(Document(text=f"Er schrieb {word} hin."))
    assert [t.text for t in doc.tokens] == ["Er", "schrieb", word, "hin", "."]
    assert nlp.hanta().tagger._tag_word(word)  # HanTa itself analysed it (the fixed analysis has no candidates)


def quotation_facts(doc: Document, quotations: list[Quotation]) -> list[tuple]:
    """What a quotation says, read back from the article at its offsets (so wrong offsets show)."""
    return sorted(
        (q.type, tuple((s.start, s.end, doc.text[s.start : s.end]) for s in q.quote), tuple(s.text for s in q.speaker))
        for q in quotations
    )


def test_a_long_article_yields_the_quotations_of_its_pieces() -> None:
    pipeline = load_pipeline()
    text = long_article(6_000)
    whole = analyse(Document(text=text, id="long"), pipeline, piece_chars=2_000)
    expected: list[Quotation] = []
    ranges = list(pieces(text, 2_000))
    for start, end in ranges:
        part = pipeline(Document(text=text[start:end]))
        for q in part.quotations:
            for name in ("quote", "speaker"):
                setattr(q, name, [type(s)(s.start + start, s.end + start, s.text) for s in q.part(name)])
            expected.append(q)

    assert len(ranges) >= 3
    assert whole.quotations and quotation_facts(whole, whole.quotations) == quotation_facts(whole, expected)


def plain_matching_rule(doc: Document, rules_found: list[Quotation], quote_ids: set[int]) -> Quotation | None:
    """matching_rule as first written: every rule quotation's overlap counted for every quotation."""
    best, best_overlap = None, 0
    for q in rules_found:
        overlap = len(quote_ids.intersection(doc.token_ids(q.quote)))
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    return best


def test_matching_rule_and_role_window_agree_with_their_plain_definitions() -> None:
    doc = nlp.tokenize(Document(text=ARTICLE))
    v = view(doc, CueLexicon())
    assert len(v.rules) >= 4
    stretches = [set(doc.token_ids(r.quote)) for r in v.rules] + [set(ids) for ids in v.sentences]
    stretches += [{i, i + 1} for i in range(0, len(doc.tokens) - 1, 3)]
    for ids in stretches:
        assert matching_rule(doc, v, ids) is plain_matching_rule(doc, v.rules, ids)
        sents = [doc.tokens[i].sent for i in ids]
        plain_window = [t.i for t in doc.tokens if min(sents) - 1 <= t.sent <= max(sents) + 1]
        assert role_window(doc, v, sorted(ids)) == plain_window


def plain_innermost(drafts: list[rules.Draft]) -> list[int | None]:
    """to_quotations' nesting as first written: every other draft tried for every draft."""
    found: list[int | None] = []
    for n, d in enumerate(drafts):
        best = None
        for m, od in enumerate(drafts):
            if (
                m != n
                and any(s <= d.start and d.end <= e for s, e in od.quote)
                and (od.start, od.end) != (d.start, d.end)
                and (best is None or od.end - od.start < drafts[best].end - drafts[best].start)
            ):
                best = m
        found.append(best)
    return found


def random_ranges(rng: random.Random, count: int) -> list[tuple[int, int]]:
    starts = [rng.randrange(200) for _ in range(count)]
    return [(s, s + rng.randrange(1, 60)) for s in starts]


def test_nesting_and_range_checks_agree_with_their_plain_definitions() -> None:
    rng = random.Random(16)
    for _ in range(200):
        drafts = [
            rules.Draft("Direct", "Speech", random_ranges(rng, rng.randint(1, 2))) for _ in range(rng.randint(1, 12))
        ]
        assert rules.innermost_containers(drafts) == plain_innermost(drafts)

        spans = random_ranges(rng, rng.randint(0, 8))
        marks = rules.Ranges(spans)
        for start, end in random_ranges(rng, 20):
            assert marks.covers(start, end) == any(s <= start and end <= e for s, e in spans)
            assert marks.strictly_covers(start, end) == any(s < start and end < e for s, e in spans)
            assert sorted(marks.around(start, end)) == sorted(r for r in spans if r[0] <= start and end <= r[1])
            assert marks.starting_in(start, end) == sorted(r for r in spans if start <= r[0] <= end)
