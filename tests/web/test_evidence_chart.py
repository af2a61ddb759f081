"""The evidence charts' geometry, without a database: where marks go, what they say."""

from __future__ import annotations

from laborcommons.evidence.schemas import SourcePublic, Triangulation
from laborcommons.evidence.vocabulary import shipped_metrics
from laborcommons.web.evidence_chart import BOTTOM, TOP, histogram, time_chart

WAGE = shipped_metrics()["monthly-gross-wage"]
UNION = shipped_metrics()["union-present"]


def source(dataset: str, value: float | str, *, deviates: bool = False) -> SourcePublic:
    return SourcePublic(
        answer_id=1,
        dataset=dataset,
        version=1,
        row=1,
        value=value,
        original=str(value),
        method="other",
        verification="unverified",
        weight=0.3,
        deviates=deviates,
    )


def group(period: str, consensus: float | str, *sources: SourcePublic) -> Triangulation:
    return Triangulation(
        entity="LC-F-1",
        name="Dhaka Knit",
        metric="monthly-gross-wage",
        period=period,
        consensus=consensus,
        sources=list(sources),
    )


def test_sources_over_time_put_each_period_in_its_column_and_name_the_deviating_ones() -> None:
    chart = time_chart(
        [
            group(
                "2024", 180.0, source("compliance", 250.0, deviates=True), source("survey", 180.0)
            ),
            group("2023", 170.0, source("survey", 170.0)),
        ],
        WAGE,
    )
    assert [t.label for t in chart.periods] == ["2023", "2024"]
    assert [(m.source, m.deviates) for m in chart.marks] == [
        ("survey v1", False),
        ("compliance v1", True),
        ("survey v1", False),
    ]
    high, low = chart.marks[1], chart.marks[0]
    assert TOP < high.y < low.y < BOTTOM  # higher values are drawn higher
    assert [c.value for c in chart.consensus] == ["170.00 USD/month", "180.00 USD/month"]
    assert "deviating (triangles): compliance v1." in chart.description
    assert chart.unit == "USD/month"


def test_yes_no_sources_sit_on_two_labelled_levels() -> None:
    chart = time_chart(
        [group("2024", 0.0, source("a", 1.0, deviates=True), source("b", 0.0))], UNION
    )
    assert [t.label for t in chart.levels] == ["no", "yes"]
    assert chart.marks[0].y == TOP and chart.marks[1].y == BOTTOM and chart.unit == ""


def test_the_histogram_counts_every_value_once_and_yes_no_gets_a_bar_each() -> None:
    bars = histogram([170.0, 173.3, 175.0, 182.0, 250.0, None], WAGE)
    assert sum(b.count for b in bars) == 5 and bars[0].label.startswith("170")
    assert max(b.height for b in bars) == BOTTOM - TOP
    assert [(b.label, b.count) for b in histogram([1.0, 0.0, 1.0], UNION)] == [
        ("no", 1),
        ("yes", 2),
    ]
    assert histogram([], WAGE) == []
