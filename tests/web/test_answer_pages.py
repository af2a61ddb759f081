"""How an answer reads on the web: hidden cells in plain words, noise at 95%, bars that
scale to the largest published value and none for a hidden cell."""

from __future__ import annotations

from typing import Any

from laborcommons.answers.reasons import explain
from laborcommons.web.answer_view import answer_rows, noise_words

ANSWER: dict[str, Any] = {
    "by": ["facility"],
    "cells": [
        {"group": {"facility": "A"}, "value": 200.0, "suppressed": False, "reason": None},
        {"group": {"facility": "B"}, "value": 100.0, "suppressed": False, "reason": None},
        {"group": {"facility": "C"}, "value": None, "suppressed": True, "reason": "threshold"},
        {"group": {"facility": "D"}, "value": None, "suppressed": True, "reason": "dominance"},
        {"group": {"facility": "E"}, "value": None, "suppressed": True, "reason": "secondary"},
    ],
}


def test_each_suppression_is_explained_in_plain_words() -> None:
    assert explain("threshold", min_subjects=10) == "fewer than 10 workers"
    assert explain("dominance", min_subjects=10) == "one worker's wage dominates this group"
    assert explain("secondary", min_subjects=10) == (
        "hidden so the other hidden cell can't be worked out from the totals"
    )
    assert explain(None, min_subjects=10) == ""


def test_rows_scale_bars_to_the_largest_value_and_hide_suppressed_values() -> None:
    rows = answer_rows(ANSWER, min_subjects=12)
    assert [(r.label, r.value, r.bar) for r in rows[:3]] == [
        ("A", "200.00", 100),
        ("B", "100.00", 50),
        ("C", "hidden", 0),
    ]
    assert rows[2].explanation == "fewer than 12 workers"
    assert rows[0].explanation == ""


def test_noise_is_stated_at_95_percent() -> None:
    words = noise_words({"mechanism": "laplace", "epsilon": 1.0, "error_95": 12.345})
    assert words == "±12.35 at 95% (laplace noise, epsilon 1)"
