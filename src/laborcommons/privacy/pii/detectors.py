"""Detectors of direct identifiers in single values, and how each masks an example.

Each detector answers ``match(value)`` for one cell and masks what it found so that an
example can be shown to the publisher without repeating the identifier. Formats with a
checksum (IBAN, most national IDs) are validated, not just pattern-matched, which keeps
false positives rare; formats without one (phone numbers, US SSNs) need more evidence
(see ``scan``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

import phonenumbers
from stdnum import iban

EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]{1,64})@([\w-]{1,63}(?:\.[\w-]{1,63})*\.[A-Za-z]{2,24})\b")
_PHONE_SHAPE = re.compile(r"^\s*(?:\+|00)?[\d\s().\-/]{6,24}\s*$")
_GB_NINO = re.compile(
    r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]$"
)


@dataclass(frozen=True)
class Detector:
    kind: str
    match: Callable[[str], str | None]  # the detail (which ID, region) when it matches
    mask: Callable[[str], str]


def _mask_word(word: str) -> str:
    return word[:1] + "***" if word else word


def find_email(value: str) -> str | None:
    return "e-mail" if EMAIL.search(value) else None


def mask_email(value: str) -> str:
    found = EMAIL.search(value)
    if not found:
        return "***"
    local, domain = found.groups()
    labels = domain.split(".")
    return f"{_mask_word(local)}@{'.'.join([*map(_mask_word, labels[:-1]), labels[-1]])}"


def phone_matcher(regions: Sequence[str]) -> Callable[[str], str | None]:
    """Valid numbers for one of ``regions`` (or any, with a leading + or 00)."""
    hints = [region.upper() for region in regions] or ["US"]

    def match(value: str) -> str | None:
        if not _PHONE_SHAPE.match(value):
            return None
        digits = sum(ch.isdigit() for ch in value)
        if not 7 <= digits <= 15:
            return None
        text = value.strip()
        text = "+" + text[2:] if text.startswith("00") else text
        for region in [None] if text.startswith("+") else hints:
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return phonenumbers.region_code_for_number(number) or region or "intl"
        return None

    return match


def mask_phone(value: str) -> str:
    """``+880 *** *** 678``: the country code and the last 3 digits only."""
    digits = "".join(ch for ch in value if ch.isdigit())
    text = value.strip()
    if text.startswith(("+", "00")):
        try:
            number = phonenumbers.parse("+" + text.lstrip("+")[2 if text.startswith("00") else 0 :])
        except phonenumbers.NumberParseException:
            return f"+*** *** *** {digits[-3:]}"
        return f"+{number.country_code} *** *** {digits[-3:]}"
    return f"*** *** {digits[-3:]}"


def find_iban(value: str) -> str | None:
    text = value.strip()
    if not 15 <= len(text.replace(" ", "")) <= 34 or not text[:2].isalpha():
        return None
    return "iban" if iban.is_valid(text) else None


def mask_iban(value: str) -> str:
    compact = iban.compact(value)
    return f"{compact[:4]} **** **** {compact[-4:]}"


# Personal ID numbers of python-stdnum, by ISO country. Not available there: Bangladesh,
# Cambodia, Vietnam (only company tax numbers), Sri Lanka, Myanmar, Ethiopia, Honduras and
# passports (hand-written shapes in ``documents``), the UK NINO (a pattern below instead).
NATIONAL_IDS: dict[str, tuple[str, ...]] = {
    "AR": ("ar.dni",), "BG": ("bg.egn",), "BR": ("br.cpf",), "CL": ("cl.rut",),
    "CN": ("cn.ric",), "DE": ("de.idnr",), "DK": ("dk.cpr",), "EC": ("ec.ci",),
    "ES": ("es.dni", "es.nie"), "FI": ("fi.hetu",), "FR": ("fr.nir",), "ID": ("id.nik",),
    "IN": ("in_.aadhaar", "in_.pan"), "IT": ("it.codicefiscale",), "JP": ("jp.in_",),
    "KR": ("kr.rrn",), "MX": ("mx.curp",), "MY": ("my.nric",), "NL": ("nl.bsn",),
    "NO": ("no.fodselsnummer",), "PK": ("pk.cnic",), "PL": ("pl.pesel",),
    "RO": ("ro.cnp",), "SE": ("se.personnummer",), "TH": ("th.pin",),
    "TR": ("tr.tckimlik",), "US": ("us.ssn",), "ZA": ("za.idnr",),
}  # fmt: skip
# Always tried, whatever the countries: long formats with a checksum or a birth date.
DISTINCTIVE = ("cn.ric", "in_.aadhaar", "id.nik", "mx.curp", "it.codicefiscale", "tr.tckimlik",
               "kr.rrn", "za.idnr")  # fmt: skip


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"stdnum.{name}")


def national_id_matcher(countries: Sequence[str]) -> Callable[[str], str | None]:
    """Personal ID numbers of ``countries`` (plus the distinctive ones of any country)."""
    names = list(DISTINCTIVE)
    for country in countries:
        names += [n for n in NATIONAL_IDS.get(country.upper(), ()) if n not in names]
    modules = [(name, _module(name)) for name in names]
    with_gb = any(country.upper() == "GB" for country in countries)

    def match(value: str) -> str | None:
        text = value.strip()
        if not 6 <= len(text) <= 24 or not any(ch.isdigit() for ch in text):
            return None
        for name, module in modules:
            try:
                if module.is_valid(text):
                    return name
            except Exception:  # noqa: S112 - a validator failing on odd input is a non-match
                continue
        if with_gb and _GB_NINO.match(text.upper()):
            return "gb.nino"
        return None

    return match


def mask_national_id(value: str) -> str:
    text = value.strip()
    return "*" * max(len(text) - 2, 3) + text[-2:]
