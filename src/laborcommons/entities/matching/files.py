"""Standalone clustering of CSV files: read robustly, cluster, write ``id,cluster_id``.

With two inputs, ids only need to be unique within their own file: the output then has a
third column, ``source``, the input path as given, which together with ``id`` names a
record. Both files are linked *and* deduplicated (a list's own duplicates are grouped too).
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from laborcommons.core.errors import InvalidInput, NotFound
from laborcommons.entities.matching.backends import Progress
from laborcommons.entities.matching.pipeline import CLUSTER_THRESHOLD, cluster_records
from laborcommons.ingest.encoding import detect_encoding
from laborcommons.ingest.readers.csv_dialect import guess_delimiter

PROGRESS_ROWS = 10_000
"""Files with at least this many rows report progress."""


@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each field (None: the files do not have it)."""

    id: str
    name: str
    address: str | None = None
    country: str | None = None
    city: str | None = None
    postal_code: str | None = None
    latitude: str | None = None
    longitude: str | None = None

    def fields(self) -> dict[str, str]:
        return {field: column for field, column in vars(self).items() if column}


def read_records(path: Path, columns: ColumnMap) -> pd.DataFrame:
    """The mapped columns of a CSV (any common encoding and delimiter), all as text."""
    if not path.is_file():
        raise NotFound(f"{path}: no such file", details={"file": str(path)})
    encoding = detect_encoding(path, path.name)
    codec = "utf-8-sig" if encoding.utf8 else encoding.codec
    with path.open(encoding=codec, errors="replace", newline="") as stream:
        sample = stream.read(64 * 1024)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else guess_delimiter(sample)
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            encoding=codec,
            encoding_errors="replace",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(
            f"{path}: not a readable CSV ({error})", details={"file": str(path)}
        ) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    wanted = columns.fields()
    missing = sorted({column for column in wanted.values() if column not in frame.columns})
    if missing:
        raise InvalidInput(
            f"{path}: no column {', '.join(repr(c) for c in missing)} "
            f"(the file has: {', '.join(frame.columns)})",
            details={"file": str(path), "missing": missing, "columns": list(frame.columns)},
        )
    records = pd.DataFrame({field: frame[column] for field, column in wanted.items()})
    _check_ids(path, records["id"])
    return records


def _check_ids(path: Path, ids: pd.Series) -> None:
    blank = ids.str.strip() == ""
    if blank.any():
        row = int(blank.to_numpy().nonzero()[0][0]) + 2
        raise InvalidInput(
            f"{path}: row {row} has an empty id", details={"file": str(path), "row": row}
        )
    duplicated = ids.str.strip().duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise InvalidInput(
            f"{path}: row {row} repeats the id {ids.iloc[row - 2]!r}; ids must be unique in a file",
            details={"file": str(path), "row": row, "id": ids.iloc[row - 2]},
        )


def cluster_files(
    inputs: list[Path],
    columns: ColumnMap,
    output: Path,
    *,
    threshold: float = CLUSTER_THRESHOLD,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Cluster one or two CSV files and write the assignments; all or nothing is written."""
    if not 1 <= len(inputs) <= 2:
        raise InvalidInput(f"give one or two input files (got {len(inputs)})")
    frames = []
    for path in inputs:
        records = read_records(path, columns)
        records["source"] = str(path) if len(inputs) > 1 else ""
        frames.append(records)
    records = pd.concat(frames, ignore_index=True)
    big = len(records) >= PROGRESS_ROWS
    assigned = cluster_records(records, threshold=threshold, progress=progress if big else None)
    result = assigned[["id", "cluster_id", "source"] if len(inputs) > 1 else ["id", "cluster_id"]]
    _write_atomically(result, output)
    return result


def _write_atomically(frame: pd.DataFrame, output: Path) -> None:
    directory = output.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{output}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=".cluster-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, quoting=csv.QUOTE_MINIMAL)
        Path(temporary).replace(output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
