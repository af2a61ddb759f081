"""Attacks through the service, as a reader would mount them: each fails to recover one
worker's value within 10%, or is refused. Noise is seeded here only (tests), per ask."""

from __future__ import annotations

from pathlib import Path

import pytest

from laborcommons.access import reader_for_token
from laborcommons.answers.schemas import QuestionCreate
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import TooManyRequests
from laborcommons.core.node import Node
from tests.answers.survey import Row, add_version, ask, cell, enable, make_survey, question
from tests.factories import make_member

SEEDS = range(8)
TARGET = 3000.0
OTHERS = [(f"A-w{i:02d}", "A", "m", 1000.0 + i) for i in range(20)]
KNOWN = sum(w for *_, w in OTHERS)
CROWD = [(f"B-w{i:02d}", "B", "f", 1200.0 + i) for i in range(15)]
WITH_TARGET: list[Row] = [*OTHERS, ("target", "A", "f", TARGET), *CROWD]
WITHOUT_TARGET: list[Row] = [*OTHERS, *CROWD]


def missed(estimate: float | None) -> bool:
    return estimate is None or abs(estimate - TARGET) > 0.1 * TARGET


def wage_question(name: str, budget: float) -> QuestionCreate:
    return question(name=name, bounds=[0, 5000], epsilon=1.0, budget=budget)


def test_differencing_across_versions_is_refused_or_drowned(node: Node, tmp_path: Path) -> None:
    """N+1 workers in version 1, N in version 2: 21·m1 - 20·m2 would be the target's wage."""
    make_survey(node, tmp_path, WITH_TARGET)
    for seed in SEEDS:
        enable(node, wage_question(f"tight-{seed}", budget=1.0))  # one answer per reader
        enable(node, wage_question(f"loose-{seed}", budget=2.0))
    first = {
        name: cell(ask(node, name, ["facility"], seed=seed), facility="A").value
        for seed in SEEDS
        for name in (f"tight-{seed}", f"loose-{seed}")
    }
    add_version(node, tmp_path, WITHOUT_TARGET)
    for seed in SEEDS:
        with pytest.raises(TooManyRequests):  # the budget is shared across versions
            ask(node, f"tight-{seed}", ["facility"], seed=seed + 100)
        second = ask(node, f"loose-{seed}", ["facility"], seed=seed + 100)
        assert second.version == 2  # version 1 cannot be asked any more
        m1, m2 = first[f"loose-{seed}"], cell(second, facility="A").value
        estimate = None if m1 is None or m2 is None else 21 * m1 - 20 * m2
        assert missed(estimate)


def test_repeating_a_question_returns_the_same_answer_to_everyone(
    node: Node, tmp_path: Path
) -> None:
    """Averaging many answers would wash the noise out; they are one cached answer."""
    make_survey(node, tmp_path, WITH_TARGET)
    members = [make_member(node, f"asker{i}@example.org") for i in range(3)]
    for seed in SEEDS:
        name = f"mean-{seed}"
        enable(node, wage_question(name, budget=1.0))
        values = [
            cell(ask(node, name, ["facility"], seed=seed + k), facility="A").value
            for k in range(10)
        ]
        for member in members:
            with unit_of_work(node.sessions) as session:
                reader = reader_for_token(member.token, session=session)
            answer = ask(node, name, ["facility"], reader=reader, seed=seed + 50)
            assert answer.cached and answer.budget.spent == 0.0
            values.append(cell(answer, facility="A").value)
        assert len(set(values)) == 1
        average = sum(v for v in values if v is not None) / len(values) if values[0] else None
        assert missed(None if average is None else 21 * average - KNOWN)


def test_budget_exhaustion_refuses_every_further_uncached_answer(
    node: Node, tmp_path: Path
) -> None:
    make_survey(node, tmp_path, WITH_TARGET)
    enable(
        node,
        question(breakdowns=[["facility"], ["facility", "gender"]], epsilon=1.0, budget=2.0),
    )
    ask(node, by=["facility"])
    ask(node, by=["facility", "gender"])
    add_version(node, tmp_path, WITHOUT_TARGET)
    for by in (["facility"], ["facility", "gender"]):
        with pytest.raises(TooManyRequests) as refused:
            ask(node, by=by, seed=3)
        assert refused.value.status_code == 429 and refused.value.retry_after > 0
