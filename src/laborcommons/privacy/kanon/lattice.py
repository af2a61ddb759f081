"""The generalization lattice: one node per combination of levels, ordered component-wise."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Levels = tuple[int, ...]


class Lattice:
    """All full-domain transformations; node ``i`` has levels ``self.levels[i]``."""

    def __init__(self, heights: Sequence[int]) -> None:
        self.heights = tuple(heights)
        self.levels = np.asarray(
            list(itertools.product(*(range(h) for h in self.heights))), dtype=np.int64
        ).reshape(-1, len(self.heights))
        self.strides = np.asarray(
            [int(np.prod(self.heights[j + 1 :])) for j in range(len(self.heights))],
            dtype=np.int64,
        )
        self.height_sum = self.levels.sum(axis=1)
        # at_most[j][v]: nodes whose column j is at level <= v (cones are ANDs of these)
        self._at_most = [
            [self.levels[:, j] <= v for v in range(h)] for j, h in enumerate(self.heights)
        ]

    def __len__(self) -> int:
        return len(self.levels)

    def index(self, levels: Sequence[int]) -> int:
        return int(np.dot(np.asarray(levels, dtype=np.int64), self.strides))

    def node(self, index: int) -> Levels:
        return tuple(int(level) for level in self.levels[index])

    def predecessors_of(self, index: int) -> npt.NDArray[np.bool_]:
        """Every node at most as general as ``index`` in each column (itself included)."""
        mask = np.ones(len(self), dtype=np.bool_)
        for j, level in enumerate(self.levels[index]):
            mask &= self._at_most[j][level]
        return mask

    def successors_of(self, index: int) -> npt.NDArray[np.bool_]:
        """Every node at least as general as ``index`` in each column (itself included)."""
        mask = np.ones(len(self), dtype=np.bool_)
        for j, level in enumerate(self.levels[index]):
            if level:
                mask &= ~self._at_most[j][level - 1]
        return mask

    def direct_successors(self, index: int) -> list[tuple[int, int]]:
        """(column, node) for each node one level higher in one column."""
        levels = self.levels[index]
        return [
            (j, index + int(self.strides[j]))
            for j in range(len(self.heights))
            if levels[j] + 1 < self.heights[j]
        ]

    def direct_predecessors(self, index: int) -> list[int]:
        levels = self.levels[index]
        return [index - int(self.strides[j]) for j in range(len(self.heights)) if levels[j] > 0]

    def minimal(self, members: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Members none of whose direct predecessors is a member."""
        result = members.copy()
        for j, stride in enumerate(self.strides):
            has = self.levels[:, j] > 0
            below = np.zeros(len(self), dtype=np.bool_)
            below[has] = members[np.flatnonzero(has) - stride]
            result &= ~below
        return result
