"""Fixtures for the ingest tests: run read_to_parquet on bytes built in the test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from laborcommons.ingest import IngestResult, ValidationReport, read_to_parquet


@dataclass
class Ingested:
    result: IngestResult
    out: Path

    @property
    def report(self) -> ValidationReport:
        return self.result.report

    def rows(self) -> list[dict[str, Any]]:
        return pq.read_table(self.out).to_pylist()

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows()]

    def types(self) -> dict[str, str]:
        return {column.name: column.type for column in self.result.columns}

    def issues(self) -> list[tuple[str, int | None, str | None]]:
        return [(issue.type, issue.row, issue.column) for issue in self.report.issues]


Ingest = Callable[..., Ingested]


@pytest.fixture
def ingest(tmp_path: Path) -> Ingest:
    """Write ``content`` to disk, ingest it, and check the promises every ingest keeps:
    no scratch files left behind, and an output file exactly when the report is valid."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    uploads = tmp_path / "uploads"
    uploads.mkdir()

    def run(name: str, content: bytes | str, **options: Any) -> Ingested:
        source = uploads / f"upload-{len(list(uploads.iterdir()))}"
        source.write_bytes(content.encode() if isinstance(content, str) else content)
        out = tmp_path / "out.parquet"
        options.setdefault("tmp_dir", scratch)
        try:
            result = read_to_parquet(source, original_name=name, out_path=out, **options)
        finally:
            assert list(scratch.iterdir()) == [], "scratch files left behind"
        assert out.exists() == result.report.valid
        assert result.report.issue_count >= len(result.report.issues)
        for issue in result.report.issues:
            assert issue.file == name
        return Ingested(result, out)

    return run
