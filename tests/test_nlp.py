"""The tagger lexicon: a process that loads it tags exactly like one that analyses every word itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from wortlaut import nlp
from wortlaut.document import Document
from wortlaut.tagger_lexicon import LEXICON_FILE, build_lexicon, save_lexicon, write_lexicon

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotations-de"
TEXTS = [
    "„Wir werden das prüfen“, sagte die Ministerin am Dienstag in Berlin.",
    "Der Sprecher erklärte, man habe keine Kenntnis von den Vorwürfen.\n\nEr wäre gern gekommen.",
]
UNSEEN = "Die Gewerkschaft kündigte Warnstreiks an, sie fordere acht Prozent mehr Lohn."


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
    before = {name: len(memo) for name, memo in warm.memo().items()}
    for text in TEXTS:
        analysis(text, warm)
    assert {name: len(memo) for name, memo in warm.memo().items()} == before
    analysis(UNSEEN, warm)
    assert len(warm.memo()["candidates"]) > before["candidates"]


@pytest.mark.skipif(not (DATA / "train.jsonl").is_file(), reason="dataset not available")
def test_write_lexicon_goes_to_the_given_directory_reproducibly(tmp_path: Path) -> None:
    first = write_lexicon(DATA / "train.jsonl", tmp_path / "a", limit=1)
    second = write_lexicon(DATA / "train.jsonl", tmp_path / "b", limit=1)
    assert first == tmp_path / "a" / LEXICON_FILE
    assert first.read_bytes() == second.read_bytes()
