"""The shape of an approved question and of the engine's answer, shared by every layer.

The engine (``answers.engine``) computes an answer from a ``QuestionSpec`` over rows in
DuckDB; the service stores specs, decides access, spends budget and caches answers; the
edges only render. Keeping these plain dataclasses here lets each layer be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Reason = Literal["threshold", "dominance", "secondary"]

ALGORITHMS = ("count", "mean", "median", "share-below", "histogram", "quantiles")
MIN_SUBJECTS_FLOOR = 5
DEFAULT_MIN_SUBJECTS = 10
DEFAULT_DOMINANCE_P = 25.0


@dataclass(frozen=True)
class QuestionSpec:
    """What an owner approved: the algorithm, its column roles and its safety parameters.

    ``breakdowns`` is the fixed list of column sets a reader may group by (the empty tuple
    is the overall answer). ``below_column`` names a column of the input relation holding a
    per-subject reference value (the service joins it from a reference dataset).
    """

    algorithm: str
    subject: str
    breakdowns: tuple[tuple[str, ...], ...]
    value: str | None = None
    bounds: tuple[float, float] | None = None
    min_subjects: int = DEFAULT_MIN_SUBJECTS
    dominance_p: float = DEFAULT_DOMINANCE_P
    epsilon: float = 1.0
    below: float | None = None
    below_column: str | None = None
    bins: tuple[float, ...] | None = None
    quantiles: tuple[float, ...] | None = None
    algorithm_version: int = 1


@dataclass(frozen=True)
class Cell:
    """One published (or suppressed) statistic. ``subjects`` is the true distinct-subject
    count: it goes to the audit trail and the owner's log, never to the reader."""

    group: dict[str, Any]
    value: float | None
    suppressed: bool
    reason: Reason | None
    subjects: int


@dataclass(frozen=True)
class Noise:
    mechanism: str
    epsilon: float
    error_95: float


@dataclass(frozen=True)
class EngineAnswer:
    cells: list[Cell]
    noise: Noise
    by: tuple[str, ...]
    cohort_sizes: list[int] = field(default_factory=list)


class NoiseSource(Protocol):
    """Where random noise comes from: OpenDP in the node, a seeded source in tests only."""

    def laplace(self, value: float, *, scale: float) -> float: ...
