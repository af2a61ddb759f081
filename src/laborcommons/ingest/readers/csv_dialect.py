"""Delimiter and header of a CSV, found with the csv module on the first 64 KiB of text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from laborcommons.ingest import issues
from laborcommons.ingest.headers import clean
from laborcommons.ingest.schemas import ValidationReport

DELIMITERS = ",;\t|"
SAMPLE_CHARS = 1 << 16


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    header: list[str]


def sniff_dialect(path: Path, original_name: str) -> Dialect | None:
    """Return the delimiter and cleaned header, or None when the file has no header at all."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        sample = stream.read(SAMPLE_CHARS)
    if not sample.strip():
        return None
    tsv = original_name.lower().endswith(".tsv")
    delimiter = "\t" if tsv else guess_delimiter(sample)
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    return Dialect(delimiter, [clean(cell) for cell in header])


def guess_delimiter(sample: str) -> str:
    """csv.Sniffer first, checked against the header line; else the header's commonest candidate.

    The Sniffer can pick a character that only appears inside quoted data, so its answer
    must also occur in the first line to be believed.
    """
    complete = sample[: sample.rfind("\n") + 1] or sample
    first = sample.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(complete, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first:
        return sniffed
    counts = {candidate: first.count(candidate) for candidate in DELIMITERS}
    best = max(DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def diagnose(path: Path, dialect: Dialect, report: ValidationReport) -> bool:
    """Find ragged rows and broken quoting with the csv module when DuckDB only says "failed".

    Slow (pure Python) but only runs after DuckDB gave up on the file. Rows are records,
    counted like DuckDB counts them: the header is row 1 and blank lines are skipped.
    """
    width = len(dialect.header)
    before = report.issue_count
    record = 0
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream, delimiter=dialect.delimiter, strict=True)
        try:
            for cells in reader:
                if not cells:
                    continue
                record += 1
                if record > 1 and len(cells) != width:
                    ragged(report, record, len(cells), width, dialect.header)
        except csv.Error as error:
            message = f"row {record + 1}: {error}"
            issues.add(report, "csv-error", message, row=record + 1)
    return report.issue_count > before


def ragged(report: ValidationReport, row: int, found: int, width: int, header: list[str]) -> None:
    """Report a row whose cell count differs from the header's."""
    if found < width:
        missing = header[found]
        message = f"row {row} has {found} cells, the header has {width}: {missing!r} is missing"
        issues.add(report, "missing-cell", message, row=row, column=missing)
    else:
        column = f"column {width + 1}"
        message = f"row {row} has {found} cells, the header has {width}"
        issues.add(report, "extra-cell", message, row=row, column=column)
