"""The dataset's JSONL format read and written: what `dataset_record` writes, `gold_document` reads back
to the same quotations, and writing that again gives the same record."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ANNOTATED, annotated_document

from wortlaut.training.gold import dataset_record, gold_document, read_gold


def test_a_written_record_reads_back_and_writes_again_unchanged(annotated_dir: Path) -> None:
    for line in (annotated_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert dataset_record(gold_document(record)) == record


def test_a_record_has_the_dataset_layout() -> None:
    text, quotations = ANNOTATED[1]
    record = dataset_record(annotated_document(text, quotations))
    indirect = record["annotations"][0]
    assert indirect["type"] == "Indirect" and indirect["medium"] == "Speech"
    assert indirect["speaker"]["text"] == "Der Bürgermeister"
    assert indirect["speaker"]["tokenIds"] == [0, 1]
    assert indirect["speaker"]["spans"] == [{"begin": 0, "charBegin": 0, "charEnd": 17, "end": 2}]
    assert indirect["addressee"] == {"spans": [], "text": "", "tokenIds": []}
    assert record["tokens"][0] == {"charBegin": 0, "charEnd": 3, "id": 0, "sentence": 1, "text": "Der", "word": 1}
    first, second = record["sentences"]
    assert first["text"] == "Der Bürgermeister erklärte, die Brücke sei seit Jahren marode. "
    assert second["begin"] == first["end"] and second["text"].startswith("Sie müsse")


def test_quotations_survive_the_round_trip(annotated_dir: Path) -> None:
    docs = list(read_gold(annotated_dir / "dev.jsonl"))
    assert [[(q.type, q.quote_text, q.speaker_text) for q in d.quotations] for d in docs][:2] == [
        [("Direct", "Wir werden nicht nachgeben", "die Ministerin")],
        [
            ("Indirect", "die Brücke sei seit Jahren marode", "Der Bürgermeister"),
            ("IndirectFreeIndirect", "Sie müsse bald erneuert werden", ""),
        ],
    ]
