"""ARX's published metric values on the Adult data, reproduced exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from laborcommons.privacy.kanon import Hierarchy, reidentification_risk
from laborcommons.privacy.kanon.encoding import EncodedTable, encode_table
from laborcommons.privacy.kanon.groups import Classes, group, row_cells
from laborcommons.privacy.kanon.metrics import (
    average_class_size,
    discernibility,
    discernibility_monotonic,
    entropy,
)
from laborcommons.privacy.kanon.search import Search
from tests.privacy.conftest import ADULT_COLUMNS, ARX_EIGHT

pytestmark = pytest.mark.shared_data


def _classes(table: EncodedTable, levels: list[int], k: int = 1) -> Classes:
    return group(table, levels, row_cells(table), k=k, l_diversity=1)


@pytest.fixture(scope="module")
def eight(adult: pd.DataFrame, adult_hierarchies: dict[str, Hierarchy]) -> EncodedTable:
    return encode_table(adult, adult_hierarchies, ARX_EIGHT)


@pytest.fixture(scope="module")
def nine(adult: pd.DataFrame, adult_hierarchies: dict[str, Hierarchy]) -> EncodedTable:
    return encode_table(adult, adult_hierarchies, ADULT_COLUMNS)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0], 485_542),
        ([1, 0, 1, 1, 3, 2, 2, 0], 8_461_812),
        ([1, 4, 1, 2, 3, 2, 2, 1], 909_746_244),
    ],
)
def test_monotonic_discernibility(eight: EncodedTable, levels: list[int], expected: int) -> None:
    assert discernibility_monotonic(eight, _classes(eight, levels)) == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([0, 0, 0, 0, 0, 0, 0, 0], 463_536_157), ([0, 0, 1, 0, 3, 0, 0, 0], 175_909_370)],
)
def test_discernibility_charges_small_classes_n_per_record(
    eight: EncodedTable, levels: list[int], expected: int
) -> None:
    assert discernibility(eight, _classes(eight, levels, k=5)) == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([0, 0, 0, 0, 0, 0, 0, 0], 29.113899613899616), ([1, 1, 1, 1, 3, 2, 2, 1], 1005.4)],
)
def test_average_class_size(eight: EncodedTable, levels: list[int], expected: float) -> None:
    assert average_class_size(eight, _classes(eight, levels, k=5)) == pytest.approx(
        expected, rel=1e-15
    )


def test_risk_of_the_raw_data(adult: pd.DataFrame, nine: EncodedTable) -> None:
    risk = reidentification_risk(adult, ADULT_COLUMNS)
    assert risk.average_prosecutor_risk == pytest.approx(0.6465751607983555, rel=1e-15)
    assert risk.sample_uniqueness == pytest.approx(0.5142895033485844, rel=1e-15)
    assert risk.highest_risk == 1.0
    assert risk.records == 30_162


@pytest.mark.parametrize(
    ("k", "optimum", "expected"),
    [
        (5, (1, 2, 1, 1, 3, 2, 2, 1, 1), 407_289.5388925293),
        (100, (0, 4, 1, 1, 3, 2, 2, 1, 1), 453_196.8932458743),
    ],
)
def test_entropy_optimum_over_the_whole_lattice(
    nine: EncodedTable, k: int, optimum: tuple[int, ...], expected: float
) -> None:
    found = Search(nine, k=k, l_diversity=1, max_suppression=0.0).optimum("entropy")
    assert found is not None
    assert found.levels == optimum
    assert found.nodes == 12_960
    assert found.value == pytest.approx(expected, rel=1e-13)
    assert entropy(nine, _classes(nine, list(optimum), k=k)) == pytest.approx(expected, rel=1e-13)
    assert found.classes.suppressed == 0
    assert found.evaluated < 1_000  # pruning did its work: far fewer than 12,960 groupings
