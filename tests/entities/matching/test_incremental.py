"""match_against: new records are linked to existing entities, which are never renumbered."""

from __future__ import annotations

import pandas as pd
import pytest

from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.entities.matching import LOWER_THRESHOLD, UPPER_THRESHOLD, match_against
from tests.entities.matching.records import records_frame

EXISTING_IDS = {
    "huafeng": "LC-CN-0001",
    "zarya": "LC-RU-0002",
    "akcen": "LC-TR-0003",
    "navrang": "LC-IN-0004",
    "yangon": "LC-MM-0005",
    "lahore": "LC-PK-0006",
}


def _existing_and_new() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = records_frame()
    known = frame[frame["truth"].isin(EXISTING_IDS)]
    # one row per known name of an entity: the entity id repeats
    existing = known.groupby("truth").head(2).assign(id=lambda d: d["truth"].map(EXISTING_IDS))
    new = frame.drop(index=existing.index)
    return existing.drop(columns="truth"), new


def test_new_records_link_to_their_entity_and_others_are_new() -> None:
    existing, new = _existing_and_new()
    result = match_against(new.drop(columns="truth"), existing)
    verdicts = {record.id: record for record in result.records}
    assert [record.id for record in result.records] == list(new["id"])
    for row in new.itertuples():
        record = verdicts[row.id]
        if row.truth in EXISTING_IDS:
            assert record.status == "linked", record
            assert record.best is not None and record.best.entity_id == EXISTING_IDS[row.truth]
            assert record.best.match_probability >= UPPER_THRESHOLD
            assert record.new_group is None
        else:
            assert record.status == "new", record
            assert record.new_group is not None


def test_existing_ids_come_back_unchanged_and_new_records_group_together() -> None:
    existing, new = _existing_and_new()
    result = match_against(new.drop(columns="truth"), existing)
    returned = {c.entity_id for r in result.records for c in r.candidates}
    assert returned <= set(existing["id"])
    groups = {r.id: r.new_group for r in result.records if r.status == "new"}
    assert groups["k1"] == groups["k2"] == "k1"  # Perlacos twice: one new entity
    assert groups["i1"] != groups["j1"]


def test_candidates_carry_a_field_by_field_comparison() -> None:
    existing, new = _existing_and_new()
    result = match_against(new.drop(columns="truth"), existing)
    record = next(r for r in result.records if r.id == "e3")  # Navrang without a country
    best = record.best
    assert best is not None
    fields = {f.field: f for f in best.fields}
    assert fields["name"].new == "Exports Navrang Private Limited"
    assert fields["name"].existing in set(existing["name"])
    assert fields["name"].weight > 0
    assert "country" not in fields  # null on one side: not compared
    assert round(sum(f.weight for f in best.fields), 2) != 0


def test_a_rejected_pair_is_never_a_candidate_again() -> None:
    existing, new = _existing_and_new()
    new_records = new.drop(columns="truth")
    rejected = {("e3", "LC-IN-0004")}
    result = match_against(new_records, existing, cannot_link=rejected)
    record = next(r for r in result.records if r.id == "e3")
    assert all(c.entity_id != "LC-IN-0004" for c in record.candidates)
    assert record.status != "linked"


def test_thresholds_decide_between_linked_review_and_new() -> None:
    existing, new = _existing_and_new()
    new_records = new.drop(columns="truth")
    for upper, lower in [(UPPER_THRESHOLD, LOWER_THRESHOLD), (0.99999, 0.05), (0.3, 0.3)]:
        result = match_against(new_records, existing, upper=upper, lower=lower)
        for record in result.records:
            best = record.best.match_probability if record.best else 0.0
            expected = "linked" if best >= upper else "review" if best >= lower else "new"
            assert record.status == expected
            assert all(c.match_probability >= lower for c in record.candidates)
    frame = result.frame()
    assert list(frame.columns) == [
        "id",
        "status",
        "entity_id",
        "match_probability",
        "match_weight",
        "new_group",
    ]
    with pytest.raises(BadRequest):
        match_against(new_records, existing, upper=0.2, lower=0.5)


def test_same_inputs_same_answer() -> None:
    existing, new = _existing_and_new()
    first = match_against(new.drop(columns="truth"), existing)
    second = match_against(new.drop(columns="truth"), existing)
    assert first == second


def test_bad_input_names_the_side() -> None:
    existing, new = _existing_and_new()
    with pytest.raises(InvalidInput, match="new records: missing column"):
        match_against(new.drop(columns=["id", "truth"]), existing)
    with pytest.raises(InvalidInput, match="existing entities: missing column"):
        match_against(new.drop(columns="truth"), existing.drop(columns="name"))


def test_no_existing_entities_means_everything_is_new() -> None:
    existing, new = _existing_and_new()
    result = match_against(new.drop(columns="truth"), existing.iloc[:0])
    assert {r.status for r in result.records} == {"new"}
