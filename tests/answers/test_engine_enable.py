"""Every refusal of check_enableable names the field and says why."""

from __future__ import annotations

import pytest

from laborcommons.answers.engine import check_enableable
from laborcommons.answers.spec import QuestionSpec
from laborcommons.core.errors import InvalidInput

COLUMNS = {
    "worker": "VARCHAR",
    "facility": "VARCHAR",
    "gender": "VARCHAR",
    "wage": "DOUBLE",
    "living": "DECIMAL(10,2)",
}


def good(**kw: object) -> QuestionSpec:
    base: dict[str, object] = dict(
        algorithm="mean",
        subject="worker",
        value="wage",
        bounds=(0.0, 1000.0),
        breakdowns=((), ("facility",), ("facility", "gender")),
    )
    base.update(kw)
    return QuestionSpec(**base)  # type: ignore[arg-type]


def test_a_nested_chain_is_enableable() -> None:
    check_enableable(good(), COLUMNS)
    check_enableable(good(algorithm="share-below", bounds=None, below_column="living"), COLUMNS)
    check_enableable(good(algorithm="count", value=None, bounds=None), COLUMNS)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"algorithm": "sum"}, "algorithm", "Unknown"),
        ({"algorithm_version": 2}, "algorithm_version", "version"),
        ({"subject": "nobody"}, "subject", "not in the dataset"),
        ({"value": "pay"}, "value", "not in the dataset"),
        ({"value": "gender"}, "value", "not numeric"),
        ({"algorithm": "median", "value": None}, "value", "needs a value"),
        ({"breakdowns": (("shift",),)}, "breakdowns", "not in the dataset"),
        ({"breakdowns": (("worker",),)}, "breakdowns", "subject column"),
        ({"breakdowns": (("facility",), ("gender",))}, "breakdowns", "not nested"),
        ({"breakdowns": (("facility",), ("facility",))}, "breakdowns", "twice"),
        ({"breakdowns": ()}, "breakdowns", "At least one"),
        ({"min_subjects": 4}, "min_subjects", "never below 5"),
        ({"epsilon": 0.0}, "epsilon", "greater than 0"),
        ({"dominance_p": 0.0}, "dominance_p", "(0, 100]"),
        ({"dominance_p": 101.0}, "dominance_p", "(0, 100]"),
        ({"bounds": None}, "bounds", "needs bounds"),
        ({"algorithm": "quantiles", "bounds": None, "quantiles": (0.5,)}, "bounds", "needs bounds"),
        ({"algorithm": "histogram", "bounds": None, "bins": (0.0, 1.0)}, "bounds", "needs bounds"),
        ({"bounds": (10.0, 1.0)}, "bounds", "LO < HI"),
        ({"algorithm": "histogram", "bins": (0.0, 50.0, 50.0)}, "bins", "increasing"),
        ({"algorithm": "quantiles", "quantiles": (0.5, 1.0)}, "quantiles", "between 0 and 1"),
        ({"algorithm": "share-below", "bounds": None}, "below", "exactly one"),
        ({"algorithm": "share-below", "below_column": "gender"}, "below_column", "not numeric"),
    ],
)
def test_refusals(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_enableable(good(**changes), COLUMNS)
    assert refused.value.details["field"] == field
    assert words in str(refused.value)
