"""Stable entity IDs (``lcid``): kind, country, a hashed body and a check character.

Format, 14 characters, upper case, no separators (like Open Supply Hub's OS ID)::

    F  BD  SXQKDW9EDD  D
    |  |   |           '- check character: Luhn mod 36 over the 13 characters before it
    |  |   '------------- body: 10 Crockford base-32 characters (50 bits) of
    |  |                  sha256(seed + "#" + attempt)
    |  '----------------- ISO 3166-1 alpha-2 country, ``XX`` when unknown
    '-------------------- kind: F facility, C company, B brand

The seed comes from the data's history (the source version's sha256 and row, or the
entity an ID was split from), so two nodes fed the same data mint the same IDs. When a
body is taken, the attempt counter goes up by one until it is free: a deterministic
collision step. IDs are never deleted, so a taken ID is never minted again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pycountry

KIND_LETTERS = {"facility": "F", "company": "C", "brand": "B"}
KIND_OF_LETTER = {letter: kind for kind, letter in KIND_LETTERS.items()}
UNKNOWN_COUNTRY = "XX"
BODY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BODY_LENGTH = 10
LENGTH = 1 + 2 + BODY_LENGTH + 1
MAX_ATTEMPTS = 10_000


@dataclass(frozen=True)
class StableId:
    kind: str
    country: str | None
    body: str

    def __str__(self) -> str:
        return compose(self.kind, self.country, self.body)


def check_character(payload: str) -> str:
    """Luhn mod 36: catches every single wrong character and most swapped neighbours."""
    n = len(CHECK_ALPHABET)
    factor, total = 2, 0
    for char in reversed(payload):
        addend = factor * CHECK_ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return CHECK_ALPHABET[(n - total % n) % n]


def _country_code(country: str | None) -> str:
    if country is None or country == "":
        return UNKNOWN_COUNTRY
    code = country.upper()
    if code != UNKNOWN_COUNTRY and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def compose(kind: str, country: str | None, body: str) -> str:
    if kind not in KIND_LETTERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(KIND_LETTERS)}")
    payload = KIND_LETTERS[kind] + _country_code(country) + body
    return payload + check_character(payload)


def body_for(seed: str, attempt: int = 0) -> str:
    digest = int.from_bytes(hashlib.sha256(f"{seed}#{attempt}".encode()).digest()[:8], "big")
    chars = []
    for _ in range(BODY_LENGTH):
        chars.append(BODY_ALPHABET[digest & 31])
        digest >>= 5
    return "".join(reversed(chars))


def mint(kind: str, country: str | None, seed: str, *, taken: Callable[[str], bool]) -> str:
    """The first free ID for ``seed``: attempt 0, then 1, 2, ... while ``taken`` says so."""
    for attempt in range(MAX_ATTEMPTS):
        candidate = compose(kind, country, body_for(seed, attempt))
        if not taken(candidate):
            return candidate
    raise RuntimeError(f"no free stable ID for seed {seed!r} after {MAX_ATTEMPTS} attempts")


def canonical(text: str) -> str:
    """Upper case without spaces or hyphens, so ``f-bd-…`` as typed still resolves."""
    return text.strip().upper().replace("-", "").replace(" ", "")


def parse(text: str) -> StableId:
    """Split and check an ID; ValueError says what is wrong with it."""
    value = canonical(text)
    if len(value) != LENGTH:
        raise ValueError(f"{text!r} is not a stable ID: expected {LENGTH} characters")
    letter, country, body, check = value[0], value[1:3], value[3:-1], value[-1]
    if letter not in KIND_OF_LETTER:
        raise ValueError(f"{text!r} is not a stable ID: kind letter must be F, C or B")
    if any(c not in BODY_ALPHABET for c in body):
        raise ValueError(f"{text!r} is not a stable ID: the body has characters outside base 32")
    if not country.isalpha() or not country.isascii():
        raise ValueError(f"{text!r} is not a stable ID: {country!r} is not a country code")
    if check_character(value[:-1]) != check:
        raise ValueError(f"{text!r} is not a stable ID: wrong check character")
    return StableId(
        kind=KIND_OF_LETTER[letter],
        country=None if country == UNKNOWN_COUNTRY else country,
        body=body,
    )


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True
