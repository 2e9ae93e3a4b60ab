"""The REDEWIEDERGABE cue lexicon is built from the corpus's TSV layout with wortlaut's own lemmas.

The fixture rows are our own sentences in the corpus's layout, not corpus text.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from conftest import annotated_document

from wortlaut.extract.features import CueLexicon
from wortlaut.training.redewiedergabe import COLUMNS, CorpusError, build_lexicon, coverage, cue_strengths, read_rows

HEADER = "\t".join(COLUMNS)


def row(word: str, start: bool = False, stwr: str = "-", frame: str = "-", intexpr: str = "-") -> str:
    """One token line; the corpus's own lemma and POS columns are left empty: wortlaut re-analyses the text."""
    return "\t".join([word, word, "_", "_", "_", "yes" if start else "no", stwr, frame, "-", intexpr, "-"])


def spans(words: str, stwr: str) -> list[str]:
    return [row(word, stwr=stwr) for word in words.split()]


NEWS = [
    HEADER,
    row("Der", start=True, frame="frame.1"),
    row("Minister", frame="frame.1"),
    row("sagte", frame="frame.1", intexpr="intexpr.1"),
    row(",", frame="frame.1"),
    *spans("die Lage sei ernst", "indirect.speech.1"),
    row("."),
    # ambiguous medium joined by a space as in the corpus files; the separated particle joins the verb
    row("Er", start=True, stwr="reported.speech writing.2"),
    row("wies", stwr="reported.speech writing.2", intexpr="intexpr.2"),
    *spans("die Vorwürfe", "reported.speech writing.2"),
    row("zurück", stwr="reported.speech writing.2", intexpr="intexpr.2"),
    row("."),
    row("Sie", start=True),
    row("sagte"),
    row("nichts"),
    row("."),
]
FICTION = [
    HEADER,
    # literary free indirect discourse has no counterpart in our scheme and is skipped
    row("Er", start=True, stwr="freeIndirect.thought.1"),
    row("dachte", stwr="freeIndirect.thought.1", intexpr="intexpr.1"),
    row("nach", stwr="freeIndirect.thought.1"),
    row("."),
    # one cue introducing two instances (intexpr.2_3) counts for both
    row("Sie", start=True, frame="frame.2"),
    row("schrieb", frame="frame.2", intexpr="intexpr.2_3"),
    row(":", frame="frame.2"),
    *spans("Wir kommen", "direct.writing.2|direct.thought.3"),
    row("."),
]
METADATA = ["file\tfictional", "rwk_news.tsv\tno", "rwk_fiction.tsv\tyes"]


def tarball(path: Path, files: dict[str, list[str]]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, lines in files.items():
            data = ("\n".join(lines) + "\n").encode()
            info = tarfile.TarInfo(f"tsv/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_cue_lemmas_counted_per_medium_with_fiction_and_totals(tmp_path: Path) -> None:
    corpus = tarball(
        tmp_path / "main-tsv.tar.gz", {"rwk_news.tsv": NEWS, "rwk_fiction.tsv": FICTION, "metadata.tsv": METADATA}
    )
    lexicon = build_lexicon([corpus])
    assert lexicon["lemmas"] == {
        "sagen": {"n": 1, "nonfiction": 1, "total": 2, "media": {"speech": 1}},
        "schreiben": {"n": 2, "nonfiction": 0, "total": 1, "media": {"thought": 1, "writing": 1}},
        "zurückweisen": {"n": 1, "nonfiction": 1, "total": 1, "media": {"speech writing": 1}},
    }
    assert lexicon["provenance"]["licence"].startswith("CC BY-NC-SA 4.0")


def test_min_count_drops_rare_cues(tmp_path: Path) -> None:
    corpus = tarball(
        tmp_path / "c.tar.gz", {"rwk_news.tsv": NEWS, "rwk_fiction.tsv": FICTION, "metadata.tsv": METADATA}
    )
    assert list(build_lexicon([corpus], min_count=2)["lemmas"]) == ["schreiben"]


def test_strength_is_the_share_of_occurrences_that_introduce() -> None:
    entry = {"nonfiction": 0, "media": {"speech": 4}}
    lemmas = {
        "rufen": {**entry, "n": 4, "total": 4},
        "hören": {**entry, "n": 4, "total": 12},
        "machen": {**entry, "n": 4, "total": 400},
        "murren": {**entry, "n": 2, "total": 2},
    }
    assert cue_strengths({"lemmas": lemmas}) == {"rufen": "hi", "hören": "mid"}


def test_coverage_counts_missed_cues_covered_and_non_cues_added() -> None:
    text = "Die Ministerin zeterte, das Gesetz sei falsch. Sie lachte laut."
    parts = {"quote": "das Gesetz sei falsch", "speaker": "Die Ministerin", "cue": "zeterte"}
    doc = annotated_document(text, [("Indirect", "Speech", parts)])
    lemmas = {t.text: t.lemma for t in doc.tokens}
    found = coverage([doc], CueLexicon(), {lemmas["zeterte"], lemmas["lachte"]})
    assert (found.gold_cues, found.missed, found.covered, found.added_non_cues) == (1, 1, 1, 1)


def test_other_layout_is_a_clear_error() -> None:
    with pytest.raises(CorpusError, match=r"notes\.tsv: not a REDEWIEDERGABE TSV"):
        read_rows(["word\tlemma", "Haus\tHaus"], "notes.tsv")
    with pytest.raises(CorpusError, match=r"short\.tsv:2: 3 columns"):
        read_rows([HEADER, "a\tb\tc"], "short.tsv")
