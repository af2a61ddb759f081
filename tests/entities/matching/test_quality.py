"""Quality floors on public labeled sets (../shared/data), measured as the benchmark does."""

from __future__ import annotations

import pandas as pd
import pytest

from laborcommons.entities.matching import cluster_records
from laborcommons.entities.matching.metrics import quality
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data


def _restaurants() -> pd.DataFrame:
    folder = shared_data("matching/restaurants")
    fodors = pd.read_csv(folder / "fodors.csv", dtype=str).assign(source="fodors")
    zagats = pd.read_csv(folder / "zagats.csv", dtype=str).assign(source="zagats")
    pairs = pd.read_csv(folder / "matches_fodors_zagats.csv", dtype=str)
    partner = dict(zip(pairs["zagats_id"], pairs["fodors_id"], strict=True))
    fodors["truth"] = "f" + fodors["id"]
    zagats["truth"] = [("f" + partner[i]) if i in partner else "z" + i for i in zagats["id"]]
    frame = pd.concat([fodors, zagats], ignore_index=True)
    return frame.rename(columns={"addr": "address"}).drop(columns=["phone", "type"])


def test_restaurants_without_phone_reach_the_published_splink_level() -> None:
    frame = _restaurants()
    result = cluster_records(frame.drop(columns="truth"))
    scores = quality(result["cluster_id"], frame["truth"])
    assert scores.f1 >= 0.88, scores
    assert scores.bcubed_f1 >= 0.98, scores
    again = cluster_records(frame.drop(columns="truth"))
    assert again.equals(result)  # deterministic on real data too


def test_chicago_early_childhood_sites() -> None:
    path = shared_data("matching/chicago-early-childhood/csv_example_input_with_true_ids.csv")
    raw = pd.read_csv(path, dtype=str)
    frame = pd.DataFrame(
        {
            "id": raw["Id"],
            "name": raw["Site name"],
            "address": raw["Address"],
            "postal_code": raw["Zip"],
            "city": "Chicago",
        }
    )
    result = cluster_records(frame)
    scores = quality(result["cluster_id"], raw["True Id"])
    assert scores.f1 >= 0.82, scores
    assert scores.precision >= 0.9, scores
