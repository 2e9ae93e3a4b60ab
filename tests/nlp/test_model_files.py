"""Model files are data: loading one must not be able to run code, so no shipped file may be a pickle."""

from __future__ import annotations

import gzip
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from wortlaut import nlp, settings
from wortlaut.document import Document
from wortlaut.nlp.lexicon_file import LEXICON_FILE, load_lexicon, save_lexicon
from wortlaut.nlp.tagger import TAGGER_LEXICON
from wortlaut.training.tagger_lexicon import build_lexicon

MODELS = settings.MODEL_DIR
#: How a CRFsuite model file opens.
CRFSUITE_MAGIC = b"lCRF"
TEXTS = [
    "„Das ist nicht verhandelbar“, sagte der Betriebsratschef am Montag in Wolfsburg.",
    "Die Ärztin meinte, die Lage sei ernst.\n\nMan müsste mehr Betten haben, hätte sie gesagt.",
]


def is_pickle(head: bytes) -> bool:
    """Pickles of protocol 2 and later open with PROTO (0x80) and the protocol number."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def head_of(path: Path) -> bytes:
    """The first bytes, gunzipped first if the file is gzip'd."""
    raw = path.read_bytes()
    return gzip.decompress(raw)[:16] if raw[:2] == b"\x1f\x8b" else raw[:16]


def loads_safely(path: Path) -> None:
    """Read the whole file with a reader that cannot unpickle; raises if it is not that format."""
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            for name in data.files:
                data[name]
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".crfsuite":
        assert path.read_bytes()[:4] == CRFSUITE_MAGIC
    else:
        pytest.fail(f"{path.name}: not a known safe model format (.npz, .json, .crfsuite)")


@pytest.mark.parametrize("path", sorted(MODELS.iterdir()), ids=lambda path: path.name)
def test_shipped_model_file_is_data_not_a_pickle(path: Path) -> None:
    assert not is_pickle(head_of(path))
    loads_safely(path)


def test_the_pickle_check_recognises_a_pickle(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    path.write_bytes(gzip.compress(pickle.dumps({"a": 1}, protocol=4)))
    assert is_pickle(head_of(path))
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(tmp_path / "objects.npy", "objects.npy")
    with pytest.raises(ValueError):
        loads_safely(path)


def test_the_shipped_tagger_lexicon_is_the_one_the_tagger_loads() -> None:
    assert TAGGER_LEXICON == MODELS / LEXICON_FILE and TAGGER_LEXICON.is_file()


def test_lexicon_round_trips(tmp_path: Path) -> None:
    memo = build_lexicon(TEXTS, ["straße", "Wahl"])
    save_lexicon(memo, tmp_path / LEXICON_FILE)
    loaded = load_lexicon(tmp_path / LEXICON_FILE)
    assert list(loaded) == list(memo)
    for name, entries in memo.items():
        assert list(loaded[name].items()) == list(entries.items()), name
        assert list(map(key_types, loaded[name])) == list(map(key_types, entries)), name
    warm = nlp.MemoTagger(nlp.hanover_tagger(), tmp_path / LEXICON_FILE)
    cold = nlp.MemoTagger(nlp.hanover_tagger())
    for text in [*TEXTS, "Wahlen seien teuer, sagte der Kämmerer."]:
        assert analyses(text, warm) == analyses(text, cold)


def test_lexicon_keeps_ints_ints_and_is_byte_reproducible(tmp_path: Path) -> None:
    """HanTa slices words with the path ends, so they must load as ints, not floats."""
    memo = build_lexicon(TEXTS)
    save_lexicon(memo, tmp_path / "a.npz")
    save_lexicon(memo, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    paths = load_lexicon(tmp_path / "a.npz")["paths"]
    assert paths and all(type(end) is int for path in paths.values() for _, end in path)
    scores = load_lexicon(tmp_path / "a.npz")["forwards"]
    assert scores and all(type(score) is float for value in scores.values() for _, score in value)


def test_a_file_that_is_no_lexicon_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / LEXICON_FILE
    path.write_bytes(b"not a lexicon")
    with pytest.raises(ValueError, match=LEXICON_FILE):
        load_lexicon(path)


def key_types(key: str | tuple) -> tuple:
    return tuple(map(type, key)) if isinstance(key, tuple) else (type(key),)


def analyses(text: str, tagger: nlp.MemoTagger) -> list[tuple]:
    return [(t.text, t.pos, t.lemma, t.mood) for t in nlp.tokenize(Document(text=text), tagger).tokens]
