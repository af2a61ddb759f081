"""A stored cannot-link never breaks matching, even when no pair reaches the lower threshold."""

from __future__ import annotations

import pandas as pd

from laborcommons.entities.matching import match_against


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "name", "address", "country"])


def test_a_cannot_link_with_no_pair_above_the_lower_threshold_leaves_the_record_new() -> None:
    existing = _frame([("LC-BD-0001", "Dhaka Knit Composite Ltd.", "Tongi, Gazipur", "BD")])
    new = _frame([("0000000001", "Saigon Bakery Co.", "45 Le Loi, District 1", "VN")])
    result = match_against(new, existing, cannot_link=[("0000000001", "LC-BD-0001")])
    (record,) = result.records
    assert record.status == "new"
    assert record.candidates == ()


def test_a_cannot_link_removes_only_its_own_pair() -> None:
    existing = _frame([("LC-BD-0001", "Dhaka Knit Composite Ltd.", "Tongi, Gazipur", "BD")])
    new = _frame(
        [
            ("0000000001", "Dhaka Knit Composite Ltd", "Tongi, Gazipur", "BD"),
            ("0000000002", "Dhaka Knit Composite Limited", "Tongi, Gazipur", "BD"),
        ]
    )
    result = match_against(new, existing, cannot_link=[("0000000001", "LC-BD-0001")])
    verdicts = {r.id: r for r in result.records}
    assert verdicts["0000000001"].candidates == ()
    assert [c.entity_id for c in verdicts["0000000002"].candidates] == ["LC-BD-0001"]
