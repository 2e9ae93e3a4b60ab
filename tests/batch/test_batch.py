"""The Spark batch job in local mode: its Parquet tables rebuild exactly what `wortlaut analyze` finds."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import example_articles
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

pytest.importorskip("pyspark")

from wortlaut.api import analyze, analyze_many
from wortlaut.batch import BatchError, read_output, run_batch, spark_session
from wortlaut.batch.tables import BAD_RECORDS, partition_date, speakers_of
from wortlaut.cli import app
from wortlaut.document import PARTS, Document
from wortlaut.readers import read_sources
from wortlaut.readers.batch_output import MARKER, UnfinishedOutput
from wortlaut.store import open_store


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def articles() -> list[Document]:
    """Seven example articles with what the inputs below carry (id, title, date, text); the sixth loses its
    date so it lands in date=unknown, the seventh goes into a WARC."""
    docs = [Document(text=d.text, id=d.id, title=d.title, date=d.date) for d in example_articles()[:7]]
    docs[5].date = None
    return docs


def jsonl_line(doc: Document) -> str:
    return json.dumps({"id": doc.id, "title": doc.title, "date": doc.date, "text": doc.text}, ensure_ascii=False)


def write_warc(path: Path, doc: Document) -> None:
    """One HTML page carrying the article, as a crawler would have archived it."""
    paragraphs = "".join(f"<p>{p}</p>" for p in doc.text.split("\n") if p.strip())
    body = f"<article><h1>{doc.title}</h1>{paragraphs}</article>"
    page = f"<html><head><title>{doc.title}</title></head><body>{body}</body></html>"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        url = f"https://example.org/lokales/{doc.id}"
        payload = BytesIO(page.encode("utf-8"))
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, articles) -> Path:
    """A JSONL file (4 articles, a malformed line, an empty text, a repeated id), a Parquet file
    (2 articles, one with a Parquet date, then a row without text) and a WARC with one page."""
    folder = tmp_path_factory.mktemp("batch-in")
    lines = [jsonl_line(d) for d in articles[:4]] + ['{"id": "broken", ', '{"id": "blank", "text": "  "}']
    lines.append(jsonl_line(articles[0]))  # the same id again
    (folder / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fifth, sixth = articles[4], articles[5]
    table = pa.table(
        {
            "id": [fifth.id, sixth.id, "no-text"],
            "title": [fifth.title, sixth.title, "no text"],
            "date": [date.fromisoformat(fifth.date), None, None],
            "text": [fifth.text, sixth.text, None],
        }
    )
    pq.write_table(table, folder / "in.parquet")
    write_warc(folder / "in.warc.gz", articles[6])
    return folder


@pytest.fixture(scope="module")
def job(spark, inputs, tmp_path_factory):
    return run_batch(spark, [str(inputs)], tmp_path_factory.mktemp("batch-out") / "out", partitions=3)


@pytest.fixture(scope="module")
def expected(articles, inputs) -> dict[str, Document]:
    """What `wortlaut analyze` finds in the same articles, with the same (default) pipeline."""
    from_warc = list(read_sources([str(inputs / "in.warc.gz")]))
    assert all(isinstance(doc, Document) for doc in from_warc) and len(from_warc) == 1
    return {doc.id: doc for doc in analyze_many(copy.deepcopy(articles[:6]) + from_warc)}


@pytest.fixture(scope="module")
def rebuilt(job) -> dict[str, Document]:
    return {doc.id: doc for doc in read_output(job.output)}


def test_rebuilt_documents_match_analyze_json_exactly(expected, rebuilt, articles):
    from_warc = "8ba615be8aa2619d"  # a page without an id gets its extracted text's content id
    assert sorted(expected) == sorted([*(doc.id for doc in articles[:6]), from_warc])
    assert expected[from_warc].title == articles[6].title
    # how many the model finds is test_model.py's business; here every article must have some to compare
    assert [key for key, doc in expected.items() if not doc.quotations] == []
    assert {k: d.to_json() for k, d in rebuilt.items()} == {k: d.to_json() for k, d in expected.items()}


def test_speaker_entities_keep_descriptors_and_aliases(expected, rebuilt):
    for key, doc in expected.items():
        assert rebuilt[key].entities == speakers_of(doc)
        for quotation, original in zip(rebuilt[key].quotations, doc.quotations):
            assert quotation.speaker_entity == original.speaker_entity


def test_bad_records_are_counted_and_named_by_file_and_line(job, inputs, articles):
    assert job.failed == 4
    assert job.articles == 7
    assert any(line.startswith(f"{inputs / 'in.jsonl'}:5: malformed JSON") for line in job.errors)
    assert f"{inputs / 'in.jsonl'}:6: empty 'text'" in job.errors
    assert f"{inputs / 'in.parquet'}:row 3: missing string field 'text'" in job.errors
    assert any(line.startswith(f"article {articles[0].id}: duplicate id") for line in job.errors)
    written = (Path(job.output) / BAD_RECORDS).read_text(encoding="utf-8").splitlines()
    assert sorted(written) == sorted(job.errors)


def test_tables_are_partitioned_by_date_with_unknown_for_undated(job, expected):
    days = {p.name for p in (Path(job.output) / "articles").iterdir() if p.is_dir()}
    assert days == {f"date={partition_date(d.date)}" for d in expected.values()}
    # the sixth article lost its date and the WARC page has none
    assert days == {
        f"date={day}" for day in ("2025-03-12", "2025-04-03", "2025-07-02", "2025-09-14", "2025-10-21", "unknown")
    }


def test_marker_is_written_last_with_the_counts(job, expected):
    marker = json.loads((Path(job.output) / MARKER).read_text(encoding="utf-8"))
    assert marker["articles"] == 7 and marker["failed"] == 4
    assert marker["quotations"] == sum(len(d.quotations) for d in expected.values())
    assert marker["tables"] == ["articles", "quotations", "spans", "speakers"]


def test_refuses_to_write_into_a_non_empty_directory(spark, job, inputs):
    with pytest.raises(BatchError, match="not empty"):
        run_batch(spark, [str(inputs)], job.output)


def test_read_output_refuses_an_unfinished_directory(tmp_path):
    (tmp_path / "articles").mkdir()
    with pytest.raises(UnfinishedOutput, match="not a finished"):
        list(read_output(tmp_path))


def test_batch_command_reports_bad_lines_and_goes_on(inputs, tmp_path):
    wortlaut = Path(sys.executable).parent / "wortlaut"
    out = tmp_path / "out"
    run = subprocess.run(
        [str(wortlaut), "batch", str(inputs / "in.jsonl"), "--output", str(out), "--master", "local[1]"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert f"{inputs / 'in.jsonl'}:5: malformed JSON" in run.stderr
    assert "4 articles" in run.stderr
    assert "3 bad records, 0 skipped as not German" in run.stderr  # malformed, blank, repeated id
    assert (out / MARKER).is_file()


def test_ingest_stores_the_batch_output_without_analysing_again(job, rebuilt, tmp_path, monkeypatch):
    def no_analysis(*args, **kwargs):
        raise AssertionError("ingest of a batch output must not analyse again")

    monkeypatch.setattr("wortlaut.pipeline.Pipeline.__call__", no_analysis)
    db = str(tmp_path / "store.sqlite")
    run = CliRunner().invoke(app, ["ingest", job.output, "--db", db])
    assert run.exit_code == 0, run.output
    with open_store(db) as store:
        assert store.stats().articles == len(rebuilt)
        for key, doc in rebuilt.items():
            stored = store.article(key)
            assert stored is not None and stored.text == doc.text
            assert {q.id: (q.type, q.quote, q.speaker, q.cue) for q in stored.quotations} == {
                q.id: (q.type, q.quote, q.speaker, q.cue) for q in doc.quotations
            }


# ---- the checks `wortlaut ingest` makes: language, and long articles analysed in pieces -------------------

ENGLISH = (
    "The minister said on Monday that the bridge would be repaired by the autumn. "
    '"We have waited long enough," he told reporters at the town hall.'
)
PIECE_CHARS = 800  # small, so an example article of a few paragraphs is analysed in several pieces


@pytest.fixture(scope="module")
def long_article() -> Document:
    """Two example articles' paragraphs as one article of about 3,000 characters, with quotations all through it."""
    first, second = example_articles()[1:3]
    return Document(text=first.text + "\n\n" + second.text, id="long", title=first.title, date=first.date)


