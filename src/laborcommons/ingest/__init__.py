"""Readers (CSV, XLSX, JSON, JSON Lines, XML), schema inference and validation reports."""

from laborcommons.ingest.formats import FORMATS
from laborcommons.ingest.issues import ISSUE_TYPES
from laborcommons.ingest.schemas import (
    ColumnProfile,
    ColumnStats,
    ColumnType,
    IngestResult,
    ValidationIssue,
    ValidationReport,
)
from laborcommons.ingest.service import read_to_parquet

__all__ = [
    "FORMATS",
    "ISSUE_TYPES",
    "ColumnProfile",
    "ColumnStats",
    "ColumnType",
    "IngestResult",
    "ValidationIssue",
    "ValidationReport",
    "read_to_parquet",
]
