"""Questions, answers, cache, ledger and audit through the service, on both databases."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN, anonymous_reader, reader_for_token
from laborcommons.access.models import AuditRecord
from laborcommons.answers import service
from laborcommons.answers.models import Ledger
from laborcommons.catalog import service as catalog
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
)
from laborcommons.core.node import Node
from tests.answers.survey import (
    SLUG,
    add_version,
    ask,
    cell,
    enable,
    make_survey,
    question,
    worker_rows,
)
from tests.factories import make_group, make_member, make_org

ROWS = worker_rows({"A": 14, "B": 12, "C": 3})
"""C is under the threshold; B, the smallest other cell, is suppressed with it (secondary)."""


@pytest.fixture
def survey(node: Node, tmp_path: Path) -> str:
    return make_survey(node, tmp_path, ROWS)


def answers_audit(node: Node) -> list[AuditRecord]:
    with unit_of_work(node.sessions) as session:
        query = select(AuditRecord).where(AuditRecord.action == "answers.ask")
        return list(session.scalars(query.order_by(AuditRecord.seq)))


def reader_of(node: Node, token: str):  # type: ignore[no-untyped-def]
    with unit_of_work(node.sessions) as session:
        return reader_for_token(token, session=session)


def test_enable_stores_the_defaults_and_lists_the_question(node: Node, survey: str) -> None:
    enabled = enable(node, question())
    assert (enabled.algorithm, enabled.min_subjects, enabled.dominance_p) == ("mean@1", 10, 25.0)
    assert (enabled.audience, enabled.period_days, enabled.breakdowns) == (
        "anyone",
        30,
        [["facility"]],
    )
    with unit_of_work(node.sessions) as session:
        listed = service.list_questions(SLUG, reader=NODE_ADMIN, session=session)
    assert [q.name for q in listed] == ["mean-wage"]


def test_enable_refuses_what_the_engine_cannot_make_safe(node: Node, survey: str) -> None:
    with pytest.raises(ValidationError):
        question(min_subjects=4)  # never below 5
    with pytest.raises(InvalidInput) as error:
        enable(node, question(value="salary"))
    assert error.value.details == {"field": "value"}
    with pytest.raises(InvalidInput) as error:
        enable(node, question(breakdowns=[["facility"], ["gender"]]))  # not nested
    assert error.value.details == {"field": "breakdowns"}
    with pytest.raises(InvalidInput) as error:
        enable(node, question(bounds=None))
    assert error.value.details == {"field": "bounds"}
    with unit_of_work(node.sessions) as session:
        assert service.list_questions(SLUG, reader=NODE_ADMIN, session=session) == []


def test_only_owners_and_editors_enable(node: Node, survey: str) -> None:
    viewer = make_member(node, "viewer@union.example", "union", "viewer")
    make_org(node, "rival")
    outsider = make_member(node, "owner@rival.example", "rival", "owner")
    with pytest.raises(Forbidden):
        enable(node, question(), reader=reader_of(node, viewer.token))
    with pytest.raises(NotFound):  # an internal dataset they cannot discover
        enable(node, question(), reader=reader_of(node, outsider.token))


def test_a_question_for_anyone_makes_metadata_discoverable_never_rows(
    node: Node, survey: str
) -> None:
    with unit_of_work(node.sessions) as session, pytest.raises(NotFound):
        catalog.get_dataset(SLUG, reader=anonymous_reader(session=session), session=session)
    enable(node, question())
    with unit_of_work(node.sessions) as session:
        reader = anonymous_reader(session=session)
        assert catalog.get_dataset(SLUG, reader=reader, session=session).slug == SLUG
        assert [q.name for q in service.list_questions(SLUG, reader=reader, session=session)]
        with pytest.raises(Forbidden):
            catalog.readable_version(SLUG, None, reader=reader, session=session)


def test_group_and_org_audiences(node: Node, survey: str) -> None:
    make_org(node, "ally")
    make_org(node, "rival")
    make_group(node, "coalition", "union", members=("ally",))
    ally_member = make_member(node, "a@ally.example", "ally", "viewer")
    rival_member = make_member(node, "r@rival.example", "rival", "owner")
    enable(node, question(audience="group:coalition"))
    enable(node, question(name="for-rival", audience="org:rival"))
    ally, rival = reader_of(node, ally_member.token), reader_of(node, rival_member.token)
    with unit_of_work(node.sessions) as session:
        names = [q.name for q in service.list_questions(SLUG, reader=ally, session=session)]
        assert names == ["mean-wage"]
        rival_names = service.list_questions(SLUG, reader=rival, session=session)
        assert [q.name for q in rival_names] == ["for-rival"]
        every = service.list_questions(SLUG, reader=NODE_ADMIN, session=session)
        assert [q.audience for q in every] == ["group:coalition", "org:rival"]
    assert ask(node, reader=ally).question == "mean-wage"
    with pytest.raises(NotFound, match="no question 'mean-wage'"):  # like a missing question
        ask(node, reader=rival)
    with pytest.raises(NotFound, match="no dataset"):  # anyone: nothing is for them
        ask(node)
    with pytest.raises(InvalidInput):
        enable(node, question(name="nobody", audience="group:no-such-group"))


def test_answer_suppresses_small_cells_and_is_cached(node: Node, survey: str) -> None:
    enable(node, question())
    first = ask(node, by=["facility"])
    assert (first.algorithm, first.version, first.by, first.cached) == (
        "mean@1",
        1,
        ["facility"],
        False,
    )
    assert cell(first, facility="C").suppressed and cell(first, facility="C").reason == "threshold"
    assert cell(first, facility="C").value is None
    assert cell(first, facility="B").reason == "secondary"
    assert isinstance(cell(first, facility="A").value, float)  # noisy: epsilon 1 on 14 workers
    assert first.noise.epsilon == 1.0 and first.noise.error_95 > 0
    assert (first.budget.spent, first.budget.left) == (1.0, 4.0)
    again = ask(node, by=["facility"], seed=99)  # a different noise draw would differ
    assert again.cached and again.cells == first.cells
    assert (again.budget.spent, again.budget.left) == (1.0, 4.0)
    records = answers_audit(node)
    assert [r.details["cached"] for r in records] == [False, True]
    assert records[0].details["algorithm"] == "mean@1"
    assert records[0].details["cohort_sizes"] == [14, 12, 3]
    assert [r.details["epsilon_spent"] for r in records] == [1.0, 0.0]
    assert records[0].actor == "anonymous" and records[0].details["by"] == ["facility"]


def test_breakdown_must_be_allowed_and_defaults_to_the_first(node: Node, survey: str) -> None:
    enable(node, question(breakdowns=[["facility"], ["facility", "gender"]]))
    assert ask(node).by == ["facility"]
    assert ask(node, by=["gender", "facility"]).by == ["facility", "gender"]
    with pytest.raises(InvalidInput) as error:
        ask(node, by=["gender"])
    assert error.value.details["field"] == "by"


def test_budget_is_spent_per_reader_and_refused_with_its_renewal(
    node: Node, survey: str, tmp_path: Path
) -> None:
    enable(node, question(breakdowns=[["facility"], ["facility", "gender"]], budget=2.0))
    ask(node, by=["facility"])
    ask(node, by=["facility", "gender"])
    add_version(node, tmp_path, ROWS[:-1])  # the budget is shared across versions
    with pytest.raises(TooManyRequests) as error:
        ask(node, by=["facility"])
    assert error.value.retry_after > 29 * 24 * 3600
    assert "renews_at" in error.value.details
    member = make_member(node, "someone@else.example")
    assert ask(node, reader=reader_of(node, member.token)).budget.spent == 1.0  # their own
    with unit_of_work(node.sessions) as session:
        ledgers = {row.reader_name: row.spent for row in session.scalars(select(Ledger))}
    assert ledgers == {"anonymous": 2.0, "someone@else.example": 1.0}
    with unit_of_work(node.sessions) as session:
        refused = session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused")).all()
    assert [(r.action, r.details["status"], r.details["version"]) for r in refused] == [
        ("answers.ask", 429, 2)
    ]


def test_answers_come_from_the_latest_version_only(node: Node, survey: str, tmp_path: Path) -> None:
    enable(node, question())
    assert ask(node).version == 1
    add_version(node, tmp_path, worker_rows({"A": 13, "B": 12, "C": 3}))
    answer = ask(node)
    assert (answer.version, answer.cached) == (2, False)


def test_simultaneous_asks_never_overspend(node: Node, survey: str) -> None:
    enable(node, question(breakdowns=[["facility"], ["facility", "gender"]], budget=1.0))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def one(by: list[str]) -> None:
        barrier.wait()
        try:
            ask(node, by=by)
            outcomes.append("answered")
        except TooManyRequests:
            outcomes.append("refused")

    threads = [
        threading.Thread(target=one, args=(b,)) for b in (["facility"], ["facility", "gender"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["answered", "refused"]
    with unit_of_work(node.sessions) as session:
        assert [row.spent for row in session.scalars(select(Ledger))] == [1.0]


def test_share_below_a_reference_column_of_another_dataset(
    node: Node, survey: str, tmp_path: Path
) -> None:
    from tests.factories import ingest, make_dataset

    rows = "worker_id,facility,gender,wage,country\n" + "".join(
        f"w{i},A,m,{300 + 10 * i},{'BD' if i < 12 else 'KH'}\n" for i in range(24)
    )
    make_dataset(node, "wages-by-country", "union", access="internal")
    (tmp_path / "w.csv").write_text(rows, encoding="utf-8")
    ingest(node, "wages-by-country", tmp_path / "w.csv")
    make_dataset(node, "living-wages", "union", access="open", license="CC0-1.0")
    (tmp_path / "ref.csv").write_text("country,living_wage\nBD,360\nKH,500\n", encoding="utf-8")
    ingest(node, "living-wages", tmp_path / "ref.csv")
    data = question(
        name="below-living",
        algorithm="share-below",
        breakdowns=[["country"]],
        bounds=None,
        below_column="living-wages:living_wage",
        epsilon=100.0,
        budget=1000.0,
    )
    with unit_of_work(node.sessions) as session:
        enabled = service.enable_question(
            "wages-by-country", data, reader=NODE_ADMIN, session=session
        )
    assert enabled.below_column == "union~living-wages:living_wage@country"
    from laborcommons.answers.noise import SeededNoise

    with unit_of_work(node.sessions) as session:
        answer = service.ask(
            "wages-by-country",
            "below-living",
            ["country"],
            reader=NODE_ADMIN,
            node=node,
            session=session,
            noise=SeededNoise(1),
        )
    shares = {c.group["country"]: c.value for c in answer.cells}
    assert shares == pytest.approx({"BD": 6 / 12, "KH": 8 / 12}, abs=0.05)
    with unit_of_work(node.sessions) as session, pytest.raises(InvalidInput) as error:
        service.enable_question(
            "wages-by-country",
            question(
                name="x",
                algorithm="share-below",
                bounds=None,
                breakdowns=[["country"]],
                below_column="living-wages:nope",
            ),
            reader=NODE_ADMIN,
            session=session,
        )
    assert error.value.details == {"field": "below_column"}
