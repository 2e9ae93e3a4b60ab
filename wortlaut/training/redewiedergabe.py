"""Cue lemmas of the REDEWIEDERGABE corpus (Brunner et al. 2020), lemmatised the way wortlaut's pipeline does.

The corpus annotates speech, thought and writing representation in German texts of 1840–1919 with the
introducing expression ("intexpr", our cue) of each instance. Its scheme differs from ours (Reported is far
broader, free indirect discourse means something else), so mixing its instances into training hurt; its
cue words are another matter: a list of speech-, thought- and writing-introducing lemmas with how often each
introduced which medium. The lemmas come from wortlaut.nlp (SoMaJo + HanTa) run on the corpus's normalised
spelling, with separable verbs joined the way the extractor joins them, so they match the model's lemmas.

Corpus files are the corpus's TSV (`tok normtok lemma pos rfpos sentstart stwr frame speaker intexpr note`,
one token a line); the tarballs are read directly, never copied.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import nlp, settings
from ..document import Document
from ..extract.features import CueLexicon, cue_lemma

#: what the corpus is and under which terms the derived list may be used; written into the data file.
PROVENANCE = {
    "source": "Corpus REDEWIEDERGABE (redewiedergabe/corpus, commit of 2022-02-17), www.redewiedergabe.de",
    "cite": "Brunner, Engelberg, Jannidis, Tu, Weimer (2020): Corpus REDEWIEDERGABE, LREC 2020, pp. 803-812",
    "texts": "TextGrid, Deutsches Textarchiv, Leibniz-Institut für Deutsche Sprache, SuUB Bremen",
    "licence": "CC BY-NC-SA 4.0 (derived list of lemma counts; credit the project, no commercial use, share alike)",
    "derived_by": "wortlaut.training.redewiedergabe.build_lexicon: lemmas of intexpr tokens (POS V/N/A) "
    "by wortlaut.nlp on the normalised spelling, counted per medium of the instance they introduce",
}

COLUMNS = ("tok", "normtok", "lemma", "pos", "rfpos", "sentstart", "stwr", "frame", "speaker", "intexpr", "note")
#: corpus types with no counterpart in our scheme: literary free indirect discourse ("erlebte Rede").
SKIPPED_TYPES = frozenset({"freeIndirect"})
#: where the corpus tarballs live on the shared machine.
CORPUS_DIR = settings.SHARED_DIR / "data" / "redewiedergabe"
CORPUS_FILES = ("main-tsv.tar.gz", "full-nonfict-tsv.tar.gz")
#: least instances a lemma must introduce in the corpus to count as a cue there (one is often a slip).
MIN_INSTANCES = 3
#: parts of speech of content words (full verbs, nouns, adjectives) whose lemmas are kept: the corpus's
#: multi-word cues ("in der Rede") would otherwise list articles and prepositions.
CUE_POS = ("VV", "NN", "ADJ")


class CorpusError(ValueError):
    """A corpus file that does not have the expected layout."""


@dataclass(frozen=True)
class Row:
    """One corpus token: its normalised spelling, whether it opens a sentence and the instance ids it cues."""

    normtok: str
    sentstart: bool
    stwr: str
    intexpr: tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    """One annotated instance: its type(s) and medium (ambiguous values joined by a space, as in the files)."""

    types: frozenset[str]
    medium: str


def read_rows(lines: Iterable[str], name: str) -> list[Row]:
    """Rows of one corpus TSV file; a file with a different header raises CorpusError naming it."""
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise CorpusError(f"{name}: not a REDEWIEDERGABE TSV file (header {header!r})")
    rows = []
    for n, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) < len(COLUMNS):
            raise CorpusError(f"{name}:{n}: {len(cells)} columns, expected {len(COLUMNS)}")
        intexpr = cells[9]
        ids = tuple(i for i in intexpr.removeprefix("intexpr.").split("_") if i) if intexpr != "-" else ()
        rows.append(Row(cells[1], cells[5] == "yes", cells[6], ids))
    return rows


def instances(rows: list[Row]) -> dict[str, Instance]:
    """Instance id → type and medium, from `type.medium.id[.flags]` annotations joined by '|'.

    The corpus README says ambiguous values are joined with '_'; the files join them with a space
    ("indirect freeIndirect", "speech writing"): both are read.
    """
    out: dict[str, Instance] = {}
    for row in rows:
        if row.stwr == "-":
            continue
        for annotation in row.stwr.split("|"):
            fields = annotation.split(".")
            if len(fields) >= 3 and fields[2] not in out:
                types = frozenset(re.split(r"[ _]", fields[0]))
                out[fields[2]] = Instance(types, " ".join(sorted(re.split(r"[ _]", fields[1]))))
    return out


def sentences(rows: list[Row]) -> list[list[int]]:
    """Row indices grouped into the corpus's sentences."""
    out: list[list[int]] = []
    for i, row in enumerate(rows):
        if row.sentstart or not out:
            out.append([])
        out[-1].append(i)
    return out


