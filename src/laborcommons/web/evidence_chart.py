"""Evidence drawn as SVG on the server: sources over time per metric, and the distribution
of a metric's answers. Pure functions over the service's schemas (what the reader may see,
nothing else), so the geometry is tested without a database or a browser.

Colour never carries meaning alone: a deviating source is a triangle, not a circle, and is
named in text beside its mark; the consensus is a dashed line with diamonds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from laborcommons.evidence.schemas import MetricPublic, Triangulation
from laborcommons.evidence.triangulation import shown

WIDTH, HEIGHT = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 110, 540, 24, 190
MAX_BINS = 10


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    source: str  # "dataset vN"
    value: str
    deviates: bool

    @property
    def triangle(self) -> str:
        """A triangle's points around the mark (deviating sources)."""
        return f"{self.x},{self.y - 6} {self.x - 6},{self.y + 5} {self.x + 6},{self.y + 5}"


@dataclass(frozen=True)
class Consensus:
    x: float
    y: float
    value: str

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}"


@dataclass(frozen=True)
class TimeChart:
    title: str
    description: str
    unit: str
    marks: list[Mark]
    consensus: list[Consensus]
    periods: list[Tick]
    levels: list[Tick]

    @property
    def consensus_path(self) -> str:
        return " ".join(f"{c.x},{c.y}" for c in self.consensus)


def _is_categorical(metric: MetricPublic) -> bool:
    return metric.value_type in ("boolean", "category")


def _levels(values: Sequence[float | str | None], metric: MetricPublic) -> list[str]:
    """The y positions of a yes/no or category metric, in the vocabulary's order."""
    if metric.value_type == "boolean":
        return ["no", "yes"]
    known = [a.value for a in metric.allowed]
    seen = sorted({shown(v, metric) for v in values if v is not None} - set(known))
    return [*known, *seen]


def compact(value: float, metric: MetricPublic) -> str:
    """An axis label: short, without the unit (the axis names it once)."""
    if metric.value_type == "share":
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


class _Scale:
    """Value → y: a linear scale over numbers, or one row per level for categories."""

    def __init__(self, values: Sequence[float | str | None], metric: MetricPublic) -> None:
        self.metric = metric
        self.levels = _levels(values, metric) if _is_categorical(metric) else []
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
        self.low, self.high = low - pad, high + pad

    def y(self, value: float | str) -> float:
        if self.levels:
            steps = max(len(self.levels) - 1, 1)
            index = self.levels.index(shown(value, self.metric))
            return round(BOTTOM - index * (BOTTOM - TOP) / steps, 1)
        share = (float(value) - self.low) / (self.high - self.low)
        return round(BOTTOM - share * (BOTTOM - TOP), 1)

    def ticks(self) -> list[Tick]:
        if self.levels:
            return [Tick(self.y(level_value(lv, self.metric)), lv) for lv in self.levels]
        middle = (self.low + self.high) / 2
        return [Tick(self.y(v), compact(v, self.metric)) for v in (self.low, middle, self.high)]


def level_value(level: str, metric: MetricPublic) -> float | str:
    """The value a level stands for (yes/no are stored as 1 and 0)."""
    if metric.value_type == "boolean":
        return 1.0 if level == "yes" else 0.0
    return level


def _title(metric: MetricPublic, qualifier: str) -> str:
    return f"{metric.title} ({qualifier})" if qualifier else metric.title


def time_chart(groups: Sequence[Triangulation], metric: MetricPublic) -> TimeChart:
    """One metric (and qualifier) of one entity: each period's sources and consensus."""
    periods = sorted({g.period for g in groups})
    step = (RIGHT - LEFT) / max(len(periods), 1)
    values = [s.value for g in groups for s in g.sources] + [g.consensus for g in groups]
    scale = _Scale(values, metric)
    marks: list[Mark] = []
    consensus: list[Consensus] = []
    for group in sorted(groups, key=lambda g: g.period):
        center = LEFT + (periods.index(group.period) + 0.5) * step
        placed = [s for s in group.sources if s.value is not None]
        for index, source in enumerate(placed):
            assert source.value is not None
            offset = (index - (len(placed) - 1) / 2) * 22
            marks.append(
                Mark(
                    x=round(center + offset, 1),
                    y=scale.y(source.value),
                    source=f"{source.dataset} v{source.version}",
                    value=shown(source.value, metric),
                    deviates=source.deviates,
                )
            )
        if group.consensus is not None:
            consensus.append(
                Consensus(
                    round(center, 1), scale.y(group.consensus), shown(group.consensus, metric)
                )
            )
    deviating = [m.source for m in marks if m.deviates]
    description = (
        f"{len(marks)} source value(s) over {len(periods)} period(s); the dashed line with "
        "diamonds is the consensus; "
        + (f"deviating (triangles): {', '.join(deviating)}." if deviating else "none deviates.")
        + " The tables below list the same values."
    )
    return TimeChart(
        title=f"{_title(metric, groups[0].qualifier)}: sources over time",
        description=description,
        unit="" if _is_categorical(metric) else metric.unit or "",
        marks=marks,
        consensus=consensus,
        periods=[Tick(round(LEFT + (i + 0.5) * step, 1), p) for i, p in enumerate(periods)],
        levels=scale.ticks(),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    width: float
    height: float

    @property
    def y(self) -> float:
        return round(BOTTOM - self.height, 1)


def _bins(numbers: list[float], metric: MetricPublic) -> list[tuple[str, int]]:
    """Sturges' number of equal-width bins (at most ten), each labelled low to high."""
    low, high = min(numbers), max(numbers)
    if low == high:
        return [(compact(low, metric), len(numbers))]
    count = min(MAX_BINS, math.ceil(math.log2(len(numbers)) + 1))
    width = (high - low) / count
    counts = [0] * count
    for value in numbers:
        counts[min(int((value - low) / width), count - 1)] += 1
    return [
        (f"{compact(low + i * width, metric)} to {compact(low + (i + 1) * width, metric)}", n)
        for i, n in enumerate(counts)
    ]


def histogram(values: Sequence[float | str | None], metric: MetricPublic) -> list[Bar]:
    """How the answers' values spread: bins of numbers, or a bar per yes/no or category."""
    present = [v for v in values if v is not None]
    if not present:
        return []
    if _is_categorical(metric):
        levels = _levels(present, metric)
        said = [shown(v, metric) for v in present]
        counted = [(level, said.count(level)) for level in levels]
    else:
        counted = _bins([float(v) for v in present], metric)
    top = max(n for _, n in counted) or 1
    step = (RIGHT - LEFT) / len(counted)
    return [
        Bar(
            label=label,
            count=n,
            x=round(LEFT + i * step + 2, 1),
            width=round(step - 4, 1),
            height=round(n / top * (BOTTOM - TOP), 1),
        )
        for i, (label, n) in enumerate(counted)
    ]
