"""Each metric on a table small enough to compute by hand, suppression included."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon import KAnonymityParameters, anonymize, hierarchy_from_rows
from laborcommons.privacy.kanon.encoding import EncodedTable, encode_table
from laborcommons.privacy.kanon.groups import base_cells, group
from laborcommons.privacy.kanon.metrics import REPORTED

HIERARCHY = hierarchy_from_rows(
    "district",
    [["Mirpur", "Dhaka", "*"], ["Savar", "Dhaka", "*"], ["Tongi", "Gazipur", "*"],
     ["Kaliakair", "Gazipur", "*"]],
    source="t_hierarchy_district.csv",
)  # fmt: skip
TABLE = pd.DataFrame(
    {"district": ["Mirpur", "Mirpur", "Savar", "Savar", "Tongi", "Kaliakair"],
     "wage": ["9100", "9900", "8800", "12000", "10500", "9700"]}
)  # fmt: skip


def _metrics(level: int, k: int = 2) -> dict[str, float]:
    encoded: EncodedTable = encode_table(TABLE, {"district": HIERARCHY}, ["district"])
    classes = group(encoded, [level], base_cells(encoded), k=k, l_diversity=1)
    return {name: measure(encoded, classes) for name, measure in REPORTED.items()}


def test_metrics_with_two_records_suppressed() -> None:
    # Classes Mirpur 2, Savar 2 kept; Tongi 1 and Kaliakair 1 suppressed (k=2), n=6.
    assert _metrics(0) == pytest.approx(
        {
            "discernibility": 2 * 2 + 2 * 2 + 2 * 6,
            "discernibility-monotonic": 4 + 4 + 1 + 1,
            "average-class-size": 6 / 3,
            # originals cost nothing; the 2 suppressed are 2 values among 2: 2 * log2(2/1)
            "entropy": 2.0,
            # shares 1/4 kept x4, 1 suppressed x2: (1 + 2 - 6/4) / (6 - 6/4)
            "loss": 1 / 3,
        },
        rel=1e-15,
    )


def test_metrics_generalized_without_suppression() -> None:
    assert _metrics(1) == pytest.approx(
        {
            "discernibility": 16 + 4,
            "discernibility-monotonic": 16 + 4,
            "average-class-size": 3.0,
            # Mirpur, Savar: 2 of 4 in Dhaka (x4); Tongi, Kaliakair: 1 of 2 in Gazipur (x2)
            "entropy": 4 * -math.log2(2 / 4) + 2 * -math.log2(1 / 2),
            "loss": (6 * 0.5 - 1.5) / 4.5,
        },
        rel=1e-15,
    )


@pytest.mark.parametrize(
    ("metric", "suppression", "level"),
    [
        ("entropy", 0.34, 0),  # suppressing 2 records costs 2 bits, generalizing 6
        ("entropy", 0.2, 1),  # only 1 record may go: generalize
        ("discernibility", 0.34, 0),  # 20 either way: the least generalized wins the tie
        ("average-class-size", 0.34, 0),  # 2 < 3
        ("loss", 0.34, 0),  # 1/3 either way: tie to the least generalized
    ],
)
def test_the_optimum_weighs_suppression_against_generalization(
    metric: str, suppression: float, level: int
) -> None:
    parameters = KAnonymityParameters(
        quasi_identifiers=["district"], k=2, max_suppression=suppression, metric=metric
    )
    result = anonymize(TABLE, {"district": HIERARCHY}, parameters)
    assert result.report.transformation == {"district": level}
    assert result.report.suppressed == (2 if level == 0 else 0)


def test_an_empty_table_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no records"):
        anonymize(
            TABLE.head(0),
            {"district": HIERARCHY},
            KAnonymityParameters(quasi_identifiers=["district"], k=2),
        )
