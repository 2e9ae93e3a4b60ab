"""Build the tagger lexicon: HanTa's analyses of the training texts and of common German words, precomputed.

A fresh process otherwise spends ~3 ms on the first analysis of each word HanTa has not precomputed,
which is most of the analysis time of a short run. The lexicon is the memo of a MemoTagger
(wortlaut.nlp) that has tagged the training texts and then run the lattice searches of the most
frequent German words of the `wordfreq` package (a general word list, not article text), so loading
it changes no output, only speed. Built from train and wordfreq only, never dev, so dev throughput
figures stay honest.
"""

from __future__ import annotations

import gzip
import math
import pickle
from pathlib import Path
from typing import Any

from .. import nlp
from ..document import Document
from ..nlp.tagger import TAGGER_LEXICON
from .gold import read_gold

LEXICON_FILE = TAGGER_LEXICON.name
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


def build_lexicon(texts: list[str], words: list[str] = ()) -> dict[str, dict]:
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
    byte-reproducibly (gzip mtime 0). A trial build with `limit` takes as few of each."""
    target = Path(output_dir) / LEXICON_FILE
    texts = [doc.text for doc in read_gold(train_path, limit=limit)]
    save_lexicon(build_lexicon(texts, common_words(n_words if limit is None else min(limit, n_words))), target)
    return target


def save_lexicon(memo: dict[str, dict], target: Path) -> None:
    """Pickle (protocol 5) and gzip the memos; written via a temporary file so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(pickle.dumps(shared_values(memo), protocol=5), compresslevel=9, mtime=0))
    tmp.replace(target)


def shared_values(memo: dict[str, dict]) -> dict[str, dict]:
    """The memos with every distinct analysis and every word stored once.

    Most analyses are short lists of the same few (tag, end) and (tag, score) pairs, and a word recurs in
    the keys of several memos; pickled once and referenced thereafter, the file is a third smaller and
    loads several times faster into less memory (far fewer objects for the unpickler to build and the
    garbage collector to scan). HanTa only reads the lists it gets, so sharing them is safe.
    """
    words: dict[str, str] = {}
    items: dict[tuple, Any] = {}
    lists: dict[tuple, list] = {}

    def share_key(key: str | tuple) -> str | tuple:
        """Every key is a word or a tuple that starts with one."""
        if isinstance(key, str):
            return words.setdefault(key, key)
        return (words.setdefault(key[0], key[0]), *key[1:])

    def share(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        shared = [items.setdefault(tuple((type(x), repr(x)) for x in item), item) for item in value]
        return lists.setdefault(tuple(map(id, shared)), shared)

    return {name: {share_key(key): share(value) for key, value in entries.items()} for name, entries in memo.items()}
