"""Shared pytest fixtures. Add yours below; keep each fixture self-contained.

`postgres_server` starts a real, throw-away PostgreSQL server (the newest installed) for the test session
(initdb + pg_ctl on a temporary directory, unix socket only; as root it runs as the `postgres` user, since initdb
refuses root).
`store_url` runs a test once on SQLite and once on a fresh PostgreSQL database.
`annotated_dir` is a tiny annotated dataset of our own sentences in the dataset's layout.
`example_articles` and `article_variants` give articles from the repository's examples/, for tests that need
real-looking news without the dataset in ../shared.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from wortlaut import nlp, settings
from wortlaut.document import Document, Quotation, Span, content_id
from wortlaut.readers import read_sources
from wortlaut.store.pgserver import create_database, temporary_server
from wortlaut.training.gold import dataset_record


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Admin URL of a PostgreSQL server running for the whole session."""
    with temporary_server(durable=False) as admin_url:
        yield admin_url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the session server (one per test, so tests never see each other's rows)."""
    return create_database(postgres_server, "t_" + uuid.uuid4().hex[:12])


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store test against both backends: a SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")


#: Our own annotated sentences in the dataset's scheme: (text, [(type, medium, {part: substring, ...})]).
#: A part's substring is found in the text (its first occurrence, or after the quote for speaker/cue).
ANNOTATED = [
    (
        "„Wir werden nicht nachgeben“, sagte die Ministerin am Montag in Berlin. Die Gespräche gingen weiter.",
        [("Direct", "Speech", {"quote": "Wir werden nicht nachgeben", "speaker": "die Ministerin", "cue": "sagte"})],
    ),
    (
        "Der Bürgermeister erklärte, die Brücke sei seit Jahren marode. Sie müsse bald erneuert werden.",
        [
            (
                "Indirect",
                "Speech",
                {
                    "quote": "die Brücke sei seit Jahren marode",
                    "speaker": "Der Bürgermeister",
                    "cue": "erklärte",
                    "frame": "Der Bürgermeister erklärte",
                },
            ),
            ("IndirectFreeIndirect", "Speech", {"quote": "Sie müsse bald erneuert werden"}),
        ],
    ),
    (
        "Laut Polizei wurden bei dem Unfall drei Menschen verletzt. Der Fahrer blieb unverletzt.",
        [
            (
                "Indirect",
                "Speech",
                {
                    "quote": "wurden bei dem Unfall drei Menschen verletzt",
                    "speaker": "Polizei",
                    "cue": "Laut",
                    "frame": "Laut Polizei",
                },
            )
        ],
    ),
    (
        "Die Gewerkschaft wies die Vorwürfe zurück. Am Abend trafen sich beide Seiten erneut.",
        [("Reported", "Speech", {"quote": "die Vorwürfe", "speaker": "Die Gewerkschaft", "cue": "wies"})],
    ),
    (
        "Der Täter soll den Angaben zufolge aus der Stadt stammen. Die Ermittlungen dauern an.",
        [
            (
                "FreeIndirect",
                "Speech",
                {"quote": "Der Täter soll den Angaben zufolge aus der Stadt stammen", "cue": "zufolge"},
            )
        ],
    ),
    (
        "In einem Brief schrieb die Autorin, sie habe den Preis nie gewollt. Der Verlag schwieg dazu.",
        [
            (
                "Indirect",
                "Writing",
                {
                    "quote": "sie habe den Preis nie gewollt",
                    "speaker": "die Autorin",
                    "cue": "schrieb",
                    "frame": "schrieb die Autorin",
                },
            )
        ],
    ),
]


def annotated_document(text: str, quotations: list[tuple[str, str, dict[str, str]]]) -> Document:
    """A tokenised Document with the given quotations, parts found by their substrings."""
    doc = nlp.tokenize(Document(text=text, id=f"fixture-{content_id(text)}", title="Fixture", date="2024-05-17"))
    for n, (type_, medium, parts) in enumerate(quotations):
        spans = {}
        for part, words in parts.items():
            start = text.index(words)
            spans[part] = [Span.of(text, start, start + len(words))]
        doc.quotations.append(Quotation(id=f"q{n}", type=type_, medium=medium, **spans))
    return doc


@pytest.fixture(scope="session")
def annotated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny dataset of our own sentences in the dataset's layout: train.jsonl (repeated, so a CRF has
    something to learn) and dev.jsonl."""
    folder = tmp_path_factory.mktemp("annotated")
    records = [dataset_record(annotated_document(text, quotations)) for text, quotations in ANNOTATED]
    with open(folder / "train.jsonl", "w", encoding="utf-8") as out:
        for copy in range(3):
            for record in records:
                out.write(json.dumps({**record, "documentName": f"{copy}{record['documentName']}"}) + "\n")
    with open(folder / "dev.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)
    return folder


EXAMPLE_IDS = [
    "01_hafenbruecke",
    "02_bahnstreik",
    "03_hitzewelle",
    "04_handball",
    "05_wohnungsstudie",
    "windpark-hagenau",
    "museum-lindenau",
    "schule-ganztag",
]


def example_articles() -> list[Document]:
    """The example articles shipped in examples/ (five text files, then examples/articles.jsonl), read as
    ingest reads them."""
    docs = [doc for doc in read_sources([str(settings.EXAMPLES_DIR)]) if isinstance(doc, Document)]
    assert [doc.id for doc in docs] == EXAMPLE_IDS, "examples/ changed: update EXAMPLE_IDS and the tests' figures"
    return docs


def article_variants(count: int) -> list[Document]:
    """`count` articles with distinct ids (variant-000, ...) and distinct texts, for tests that need more
    articles than examples/ has: the first round is the examples themselves, each later one an example with
    its paragraphs in a new (seeded, so reproducible) order."""
    examples = example_articles()
    shuffler = random.Random(12)
    seen: set[str] = set()
    variants = []
    for n in range(count):
        base = examples[n % len(examples)]
        paragraphs = base.text.split("\n\n")
        text = base.text
        while text in seen:
            shuffler.shuffle(paragraphs)
            text = "\n\n".join(paragraphs)
        seen.add(text)
        variants.append(Document(text=text, id=f"variant-{n:03d}", title=base.title, date=base.date))
    return variants
