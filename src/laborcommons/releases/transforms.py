"""Column transformations a resolution applies to a version's rows (pure, on Arrow tables).

Values are handled as text (the hierarchies and pseudonyms work on text); empty cells stay
empty, so a transformation never invents data.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon.hierarchies import (
    TOP,
    Hierarchy,
    date_hierarchy,
    hierarchy_from_rows,
    interval_hierarchy,
)
from laborcommons.releases.schemas import HierarchySpec


def text_values(table: pa.Table, column: str) -> list[str | None]:
    """A column as text: ISO for dates, plain digits for integers, None for empty."""
    array = table.column(column)
    if pa.types.is_timestamp(array.type):
        return [None if v is None else v.isoformat() for v in array.to_pylist()]
    if pa.types.is_floating(array.type):
        return [_number_text(v) for v in array.to_pylist()]
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    return [None if v is None or v == "" else str(v) for v in array.to_pylist()]


def _number_text(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else repr(value)


def require_column(table: pa.Table, column: str) -> None:
    if column not in table.column_names:
        raise InvalidInput(
            f"the version has no column {column!r}",
            details={"column": column, "columns": table.column_names},
        )


def replace_column(table: pa.Table, column: str, transform: Callable[[str], str]) -> pa.Table:
    """``column`` with ``transform`` applied to every non-empty value, as text."""
    values = [None if v is None else transform(v) for v in text_values(table, column)]
    index = table.column_names.index(column)
    return table.set_column(index, column, pa.array(values, type=pa.string()))


def drop(table: pa.Table, column: str) -> pa.Table:
    require_column(table, column)
    if table.num_columns == 1:
        raise InvalidInput(
            f"{column!r} is the only column; dropping it would leave no data",
            details={"column": column},
        )
    return table.drop_columns([column])


def build_hierarchy(spec: HierarchySpec, column: str, values: list[str]) -> Hierarchy:
    """The hierarchy a spec asks for, over the column's distinct values."""
    distinct = sorted(set(values))
    if spec.kind == "interval":
        return interval_hierarchy(column, distinct, width=spec.width)
    if spec.kind == "date":
        return date_hierarchy(column, distinct)
    if spec.kind == "suppress":
        return Hierarchy(column=column, labels={v: (v, TOP) for v in distinct})
    rows = [row for row in csv.reader((spec.csv or "").splitlines(), delimiter=";") if row]
    return hierarchy_from_rows(column, rows, source=spec.file or f"(ARX rows for {column!r})")


def generalize(table: pa.Table, column: str, hierarchy: Hierarchy, level: int) -> pa.Table:
    """Replace each value by its label at ``level``; a value the hierarchy lacks is an error."""
    require_column(table, column)
    top = hierarchy.height - 1 if hierarchy.labels else 0
    if hierarchy.labels and not 1 <= level <= top:
        raise InvalidInput(
            f"level {level} is outside the hierarchy of {column!r} (levels 1 to {top})",
            details={"column": column, "level": level},
        )

    def label(value: str) -> str:
        labels = hierarchy.labels.get(value)
        if labels is None:
            raise InvalidInput(
                f"value {value!r} of column {column!r} is not in its hierarchy",
                details={"column": column, "value": value, "file": hierarchy.source},
            )
        return labels[level]

    return replace_column(table, column, label)
