"""The engine's true values (noise made negligible by a huge epsilon) and its suppression."""

from __future__ import annotations

import duckdb
import pytest

from laborcommons.answers.algorithms import ALGORITHMS
from laborcommons.answers.engine import compute_answer
from laborcommons.answers.noise import OpenDPNoise, SeededNoise
from laborcommons.answers.spec import QuestionSpec

EXACT = 1e9


def payslips(rows: list[tuple[str, str, str, float]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE slips (worker VARCHAR, facility VARCHAR, gender VARCHAR, wage DOUBLE)"
    )
    con.executemany("INSERT INTO slips VALUES (?, ?, ?, ?)", rows)
    return con


def known() -> duckdb.DuckDBPyConnection:
    """Facility A: workers w0..w9 earning 100..190; facility B: w10..w19 earning 200..290."""
    rows = [
        (f"w{i}", "A" if i < 10 else "B", "f" if i % 2 else "m", 100.0 + 10 * i) for i in range(20)
    ]
    rows += [("w0", "A", "m", 100.0)]  # a second payslip, same value: counts once
    return payslips(rows)


def spec(algorithm: str, **kw: object) -> QuestionSpec:
    base: dict[str, object] = dict(
        algorithm=algorithm,
        subject="worker",
        value="wage",
        breakdowns=((), ("facility",)),
        bounds=(0.0, 1000.0),
        epsilon=EXACT,
        min_subjects=5,
        dominance_p=1.0,
    )
    base.update(kw)
    return QuestionSpec(**base)  # type: ignore[arg-type]


def values(answer: object) -> list[float | None]:
    return [cell.value for cell in answer.cells]  # type: ignore[attr-defined]


def test_registry_declares_every_algorithm_at_version_one() -> None:
    assert sorted(ALGORITHMS) == sorted(
        ["count", "mean", "median", "share-below", "histogram", "quantiles"]
    )
    assert all(a.version == 1 and a.made_safe and "subject" in a.roles for a in ALGORITHMS.values())


def test_count_mean_share() -> None:
    con, noise = known(), SeededNoise(1)
    count = compute_answer(
        con, "slips", spec("count", value=None, bounds=None), ("facility",), noise=noise
    )
    assert values(count) == [10, 10]
    assert [c.group for c in count.cells] == [{"facility": "A"}, {"facility": "B"}]
    mean = compute_answer(con, "slips", spec("mean"), ("facility",), noise=noise)
    assert values(mean) == pytest.approx([145.0, 245.0])
    assert mean.noise.mechanism == "laplace sum/count" and mean.noise.error_95 < 1e-3
    share = compute_answer(
        con, "slips", spec("share-below", bounds=None, below=150.0), (), noise=noise
    )
    assert values(share) == pytest.approx([0.25])


def test_median_quantiles_histogram() -> None:
    con, noise = known(), SeededNoise(2)
    median = compute_answer(con, "slips", spec("median"), ("facility",), noise=noise)
    assert values(median) == pytest.approx([140.0, 240.0], abs=10.0)
    quantiles = compute_answer(
        con, "slips", spec("quantiles", quantiles=(0.25, 0.75)), (), noise=noise
    )
    assert [c.group for c in quantiles.cells] == [{"quantile": 0.25}, {"quantile": 0.75}]
    assert values(quantiles) == pytest.approx([150.0, 240.0], abs=10.0)
    histogram = compute_answer(
        con, "slips", spec("histogram", bins=(0.0, 200.0, 1000.0)), (), noise=noise
    )
    assert [c.group["bin"] for c in histogram.cells] == ["[0, 200)", "[200, 1000]"]
    assert values(histogram) == [10, 10]


def test_opendp_noise_source_answers_close_and_unseeded() -> None:
    con = known()
    answer = compute_answer(
        con, "slips", spec("mean", epsilon=1000.0), ("facility",), noise=OpenDPNoise()
    )
    assert values(answer) == pytest.approx([145.0, 245.0], abs=5.0)
    median = compute_answer(con, "slips", spec("median", epsilon=1000.0), (), noise=OpenDPNoise())
    assert values(median) == pytest.approx([190.0], abs=20.0)


def test_same_seed_same_answer_and_subjects_kept_for_audit() -> None:
    first = compute_answer(
        known(), "slips", spec("mean", epsilon=1.0), ("facility",), noise=SeededNoise(7)
    )
    again = compute_answer(
        known(), "slips", spec("mean", epsilon=1.0), ("facility",), noise=SeededNoise(7)
    )
    assert first == again
    assert [c.subjects for c in first.cells] == [10, 10] and first.cohort_sizes == [10, 10]


def test_by_must_be_allowed() -> None:
    from laborcommons.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        compute_answer(known(), "slips", spec("mean"), ("gender",), noise=SeededNoise(1))
