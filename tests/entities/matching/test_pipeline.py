"""cluster_records: messy and non-Latin records group right, deterministically."""

from __future__ import annotations

import pandas as pd
import pytest

from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.entities.matching import cluster_records
from laborcommons.entities.matching.metrics import quality
from tests.entities.matching.records import records_frame


def _clusters(result: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(group["id"]) for _, group in result.groupby("cluster_id")}


def _truth(frame: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(group["id"]) for _, group in frame.groupby("truth")}


def test_messy_and_non_latin_records_cluster_as_the_truth() -> None:
    frame = records_frame()
    result = cluster_records(frame.drop(columns="truth"))
    assert list(result["id"]) == list(frame["id"])  # one row per record, input order
    assert _clusters(result) == _truth(frame)


def test_same_input_in_another_order_gives_the_same_cluster_ids() -> None:
    frame = records_frame().drop(columns="truth")
    first = cluster_records(frame).set_index("id")["cluster_id"]
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    second = cluster_records(shuffled).set_index("id")["cluster_id"]
    assert first.sort_index().equals(second.sort_index())
    assert first.str.fullmatch(r"C[0-9a-f]{12}").all()


def test_records_without_any_country_still_match() -> None:
    frame = records_frame()
    frame["country"] = None
    result = cluster_records(frame.drop(columns="truth"))
    assert quality(result["cluster_id"], frame["truth"]).f1 >= 0.8


def test_two_sources_may_reuse_ids_and_link() -> None:
    frame = records_frame()
    left = frame.iloc[::2].assign(source="left")
    right = frame.iloc[1::2].assign(source="right")
    right["id"] = [f"x{n}" for n in range(len(right))]
    right.loc[right.index[0], "id"] = left["id"].iloc[0]  # same id, other file
    both = pd.concat([left, right], ignore_index=True)
    result = cluster_records(both.drop(columns="truth"))
    assert len(result) == len(both)
    assert quality(result["cluster_id"], both["truth"]).f1 >= 0.9


def test_different_facilities_in_the_same_city_stay_apart() -> None:
    frame = records_frame()
    result = cluster_records(frame.drop(columns="truth")).set_index("id")["cluster_id"]
    assert result["g1"] != result["h1"]  # both Karachi, both "... Ltd", Plot/Sector
    assert result["i1"] != result["j1"]


def test_missing_columns_and_duplicate_ids_are_clear_errors() -> None:
    frame = records_frame()
    with pytest.raises(InvalidInput, match="missing column"):
        cluster_records(frame.drop(columns=["name", "truth"]))
    duplicated = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    with pytest.raises(InvalidInput, match="'b1' appears more than once"):
        cluster_records(duplicated)
    with pytest.raises(BadRequest, match="needs a SparkSession"):
        cluster_records(frame, backend="spark")


def test_tiny_inputs_need_no_pairs() -> None:
    one = records_frame().iloc[:1].drop(columns="truth")
    result = cluster_records(one)
    assert len(result) == 1
    assert cluster_records(one.iloc[:0]).empty


def test_a_long_chain_of_weak_pairs_is_broken_but_strong_pairs_stay() -> None:
    from laborcommons.entities.matching.pipeline import bounded_components

    # 40 records in a chain; pairs inside blocks of 4 are strong, links between blocks weak
    left = list(range(39))
    right = list(range(1, 40))
    weights = [30.0 if (n + 1) % 4 else 5.0 for n in left]
    pairs = pd.DataFrame({"unique_id_l": left, "unique_id_r": right, "match_weight": weights})
    roots = bounded_components(40, pairs, largest=25)
    assert len(set(roots)) == 10
    assert all(roots[n] == roots[n - n % 4] for n in range(40))
    small = bounded_components(8, pairs[pairs["unique_id_r"] < 8], largest=25)
    assert len(set(small)) == 1  # under the limit nothing is cut


OTHERS = [
    {"id": f"o{n}", "name": f"{word} Garments", "address": f"{n + 1} {word} Road", "country": "BD"}
    for n, word in enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"])
]


