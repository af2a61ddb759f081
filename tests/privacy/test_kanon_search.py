"""The pruned search finds what evaluating every node finds; pycanon confirms the output."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from laborcommons.privacy.kanon import Hierarchy, KAnonymityParameters, anonymize
from laborcommons.privacy.kanon.encoding import encode_table
from laborcommons.privacy.kanon.search import Search, evaluate_every_node

pytestmark = pytest.mark.shared_data

SMALL = ["age", "sex", "race", "education", "marital-status", "workclass"]  # 720 nodes


def _exhaustive(
    table: pd.DataFrame,
    hierarchies: dict[str, Hierarchy],
    qis: list[str],
    sensitive: str | None,
    metric: str,
    k: int,
    l_diversity: int,
    suppression: float,
) -> tuple[float, int, tuple[int, ...]] | None:
    encoded = encode_table(table, hierarchies, qis, sensitive)
    nodes = evaluate_every_node(
        encoded, metric, k=k, l_diversity=l_diversity, max_suppression=suppression
    )
    anonymous = [(value, sum(levels), levels) for levels, ok, value in nodes if ok]
    return min(anonymous) if anonymous else None


@pytest.mark.parametrize("metric", ["entropy", "loss", "discernibility", "average-class-size"])
@pytest.mark.parametrize(
    ("sensitive", "k", "l_diversity", "suppression"),
    [
        (None, 5, 1, 0.0),
        (None, 5, 1, 0.04),
        (None, 40, 1, 0.02),
        ("occupation", 3, 2, 0.0),
        ("occupation", 4, 3, 0.05),
    ],
)
def test_search_equals_exhaustive_evaluation(
    adult_subset: pd.DataFrame,
    adult_hierarchies: dict[str, Hierarchy],
    metric: str,
    sensitive: str | None,
    k: int,
    l_diversity: int,
    suppression: float,
) -> None:
    qis = SMALL if sensitive is None else SMALL[:5]
    expected = _exhaustive(
        adult_subset, adult_hierarchies, qis, sensitive, metric, k, l_diversity, suppression
    )
    encoded = encode_table(adult_subset, adult_hierarchies, qis, sensitive)
    found = Search(encoded, k=k, l_diversity=l_diversity, max_suppression=suppression).optimum(
        metric
    )
    assert expected is not None and found is not None
    assert found.levels == expected[2]
    assert found.value == pytest.approx(expected[0], rel=1e-12)
    assert found.classes.suppressed <= suppression * len(adult_subset)


def test_without_any_anonymous_node_the_error_says_why(
    adult_hierarchies: dict[str, Hierarchy], adult_subset: pd.DataFrame
) -> None:
    from laborcommons.core.errors import InvalidInput

    few = adult_subset.head(4)
    with pytest.raises(InvalidInput, match="5-anonymous"):
        anonymize(few, adult_hierarchies, KAnonymityParameters(quasi_identifiers=["sex"], k=5))


def _pycanon_k_and_l(table: pd.DataFrame, qis: list[str], sensitive: str) -> tuple[int, int]:
    from pycanon import anonymity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycanon's own deprecation noise, not ours
        return (
            anonymity.k_anonymity(table, qis),
            anonymity.l_diversity(table, qis, [sensitive]),
        )


@pytest.mark.parametrize("suppression", [0.0, 0.04])
def test_pycanon_confirms_k_and_l_on_the_output(
    adult_subset: pd.DataFrame, adult_hierarchies: dict[str, Hierarchy], suppression: float
) -> None:
    qis = ["sex", "age", "race", "marital-status", "education", "native-country"]
    parameters = KAnonymityParameters(
        quasi_identifiers=qis,
        k=5,
        max_suppression=suppression,
        sensitive="occupation",
        l_diversity=3,
        metric="entropy",
    )
    result = anonymize(adult_subset, adult_hierarchies, parameters)
    k, l_diversity = _pycanon_k_and_l(result.table, qis, "occupation")
    assert k >= 5 and l_diversity >= 3
    assert k == result.report.k_achieved and l_diversity == result.report.l_achieved
    report = result.report
    assert report.records_out == len(result.table) == report.records_in - report.suppressed
    assert report.suppressed <= suppression * len(adult_subset)
    assert list(report.transformation) == qis
    assert report.risk_after.highest_risk <= 1 / 5
    assert report.risk_after.average_prosecutor_risk < report.risk_before.average_prosecutor_risk
    assert report.metrics["entropy"] == report.metric_value


def test_output_generalizes_drops_suppressed_and_shuffles_deterministically(
    adult_subset: pd.DataFrame, adult_hierarchies: dict[str, Hierarchy]
) -> None:
    qis = ["sex", "age", "race", "education"]
    parameters = KAnonymityParameters(quasi_identifiers=qis, k=10, max_suppression=0.05)
    first = anonymize(adult_subset, adult_hierarchies, parameters)
    again = anonymize(adult_subset, adult_hierarchies, parameters)
    reseeded = anonymize(adult_subset, adult_hierarchies, parameters.model_copy(update={"seed": 7}))
    pd.testing.assert_frame_equal(first.table, again.table)
    assert first.report == again.report
    assert not first.table.equals(reseeded.table)
    sort = list(first.table.columns)
    pd.testing.assert_frame_equal(
        first.table.sort_values(sort).reset_index(drop=True),
        reseeded.table.sort_values(sort).reset_index(drop=True),
    )
    levels = first.report.transformation
    for column in qis:
        allowed = {labels[levels[column]] for labels in adult_hierarchies[column].labels.values()}
        assert set(first.table[column]) <= allowed
    # untouched columns keep their values, and rows are not in input order any more
    assert set(first.table["occupation"]) <= set(adult_subset["occupation"])
    kept = adult_subset.loc[:, ["occupation", "salary-class"]]
    assert not first.table[["occupation", "salary-class"]].equals(kept.head(len(first.table)))
    assert first.table.groupby(qis).size().min() >= 10
