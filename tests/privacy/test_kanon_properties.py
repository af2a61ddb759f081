"""On random small tables and hierarchies, the pruned search agrees with brute force."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcommons.privacy.kanon import Hierarchy, hierarchy_from_rows
from laborcommons.privacy.kanon.encoding import encode_table
from laborcommons.privacy.kanon.search import Search, evaluate_every_node

Problem = tuple[pd.DataFrame, dict[str, Hierarchy], list[str], str | None, dict[str, Any]]
VALUES = ["Dhaka", "Gazipur", "Hà Nội", "Đà Nẵng", "东莞", "Phnom Penh", "Tongi", "Savar"]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    columns = draw(st.integers(min_value=1, max_value=3))
    rows = draw(st.integers(min_value=1, max_value=40))
    table: dict[str, list[str]] = {}
    hierarchies: dict[str, Hierarchy] = {}
    for c in range(columns):
        name = f"q{c}"
        distinct = VALUES[: draw(st.integers(min_value=1, max_value=len(VALUES)))]
        height = draw(st.integers(min_value=1, max_value=3))
        # a random tree: each level puts the previous level's labels into fewer buckets
        labels = {value: [value] for value in distinct}
        for level in range(1, height):
            buckets = draw(st.integers(min_value=1, max_value=3))
            previous = sorted({labels[value][-1] for value in distinct})
            parent = {
                label: f"L{level}-{draw(st.integers(min_value=0, max_value=buckets - 1))}"
                for label in previous
            }
            for value in distinct:
                labels[value].append(parent[labels[value][-1]])
        rows_of = [[*labels[value], "*"] for value in distinct]
        hierarchies[name] = hierarchy_from_rows(name, rows_of, source=f"{name}.csv")
        table[name] = draw(st.lists(st.sampled_from(distinct), min_size=rows, max_size=rows))
    sensitive = None
    if draw(st.booleans()):
        sensitive = "s"
        table["s"] = draw(st.lists(st.sampled_from("abc"), min_size=rows, max_size=rows))
    options = {
        "k": draw(st.integers(min_value=1, max_value=6)),
        "l_diversity": draw(st.integers(min_value=1, max_value=3)) if sensitive else 1,
        "max_suppression": draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 1.0])),
        "metric": draw(
            st.sampled_from(["entropy", "loss", "discernibility", "average-class-size"])
        ),
    }
    return pd.DataFrame(table), hierarchies, [f"q{c}" for c in range(columns)], sensitive, options


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_search_agrees_with_brute_force(
    problem: Problem,
) -> None:
    table, hierarchies, qis, sensitive, options = problem
    metric = options.pop("metric")
    encoded = encode_table(table, hierarchies, qis, sensitive)
    nodes = evaluate_every_node(encoded, metric, **options)
    anonymous = [(value, sum(levels), levels) for levels, ok, value in nodes if ok]
    found = Search(encoded, **options).optimum(metric)
    if not anonymous:
        assert found is None
        return
    expected = min(anonymous)
    assert found is not None
    assert found.levels == expected[2]
    assert abs(found.value - expected[0]) <= 1e-9 * max(1.0, abs(expected[0]))
