"""The column transformations, on Arrow tables (pure: no node, no database)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from laborcommons.core.errors import InvalidInput
from laborcommons.releases import transforms
from laborcommons.releases.schemas import HierarchySpec, Resolution

TABLE = pa.table({
    "wage": pa.array([12500.0, 11800.5, None, 13000.0]),
    "age": pa.array([19, 34, 57, None], type=pa.int64()),
    "joined": pa.array([dt.datetime(2021, 3, 15, 8, 30), None, dt.datetime(2019, 7, 7),
                        dt.datetime(2023, 5, 30)]),
    "name": pa.array(["Rahima Begum", "রহিমা খাতুন", "", "Sok Chenda"]),
})  # fmt: skip


def test_values_as_text_round_trip_to_the_same_numbers_and_times():
    assert transforms.text_values(TABLE, "wage") == ["12500", "11800.5", None, "13000"]
    assert transforms.text_values(TABLE, "age") == ["19", "34", "57", None]
    assert transforms.text_values(TABLE, "joined")[0] == "2021-03-15T08:30:00"
    assert transforms.text_values(TABLE, "name")[2] is None  # empty stays empty


def test_generalize_numbers_to_intervals_and_keep_empty_cells():
    values = [v for v in transforms.text_values(TABLE, "age") if v]
    hierarchy = transforms.build_hierarchy(HierarchySpec(kind="interval", width=10), "age", values)
    out = transforms.generalize(TABLE, "age", hierarchy, 1)
    assert out.column("age").to_pylist() == ["[10, 20)", "[30, 40)", "[50, 60)", None]
    assert out.column("wage").to_pylist() == TABLE.column("wage").to_pylist()
    top = hierarchy.height - 1
    assert set(transforms.generalize(TABLE, "age", hierarchy, top).column("age").to_pylist()) == {
        "*",
        None,
    }
    with pytest.raises(InvalidInput, match="outside the hierarchy"):
        transforms.generalize(TABLE, "age", hierarchy, top + 1)


def test_arx_rows_in_any_script_and_a_missing_value_named():
    spec = HierarchySpec(kind="arx", csv="Rahima Begum;R;*\nরহিমা খাতুন;র;*\n", file="n.csv")
    hierarchy = transforms.build_hierarchy(spec, "name", [])
    with pytest.raises(InvalidInput, match="'Sok Chenda'") as error:
        transforms.generalize(TABLE, "name", hierarchy, 1)
    assert error.value.details["file"] == "n.csv"


def test_drop_refuses_the_last_column_and_unknown_ones():
    assert transforms.drop(TABLE, "name").column_names == ["wage", "age", "joined"]
    with pytest.raises(InvalidInput, match="only column"):
        transforms.drop(TABLE.select(["name"]), "name")
    with pytest.raises(InvalidInput, match="no column 'salary'"):
        transforms.drop(TABLE, "salary")


def test_resolutions_are_complete_or_refused():
    with pytest.raises(ValueError, match="justification"):
        Resolution(action="accept", justification="   because   ")
    with pytest.raises(ValueError, match="needs a hierarchy"):
        Resolution(action="generalize")
    with pytest.raises(ValueError, match="csv"):
        HierarchySpec(kind="arx")
    assert Resolution(action="accept", justification="  published with consent  ").justification
