"""Triangulation: the consensus, the deviations and their explanation, and that a reader
only ever sees (and is only ever weighed against) the sources they may read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laborcommons.access import ANONYMOUS, NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.evidence import service as evidence
from laborcommons.evidence.schemas import MetricPublic
from laborcommons.evidence.triangulation import Source, triangulate, weighted_median
from laborcommons.evidence.vocabulary import shipped_metrics
from tests.evidence.conftest import DECLARED, Sources, map_all

WAGE = shipped_metrics()["monthly-gross-wage"]


def _lcid(sources: Sources, client: TestClient) -> str:
    found = client.get("/api/v1/entities", params={"q": "Dhaka Knit"}).json()["items"]
    return str(found[0]["lcid"])


def test_weighted_median_averages_an_exact_split_and_ignores_weightless_values() -> None:
    assert weighted_median([(100.0, 1.0), (200.0, 1.0)]) == 150.0
    assert weighted_median([(100.0, 1.0), (200.0, 0.5), (900.0, 0.0)]) == 100.0
    assert weighted_median([(1.0, 0.0)]) is None


def test_two_sources_the_lighter_one_deviates_and_the_sentence_says_by_how_much() -> None:
    sources = [
        Source(250.0, "self-declared", "unverified", "compliance v1"),
        Source(180.0, "worker-survey", "unverified", "survey v1"),
    ]
    outcome = triangulate(sources, WAGE)
    assert outcome.consensus == 180.0 and outcome.spread == 70.0
    assert [s.deviates for s in sources] == [True, False]
    assert outcome.explanation == (
        "the self-declaration (compliance v1) gives 250.00 USD/month, 39% above "
        "the worker survey (survey v1) at 180.00 USD/month"
    )


def test_with_three_sources_a_value_inside_the_spread_is_not_an_outlier() -> None:
    # 205 is 11% from the consensus (185): outside a 10% tolerance, but not an outlier
    # by the robust z-score among 180, 185 and 205 (2.7), so it does not deviate.
    metric = MetricPublic(**{**WAGE.model_dump(), "tolerance": 0.1})
    values = [(180.0, "payslip"), (185.0, "worker-survey"), (205.0, "self-declared")]
    sources = [Source(v, m, "unverified", m) for v, m in values]
    outcome = triangulate(sources, metric)
    assert outcome.consensus == 185.0 and not outcome.deviates
    sources.append(Source(400.0, "self-declared", "unverified", "other"))
    assert triangulate(sources, metric).deviates
    assert [s.deviates for s in sources] == [False, False, False, True]


def test_a_flagged_answer_weighs_nothing_but_is_still_checked() -> None:
    sources = [
        Source(250.0, "payslip", "flagged", "a"),
        Source(180.0, "self-declared", "unverified", "b"),
    ]
    outcome = triangulate(sources, WAGE)
    assert outcome.consensus == 180.0 and sources[0].weight == 0.0 and sources[0].deviates


def test_yes_no_sources_disagree_in_words() -> None:
    union = shipped_metrics()["union-present"]
    sources = [
        Source(1.0, "self-declared", "unverified", "compliance v1"),
        Source(0.0, "worker-survey", "unverified", "survey v1"),
    ]
    outcome = triangulate(sources, union)
    assert outcome.consensus == 0.0 and sources[0].deviates
    assert outcome.explanation == (
        "the self-declaration (compliance v1) says yes; the worker survey (survey v1) says no"
    )


def test_the_planted_deviation_is_found_with_every_source_for_a_reader_of_all(
    sources: Sources, client: TestClient
) -> None:
    map_all(sources.node)
    with unit_of_work(sources.node.sessions) as session:
        found = evidence.deviations(reader=NODE_ADMIN, session=session)
    assert [(d.name, d.metric, d.period) for d in found] == [
        ("Dhaka Knit", "monthly-gross-wage", "2024")
    ]
    group = found[0]
    assert {s.dataset: s.deviates for s in group.sources} == {
        "compliance": True,
        "payslips": False,
        "survey": False,
    }
    assert group.consensus == pytest.approx(178.0)  # the payslip weighs most
    assert "the self-declaration (compliance v1) gives 250.00 USD/month" in group.explanation


def test_an_outsider_never_sees_nor_is_weighed_against_a_source_they_may_not_read(
    sources: Sources, client: TestClient
) -> None:
    map_all(sources.node)
    lcid = _lcid(sources, client)
    for headers in ({}, sources.outsider.headers, sources.union.headers):
        groups = client.get(f"/api/v1/entities/{lcid}/evidence", headers=headers).json()
        wage = next(g for g in groups if g["metric"] == "monthly-gross-wage")
        assert {s["dataset"] for s in wage["sources"]} == {"compliance", "survey"}
        assert "178" not in str(groups)  # the payslip's value
        assert wage["consensus"] == pytest.approx(640000 * 52 / 12 / 16000)
    groups = client.get(f"/api/v1/entities/{lcid}/evidence", headers=sources.brand.headers).json()
    wage = next(g for g in groups if g["metric"] == "monthly-gross-wage")
    assert {s["dataset"] for s in wage["sources"]} == {"compliance", "payslips", "survey"}
    assert wage["consensus"] == pytest.approx(178.0)
    answers = client.get(
        "/api/v1/metrics/monthly-gross-wage/answers", params={"method": "payslip"}
    ).json()
    assert answers["total"] == 0 and answers["items"] == []
    brand = client.get(
        "/api/v1/metrics/monthly-gross-wage/answers",
        params={"method": "payslip"},
        headers=sources.brand.headers,
    ).json()
    assert brand["total"] == 2


def test_an_internal_source_read_is_audited_and_kept_out_of_shared_caches(
    sources: Sources, client: TestClient
) -> None:
    from sqlalchemy import select

    from laborcommons.access.models import AuditRecord

    map_all(sources.node)
    lcid = _lcid(sources, client)
    response = client.get(f"/api/v1/entities/{lcid}/evidence", headers=sources.brand.headers)
    assert response.headers["Cache-Control"] == "private, no-store"
    with unit_of_work(sources.node.sessions) as session:
        actions = session.execute(
            select(AuditRecord.action, AuditRecord.details).where(
                AuditRecord.action == "evidence.read"
            )
        ).all()
    assert [details["slug"] for _, details in actions] == ["payslips"]


def test_the_anonymous_deviation_list_leaves_the_internal_payslips_out(
    sources: Sources,
) -> None:
    map_all(sources.node)
    with unit_of_work(sources.node.sessions) as session:
        found = evidence.deviations(reader=ANONYMOUS, session=session)
    assert len(found) == 1 and DECLARED not in str(found)
    assert {s.dataset for s in found[0].sources} == {"compliance", "survey"}


def test_the_deviations_csv_never_hands_a_spreadsheet_a_formula() -> None:
    from laborcommons.evidence.exports import deviations_csv
    from laborcommons.evidence.schemas import SourcePublic, Triangulation

    source = SourcePublic(
        answer_id=1,
        dataset="d",
        version=1,
        row=1,
        value=250.0,
        original="250",
        method="self-declared",
        verification="unverified",
        weight=0.5,
        deviates=True,
    )
    group = Triangulation(
        entity="F1",
        name='=HYPERLINK("http://x","Dhaka")',
        metric="m",
        period="2024",
        consensus=180.0,
        sources=[source],
        deviates=True,
        explanation="@SUM(1)",
    )
    text = deviations_csv([group])
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and ",250.0," in text
