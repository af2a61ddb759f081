"""The ingest domain's public surface and its documentation stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import laborcommons.ingest as ingest
from laborcommons.ingest import FORMATS, ISSUE_TYPES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_public_surface_is_pinned() -> None:
    assert sorted(ingest.__all__) == [
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


def test_every_issue_type_is_documented() -> None:
    headings = set(re.findall(r"^### ([a-z-]+)$", DOCS.read_text(), flags=re.MULTILINE))
    assert headings == set(ISSUE_TYPES)


def test_every_format_is_documented() -> None:
    text = DOCS.read_text()
    for extension in FORMATS:
        assert f"`{extension}`" in text