def cue_media(row: Row, known: dict[str, Instance]) -> list[str]:
    """Media of the instances a row introduces, skipping types without a counterpart in our scheme."""
    return [known[i].medium for i in row.intexpr if i in known and not known[i].types <= SKIPPED_TYPES]


def lemma_counts(
    rows: list[Row], tagger: nlp.MemoTagger | None = None
) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(lemma, medium) counts of a file's cue tokens and counts of all its content lemmas, by wortlaut.nlp.

    The sentences are joined as paragraphs so SoMaJo keeps them apart, and each wortlaut token is mapped
    back to the corpus token its first character falls in. All lemmas are counted so that a lemma's cue
    share can be told from its frequency ("sein" introduces 31 instances but is no cue).
    """
    known = instances(rows)
    text, owner = _text_of(rows, sentences(rows))
    doc = nlp.tokenize(Document(text=text), tagger)
    cues: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for sentence in doc.sentence_tokens():
        for token in sentence:
            if not token.pos.startswith(CUE_POS):
                continue
            lemma = cue_lemma(token, sentence) if "FIN" in token.pos else token.lemma or token.text
            totals[lemma] += 1
            row = rows[owner[token.start]]
            cues.update((lemma, medium) for medium in cue_media(row, known))
    return cues, totals


def _text_of(rows: list[Row], picked: list[list[int]]) -> tuple[str, list[int]]:
    """Sentences of normalised tokens as paragraphs, and character offset → row index for every character."""
    parts: list[str] = []
    owner: list[int] = []
    for ids in picked:
        for i in ids:
            parts.append(rows[i].normtok + " ")
            owner += [i] * (len(rows[i].normtok) + 1)
        parts.append("\n\n")
        owner += [-1, -1]
    return "".join(parts), owner


def corpus_files(tarball: Path) -> Iterator[tuple[str, list[str], dict[str, str]]]:
    """(file name, lines, metadata row) of every sample in a corpus tarball, in name order."""
    with tarfile.open(tarball) as archive:
        members = {Path(m.name).name: m for m in archive.getmembers() if m.isfile() and m.name.endswith(".tsv")}
        metadata = _read_member(archive, members.pop("metadata.tsv"))
        meta = {cells["file"]: cells for cells in csv.DictReader(metadata, delimiter="\t", quoting=csv.QUOTE_NONE)}
        for name in sorted(members):
            yield name, _read_member(archive, members[name]), meta.get(name, {})


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> list[str]:
    handle = archive.extractfile(member)
    if handle is None:
        raise CorpusError(f"{member.name}: not a regular file")
    return io.TextIOWrapper(handle, encoding="utf-8").read().splitlines()


@dataclass
class LemmaCounts:
    """Per lemma: instances introduced, by medium, how many of them in non-fiction, and all occurrences."""

    media: dict[str, Counter[str]]
    nonfiction: Counter[str]
    totals: Counter[str]

    def add(self, cues: Counter[tuple[str, str]], totals: Counter[str], fictional: bool) -> None:
        for (lemma, medium), n in cues.items():
            self.media.setdefault(lemma, Counter())[medium] += n
            if not fictional:
                self.nonfiction[lemma] += n
        self.totals.update(totals)

    def to_json(self, min_count: int) -> dict[str, dict[str, object]]:
        """Lemmas introducing at least min_count instances, with their counts, sorted by lemma."""
        return {
            lemma: {
                "n": sum(media.values()),
                "nonfiction": self.nonfiction[lemma],
                "total": self.totals[lemma],
                "media": dict(sorted(media.items())),
            }
            for lemma, media in sorted(self.media.items())
            if sum(media.values()) >= min_count
        }


def build_lexicon(tarballs: Iterable[Path], min_count: int = 1) -> dict[str, object]:
    """The derived lexicon as written to wortlaut/models/: provenance and per-lemma counts."""
    counts = LemmaCounts({}, Counter(), Counter())
    tagger = nlp.hanta()
    names = []
    for tarball in tarballs:
        names.append(tarball.name)
        for name, lines, meta in corpus_files(tarball):
            rows = read_rows(lines, f"{tarball.name}:{name}")
            counts.add(*lemma_counts(rows, tagger), fictional=meta.get("fictional") == "yes")
    return {"provenance": {**PROVENANCE, "files": names, "min_count": min_count}, "lemmas": counts.to_json(min_count)}


def write_lexicon(lexicon: dict[str, object], path: Path) -> None:
    path.write_text(json.dumps(lexicon, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def cue_strengths(lexicon: dict[str, Any]) -> dict[str, str]:
    """Lemma → 'hi', 'mid' or 'lo': the share of its occurrences that introduce an instance (≥ 0.5, 0.2, 0.05).

    The share, not the count, makes the strength: "sein" introduces 31 instances among thousands of uses.
    """
    out = {}
    for lemma, entry in lexicon["lemmas"].items():
        share = entry["n"] / (entry["total"] + 1)
        bucket = "hi" if share >= 0.5 else "mid" if share >= 0.2 else "lo" if share >= 0.05 else ""
        if entry["n"] >= MIN_INSTANCES and bucket:
            out[lemma] = bucket
    return out


@dataclass
class Coverage:
    """What the corpus's cue lemmas would add to our cue lexicon on one split, at one strength threshold."""

    gold_cues: int
    missed: int
    covered: int
    added_non_cues: int

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.gold_cues} gold cue tokens, {self.missed} without a strength in our lexicon, "
            f"{self.covered} of those covered; {self.added_non_cues} non-cue tokens it would mark"
        )


