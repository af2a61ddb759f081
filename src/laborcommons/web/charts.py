"""What the one chart component (templates/_charts.html, static/charts.js) draws.

A chart is a caption, axis names and bars (label, count, an optional link). The page
renders its numbers as a table first; the script draws the same data on a canvas, so
the page works without JavaScript and a screen reader reads the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from laborcommons.catalog.schemas import ColumnDistribution

KIND_TITLES = {
    "histogram": "how many rows fall in each range",
    "categories": "the most frequent values",
    "timeline": "rows per period",
}


@dataclass(frozen=True)
class ChartBar:
    label: str
    count: int
    link: str | None = None


@dataclass(frozen=True)
class Chart:
    id: str
    caption: str
    x_label: str
    y_label: str
    bars: list[ChartBar]
    kind: str = "bars"  # "histogram" bars touch; "bars" and "timeline" stand apart
    notes: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The JSON the script reads (the table holds the same numbers)."""
        return {
            "kind": self.kind,
            "xLabel": self.x_label,
            "yLabel": self.y_label,
            "labels": [b.label for b in self.bars],
            "counts": [b.count for b in self.bars],
            "links": [b.link for b in self.bars],
        }


def column_charts(
    distributions: Sequence[ColumnDistribution], *, link: Callable[[dict[str, str]], str]
) -> list[Chart]:
    """A chart per column; each bar links (``link`` of its filters) to its rows."""
    charts = []
    for index, found in enumerate(distributions, start=1):
        x_label = found.column + (" (range)" if found.kind == "histogram" else "")
        notes = [f"{found.other} other value(s) are not shown."] if found.other else []
        charts.append(
            Chart(
                id=f"column-chart-{index}",
                caption=f"{found.column}: {KIND_TITLES[found.kind]}",
                x_label=x_label,
                y_label="Rows",
                bars=[ChartBar(b.label, b.count, link(b.filters)) for b in found.bars],
                kind=found.kind,
                notes=notes,
            )
        )
    return charts
