"""Hand-annotated articles in a compact inline markup, turned into records of the dataset's layout.

Writing token ids and character offsets by hand is error-prone and unreadable; this markup keeps the text
readable and the annotation next to the words it marks. A file holds several articles:

    # a comment line
    === fb01 | Lindenau gewinnt das Derby | 2025-08-17
    @1 Direct Speech
    @2 IndirectFreeIndirect Speech
    {q1 „Wir haben verdient gewonnen.“} {f1 , {c1 sagte} {s1,s2 Trainer Jens Haberland}}. {q2 Das Team sei ...}

`=== ID | TITLE | DATE` starts an article; `@N TYPE MEDIUM` declares quotation N (`@N TYPE MEDIUM in M`
nests it in quotation M's quote); every other non-blank line is one paragraph, paragraphs are joined by a
blank line. `{LABELS TEXT}` marks TEXT as a part of one or more quotations: a label is a part letter (q
quote, s speaker, c cue, f frame, a addressee) and a quotation number, several labels are joined by commas,
and marks nest. A part may have several spans (`{c1 wies} … {c1 zurück}`). Braces are markup only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import nlp
from ..document import MEDIA, QUOTATION_TYPES, Document, Quotation, Span
from .gold import dataset_record

PART_LETTERS = {"q": "quote", "s": "speaker", "c": "cue", "f": "frame", "a": "addressee"}
HEADER = re.compile(r"^=== (\S+) \| (.+?) \| (\d{4}-\d{2}-\d{2})$")
DECLARATION = re.compile(r"^@(\d+) (\S+) (\S+)(?: in (\d+))?$")
LABELS = re.compile(r"\{((?:[qscfa]\d+,)*[qscfa]\d+) ")


class MarkupError(ValueError):
    """Bad markup; the message is one line naming the file and line."""


@dataclass
class Draft:
    """An article being read: its paragraphs so far, its declarations and the spans found in them."""

    id: str
    title: str
    date: str
    paragraphs: list[str] = field(default_factory=list)
    declared: dict[int, tuple[str, str, int | None, int]] = field(default_factory=dict)
    spans: dict[tuple[int, str], list[tuple[int, int]]] = field(default_factory=dict)
    used: dict[int, int] = field(default_factory=dict)


def read_articles(path: Path, on_error: Callable[[str], None]) -> Iterator[Document]:
    """The file's articles as untokenised Documents with their quotations; a bad article is reported through
    `on_error` (one line) and skipped, the others still come."""
    for chunk in article_chunks(path):
        try:
            yield parse_article(chunk, path)
        except MarkupError as err:
            on_error(str(err))


def article_chunks(path: Path) -> Iterator[list[tuple[int, str]]]:
    """Each article's numbered lines, its header first; comment and blank lines are left out."""
    chunk: list[tuple[int, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if HEADER.match(line) and chunk:
            yield chunk
            chunk = []
        if line.strip() and not line.startswith("#"):
            chunk.append((number, line))
    if chunk:
        yield chunk


def parse_article(chunk: list[tuple[int, str]], path: Path) -> Document:
    number, line = chunk[0]
    header = HEADER.match(line)
    if not header:
        raise MarkupError(f"{path}:{number}: expected '=== ID | TITLE | DATE', got {line!r}")
    draft = Draft(header[1], header[2], header[3])
    for number, line in chunk[1:]:
        if line.startswith("@"):
            declare(draft, line, path, number)
        else:
            add_paragraph(draft, line, path, number)
    return finish(draft, path)


def declare(draft: Draft, line: str, path: Path, number: int) -> None:
    match = DECLARATION.match(line)
    if not match:
        raise MarkupError(f"{path}:{number}: expected '@N TYPE MEDIUM' or '@N TYPE MEDIUM in M', got {line!r}")
    n, type_, medium, outer = int(match[1]), match[2], match[3], match[4]
    if type_ not in QUOTATION_TYPES:
        raise MarkupError(f"{path}:{number}: unknown quotation type {type_!r} (known: {', '.join(QUOTATION_TYPES)})")
    if medium not in MEDIA:
        raise MarkupError(f"{path}:{number}: unknown medium {medium!r} (known: {', '.join(MEDIA)})")
    if n in draft.declared:
        raise MarkupError(f"{path}:{number}: quotation {n} is declared twice")
    draft.declared[n] = (type_, medium, int(outer) if outer else None, number)


def add_paragraph(draft: Draft, line: str, path: Path, number: int) -> None:
    """Strip the line's marks into plain text, recording each mark's span at its offset in the article."""
    offset = sum(len(p) + 2 for p in draft.paragraphs)
    text: list[str] = []
    length = 0
    open_marks: list[tuple[list[tuple[int, str]], int, int]] = []
    position = 0
    while position < len(line):
        char = line[position]
        if char == "{":
            match = LABELS.match(line, position)
            if not match:
                raise MarkupError(f"{path}:{number}: column {position + 1}: '{{' needs labels like 'q1 ' or 's1,s2 '")
            labels = [(int(label[1:]), PART_LETTERS[label[0]]) for label in match[1].split(",")]
            open_marks.append((labels, length, position))
            position = match.end()
            continue
        if char == "}":
            if not open_marks:
                raise MarkupError(f"{path}:{number}: column {position + 1}: '}}' closes no mark")
            labels, start, _ = open_marks.pop()
            for n, part in labels:
                draft.spans.setdefault((n, part), []).append((offset + start, offset + length))
                draft.used.setdefault(n, number)
        else:
            text.append(char)
            length += 1
        position += 1
    if open_marks:
        raise MarkupError(f"{path}:{number}: column {open_marks[-1][2] + 1}: mark is never closed")
    draft.paragraphs.append("".join(text))


def finish(draft: Draft, path: Path) -> Document:
    """The article as a Document; every quotation used must be declared and every declared one needs a quote."""
    for n, number in draft.used.items():
        if n not in draft.declared:
            raise MarkupError(f"{path}:{number}: quotation {n} is marked but never declared ('@{n} TYPE MEDIUM')")
    text = "\n\n".join(draft.paragraphs)
    doc = Document(text=text, id=draft.id, title=draft.title, date=draft.date)
    for n, (type_, medium, outer, number) in sorted(draft.declared.items()):
        if (n, "quote") not in draft.spans:
            raise MarkupError(f"{path}:{number}: quotation {n} has no quote ('{{q{n} …}}')")
        if outer is not None and outer not in draft.declared:
            raise MarkupError(f"{path}:{number}: quotation {n} is nested in undeclared quotation {outer}")
        quotation = Quotation(id=f"q{n}", type=type_, medium=medium, nested_in=f"q{outer}" if outer else None)
        for part in PART_LETTERS.values():
            quotation.part(part).extend(Span.of(text, start, end) for start, end in draft.spans.get((n, part), []))
        doc.quotations.append(quotation)
    return doc


def dataset_records(path: Path, on_error: Callable[[str], None]) -> Iterator[dict[str, Any]]:
    """The file's articles tokenised by wortlaut.nlp, as records in the dataset's layout (`gold.dataset_record`)."""
    for doc in read_articles(path, on_error):
        yield dataset_record(nlp.tokenize(doc))
