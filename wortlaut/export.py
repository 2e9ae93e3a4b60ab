"""`wortlaut export`: the quotations a search would find, as CSV, JSON Lines or Parquet.

Rows are streamed from the store a page at a time, so an export of millions of quotations needs no more
memory than one page (Parquet is written in row groups of that size).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

from .store import QUOTATION_ROW, SearchFilters, Store

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = tuple((column.name, column.type) for column in QUOTATION_ROW)  # name, Arrow type
#: With --with-history: each quotation's corrections (JSON: who, when, what, before → after), oldest first.
HISTORY = ("history", "string")
PAGE = 1000


def rows(store: Store, filters: SearchFilters, with_history: bool = False) -> Iterator[dict[str, Any]]:
    """Flat rows, one per quotation, columns as in COLUMNS (and HISTORY)."""
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if with_history:
        for c in store.history():
            entry = {"id": c.id, "action": c.action, "reviewer": c.reviewer, "at": c.at}
            history.setdefault((c.article_id, str(c.anchor)), []).append(entry | {"before": c.before, "after": c.after})
    for hit in store.iter_quotations(filters, with_parts=True, page=PAGE):
        row = hit.to_row()
        if with_history:
            row["history"] = json.dumps(history.get((hit.article_id, hit.anchor), []), ensure_ascii=False)
        yield row


#: Cells starting with these are read as formulas by spreadsheet programs (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel takes a CSV file for UTF-8 only when it starts with a byte order mark.
UTF8_BOM = "\ufeff"


def neutralised(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (a headline like `+++ Eilmeldung +++`) gets a leading
    apostrophe, which spreadsheets show as text; numbers and other cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    out: IO[str],
    records: Iterator[dict[str, Any]],
    columns: Sequence[tuple[str, str]] = COLUMNS,
    *,
    raw: bool = False,
    excel: bool = False,
) -> int:
    """RFC 4180 CSV: fields with commas, quote marks, semicolons or line breaks are quoted, quotes doubled.

    Formula-like cells are neutralised unless `raw`; `excel` starts the file with a UTF-8 byte order mark.
    """
    if excel:
        out.write(UTF8_BOM)
    writer = csv.DictWriter(
        out, fieldnames=[name for name, _ in columns], quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(record if raw else {name: neutralised(value) for name, value in record.items()})
        count += 1
    return count


def write_jsonl(out: IO[str], records: Iterator[dict[str, Any]], columns: Sequence[tuple[str, str]] = COLUMNS) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_parquet(path: Path, records: Iterator[dict[str, Any]], columns: Sequence[tuple[str, str]] = COLUMNS) -> int:
    """Typed columns, one row group per page."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        page: list[dict[str, Any]] = []
        for record in records:
            page.append(record)
            if len(page) >= PAGE:
                writer.write_table(pa.Table.from_pylist(page, schema=schema))
                count, page = count + len(page), []
        if page or count == 0:
            writer.write_table(pa.Table.from_pylist(page, schema=schema))
            count += len(page)
    return count


def export_quotations(
    store: Store,
    filters: SearchFilters,
    fmt: str,
    path: Path | None,
    stdout: IO[str] | None,
    *,
    raw: bool = False,
    excel: bool = False,
    with_history: bool = False,
) -> int:
    """Write every matching quotation to `path` (or stdout for csv/jsonl) and return how many were written.

    `raw` and `excel` apply to CSV: formula-like cells written as they are; a byte order mark for Excel.
    `with_history` adds each quotation's corrections."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    records = rows(store, filters, with_history)
    columns = (*COLUMNS, HISTORY) if with_history else COLUMNS
    if fmt == "parquet":
        if path is None:
            raise ValueError("parquet needs an output file (--output)")
        return write_parquet(path, records, columns)
    writer = partial(write_csv, raw=raw, excel=excel) if fmt == "csv" else write_jsonl
    if path is None:
        return writer(stdout or sys.stdout, records, columns)
    with open(path, "w", encoding="utf-8", newline="") as out:
        return writer(out, records, columns)


def table_file(rows: list[dict[str, Any]], fmt: str) -> str:
    """Any flat table as the text of a CSV (formula-like cells neutralised) or JSON Lines file, for downloads."""
    out = io.StringIO()
    columns = [(name, "string") for name in rows[0]] if rows else []
    if fmt == "csv":
        write_csv(out, iter(rows), columns)
    else:
        write_jsonl(out, iter(rows), columns)
    return out.getvalue()
