"""The benchmark record stream: deterministic, lazy, and duplicated at the asked rate."""

from __future__ import annotations

from itertools import islice

import pytest

from laborcommons.demo import generate_facility_records
from laborcommons.demo.records import cluster_facility


def test_same_seed_same_records_other_seed_other_records() -> None:
    first = list(generate_facility_records(3000, seed=3))
    assert first == list(generate_facility_records(3000, seed=3))
    assert first != list(generate_facility_records(3000, seed=4))


def test_records_have_the_documented_columns() -> None:
    for record in generate_facility_records(500, seed=1):
        assert set(record) == {"id", "name", "address", "city", "country", "cluster"}
        assert all(isinstance(value, str) for value in record.values())
        assert record["name"].strip()


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.3, 0.6])
def test_cluster_duplicates_follow_the_requested_rate(rate: float) -> None:
    records = list(generate_facility_records(20000, seed=8, duplicate_rate=rate))
    share = 1 - len({r["cluster"] for r in records}) / len(records)
    assert share == pytest.approx(rate, abs=0.02)


def test_stream_is_lazy_even_for_a_huge_request() -> None:
    head = list(islice(generate_facility_records(10**12, seed=1), 3))
    assert [r["id"] for r in head] == ["R00000001", "R00000002", "R00000003"]


def test_duplicates_are_noisy_copies_of_one_true_facility() -> None:
    records = list(generate_facility_records(5000, seed=2, duplicate_rate=0.5))
    by_cluster: dict[str, list[dict[str, str]]] = {}
    for record in records:
        by_cluster.setdefault(record["cluster"], []).append(record)
    repeated = [group for group in by_cluster.values() if len(group) >= 3]
    assert repeated
    assert any(len({r["name"] for r in group}) > 1 for group in repeated)
    truth = cluster_facility(2, 0)
    assert truth == cluster_facility(2, 0) and truth.key == "C00000001"


def test_invalid_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate_rate"):
        next(generate_facility_records(10, seed=1, duplicate_rate=1.0))
