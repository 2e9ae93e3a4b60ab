"""Build the tagger lexicon: HanTa's analyses of every word form of the training texts, precomputed.

A fresh process otherwise spends ~3 ms on the first analysis of each word HanTa has not precomputed,
which is most of the analysis time of a short run. The lexicon is the memo of a MemoTagger
(wortlaut.nlp) that has tagged the training texts, so loading it changes no output, only speed.
Built from train only, never dev, so dev throughput figures stay honest.
"""
from __future__ import annotations

import gzip
import pickle
from pathlib import Path

from . import nlp
from .document import Document
from .gold import read_gold

LEXICON_FILE = nlp.TAGGER_LEXICON.name


def build_lexicon(texts: list[str]) -> dict[str, dict]:
    """The memos of a fresh, lexicon-less tagger after tokenising `texts` with wortlaut's tokenizer."""
    tagger = nlp.MemoTagger(nlp.hanover_tagger())
    for text in texts:
        nlp.tokenize(Document(text=text), tagger)
    return tagger.memo()


def write_lexicon(train_path: str | Path, output_dir: Path, limit: int | None = None) -> Path:
    """Build the lexicon from the training file and write it to output_dir, byte-reproducibly (gzip mtime 0)."""
    target = Path(output_dir) / LEXICON_FILE
    save_lexicon(build_lexicon([doc.text for doc in read_gold(train_path, limit=limit)]), target)
    return target


def save_lexicon(memo: dict[str, dict], target: Path) -> None:
    """Pickle (protocol 5) and gzip the memos; written via a temporary file so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(pickle.dumps(memo, protocol=5), compresslevel=9, mtime=0))
    tmp.replace(target)
