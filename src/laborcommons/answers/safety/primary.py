"""Primary suppression: too few distinct subjects, or one subject dominating a sum."""

from __future__ import annotations

from dataclasses import dataclass

from laborcommons.answers.spec import Reason


@dataclass(frozen=True)
class CellStats:
    """True per-cell figures over clamped per-subject contributions (never published)."""

    subjects: int
    total: float = 0.0
    largest: float = 0.0
    second: float = 0.0


def dominated(stats: CellStats, p: float) -> bool:
    """The p% rule: the second largest contributor, knowing the total, could estimate the
    largest within p% when what the others add is less than p% of the largest."""
    rest = stats.total - stats.largest - stats.second
    return rest < (p / 100.0) * stats.largest


def primary_reason(
    stats: CellStats, *, min_subjects: int, dominance_p: float | None
) -> Reason | None:
    if stats.subjects < min_subjects:
        return "threshold"
    if dominance_p is not None and dominated(stats, dominance_p):
        return "dominance"
    return None
