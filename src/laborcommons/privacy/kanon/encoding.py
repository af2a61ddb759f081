"""Encode a table once: every quasi-identifier level as integer codes over distinct rows.

Rows with the same original quasi-identifiers (and sensitive value) are one *base cell*;
everything after this module works on cells with weights, never on strings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon.hierarchies import Hierarchy

Ints = npt.NDArray[np.int64]
_SPAN_LIMIT = 2**62


def combine(columns: Sequence[npt.NDArray[np.integer[Any]]], sizes: Sequence[int]) -> Ints:
    """Mixed-radix key of several code columns; the last column stays the last digit.

    When the key would overflow, the prefix is first replaced by its dense rank, which
    keeps the order, so ``key // sizes[-1]`` is always the key of the other columns.
    """
    key = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    span = 1
    for column, size in zip(columns, sizes, strict=True):
        if span * size >= _SPAN_LIMIT:
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1 if len(key) else 1
        key = key * size + column
        span *= size
    return key


@dataclass(frozen=True)
class ColumnLevels:
    """One quasi-identifier: codes and labels at each level of its hierarchy."""

    name: str
    labels: list[npt.NDArray[np.object_]]  # labels[level][code]
    up: list[Ints]  # up[level][original code] -> code at that level
    counts: list[Ints]  # counts[level][code] -> records with that generalized value
    leaves: list[Ints]  # leaves[level][code] -> hierarchy values under that label
    domain: int  # values in the hierarchy (ARX's domain size)

    @property
    def height(self) -> int:
        return len(self.up)

    def size(self, level: int) -> int:
        return len(self.labels[level])


@dataclass(frozen=True, eq=False)
class EncodedTable:
    """A table reduced to base cells; ``cell_codes[c][rep]`` is column c's original code."""

    columns: list[ColumnLevels]
    records: int
    row_cell: Ints  # base cell of each row
    cell_codes: list[Ints]  # original code of each base cell, per column
    cell_weight: Ints
    cell_sensitive: Ints  # sensitive code of each base cell (0 without a sensitive column)
    sensitive_size: int
    cell_levels: list[list[npt.NDArray[np.int32]]]  # [column][level][base cell] -> code
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # per-table derived values

    @property
    def heights(self) -> tuple[int, ...]:
        return tuple(column.height for column in self.columns)

    def codes(self, column: int, level: int, cells: Ints) -> npt.NDArray[np.int32]:
        """Code of ``cells`` in ``column`` generalized to ``level``."""
        return self.cell_levels[column][level][cells]


def encode_table(
    table: pd.DataFrame,
    hierarchies: Mapping[str, Hierarchy],
    quasi_identifiers: Sequence[str],
    sensitive: str | None = None,
) -> EncodedTable:
    """Codes for every level of every quasi-identifier; a value missing from its hierarchy
    is an error naming the hierarchy, the column, the value and its first line."""
    if not len(table):
        raise InvalidInput("the table has no records to anonymize", details={"records": 0})
    for name in [*quasi_identifiers, *([sensitive] if sensitive else [])]:
        if name not in table.columns:
            raise InvalidInput(
                f"column {name!r} is not in the table (columns: {', '.join(map(str, table))})",
                details={"column": name},
            )
    if sensitive in quasi_identifiers:
        raise InvalidInput(
            f"column {sensitive!r} cannot be both sensitive and a quasi-identifier",
            details={"column": sensitive},
        )
    columns: list[ColumnLevels] = []
    originals: list[Ints] = []
    for name in quasi_identifiers:
        values = _strings(table[name])
        codes, uniques = pd.factorize(values, sort=True)
        columns.append(_levels(name, hierarchies[name], uniques, codes, values))
        originals.append(codes.astype(np.int64))
    sensitive_codes = np.zeros(len(table), dtype=np.int64)
    sensitive_size = 1
    if sensitive:
        found, distinct = pd.factorize(_strings(table[sensitive]), sort=True)
        sensitive_codes, sensitive_size = found.astype(np.int64), max(len(distinct), 1)
    sizes = [column.size(0) for column in columns] + [sensitive_size]
    key = combine([*originals, sensitive_codes], sizes)
    _, first, row_cell, weight = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    cell_codes = [codes[first] for codes in originals]
    return EncodedTable(
        columns=columns,
        records=len(table),
        row_cell=row_cell.astype(np.int64).reshape(-1),
        cell_codes=cell_codes,
        cell_weight=weight.astype(np.int64),
        cell_sensitive=sensitive_codes[first],
        sensitive_size=sensitive_size,
        cell_levels=[  # int32: half the memory traffic of the gathers that dominate a search
            [up[codes].astype(np.int32) for up in column.up]
            for column, codes in zip(columns, cell_codes, strict=True)
        ],
    )


def _strings(series: pd.Series) -> npt.NDArray[np.object_]:
    return np.asarray(series.fillna("").astype(str), dtype=object)


def _levels(
    name: str,
    hierarchy: Hierarchy,
    uniques: npt.NDArray[np.object_],
    codes: npt.NDArray[np.intp],
    values: npt.NDArray[np.object_],
) -> ColumnLevels:
    missing = [value for value in uniques if value not in hierarchy.labels]
    if missing:
        line = int(np.flatnonzero(values == missing[0])[0]) + 2  # header is line 1
        raise InvalidInput(
            f"value {missing[0]!r} of column {name!r} (line {line}) is not in hierarchy "
            f"{hierarchy.source}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            details={
                "file": hierarchy.source,
                "column": name,
                "value": missing[0],
                "line": line,
                "missing": missing[:20],
            },
        )
    original_counts = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    rows = [hierarchy.labels[value] for value in uniques]
    labels, up, counts, leaves = [], [], [], []
    for level in range(hierarchy.height):
        level_codes, level_labels = pd.factorize(
            np.asarray([row[level] for row in rows], dtype=object), sort=True
        )
        level_codes = level_codes.astype(np.int64)
        under = Counter(row[level] for row in hierarchy.labels.values())
        labels.append(np.asarray(level_labels, dtype=object))
        up.append(level_codes)
        counts.append(
            np.bincount(level_codes, weights=original_counts, minlength=len(level_labels)).astype(
                np.int64
            )
        )
        leaves.append(np.asarray([under[label] for label in level_labels], dtype=np.int64))
    return ColumnLevels(
        name=name, labels=labels, up=up, counts=counts, leaves=leaves, domain=len(hierarchy.labels)
    )
