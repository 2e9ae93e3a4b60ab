"""The tagger lexicon: a process that loads it tags exactly like one that analyses every word itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from wortlaut import nlp
from wortlaut.document import Document
from wortlaut.training.tagger_lexicon import LEXICON_FILE, build_lexicon, common_words, save_lexicon, write_lexicon

TEXTS = [
    "„Wir werden das prüfen“, sagte die Ministerin am Dienstag in Berlin.",
    "Der Sprecher erklärte, man habe keine Kenntnis von den Vorwürfen.\n\nEr wäre gern gekommen.",
]
UNSEEN = "Die Gewerkschaft kündigte Warnstreiks an, sie fordere acht Prozent mehr Lohn."
COMMON = (
    "Grosse Familie, sagte er. Große Sorgen hätten sie nicht. Ausserdem: DASS die Polizei es wisse, weiß jeder. "
    "Spielen, spielen."
)


def analysis(text: str, tagger: nlp.MemoTagger) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.pos, t.lemma, t.mood) for t in nlp.tokenize(Document(text=text), tagger).tokens]


def test_lexicon_changes_no_token_pos_or_lemma(tmp_path: Path) -> None:
    save_lexicon(build_lexicon(TEXTS), tmp_path / LEXICON_FILE)
    warm = nlp.MemoTagger(nlp.hanover_tagger(), tmp_path / LEXICON_FILE)
    cold = nlp.MemoTagger(nlp.hanover_tagger())
    for text in [*TEXTS, UNSEEN]:
        assert analysis(text, warm) == analysis(text, cold)


def test_lexicon_covers_every_analysis_its_texts_need(tmp_path: Path) -> None:
    save_lexicon(build_lexicon(TEXTS), tmp_path / LEXICON_FILE)
    warm = nlp.MemoTagger(nlp.hanover_tagger(), tmp_path / LEXICON_FILE)
    before = {name: set(memo) for name, memo in warm.memo().items()}
    for text in TEXTS:
        analysis(text, warm)
    assert {name: set(memo) for name, memo in warm.memo().items()} == before
    analysis(UNSEEN, warm)
    # UNSEEN's words the texts lack ("die" they have, but never opening a sentence); punctuation is not memoised
    unseen = [
        "Die",
        "Gewerkschaft",
        "Lohn",
        "Prozent",
        "Warnstreiks",
        "acht",
        "an",
        "fordere",
        "kündigte",
        "mehr",
        "sie",
    ]
    for name in ("candidates", "lemmas"):
        assert sorted(key[0] for key in set(warm.memo()[name]) - before[name]) == unseen


def test_lexicon_of_common_words_changes_no_token_pos_or_lemma(tmp_path: Path) -> None:
    """Prepared words are memoised for every case and sentence position; text unlike the training texts
    (sentence-initial, capitalised, ß) meets those memos and must tag as if analysed afresh."""
    words = common_words(400)
    save_lexicon(build_lexicon([], words), tmp_path / LEXICON_FILE)
    warm = nlp.MemoTagger(nlp.hanover_tagger(), tmp_path / LEXICON_FILE)
    assert "große" in words and len(warm.memo()["paths"]) > len(words)
    cold = nlp.MemoTagger(nlp.hanover_tagger())
    for text in [*TEXTS, UNSEEN, COMMON]:
        assert full_analysis(nlp.tokenize(Document(text=text), warm)) == full_analysis(
            nlp.tokenize(Document(text=text), cold)
        )


def test_a_full_memo_forgets_only_what_it_learnt(tmp_path: Path) -> None:
    save_lexicon(build_lexicon(TEXTS), tmp_path / LEXICON_FILE)
    bounded = nlp.MemoTagger(nlp.hanover_tagger(), tmp_path / LEXICON_FILE, max_entries=2)
    lexicon = {name: dict(memo) for name, memo in bounded.memo().items()}
    assert {name: len(memo) for name, memo in lexicon.items()} == {
        "candidates": 29,
        "lemmas": 29,
        "forwards": 2,
        "paths": 22,
    }
    analysis(UNSEEN, bounded)
    for name, memo in bounded.memo().items():
        assert len(memo) <= len(lexicon[name]) + 3  # at most max_entries learnt, plus the one that overflowed
        assert {key: memo[key] for key in lexicon[name]} == lexicon[name]


def test_write_lexicon_goes_to_the_given_directory_reproducibly(tmp_path: Path, annotated_dir: Path) -> None:
    first = write_lexicon(annotated_dir / "train.jsonl", tmp_path / "a", limit=1)
    second = write_lexicon(annotated_dir / "train.jsonl", tmp_path / "b", limit=1)
    assert first == tmp_path / "a" / LEXICON_FILE
    assert first.read_bytes() == second.read_bytes()


# The faster lattice searches (wortlaut.nlp.hanta_patches) must tag exactly like HanTa itself: the shipped CRF
# model was trained on these tokens. Invented words force HanTa's unknown-word analysis.
INVENTED = (
    "Der Quarkstrudelverordnungsentwurf sei umgedrömmelt worden, sagte Frau Zwiebelmett-Igelsen. "
    "„Das Brömmeln hätte man früher verschnöselt“, meinte sie. Ob Xylophonierende es wüssten? "
    "Am 3. Okt. 2024 twitterte @wortlaut 🙂👍🏽 und #Klimageld: 12,5 % mehr, ca. 3 Mio. € – so Dr. Ämmerle."
)
EMOJI = "Er sagte 😀 nichts. 🇩🇪 Sie winkte 👋🏻, dann ❤️ und :-) – „Toll!“ 👨‍👩‍👧"


def plain_hanta():
    """HanTa exactly as it ships, without wortlaut's faster searches."""
    from HanTa import HanoverTagger as ht

    return ht.HanoverTagger("morphmodel_ger.pgz")


