"""Batch analysis on Apache Spark (the `[spark]` extra): many articles in, Parquet tables by date out."""

from ..readers.batch_output import is_batch_output, read_output
from .job import BatchError, BatchResult, run_batch, spark_session

__all__ = ["BatchError", "BatchResult", "is_batch_output", "read_output", "run_batch", "spark_session"]
