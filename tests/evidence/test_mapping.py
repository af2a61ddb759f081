"""Mapping columns of linked versions to metrics: normalization, re-runs, refusals."""

from __future__ import annotations

import pytest

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import Conflict, InvalidInput
from laborcommons.evidence import service as evidence
from tests.evidence.conftest import DECLARED, Sources, add, link, map_all, map_column


def test_a_weekly_wage_in_rupiah_becomes_usd_a_month_with_its_rate_and_date(
    sources: Sources,
) -> None:
    result = map_column(
        sources.node,
        "survey",
        column="median_wage_idr_week",
        metric="monthly-gross-wage",
        period_column="year",
        method="worker-survey",
        unit="IDR/week",
        rates="fx-rates",
    )
    assert (result.added, result.skipped_total) == (2, 1)
    assert result.skipped[0].row == 3 and "not a number" in result.skipped[0].reason
    with unit_of_work(sources.node.sessions) as session:
        page = evidence.list_answers(
            "monthly-gross-wage", reader=NODE_ADMIN, session=session, entity=None
        )
    first = next(a for a in page.items if a.original == "640000")
    # 640,000 IDR a week x 52/12 weeks a month / 16,000 IDR per USD (the rate of 2024-06-30)
    assert first.value == pytest.approx(640000 * 52 / 12 / 16000)
    assert first.unit == "USD/month" and first.original_unit == "IDR/week"
    assert [s["step"] for s in first.normalization] == ["week→month", "IDR→USD"]
    assert first.normalization[1]["rate_date"] == "2024-06-30"
    assert first.period == "2024" and first.method == "worker-survey"


def test_running_a_mapping_again_adds_nothing_and_a_new_version_adds_its_rows(
    sources: Sources,
) -> None:
    options = {"column": "monthly_wage_usd", "metric": "monthly-gross-wage", "period": "2024"}
    assert map_column(sources.node, "compliance", **options).added == 3
    again = map_column(sources.node, "compliance", **options)
    assert (again.added, again.existing) == (0, 3)
    path = sources.files / "compliance-2.csv"
    path.write_text(
        f"facility,os_id,country,monthly_wage_usd,union\nDhaka Knit,{DECLARED},BD,260,yes\n",
        encoding="utf-8",
    )
    from tests.factories import ingest

    ingest(sources.node, "compliance", path)
    link(sources.node, "compliance")
    assert map_column(sources.node, "compliance", **options).added == 1
    with unit_of_work(sources.node.sessions) as session:
        total = evidence.list_answers("monthly-gross-wage", reader=NODE_ADMIN, session=session)
    assert total.total == 4


def test_refusals_name_the_problem_and_change_nothing(sources: Sources) -> None:
    with pytest.raises(InvalidInput, match="no column 'wage'"):
        map_column(
            sources.node, "compliance", column="wage", metric="monthly-gross-wage", period="2024"
        )
    with pytest.raises(InvalidInput, match="rates dataset"):
        map_column(
            sources.node,
            "survey",
            column="median_wage_idr_week",
            metric="monthly-gross-wage",
            period="2024",
            unit="IDR/week",
        )
    with pytest.raises(InvalidInput, match="cannot convert 'hours/week'"):
        map_column(
            sources.node,
            "compliance",
            column="monthly_wage_usd",
            metric="monthly-gross-wage",
            period="2024",
            unit="hours/week",
        )
    with pytest.raises(InvalidInput, match="give the period"):
        map_column(
            sources.node, "compliance", column="monthly_wage_usd", metric="monthly-gross-wage"
        )
    add(sources.node, sources.files, "unlinked", "garment-union", "a,b\n1,2\n")
    with pytest.raises(InvalidInput, match="no linked rows"):
        map_column(sources.node, "unlinked", column="a", metric="workers-total", period="2024")
    map_column(
        sources.node,
        "compliance",
        column="monthly_wage_usd",
        metric="monthly-gross-wage",
        period="2024",
        method="self-declared",
    )
    with pytest.raises(Conflict, match="other settings"):
        map_column(
            sources.node,
            "compliance",
            column="monthly_wage_usd",
            metric="monthly-gross-wage",
            period="2024",
            method="payslip",
        )
    with unit_of_work(sources.node.sessions) as session:
        assert (
            evidence.list_answers("monthly-gross-wage", reader=NODE_ADMIN, session=session).total
            == 3
        )


def test_yes_no_cells_become_a_boolean_metric(sources: Sources) -> None:
    result = map_column(
        sources.node,
        "compliance",
        column="union",
        metric="union-present",
        period="2024",
        method="self-declared",
    )
    assert result.added == 3
    with unit_of_work(sources.node.sessions) as session:
        page = evidence.list_answers("union-present", reader=NODE_ADMIN, session=session)
    assert sorted(a.value for a in page.items) == [0.0, 1.0, 1.0]


def test_suggestions_read_headers_units_and_values(sources: Sources) -> None:
    with unit_of_work(sources.node.sessions) as session:
        found = evidence.list_mappings("survey", None, reader=NODE_ADMIN, session=session)
    wage = next(s for s in found.suggestions if s.column == "median_wage_idr_week")
    assert wage.metric == "monthly-gross-wage" and wage.unit == "IDR/week"
    assert found.linked == ["facility"]


def test_all_three_sources_map(sources: Sources) -> None:
    map_all(sources.node)
    with unit_of_work(sources.node.sessions) as session:
        page = evidence.list_answers("monthly-gross-wage", reader=NODE_ADMIN, session=session)
    assert page.total == 7


def test_letter_grades_become_points_in_equal_steps(sources: Sources) -> None:
    """Fashion Checker grades brands A (best) to E: 'A-E' reads them as 100, 75, 50, 25, 0,
    a stated convention kept with each answer; other letters are not grades."""
    grades = f"facility,os_id,grade\nDhaka Knit,{DECLARED},D\nTongi Apparel,BD2024002BBBBB7,F\n"
    add(sources.node, sources.files, "grades", "garment-union", grades)
    link(sources.node, "grades")
    result = map_column(
        sources.node,
        "grades",
        column="grade",
        metric="living-wage-commitment-score",
        unit="A-E",
        period="2024",
    )
    assert (result.added, result.skipped_total) == (1, 1)
    assert "'F' is not a grade from A-E" in result.skipped[0].reason
    with unit_of_work(sources.node.sessions) as session:
        (answer,) = evidence.list_answers(
            "living-wage-commitment-score", reader=NODE_ADMIN, session=session
        ).items
    assert (answer.value, answer.original, answer.original_unit) == (25.0, "D", "A-E")
    assert answer.normalization == [{"step": "A-E→0-100", "grade": "D", "points": 25.0}]
