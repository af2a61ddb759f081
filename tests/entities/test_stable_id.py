"""The stable ID codec: format, check character, deterministic minting, collisions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcommons.core import stable_id


def test_format_carries_kind_country_and_a_check_character() -> None:
    lcid = stable_id.compose("facility", "bd", stable_id.body_for("v1|row 3"))
    assert len(lcid) == stable_id.LENGTH
    assert lcid.startswith("FBD")
    parsed = stable_id.parse(lcid)
    assert (parsed.kind, parsed.country) == ("facility", "BD")
    assert str(parsed) == lcid
    assert stable_id.parse(stable_id.compose("brand", None, parsed.body)).country is None
    assert stable_id.compose("company", None, parsed.body).startswith("CXX")


def test_every_single_wrong_character_is_rejected() -> None:
    lcid = stable_id.compose("company", "VN", stable_id.body_for("seed"))
    for position in range(len(lcid)):
        for char in stable_id.CHECK_ALPHABET:
            if char == lcid[position]:
                continue
            typo = lcid[:position] + char + lcid[position + 1 :]
            assert not stable_id.is_valid(typo), typo


def test_most_swapped_neighbours_are_rejected() -> None:
    caught = total = 0
    for n in range(200):
        lcid = stable_id.compose("facility", "CN", stable_id.body_for(f"seed {n}"))
        for i in range(3, len(lcid) - 2):
            if lcid[i] != lcid[i + 1]:
                total += 1
                swapped = lcid[:i] + lcid[i + 1] + lcid[i] + lcid[i + 2 :]
                caught += not stable_id.is_valid(swapped)
    assert caught / total > 0.95


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("FBD", "expected 14 characters"),
        ("QBDSXQKDW9EDDD", "kind letter"),
        ("FBDSXQKDW9EDDE", "wrong check character"),
        ("FBDSXQKDWIEDDD", "outside base 32"),
        ("F1DSXQKDW9EDDD", "not a country code"),
    ],
)
def test_bad_ids_say_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        stable_id.parse(text)


def test_typed_forms_are_accepted() -> None:
    lcid = stable_id.compose("facility", "BD", stable_id.body_for("x"))
    typed = f" {lcid[0]}-{lcid[1:3]}-{lcid[3:]} ".lower()
    assert stable_id.canonical(typed) == lcid
    assert stable_id.is_valid(typed)


def test_unknown_countries_and_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="ISO 3166"):
        stable_id.compose("facility", "QQ", "0" * 10)
    with pytest.raises(ValueError, match="unknown kind"):
        stable_id.compose("factory", "BD", "0" * 10)


def test_minting_is_deterministic_and_steps_past_taken_ids() -> None:
    first = stable_id.mint("facility", "BD", "sha|7", taken=lambda _: False)
    assert first == stable_id.mint("facility", "BD", "sha|7", taken=lambda _: False)
    second = stable_id.mint("facility", "BD", "sha|7", taken=lambda c: c == first)
    assert second != first and stable_id.is_valid(second)
    issued = {first, second}
    third = stable_id.mint("facility", "BD", "sha|7", taken=issued.__contains__)
    assert third not in issued
    assert third == stable_id.mint("facility", "BD", "sha|7", taken=issued.__contains__)


@given(seed=st.text(max_size=200), kind=st.sampled_from(sorted(stable_id.KIND_LETTERS)))
def test_any_seed_mints_a_valid_id(seed: str, kind: str) -> None:
    lcid = stable_id.mint(kind, "TR", seed, taken=lambda _: False)
    assert stable_id.parse(lcid).kind == kind