@pytest.fixture(scope="module")
def checked_job(spark, articles, long_article, tmp_path_factory):
    """An English article, a German one and a long one, with the piece size passed through the job, and two
    text files of the same name in different folders (as in a site mirror)."""
    folder = tmp_path_factory.mktemp("batch-checks")
    english = Document(text=ENGLISH, id="english", title="Bridge")
    lines = [jsonl_line(doc) for doc in (english, articles[0], long_article)]
    (folder / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for day, doc in (("2024-01-01", articles[1]), ("2024-01-02", articles[2])):
        (folder / day).mkdir()
        (folder / day / "artikel.txt").write_text(doc.text, encoding="utf-8")
    return run_batch(spark, [str(folder)], folder / "out", extractor="rules", partitions=2, piece_chars=PIECE_CHARS)


def test_non_german_article_is_skipped_with_its_reason(checked_job, articles):
    assert (checked_job.articles, checked_job.failed, checked_job.not_german) == (4, 1, 1)
    assert checked_job.errors == ["article english: language en; skipped"]
    assert (Path(checked_job.output) / BAD_RECORDS).read_text(encoding="utf-8").splitlines() == checked_job.errors
    assert json.loads((Path(checked_job.output) / MARKER).read_text(encoding="utf-8"))["not_german"] == 1
    assert {doc.id for doc in read_output(checked_job.output)} == {
        articles[0].id,
        "long",
        "2024-01-01/artikel",
        "2024-01-02/artikel",
    }


def test_long_article_in_pieces_gives_the_quotations_of_the_whole(checked_job, long_article):
    def found(doc: Document) -> list[tuple]:
        return [(q.type, q.medium, [(p, [s.to_json() for s in q.part(p)]) for p in PARTS]) for q in doc.quotations]

    rebuilt = next(doc for doc in read_output(checked_job.output) if doc.id == "long")
    whole = analyze(copy.deepcopy(long_article), extractor="rules")
    assert len(whole.quotations) == 30 and found(rebuilt) == found(whole)
    assert sorted({q.id.split("-", 1)[0] for q in rebuilt.quotations}) == [
        "p0",
        "p1",
        "p2",
        "p3",
        "p4",
    ]  # 2,895 characters in pieces of about 800
