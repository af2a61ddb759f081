"""Delimiter, preamble and header of a CSV, found with the csv module.

The delimiter and the preamble (comment lines starting with ``#``, such as WikiRate's export
notes, and title lines above the header) are judged on the first 64 KiB of text; the header
itself is read in full from the file, however long (up to ``MAX_HEADER_CHARS`` and
``MAX_COLUMNS``, beyond which the file is refused with a clear issue).
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from laborcommons.ingest import issues
from laborcommons.ingest.headers import clean
from laborcommons.ingest.schemas import ValidationReport

DELIMITERS = ",;\t|"
SAMPLE_CHARS = 1 << 16
MAX_PREAMBLE_LINES = 50  # comment and title lines looked for above the header
MAX_HEADER_CHARS = 1 << 20  # a header line longer than this (1 MiB) is refused
MAX_COLUMNS = 16_384  # Excel's width: no real table is wider


@dataclass(frozen=True)
class Skipped:
    line: int  # 1-based physical line where the skipped record starts
    last: int  # and where it ends (a quoted comment can span lines)
    kind: str  # "comment", "title" or "blank"
    text: str


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    header: list[str]
    skip: int = 0  # physical lines above the header
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def header_line(self) -> int:
        return self.skip + 1


class _HeaderTooLong(Exception):
    pass


def sniff_dialect(path: Path, original_name: str, report: ValidationReport) -> Dialect | None:
    """The delimiter, preamble and cleaned header; None when there is no header (an issue
    is reported when the header is over the limits; none when the file is just empty)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        sample = stream.read(SAMPLE_CHARS)
    if not sample.strip():
        return None
    tsv = original_name.lower().endswith(".tsv")
    delimiter = "\t" if tsv else guess_delimiter(sample)
    skipped = find_preamble(sample, delimiter)
    skip = skipped[-1].last if skipped else 0
    try:
        header = _read_header(path, skip, delimiter)
    except (_HeaderTooLong, csv.Error):
        message = (
            f"the header of {original_name} (line {skip + 1}) is longer than "
            f"{MAX_HEADER_CHARS:,} characters: the file is refused rather than cut"
        )
        issues.add(report, "too-many-columns", message, row=skip + 1)
        return None
    if len(header) > MAX_COLUMNS:
        message = (
            f"the header of {original_name} has {len(header):,} columns, over the limit of "
            f"{MAX_COLUMNS:,}: the file is refused rather than cut"
        )
        issues.add(report, "too-many-columns", message, row=skip + 1)
        return None
    return Dialect(delimiter, [clean(cell) for cell in header], skip, skipped)


def _read_header(path: Path, skip: int, delimiter: str) -> list[str]:
    """The whole first record below the preamble, never cut at a sample's end."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(skip):
            stream.readline()
        return next(csv.reader(_capped_lines(stream), delimiter=delimiter), [])


def _capped_lines(stream: TextIO) -> Iterator[str]:
    total = 0
    while line := stream.readline(MAX_HEADER_CHARS + 1):
        total += len(line)
        if total > MAX_HEADER_CHARS:
            raise _HeaderTooLong
        yield line


def _width(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def find_preamble(sample: str, delimiter: str) -> list[Skipped]:
    """Lines above the header: blank lines, comment lines (starting with ``#``, quoted or not)
    and title lines (one filled cell above a table of several columns).

    A ``#`` line is a comment only when it has fewer cells than the rows below it (or reads
    ``# ...``), so a header whose first column is named ``#`` stays the header.
    """
    complete = sample[: sample.rfind("\n") + 1] or sample
    records: list[tuple[int, int, list[str], str]] = []  # first line, last line, cells, text
    lines = complete.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for cells in reader:
            last = reader.line_num
            first = records[-1][1] + 1 if records else 1
            text = "".join(lines[first - 1 : last]).strip()
            records.append((first, last, cells, text))
            if len(records) > MAX_PREAMBLE_LINES + 10:
                break
    except csv.Error:
        pass
    skipped: list[Skipped] = []
    for index, (first, last, cells, text) in enumerate(records[:MAX_PREAMBLE_LINES]):
        below = [len(r[2]) for r in records[index + 1 : index + 11] if _width(r[2])]
        typical = statistics.median_low(below) if below else 0
        width = _width(cells)
        if width == 0:
            kind = "blank"
        elif text.lstrip('"').startswith("#") and (width < typical or text.startswith("# ")):
            kind = "comment"
        elif width == 1 and typical >= 2:
            kind = "title"
        else:
            return skipped
        skipped.append(Skipped(first, last, kind, text))
    return []  # nothing but preamble in sight: no header to skip to


def guess_delimiter(sample: str) -> str:
    """csv.Sniffer first, checked against the header line; else the header's commonest candidate.

    The Sniffer can pick a character that only appears inside quoted data, so its answer
    must also occur in the first line to be believed. Comment lines (``#``) and lines with
    no candidate at all (titles, blanks) are not the first line.
    """
    kept = [
        line
        for line in sample.splitlines(keepends=True)
        if not line.lstrip().lstrip('"').startswith("#")
    ]
    table = "".join(kept)
    complete = table[: table.rfind("\n") + 1] or table
    first = next((line for line in kept if any(c in line for c in DELIMITERS)), "")
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
    counted like DuckDB counts them: the header is row 1 (below any skipped preamble lines,
    which count) and blank lines are skipped.
    """
    width = len(dialect.header)
    before = report.issue_count
    record = dialect.skip
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for _ in range(dialect.skip):
            stream.readline()
        reader = csv.reader(stream, delimiter=dialect.delimiter, strict=True)
        try:
            for cells in reader:
                if not cells:
                    continue
                record += 1
                if record > dialect.header_line and len(cells) != width:
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
