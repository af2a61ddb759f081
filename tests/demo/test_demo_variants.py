"""Unit tests of the noise model: names, typos and country labels."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from laborcommons.demo.facilities import COUNTRY_PLACES, COUNTRY_WEIGHTS, make_facility
from laborcommons.demo.names import CN_CITIES, STYLES
from laborcommons.demo.variants import VariantProfile, country_label, typo, vary_name

QUIET = VariantProfile(
    legal_change=0,
    legal_drop=0,
    abbreviate=0,
    swap=0,
    typo=0,
    branch=0,
    spaces=0,
    country_alias=0,
)


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@given(st.text(alphabet="abcdefghij KLMNOP", min_size=5, max_size=40), st.integers(0, 10**6))
def test_typo_changes_at_most_two_characters_per_edit(text: str, seed: int) -> None:
    # A transposition is two substitutions in Levenshtein terms.
    assert _distance(text, typo(random.Random(seed), text, edits=1)) <= 2


@given(st.integers(0, 10**6), st.sampled_from(sorted(COUNTRY_WEIGHTS)))
def test_quiet_profile_keeps_the_canonical_name(seed: int, country: str) -> None:
    facility = make_facility(random.Random(seed), "F1", country)
    assert vary_name(random.Random(seed), facility, QUIET) == facility.name


@given(st.integers(0, 10**6), st.sampled_from(sorted(COUNTRY_WEIGHTS)))
def test_dropping_the_legal_form_removes_it(seed: int, country: str) -> None:
    facility = make_facility(random.Random(seed), "F1", country)
    profile = VariantProfile(legal_drop=1, typo=0, spaces=0, branch=0, abbreviate=0, swap=0)
    varied = vary_name(random.Random(seed), facility, profile)
    assert varied.strip() and facility.legal_form not in varied.split(" ")


def test_country_labels_follow_the_style() -> None:
    rng = random.Random(1)
    assert country_label(rng, "BD", "code", QUIET) == "BD"
    assert country_label(rng, "BD", "name", QUIET) == "Bangladesh"
    assert country_label(rng, "BD", "upper", QUIET) == "BANGLADESH"


def test_every_country_has_names_places_and_chinese_city_forms() -> None:
    assert set(STYLES) == set(COUNTRY_PLACES) == set(COUNTRY_WEIGHTS)
    assert {city.name for city in COUNTRY_PLACES["CN"].cities} <= set(CN_CITIES)
    for style in STYLES.values():
        assert len(style.words) >= 10
