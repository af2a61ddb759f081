"""Hierarchies: ARX files are validated with errors that point at the row; generated ones nest."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon import (
    KAnonymityParameters,
    anonymize,
    date_hierarchy,
    hierarchy_from_rows,
    interval_hierarchy,
    read_hierarchies,
    read_hierarchy,
)


def test_reads_arx_files_with_bom_and_non_latin_values(tmp_path: Path) -> None:
    path = tmp_path / "survey_hierarchy_city.csv"
    path.write_text(
        "\ufeffHà Nội;Vietnam;Asia;*\nTP. Hồ Chí Minh;Vietnam;Asia;*\n东莞;China;Asia;*\n"
        "ঢাকা;Bangladesh;Asia;*\n",
        encoding="utf-8",
    )
    hierarchy = read_hierarchies(tmp_path, ["city"])["city"]
    assert hierarchy.height == 4
    assert hierarchy.labels["Hà Nội"] == ("Hà Nội", "Vietnam", "Asia", "*")
    assert hierarchy.labels["东莞"][1] == "China"
    assert hierarchy.source == "survey_hierarchy_city.csv"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a;x;*\nb;y\n", "row 2: 2 levels where row 1 has 3"),
        ("a;x;*\na;x;*\n", "row 2: value 'a' is listed twice"),
        ("a;x;p;*\nb;x;q;*\n", "row 2: 'x' at level 1 generalizes to both 'p' and 'q'"),
        ("a;x;*\nb;y;all\n", "the last level must be one value"),
    ],
)
def test_bad_hierarchy_files_name_file_and_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "h_hierarchy_site.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as caught:
        read_hierarchy(path, "site")
    assert "h_hierarchy_site.csv" in caught.value.message
    assert caught.value.details["column"] == "site"


def test_a_missing_hierarchy_file_names_the_expected_pattern(tmp_path: Path) -> None:
    (tmp_path / "x_hierarchy_age.csv").write_text("1;*\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"\*_hierarchy_gender\.csv") as caught:
        read_hierarchies(tmp_path, ["age", "gender"])
    assert caught.value.details == {"directory": str(tmp_path), "column": "gender"}


def test_a_value_missing_from_its_hierarchy_names_value_line_and_file() -> None:
    hierarchy = hierarchy_from_rows(
        "gender", [["Female", "*"], ["Male", "*"]], source="s_hierarchy_gender.csv"
    )
    table = pd.DataFrame({"gender": ["Female", "Male", "Femlae", "Nữ"]})
    with pytest.raises(InvalidInput) as caught:
        anonymize(
            table, {"gender": hierarchy}, KAnonymityParameters(quasi_identifiers=["gender"], k=2)
        )
    error = caught.value
    assert "'Femlae'" in error.message and "line 4" in error.message
    assert "s_hierarchy_gender.csv" in error.message and "(and 1 more)" in error.message
    assert error.details["missing"] == ["Femlae", "Nữ"]


def test_interval_hierarchy_nests_and_doubles() -> None:
    hierarchy = interval_hierarchy("age", ["17", "23", "38", " 40", "64.5"], width=5)
    assert hierarchy.labels["23"] == ("23", "[20, 25)", "[20, 30)", "[20, 40)", "[0, 40)", "*")
    assert hierarchy.labels[" 40"][1:4] == ("[40, 45)", "[40, 50)", "[40, 60)")
    assert hierarchy.labels["64.5"][1] == "[60, 65)"
    for labels in hierarchy.labels.values():  # every interval lies inside the next one
        bounds = [tuple(float(x) for x in label[1:-1].split(", ")) for label in labels[1:-1]]
        for (low, high), (outer_low, outer_high) in itertools.pairwise(bounds):
            assert outer_low <= low and high <= outer_high


def test_interval_width_defaults_to_a_round_number() -> None:
    hierarchy = interval_hierarchy("wage", [str(v) for v in range(0, 16_000, 250)])
    assert hierarchy.labels["250"][1] == "[0, 1000)"


def test_interval_hierarchy_refuses_text() -> None:
    with pytest.raises(InvalidInput, match="'forty' is not a number"):
        interval_hierarchy("age", ["39", "forty"])


def test_date_hierarchy_goes_day_month_year() -> None:
    hierarchy = date_hierarchy("hired", ["2024-02-29", "2025-01-03T08:00:00"])
    assert hierarchy.labels["2024-02-29"] == ("2024-02-29", "2024-02", "2024", "*")
    assert hierarchy.labels["2025-01-03T08:00:00"][1] == "2025-01"
    with pytest.raises(InvalidInput, match="'03/01/2025' is not an ISO date"):
        date_hierarchy("hired", ["03/01/2025"])