def full_analysis(doc: Document) -> tuple[list[tuple], list[tuple[int, int]]]:
    return [
        (t.i, t.start, t.end, t.text, t.sent, t.pos, t.lemma, t.mood, t.space_after) for t in doc.tokens
    ], doc.sentences


def test_faster_hanta_tags_exactly_like_hanta() -> None:
    fast = nlp.MemoTagger(nlp.hanover_tagger())
    plain = nlp.MemoTagger(plain_hanta())
    for text in [*TEXTS, UNSEEN, INVENTED, EMOJI]:
        assert full_analysis(nlp.tokenize(Document(text=text), fast)) == full_analysis(
            nlp.tokenize(Document(text=text), plain)
        )


def test_faster_lattice_searches_score_like_hanta() -> None:
    from wortlaut.nlp import hanta_patches as hanta_speed

    fast, plain = nlp.hanover_tagger(), plain_hanta()
    words = [*INVENTED.split(), "", "a", "ab", "abc", "x-y"]
    for word in words:
        candidates = type(plain).analyze_forward(plain, word.lower())
        assert hanta_speed.analyze_forward(fast, word.lower()) == candidates
        for tag, _ in candidates[:3]:
            assert hanta_speed.analyze_viterbi(fast, word.lower(), -tag) == plain.analyze_viterbi(word.lower(), -tag)


#: Odd spaces inside and between tokens; then text SoMaJo must align with its NFC form (a decomposed accent).
UNUSUAL_SPACES = (
    "Er sagte\u00a0gestern:\u2009„10\u00a0000 Gäste“ kamen.\tJa\r\n .",
    "Das Cafe\u0301 in Köln bleibt zu, sagte der Wirt.",
)


def somajo_tokens(tokenizer, text: str) -> list[list[tuple]]:
    return [
        [(t.text, t.character_offset, t.token_class, t.space_after) for t in s] for s in tokenizer.tokenize_text([text])
    ]


def test_somajo_shortcuts_tokenize_like_somajo(monkeypatch: pytest.MonkeyPatch) -> None:
    from somajo import SoMaJo, alignment

    fast = nlp.somajo()  # installs the faster token_offsets
    plain = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)
    monkeypatch.setattr(alignment, "token_offsets", alignment.token_offsets.somajo_token_offsets)
    texts = [INVENTED, EMOJI, *UNUSUAL_SPACES, *TEXTS]
    expected = [somajo_tokens(plain, text) for text in texts]
    monkeypatch.undo()
    assert [somajo_tokens(fast, text) for text in texts] == expected


def test_sentence_search_relies_on_one_tag_order_and_refuses_tables_without_it() -> None:
    from types import SimpleNamespace

    from wortlaut.nlp.hanta_patches import SentenceViterbi

    assert isinstance(nlp.hanover_tagger().tag_sent_viterbi, SentenceViterbi)
    agreeing = SimpleNamespace(LP_trans_word={(0, 1): {5: -1.0, 7: -2.0}, (1, 5): {5: -1.5, 7: -0.5, 6: -1.0}})
    assert SentenceViterbi.common_order(agreeing) == {5: 0, 7: 1, 6: 2}
    disagreeing = SimpleNamespace(LP_trans_word={(0, 1): {5: -1.0, 7: -2.0}, (1, 5): {7: -0.5, 5: -1.5}})
    assert SentenceViterbi.common_order(disagreeing) is None
