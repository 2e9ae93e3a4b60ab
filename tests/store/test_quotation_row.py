"""The one flat quotation row: the web API's HitOut and the Spark quotations table take their columns from it."""

from __future__ import annotations

from wortlaut.batch.tables import SCHEMAS
from wortlaut.store import QUOTATION_ROW
from wortlaut.web.schemas import HitOut


def test_web_hits_have_the_row_columns_with_their_docs():
    assert list(HitOut.model_fields) == [column.name for column in QUOTATION_ROW]
    assert HitOut.model_fields["cue"].description == "The cue words (sagte, betonte, ...), pieces joined by ' … '."
    assert (HitOut.model_fields["start"].annotation, HitOut.model_fields["entity_id"].annotation) == (int, str | None)


def test_spark_quotations_table_types_shared_columns_as_the_row():
    spark = dict(part.split(" ") for part in SCHEMAS["quotations"].split(", "))
    assert spark["confidence"] == "double" and spark["quotation_id"] == "string"
    shared = [column for column in QUOTATION_ROW if column.name in spark]
    assert {c.name for c in shared} == {
        "article_id",
        "quotation_id",
        "date",
        "type",
        "medium",
        "confidence",
        "nested_in",
    }
    assert all(spark[c.name] == c.spark_type for c in shared)
