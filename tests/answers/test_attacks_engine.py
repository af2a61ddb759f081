"""Engine-level attacks: each fails to recover one worker's value within 10%, or is refused.

Noise claims are probabilistic, so each attack runs over several seeds and asserts on all.
"""

from __future__ import annotations

import duckdb
import pytest

from laborcommons.answers.engine import check_enableable, compute_answer
from laborcommons.answers.noise import SeededNoise
from laborcommons.answers.spec import EngineAnswer, QuestionSpec
from laborcommons.core.errors import InvalidInput

SEEDS = range(20)
TARGET = 3000.0


def table(rows: list[tuple[str, str, str, float]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE slips (worker VARCHAR, facility VARCHAR, gender VARCHAR, wage DOUBLE)"
    )
    con.executemany("INSERT INTO slips VALUES (?, ?, ?, ?)", rows)
    return con


def crowd(
    facility: str, n: int, wage: float = 1000.0, gender: str = "m"
) -> list[tuple[str, str, str, float]]:
    return [(f"{facility}{i}", facility, gender, wage + i) for i in range(n)]


def mean_spec(
    breakdowns: tuple[tuple[str, ...], ...], bounds: tuple[float, float] = (0.0, 5000.0)
) -> QuestionSpec:
    return QuestionSpec("mean", "worker", breakdowns, value="wage", bounds=bounds, epsilon=1.0)


def cell(answer: EngineAnswer, **group: str) -> float | None:
    return next(c.value for c in answer.cells if c.group == group)


def missed(estimate: float | None, truth: float = TARGET) -> bool:
    return estimate is None or abs(estimate - truth) > 0.1 * truth


def test_differencing_facility_total_against_facility_by_gender() -> None:
    con = table([*crowd("A", 11), ("target", "A", "f", TARGET), *crowd("B", 15)])
    spec = mean_spec(((), ("facility",), ("facility", "gender")))
    for seed in SEEDS:
        total = compute_answer(con, "slips", spec, ("facility",), noise=SeededNoise(seed))
        split = compute_answer(con, "slips", spec, ("facility", "gender"), noise=SeededNoise(seed))
        a, men = cell(total, facility="A"), cell(split, facility="A", gender="m")
        assert cell(split, facility="A", gender="f") is None
        estimate = None if a is None or men is None else 12 * a - 11 * men
        assert missed(estimate)


def test_one_worker_with_many_payslips_counts_once_and_is_clamped() -> None:
    con = table([*crowd("A", 10, 100.0), *[("target", "A", "m", 10 * TARGET)] * 100])
    spec = QuestionSpec("count", "worker", (("facility",),), epsilon=1e9)
    assert (
        cell(compute_answer(con, "slips", spec, ("facility",), noise=SeededNoise(0)), facility="A")
        == 11
    )
    for seed in SEEDS:
        answer = compute_answer(
            con, "slips", mean_spec((("facility",),)), ("facility",), noise=SeededNoise(seed)
        )
        mean = cell(answer, facility="A")
        estimate = None if mean is None else 11 * mean - sum(100.0 + i for i in range(10))
        assert missed(estimate, 10 * TARGET)


def test_margin_recomputation_of_a_suppressed_cell() -> None:
    con = table([*crowd("A", 20), *crowd("B", 20), ("target", "C", "m", TARGET)])
    spec = mean_spec(((), ("facility",)))
    for seed in SEEDS:
        overall = compute_answer(con, "slips", spec, (), noise=SeededNoise(seed))
        facilities = compute_answer(con, "slips", spec, ("facility",), noise=SeededNoise(seed))
        reasons = {c.group["facility"]: c.reason for c in facilities.cells}
        assert reasons == {"A": "secondary", "B": None, "C": "threshold"}
        total, b = overall.cells[0].value, cell(facilities, facility="B")
        assert total is not None and b is not None  # only A + C together are recoverable


def test_tiny_breakdowns_publish_nothing_identifying() -> None:
    rows = [(f"w{i}", f"F{i // 2}", "m", 1000.0 + i) for i in range(12)]
    con = table(rows)
    spec = mean_spec(((), ("facility",)))
    for seed in SEEDS:
        answer = compute_answer(con, "slips", spec, ("facility",), noise=SeededNoise(seed))
        assert all(c.suppressed and c.value is None for c in answer.cells)


def test_bounds_chosen_to_single_out_an_outlier() -> None:
    con = table([*crowd("A", 10, 100.0), ("target", "A", "m", 50 * TARGET)])
    narrow = mean_spec((("facility",),), bounds=(0.0, 200.0))
    known = sum(100.0 + i for i in range(10))
    for seed in SEEDS:
        mean = cell(
            compute_answer(con, "slips", narrow, ("facility",), noise=SeededNoise(seed)),
            facility="A",
        )
        assert missed(None if mean is None else 11 * mean - known, 50 * TARGET)
    wide = mean_spec((("facility",),), bounds=(0.0, 1e6))
    answer = compute_answer(con, "slips", wide, ("facility",), noise=SeededNoise(0))
    assert answer.cells[0].reason == "dominance"


def test_a_dominant_earner_is_suppressed_with_its_complement() -> None:
    con = table([*crowd("A", 12, 10.0), ("target", "A", "m", TARGET), *crowd("B", 12, 10.0)])
    spec = mean_spec((("facility",),))  # the overall total is assumed known: B would give A
    for seed in SEEDS:
        answer = compute_answer(con, "slips", spec, ("facility",), noise=SeededNoise(seed))
        assert [c.reason for c in answer.cells] == ["dominance", "secondary"]
    with_total = mean_spec(((), ("facility",)))
    overall = compute_answer(con, "slips", with_total, (), noise=SeededNoise(0))
    assert overall.cells[0].reason == "dominance"  # the total is dominated too


def test_non_nested_breakdowns_that_could_be_differenced_are_refused() -> None:
    spec = mean_spec(((), ("facility",), ("gender",)))
    with pytest.raises(InvalidInput, match="not nested"):
        check_enableable(
            spec,
            {"worker": "VARCHAR", "facility": "VARCHAR", "gender": "VARCHAR", "wage": "DOUBLE"},
        )