@pytest.mark.parametrize("copies", [10, 40, 100, 1000])
def test_any_number_of_copies_of_a_record_is_one_cluster(copies: int) -> None:
    spellings = [
        ("Dhaka Knit Composite Ltd.", "Plot 12, Road 3, Tongi"),
        ("DHAKA KNIT COMPOSITE LIMITED", "Plot 12 Road 3 Tongi"),  # the same, normalized
    ]
    copied = [
        {
            "id": f"c{n}",
            "name": spellings[n % 2][0],
            "address": spellings[n % 2][1],
            "country": "BD",
        }
        for n in range(copies)
    ]
    alone = cluster_records(pd.DataFrame(OTHERS))
    result = cluster_records(pd.DataFrame(copied + OTHERS))
    assert result["cluster_id"].iloc[:copies].nunique() == 1
    others = result["cluster_id"].iloc[copies:]
    assert others.nunique() == len(OTHERS) and not set(others) & set(result["cluster_id"][:1])
    assert list(others) == list(alone["cluster_id"])  # the copies change nothing around them


def test_a_block_past_its_cap_still_compares_its_records() -> None:
    from laborcommons.entities.matching.prepare import BLOCK_CAP

    # every name shares "garments", and more records than the cap share the prefix
    many = [
        {"id": f"g{n}", "name": f"Garments {n:04d} Unit", "address": f"{n} Mill Road"}
        for n in range(BLOCK_CAP + 50)
    ]
    typo = [{"id": "t", "name": "Garments 0007 Unit", "address": "7 Mill Rd."}]
    result = cluster_records(pd.DataFrame(many + typo))
    by_id = dict(zip(result["id"], result["cluster_id"], strict=True))
    assert by_id["t"] == by_id["g7"]
    assert result["cluster_id"].nunique() == BLOCK_CAP + 50


SUNRISE = [
    {"id": "a", "name": "Sunrise Apparel Ltd", "address": "12 Main Road, Gazipur", "country": "BD"},
    {
        "id": "b",
        "name": "Sunrise Apparel",
        "address": "88 River Street, Chattogram",
        "country": "BD",
    },
]


def test_two_facilities_of_one_name_stay_apart_whatever_else_is_in_the_file() -> None:
    from laborcommons.entities.matching.pipeline import score
    from laborcommons.entities.matching.prepare import prepare

    probabilities = []
    for rows in (SUNRISE, [*SUNRISE, OTHERS[0]], [*SUNRISE, *OTHERS]):
        result = cluster_records(pd.DataFrame(rows))
        assert result["cluster_id"].iloc[0] != result["cluster_id"].iloc[1], len(rows)
        pairs = score(prepare(pd.DataFrame(rows)), threshold=0.0)
        first = pairs[(pairs["unique_id_l"] == 0) & (pairs["unique_id_r"] == 1)]
        probabilities.append(round(float(first["match_probability"].iloc[0]), 9))
    assert len(set(probabilities)) == 1, probabilities  # small files: one verdict per pair


def test_factories_sharing_a_building_stay_apart() -> None:
    # OAR labeled pairs: tenants of one complex, and numbered units of one group
    address = "Pantelejska 58, 18000 Nis"
    rows = [
        {"id": "t", "name": "Tessil Industry Group d.o.o.", "address": address, "country": "RS"},
        {"id": "n", "name": "Nora Serbia d.o.o.", "address": address, "country": "RS"},
        {"id": "m", "name": "Martytex d.o.o.", "address": address, "country": "RS"},
        {"id": "u6", "name": "Soorty Enterprises Unit 6", "address": "Plot 44/1 Sector 15 Korangi"},
        {"id": "u7", "name": "Soorty Enterprises Unit 7", "address": "Plot 44/1 Sector 15 Korangi"},
        {
            "id": "u7b",
            "name": "SOORTY ENTERPRISES UNIT-7",
            "address": "Plot 44-1, Sector 15, Korangi",
        },
    ]
    result = cluster_records(pd.DataFrame(rows))
    by_id = dict(zip(result["id"], result["cluster_id"], strict=True))
    assert len({by_id["t"], by_id["n"], by_id["m"]}) == 3
    assert by_id["u6"] != by_id["u7"]
    assert by_id["u7"] == by_id["u7b"]