def coverage(docs: list[Document], ours: CueLexicon, rw_lemmas: set[str]) -> Coverage:
    """Gold cue tokens (content words of top-level quotations) our lexicon misses and the corpus's lemmas cover,
    and the other tokens with a lemma our lexicon does not know that the corpus's lemmas would mark."""
    counts = Coverage(0, 0, 0, 0)
    for doc in docs:
        cue_ids = {i for q in doc.quotations if not q.nested_in for i in doc.token_ids(q.cue)}
        for sentence in doc.sentence_tokens():
            for token in sentence:
                if not token.pos.startswith(CUE_POS):
                    continue
                lemma = cue_lemma(token, sentence) if "FIN" in token.pos else token.lemma or token.text
                unknown = ours.strength(lemma) == ""
                if token.i in cue_ids:
                    counts.gold_cues += 1
                    counts.missed += unknown
                    counts.covered += unknown and lemma in rw_lemmas
                else:
                    counts.added_non_cues += unknown and lemma in rw_lemmas
    return counts


def main(output: Path) -> None:
    """Build the lexicon from the shared corpus into `output` and print its coverage on train and dev."""
    from ..extract.model import META_FILE, MODEL_DIR
    from .train import load_corpus

    lexicon = build_lexicon([CORPUS_DIR / name for name in CORPUS_FILES], min_count=2)
    write_lexicon(lexicon, output)
    ours = CueLexicon.from_json(json.loads((MODEL_DIR / META_FILE).read_text(encoding="utf-8"))["lexicon"])
    strengths = cue_strengths(lexicon)
    for split in ("train", "dev"):
        docs = load_corpus(settings.DATA_DIR / f"{split}.jsonl")
        for levels in (("hi",), ("hi", "mid"), ("hi", "mid", "lo")):
            lemmas = {lemma for lemma, level in strengths.items() if level in levels}
            print(coverage(docs, ours, lemmas).line(f"{split}, {'+'.join(levels)} ({len(lemmas)} lemmas)"))


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]))
