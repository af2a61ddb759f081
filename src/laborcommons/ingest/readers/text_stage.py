"""Stream rows of strings into a staged Parquet file, each with its row number in the source.

Used by the readers that parse in Python (XLSX, XML): pyarrow writes batches of ~10k rows
so memory stays flat however long the sheet is; DuckDB types the columns afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from laborcommons.ingest.readers.base import ROW_COLUMN

BATCH_ROWS = 10_000


def stage_name(position: int) -> str:
    """Positional names inside the stage, so blank or repeated headers cannot collide."""
    return f"c{position}"


class TextStageWriter:
    """Buffer rows column-wise and flush them as Parquet row groups."""

    def __init__(self, path: Path, width: int) -> None:
        fields = [pa.field(stage_name(i), pa.string()) for i in range(width)]
        self.schema = pa.schema([*fields, pa.field(ROW_COLUMN, pa.int64())])
        self.width = width
        self.rows = 0
        self._writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self._reset()

    def _reset(self) -> None:
        self._columns: list[list[str | None]] = [[] for _ in range(self.width)]
        self._numbers: list[int] = []

    def add(self, number: int, values: Sequence[str | None]) -> None:
        """Append one row; ``values`` has exactly ``width`` entries."""
        for column, value in zip(self._columns, values, strict=True):
            column.append(value)
        self._numbers.append(number)
        self.rows += 1
        if len(self._numbers) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        arrays = [pa.array(column, pa.string()) for column in self._columns]
        arrays.append(pa.array(self._numbers, pa.int64()))
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self._reset()

    def close(self) -> None:
        if self._numbers:
            self.flush()
        self._writer.close()

    def __enter__(self) -> TextStageWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
