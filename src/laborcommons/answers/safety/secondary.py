"""Secondary suppression over the chain of allowed breakdowns (margins and complements).

Each cell of a coarser breakdown is the margin of its children in the next finer one (the
coarsest level's parent is the overall total, assumed known). A family with exactly one
unknown member could be solved by subtraction, so another member is suppressed: the
smallest published child (ties by group key), or the parent when no child is left. This
repeats until no family changes, across all levels at once.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from laborcommons.answers.spec import Reason

Key = tuple[object, ...]
Status = dict[tuple[str, ...], dict[Key, Reason | None]]


def suppress_secondary(
    levels: list[tuple[str, ...]], sizes: dict[tuple[str, ...], dict[Key, int]], status: Status
) -> None:
    """Mutate ``status`` in place to a fixpoint; ``levels`` is the chain, coarsest first,
    starting with the overall total ``()``."""
    families = [_families(parent, child, sizes[child]) for parent, child in _pairs(levels)]
    changed = True
    while changed:
        changed = False
        for (parent, child), family in zip(_pairs(levels), families, strict=True):
            for parent_key, children in family.items():
                changed |= _protect(parent, parent_key, child, children, sizes, status)


def _pairs(levels: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return list(itertools.pairwise(levels))


def _families(
    parent: tuple[str, ...], child: tuple[str, ...], child_sizes: dict[Key, int]
) -> dict[Key, list[Key]]:
    positions = [child.index(column) for column in parent]
    families: dict[Key, list[Key]] = defaultdict(list)
    for key in sorted(child_sizes, key=_order):
        families[tuple(key[i] for i in positions)].append(key)
    return families


def _protect(
    parent: tuple[str, ...],
    parent_key: Key,
    child: tuple[str, ...],
    children: list[Key],
    sizes: dict[tuple[str, ...], dict[Key, int]],
    status: Status,
) -> bool:
    hidden_children = [key for key in children if status[child][key] is not None]
    parent_hidden = status[parent].get(parent_key) is not None
    if len(hidden_children) + int(parent_hidden) != 1:
        return False
    published = [key for key in children if status[child][key] is None]
    if published:
        smallest = min(published, key=lambda key: (sizes[child][key], _order(key)))
        status[child][smallest] = "secondary"
    else:
        status[parent][parent_key] = "secondary"
    return True


def _order(key: Key) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in key)
