"""Build the tagger lexicon: HanTa's analyses of the training texts and of common German words, precomputed.

A fresh process otherwise spends ~3 ms on the first analysis of each word HanTa has not precomputed,
which is most of the analysis time of a short run. The lexicon is the memo of a MemoTagger
(wortlaut.nlp) that has tagged the training texts and then run the lattice searches of the most
frequent German words of the `wordfreq` package (a general word list, not article text), so loading
it changes no output, only speed. Built from train and wordfreq only, never dev, so dev throughput
figures stay honest.

`nlp.lexicon_file` writes it as an .npz of plain arrays, so loading it can run no code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from .. import nlp
from ..document import Document
from ..nlp.lexicon_file import LEXICON_FILE, Memo, save_lexicon
from .gold import read_gold

#: How many of wordfreq's most frequent German words the lexicon pre-analyses.
COMMON_WORDS = 100_000


def common_words(n: int) -> list[str]:
    """wordfreq's n most frequent German words, in every spelling its case folding (ß → ss) may stand for."""
    from wordfreq import top_n_list

    return [spelling for word in top_n_list("de", n) for spelling in eszett_spellings(word)]


def eszett_spellings(word: str) -> list[str]:
    """The word with each ss kept or written ß: 'strasse' → ['strasse', 'straße']."""
    first, *rest = word.split("ss")
    spellings = [first]
    for part in rest:
        spellings = [spelling + joint + part for spelling in spellings for joint in ("ss", "ß")]
    return spellings


def build_lexicon(texts: list[str], words: Sequence[str] = ()) -> dict[str, Memo]:
    """The memos of a fresh, lexicon-less, unbounded tagger after tokenising `texts` and preparing `words`."""
    tagger = nlp.MemoTagger(nlp.hanover_tagger(), max_entries=math.inf)
    for text in texts:
        nlp.tokenize(Document(text=text), tagger)
    for word in words:
        tagger.prepare(word)
    return tagger.memo()


def write_lexicon(
    train_path: str | Path, output_dir: Path, limit: int | None = None, n_words: int = COMMON_WORDS
) -> Path:
    """Build the lexicon from the training file and the n_words most common words and write it to output_dir,
    byte-reproducibly. A trial build with `limit` takes as few of each."""
    target = Path(output_dir) / LEXICON_FILE
    texts = [doc.text for doc in read_gold(train_path, limit=limit)]
    save_lexicon(build_lexicon(texts, common_words(n_words if limit is None else min(limit, n_words))), target)
    return target
