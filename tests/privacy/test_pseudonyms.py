"""Keyed pseudonyms: stable inside a domain, unlinkable across, not brute-forceable."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from laborcommons.privacy import PSEUDONYM_LENGTH, new_pseudonym_key, pseudonym, pseudonymize

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def test_consistent_inside_a_domain_and_column() -> None:
    values = ["EMP-0042", "Nguyễn Thị Lan", "EMP-0042", None, "  ", "Nguyễn Thị Lan"]
    first = list(pseudonymize(values, key=KEY, column="worker_id"))
    assert first == list(pseudonymize(values, key=KEY, column="worker_id"))
    assert first[0] == first[2] and first[1] == first[5] and first[0] != first[1]
    assert first[3] is None and first[4] is None
    assert first[0] == pseudonym("EMP-0042", key=KEY, column="worker_id")


def test_the_same_person_typed_two_ways_is_one_pseudonym() -> None:
    composed, decomposed = "Müller", "Mu\u0308ller"
    assert composed != decomposed
    assert pseudonym(composed, key=KEY, column="name") == pseudonym(
        f" {decomposed} ", key=KEY, column="name"
    )


def test_unlinkable_across_domains_and_columns() -> None:
    values = [f"{n:06d}" for n in range(2_000)]
    here = set(pseudonymize(values, key=KEY, column="worker_id"))
    there = set(pseudonymize(values, key=OTHER, column="worker_id"))
    other_column = set(pseudonymize(values, key=KEY, column="supervisor_id"))
    assert len(here) == len(values)
    assert not here & there and not here & other_column


def test_output_encoding_is_documented_base32() -> None:
    value = pseudonym("123456", key=KEY, column="worker_id")
    assert re.fullmatch(rf"[a-z2-7]{{{PSEUDONYM_LENGTH}}}", value)
    assert PSEUDONYM_LENGTH * 5 == 100  # bits kept: collisions ~ n**2 / 2**101


def test_keys_are_random_and_long_enough() -> None:
    assert len(new_pseudonym_key()) == 32 and new_pseudonym_key() != new_pseudonym_key()
    with pytest.raises(ValueError, match="16 bytes"):
        pseudonym("1", key=b"short", column="c")


CANDIDATES = [f"{n:06d}" for n in range(1_000_000)]  # every 6-digit employee number


def _b32(digest: bytes) -> str:
    return base64.b32encode(digest).decode().lower()[:PSEUDONYM_LENGTH]


@pytest.mark.slow
def test_brute_force_over_six_digit_ids_recovers_plain_hashes_but_not_pseudonyms() -> None:
    employees = ["004211", "193847", "500000", "982117", "000001"]
    ours = [p for p in pseudonymize(employees, key=new_pseudonym_key(), column="employee_no")]
    plain = {hashlib.sha256(e.encode()).hexdigest() for e in employees}
    targets = {p for p in ours if p is not None}
    assert len(targets) == len(employees)

    recovered, matched = set(), set()
    for candidate in CANDIDATES:
        digest = hashlib.sha256(candidate.encode()).digest()
        if digest.hex() in plain:
            recovered.add(candidate)
        if _b32(digest) in targets:  # our encoding of a plain hash: the key is what protects
            matched.add(candidate)
    assert recovered == set(employees)  # a plain hash is no pseudonym: all recovered
    assert matched == set()  # ours: nothing
