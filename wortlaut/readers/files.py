"""Ingest: turn files, directories, stdin and dumps into Documents, one bad input never stopping the rest.

Like trafilatura's single entry point, `read_sources` accepts any mix of paths and yields either a
Document or an IngestError for each article, in input order.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from ..document import Document, content_id
from .errors import IngestError, InputError
from .feeds import read_feed
from .html import parse_html
from .warc import read_warc

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+(.*?)\s*$")
_CREDIT = re.compile(r"\s*\(([^()]*)\)\s*$")


def decode(data: bytes, name: str) -> str:
    """UTF-8 or a clear error: binary and mis-encoded files are named, not guessed at."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"invalid UTF-8 at byte {err.start}") from None
    if not text.strip():  # checked after decoding: a byte order mark or a no-break space alone is empty too
        raise InputError("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_plain_text(text: str, doc_id: str | None = None) -> Document:
    """The plain layout: optional first line `date YYYY-MM-DD Headline (credit)`, then paragraphs.

    The headline becomes the first paragraph of `text` (headlines can quote); the photo credit is dropped.
    """
    first, _, rest = text.partition("\n")
    match = _DATE_LINE.match(first)
    if not match:
        body = text.strip("\n")
        title = body.split("\n", 1)[0].strip() or None
        return Document(text=body, id=doc_id or content_id(body), title=title)
    date, headline = match.group(1), match.group(2)
    headline = _CREDIT.sub("", headline).strip()
    body = rest.strip("\n")
    full = f"{headline}\n\n{body}" if headline else body
    if not full.strip():
        raise InputError("no text after the date line")
    return Document(text=full, id=doc_id or content_id(full), title=headline or None, date=date)


def parse_jsonl_record(obj: object) -> Document:
    """One JSONL object; `id` and `text` are kept exactly so offsets index the caller's text.

    Also accepts the training-data layout (`originalText`, `documentName`). Every metadata field is checked
    here, so a record with a list or an object where a string belongs is refused with its field named
    instead of failing later in analysis or the store.
    """
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object")
    text = obj.get("text", obj.get("originalText"))
    if not isinstance(text, str):
        raise InputError("missing string field 'text'")
    if not text.strip():
        raise InputError("empty 'text'")
    name = obj.get("documentName")
    if isinstance(name, str) and obj.get("title") is None:
        m = re.match(r"^(\S+) - (.*) \((\d{4}-\d{2}-\d{2})\)$", name)
        if m:
            obj = {"id": m.group(1), **obj, "title": m.group(2), "date": m.group(3)}
    doc_id = record_id(obj.get("id"))
    return Document(
        text=text,
        id=doc_id if doc_id is not None else content_id(text),
        title=string_field(obj, "title"),
        date=string_field(obj, "date"),
        url=string_field(obj, "url"),
        source=string_field(obj, "source"),
        author=string_field(obj, "author"),
    )


def record_id(value: object) -> str | None:
    """A record's id as text: numbers are common ids in dumps; anything else but a string is refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError("field 'id' must be a string or a number")


def string_field(record: dict[str, object], field: str) -> str | None:
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        raise InputError(f"field {field!r} must be a string")
    return value


def read_jsonl(lines: Iterable[str], name: str) -> Iterator[Document | IngestError]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            doc = parse_jsonl_record(json.loads(line))
            doc.origin = where
            yield doc
        except json.JSONDecodeError as err:
            yield IngestError(where, f"malformed JSON ({err.msg} at column {err.colno})")
        except InputError as err:
            yield IngestError(where, str(err))


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def file_id(path: Path, root: Path) -> str:
    """The id of an article read from a file: its path below the directory given, without the suffix
    (`2024-01-01/artikel`), so same-named files in different folders (every `index.html` of a site mirror)
    stay apart; a file given on its own keeps its stem."""
    if path == root:
        return path.stem
    return (path.relative_to(root).parent / path.stem).as_posix()


def read_path(path: Path, doc_id: str | None = None) -> Iterator[Document | IngestError]:
    """Read one file by its suffix; unknown suffixes are read as plain text. A text or HTML file's article
    gets `doc_id` (default: the file's stem)."""
    name = str(path)
    suffix = suffix_of(path)
    try:
        if suffix in WARC_SUFFIXES or suffix in FEED_SUFFIXES:
            reader = read_warc if suffix in WARC_SUFFIXES else read_feed
            yield from reader(path)
            return
        data = path.read_bytes()
    except OSError as err:
        yield IngestError(name, f"cannot read ({err.strerror or err})")
        return
    try:
        text = decode(data, name)
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(text.splitlines(), name)
            return
        parse = parse_html if suffix in HTML_SUFFIXES else parse_plain_text
        doc = parse(text, doc_id=doc_id or path.stem)
        doc.origin = name
        yield doc
    except InputError as err:
        yield IngestError(name, str(err))


def read_stdin() -> Iterator[Document | IngestError]:
    data = sys.stdin.buffer.read()
    try:
        text = decode(data, "<stdin>")
        stripped = text.lstrip()
        if stripped.startswith("{"):
            yield from read_jsonl(text.splitlines(), "<stdin>")
            return
        doc = parse_html(text) if stripped.startswith("<") else parse_plain_text(text)
        doc.origin = "<stdin>"
        yield doc
    except InputError as err:
        yield IngestError("<stdin>", str(err))


def expand(source: str) -> Iterator[Path | str]:
    """Directories recursively (sorted, hidden files skipped); '-' stays stdin."""
    if source == "-":
        yield "-"
        return
    path = Path(source)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path


def read_sources(sources: Iterable[str], *, exclude: Collection[Path] = ()) -> Iterator[Document | IngestError]:
    """Every Document (or error) from any mix of files, directories, feeds, archives and '-'; files whose
    resolved path is in `exclude` are passed over."""
    for source in sources:
        for item in expand(source):
            if not isinstance(item, Path):
                yield from read_stdin()
            elif not (exclude and item.resolve() in exclude):
                yield from read_path(item, file_id(item, Path(source)))
