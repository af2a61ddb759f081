"""Find the optimal transformation with the lattice's monotonicity (after ARX's FLASH).

Anonymity (k, distinct l, with a suppression limit) is monotone: when a node is anonymous,
so is every node above it; when it is not, neither is any node below. Nodes are visited in
order of a lower bound of the metric; the anonymity of an unknown node is settled by a
binary search on a path upward from it, each evaluation tagging a whole cone of the
lattice. The metric is computed for anonymous nodes only, and the search stops as soon as
the next bound exceeds the best value found, so most of the lattice is never grouped.

Without suppression every metric here grows with generalization, so an anonymous node with
an anonymous direct predecessor cannot be optimal. With suppression none is monotone
(suppressing a few records can cost less than generalizing), so every anonymous node is a
candidate, pruned by bounds that do hold for all nodes above one: the per-level part of
entropy and loss, DM* for discernibility, records over classes for the average class size.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from laborcommons.privacy.kanon.encoding import EncodedTable
from laborcommons.privacy.kanon.groups import Cells, Classes, base_cells, group, row_cells
from laborcommons.privacy.kanon.lattice import Lattice
from laborcommons.privacy.kanon.metrics import METRICS, class_bound, level_bounds

_CACHE = 96  # roll-up sources kept; a node rolls up from the smallest cached predecessor


@dataclass(frozen=True)
class Optimum:
    levels: tuple[int, ...]
    value: float
    classes: Classes
    nodes: int
    evaluated: int


class Search:
    """One search over the lattice of an encoded table."""

    def __init__(
        self, table: EncodedTable, *, k: int, l_diversity: int, max_suppression: float
    ) -> None:
        self.table = table
        self.k, self.l_diversity = k, l_diversity
        self.allowed = math.floor(max_suppression * table.records + 1e-9)
        self.lattice = Lattice(table.heights)
        self.status = np.zeros(len(self.lattice), dtype=np.int8)  # 1 yes, -1 no, 0 unknown
        self.evaluated = 0
        self._cache: OrderedDict[int, Classes] = OrderedDict()
        self._base = base_cells(table)

    # -- anonymity ---------------------------------------------------------------------------

    def classes(self, index: int) -> Classes:
        """Classes of a node, rolled up from the smallest cached node below it."""
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        source = self._source(index)
        result = group(
            self.table, self.lattice.node(index), source, k=self.k, l_diversity=self.l_diversity
        )
        self.evaluated += 1
        self._cache[index] = result
        if len(self._cache) > _CACHE:
            self._cache.popitem(last=False)
        return result

    def _source(self, index: int) -> Cells:
        if not self._cache:
            return self._base
        keys = np.fromiter(self._cache, dtype=np.int64, count=len(self._cache))
        below = self.lattice.predecessors_of(index)[keys]
        if not below.any():
            return self._base
        best = min(keys[below], key=lambda key: len(self._cache[int(key)].cells.rep))
        return self._cache[int(best)].cells

    def is_anonymous(self, index: int) -> bool:
        if self.status[index]:
            return bool(self.status[index] > 0)
        anonymous = self.classes(index).suppressed <= self.allowed
        if anonymous:
            self.status[self.lattice.successors_of(index)] = 1
        else:
            self.status[self.lattice.predecessors_of(index)] = -1
        return anonymous

    def classify(self) -> npt.NDArray[np.bool_]:
        """Anonymity of every node, evaluating as few as the binary searches need."""
        for start in np.lexsort((np.arange(len(self.lattice)), self.lattice.height_sum)):
            self.resolve(int(start))
        return self.status > 0

    def resolve(self, start: int) -> bool:
        """Anonymity of ``start``: binary-search a path up from it, tagging as it goes."""
        if self.status[start]:
            return bool(self.status[start] > 0)
        path = self._path(start)
        low, high = 0, len(path) - 1
        while low <= high:
            middle = (low + high) // 2
            if self.is_anonymous(path[middle]):
                high = middle - 1
            else:
                low = middle + 1
        return bool(self.status[start] > 0)

    def _path(self, start: int) -> list[int]:
        """Upward from ``start`` through unclassified nodes, generalizing first the column
        with the fewest distinct values: that merges the fewest classes, so the path stays
        non-anonymous longest and its highest non-anonymous node tags the largest cone
        (half the evaluations of the opposite choice on Adult with 4% suppression)."""
        path = [start]
        while True:
            options = [
                (j, node)
                for j, node in self.lattice.direct_successors(path[-1])
                if not self.status[node]
            ]
            if not options:
                return path
            levels = self.lattice.levels[path[-1]]
            _, node = min(
                options,
                key=lambda option: (
                    self.table.columns[option[0]].size(int(levels[option[0]])),
                    option[0],
                ),
            )
            path.append(node)

    # -- optimum -----------------------------------------------------------------------------

    def optimum(self, metric: str) -> Optimum | None:
        """The anonymous node with the lowest metric; ties go to the least generalized.

        Nodes are visited by lower bound, so the anonymity of a node whose bound already
        exceeds the best value found is never needed (and never computed).
        """
        measure = METRICS[metric]
        bound = self._level_bound(metric, level_bounds(self.table, metric))
        indexes = np.arange(len(self.lattice))
        order = np.lexsort((indexes, self.lattice.height_sum, bound))
        pruned = np.zeros(len(self.lattice), dtype=np.bool_)
        best: tuple[float, int, int] | None = None
        for index in (int(i) for i in order):
            if best is not None and bound[index] > best[0]:
                break
            if pruned[index] or not self.resolve(index):
                continue
            if self.allowed == 0 and any(
                self.status[p] > 0 for p in self.lattice.direct_predecessors(index)
            ):
                continue  # monotone: an anonymous predecessor, visited earlier, is no worse
            classes = self.classes(index)
            key = (measure(self.table, classes), int(self.lattice.height_sum[index]), index)
            if best is None or key < best:
                best = key
            if class_bound(self.table, metric, classes) > best[0]:
                pruned |= self.lattice.successors_of(index)
        if best is None:
            return None
        index = best[2]
        return Optimum(
            levels=self.lattice.node(index),
            value=best[0],
            classes=self.classes(index),
            nodes=len(self.lattice),
            evaluated=self.evaluated,
        )

    def _level_bound(
        self, metric: str, parts: list[npt.NDArray[np.float64]] | None
    ) -> npt.NDArray[np.float64]:
        if parts is None:
            return np.full(len(self.lattice), float("-inf"))
        total = np.zeros(len(self.lattice))
        for j, part in enumerate(parts):
            total += part[self.lattice.levels[:, j]]
        return total / len(parts) if metric == "loss" else total


def evaluate_every_node(
    table: EncodedTable, metric: str, *, k: int, l_diversity: int, max_suppression: float
) -> list[tuple[tuple[int, ...], bool, float]]:
    """Plain evaluation, no pruning, no roll-up: each node grouped from the rows.

    The reference the search is tested against, and the baseline of the benchmark.
    """
    allowed = math.floor(max_suppression * table.records + 1e-9)
    lattice = Lattice(table.heights)
    rows = row_cells(table)
    result = []
    for index in range(len(lattice)):
        classes = group(table, lattice.node(index), rows, k=k, l_diversity=l_diversity)
        result.append(
            (
                lattice.node(index),
                classes.suppressed <= allowed,
                METRICS[metric](table, classes),
            )
        )
    return result
