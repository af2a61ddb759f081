"""Noisy copies of true facilities, the way brands, auditors and enumerators write them.

A ``VariantProfile`` says how often each kind of noise happens in one source, so each
supplier list has its own habits (one shouts in capitals, another drops postcodes) while
the same seed always produces the same noise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from laborcommons.demo.facilities import COUNTRY_PLACES
from laborcommons.demo.models import Facility
from laborcommons.demo.spellings import (
    ADDRESS_ABBREVIATIONS,
    CITY_ALIASES,
    COUNTRY_ALIASES,
    LEGAL_ALTERNATIVES,
    NAME_ABBREVIATIONS,
)

_KEYBOARD_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu",
    "z": "x",
}  # fmt: skip


@dataclass(frozen=True)
class VariantProfile:
    """Per-row probabilities of each kind of noise one source introduces."""

    legal_change: float = 0.15
    legal_drop: float = 0.08
    abbreviate: float = 0.10
    swap: float = 0.03
    typo: float = 0.06
    branch: float = 0.03
    upper: float = 0.0
    lower: float = 0.0
    spaces: float = 0.04
    address_abbreviate: float = 0.3
    address_upper: float = 0.0
    address_typo: float = 0.03
    city_alias: float = 0.15
    postcode_missing: float = 0.2
    coarse_address: float = 0.15
    country_alias: float = 0.1


@dataclass(frozen=True)
class VariedAddress:
    """An address as one source wrote it; empty strings are parts it left out."""

    street: str
    city: str
    postal_code: str
    region: str


def typo(rng: random.Random, text: str, edits: int = 1) -> str:
    """Make ``edits`` one-character slips (swap, drop, double, neighbour key) in letters."""
    chars = list(text)
    for _ in range(edits):
        letters = [i for i, ch in enumerate(chars) if ch.isalpha() and i > 0]
        if len(letters) < 3:
            break
        i = rng.choice(letters)
        kind = rng.randrange(4)
        if kind == 0 and i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif kind == 1:
            del chars[i]
        elif kind == 2:
            chars.insert(i, chars[i])
        else:
            near = _KEYBOARD_NEIGHBOURS.get(chars[i].lower(), "e")
            new = rng.choice(near)
            chars[i] = new.upper() if chars[i].isupper() else new
    return "".join(chars)


def _split_legal(facility: Facility) -> tuple[str, str, bool]:
    """Return (core, legal form, legal-form-first) of the canonical name."""
    legal, name = facility.legal_form, facility.name
    if name.startswith(legal + " "):
        return name[len(legal) + 1 :], legal, True
    return name.removesuffix(" " + legal), legal, False


def _swap_words(rng: random.Random, core: str) -> str:
    words = core.split(" ")
    if len(words) < 2:
        return core
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _abbreviate(rng: random.Random, text: str, table: tuple[tuple[str, str], ...]) -> str:
    options = [(long, short) for long, short in table if long in text]
    if not options:
        return text
    long, short = rng.choice(options)
    return text.replace(long, short, 1)


def _spaces(rng: random.Random, text: str) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return text + " "
    if kind == 1:
        return " " + text
    return text.replace(" ", "  ", 1)


def vary_name(rng: random.Random, facility: Facility, profile: VariantProfile) -> str:
    """Write the facility's name as a source with ``profile``'s habits would."""
    core, legal, prefix = _split_legal(facility)
    if rng.random() < profile.legal_drop:
        legal = ""
    elif rng.random() < profile.legal_change:
        legal = rng.choice(LEGAL_ALTERNATIVES.get(legal, (legal,)))
    if rng.random() < profile.abbreviate:
        core = _abbreviate(rng, core, NAME_ABBREVIATIONS)
    if rng.random() < profile.swap:
        core = _swap_words(rng, core)
    if rng.random() < profile.typo:
        core = typo(rng, core, edits=rng.choice((1, 1, 2)))
    parts = [legal, core] if prefix else [core, legal]
    name = " ".join(part for part in parts if part)
    if rng.random() < profile.branch:
        name += rng.choice((f" - {facility.city}", " (Unit 2)", " - Factory 1"))
    return _case_and_spaces(rng, name, profile)


def _case_and_spaces(rng: random.Random, text: str, profile: VariantProfile) -> str:
    roll = rng.random()
    if roll < profile.upper:
        text = text.upper()
    elif roll < profile.upper + profile.lower:
        text = text.lower()
    if rng.random() < profile.spaces:
        text = _spaces(rng, text)
    return text


def vary_address(rng: random.Random, facility: Facility, profile: VariantProfile) -> VariedAddress:
    """Write the facility's address at the granularity and spelling of one source."""
    street = facility.address
    if rng.random() < profile.coarse_address:
        street = street.split(", ")[-1] if rng.random() < 0.6 else ""
    for _ in range(2):
        if rng.random() < profile.address_abbreviate:
            street = _abbreviate(rng, street, ADDRESS_ABBREVIATIONS)
    if street and rng.random() < profile.address_typo:
        street = typo(rng, street)
    city = facility.city
    if rng.random() < profile.city_alias and city in CITY_ALIASES:
        city = rng.choice(CITY_ALIASES[city])
    postal = "" if rng.random() < profile.postcode_missing else facility.postal_code
    region = facility.region
    if rng.random() < profile.address_upper:
        street, city, region = street.upper(), city.upper(), region.upper()
    return VariedAddress(street, city, postal, region)


def one_line(address: VariedAddress, *, region: bool = False, country: str = "") -> str:
    """Join address parts into the single-cell form most published lists use."""
    city = f"{address.city} {address.postal_code}".strip()
    parts = [address.street, city, address.region if region else "", country]
    return ", ".join(part for part in parts if part)


def country_label(rng: random.Random, code: str, style: str, profile: VariantProfile) -> str:
    """Write a country as ``code``, ``name`` or ``upper`` name, sometimes as an alias."""
    name = COUNTRY_PLACES[code].name
    if rng.random() < profile.country_alias:
        alias = rng.choice(COUNTRY_ALIASES[code])
        return alias.upper() if style == "upper" else alias
    if style == "code":
        return code
    return name.upper() if style == "upper" else name
