"""Generalization hierarchies: ARX CSV files, and generated ones for numbers and dates.

A hierarchy maps each original value to its labels at every level, level 0 being the value
itself and the last level the fully generalized ``*``. Hierarchies must be trees: a label at
one level always generalizes to the same label at the next, or full-domain generalization
would not be a function of the level alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from laborcommons.core.errors import InvalidInput

TOP = "*"


@dataclass(frozen=True)
class Hierarchy:
    """Labels of every original value at every level (``labels[value][0] == value``)."""

    column: str
    labels: Mapping[str, tuple[str, ...]]
    source: str = "generated"

    @property
    def height(self) -> int:
        """Number of levels, the original included (the lattice has ``height`` choices)."""
        return len(next(iter(self.labels.values()), ()))


def hierarchy_from_rows(column: str, rows: Sequence[Sequence[str]], *, source: str) -> Hierarchy:
    """Validate rows ``value, level1, ..., top`` into a hierarchy, naming the bad row."""
    if not rows:
        raise InvalidInput(
            f"hierarchy {source} for column {column!r} is empty",
            details={"file": source, "column": column},
        )
    width = len(rows[0])
    labels: dict[str, tuple[str, ...]] = {}
    parent: list[dict[str, str]] = [{} for _ in range(width)]
    for number, row in enumerate(rows, start=1):
        where = {"file": source, "row": number, "column": column}
        if len(row) != width:
            raise InvalidInput(
                f"{source} row {number}: {len(row)} levels where row 1 has {width}",
                details=where,
            )
        if row[0] in labels:
            raise InvalidInput(
                f"{source} row {number}: value {row[0]!r} is listed twice", details=where
            )
        for level in range(1, width):
            seen = parent[level].setdefault(row[level - 1], row[level])
            if level > 1 and seen != row[level]:
                raise InvalidInput(
                    f"{source} row {number}: {row[level - 1]!r} at level {level - 1} "
                    f"generalizes to both {seen!r} and {row[level]!r} at level {level}; "
                    "a hierarchy must be a tree",
                    details={**where, "value": row[level - 1]},
                )
        labels[row[0]] = tuple(row)
    tops = {row[-1] for row in rows}
    if len(tops) != 1:
        raise InvalidInput(
            f"{source}: the last level must be one value for all rows, found {sorted(tops)[:5]}",
            details={"file": source, "column": column},
        )
    return Hierarchy(column=column, labels=labels, source=source)


def read_hierarchy(path: Path, column: str) -> Hierarchy:
    """Read one ARX hierarchy file (``;``-separated, one row per original value)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path.name} is not UTF-8 text (byte {error.start})",
            details={"file": path.name, "column": column},
        ) from None
    rows = [row for row in csv.reader(text.splitlines(), delimiter=";") if row]
    return hierarchy_from_rows(column, rows, source=path.name)


def hierarchy_file(directory: Path, column: str) -> Path:
    """The one ``*_hierarchy_<column>.csv`` file in ``directory`` (ARX's naming)."""
    matches = sorted(directory.glob(f"*_hierarchy_{glob_escape(column)}.csv"))
    if len(matches) != 1:
        found = "none" if not matches else ", ".join(p.name for p in matches)
        raise InvalidInput(
            f"expected one file named *_hierarchy_{column}.csv in {directory} for "
            f"quasi-identifier {column!r}, found {found}",
            details={"directory": str(directory), "column": column},
        )
    return matches[0]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def read_hierarchies(directory: Path, columns: Iterable[str]) -> dict[str, Hierarchy]:
    """The hierarchy of each column from ``directory``, as ARX names its files."""
    if not directory.is_dir():
        raise InvalidInput(
            f"hierarchy directory {directory} does not exist",
            details={"directory": str(directory)},
        )
    return {column: read_hierarchy(hierarchy_file(directory, column), column) for column in columns}


def interval_hierarchy(
    column: str, values: Iterable[str], *, width: float | None = None, levels: int = 4
) -> Hierarchy:
    """Numbers as intervals ``[lo, hi)`` whose width doubles per level, then ``*``.

    Boundaries sit on multiples of the width so each interval nests in the next. Without a
    width, the first is the range over 2**levels rounded to 1, 2 or 5 times a power of ten.
    """
    distinct = sorted(set(values))
    numbers: dict[str, float] = {}
    for value in distinct:
        try:
            numbers[value] = float(value.strip())
        except ValueError:
            raise InvalidInput(
                f"column {column!r}: {value!r} is not a number, so no interval hierarchy",
                details={"column": column, "value": value},
            ) from None
        if not math.isfinite(numbers[value]):
            raise InvalidInput(
                f"column {column!r}: {value!r} is not a finite number",
                details={"column": column, "value": value},
            )
    if width is None:
        span = (max(numbers.values()) - min(numbers.values())) if numbers else 1.0
        width = _nice(span / 2**levels)
    labels = {
        value: (value, *(_interval(number, width * 2**level) for level in range(levels)), TOP)
        for value, number in numbers.items()
    }
    return Hierarchy(column=column, labels=labels)


def _nice(raw: float) -> float:
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _interval(number: float, width: float) -> str:
    low = math.floor(number / width) * width
    return f"[{_fmt(low)}, {_fmt(low + width)})"


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def date_hierarchy(column: str, values: Iterable[str]) -> Hierarchy:
    """ISO dates (``YYYY-MM-DD``, a time part is ignored): day, month, year, ``*``."""
    labels: dict[str, tuple[str, ...]] = {}
    for value in sorted(set(values)):
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise InvalidInput(
                f"column {column!r}: {value!r} is not an ISO date (YYYY-MM-DD)",
                details={"column": column, "value": value},
            ) from None
        labels[value] = (value, f"{day:%Y-%m}", f"{day:%Y}", TOP)
    return Hierarchy(column=column, labels=labels)


GENERATORS = {"interval": interval_hierarchy, "date": date_hierarchy}
