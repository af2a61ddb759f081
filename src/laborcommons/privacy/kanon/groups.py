"""Equivalence classes of one transformation, rolled up from any less general one.

Generalization is a function of each value, so the cells of a more general node are unions
of the cells of a less general one: grouping a predecessor's few cells (weighted) gives the
same classes as grouping every row, much faster (ARX's roll-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from laborcommons.privacy.kanon.encoding import EncodedTable, Ints, combine


@dataclass(frozen=True)
class Cells:
    """Groups of rows equal on generalized QIs and sensitive value: a base cell each, a weight."""

    rep: Ints
    weight: Ints


@dataclass(frozen=True)
class Classes:
    """Equivalence classes of one node and which of them must be suppressed."""

    levels: tuple[int, ...]
    cells: Cells
    size: Ints  # records per class
    distinct: Ints  # distinct sensitive values per class
    rep: Ints  # a base cell of each class
    outlier: npt.NDArray[np.bool_]
    suppressed: int

    @property
    def kept(self) -> npt.NDArray[np.bool_]:
        return ~self.outlier


def group(
    table: EncodedTable, levels: Sequence[int], source: Cells, *, k: int, l_diversity: int
) -> Classes:
    """Classes of the node ``levels`` from the cells of any node below it (or the rows)."""
    columns = [table.codes(j, level, source.rep) for j, level in enumerate(levels)]
    sizes = [table.columns[j].size(level) for j, level in enumerate(levels)]
    key = combine([*columns, table.cell_sensitive[source.rep]], [*sizes, table.sensitive_size])
    order = np.argsort(key)
    ordered = key[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(key) else order
    weight = np.add.reduceat(source.weight[order], starts) if len(key) else source.weight
    cells = Cells(rep=source.rep[order[starts]], weight=weight)
    quasi = ordered[starts] // table.sensitive_size
    first = np.flatnonzero(np.r_[True, quasi[1:] != quasi[:-1]]) if len(quasi) else starts
    size = np.add.reduceat(weight, first) if len(weight) else weight
    distinct = np.diff(np.r_[first, len(weight)]).astype(np.int64)
    outlier = (size < k) | (distinct < l_diversity)
    return Classes(
        levels=tuple(int(level) for level in levels),
        cells=cells,
        size=size,
        distinct=distinct,
        rep=cells.rep[first],
        outlier=outlier,
        suppressed=int(size[outlier].sum()),
    )


def base_cells(table: EncodedTable) -> Cells:
    return Cells(rep=np.arange(len(table.cell_weight), dtype=np.int64), weight=table.cell_weight)


def row_cells(table: EncodedTable) -> Cells:
    """Every row as its own cell: grouping from these is the plain, unrolled evaluation."""
    return Cells(rep=table.row_cell, weight=np.ones(table.records, dtype=np.int64))
