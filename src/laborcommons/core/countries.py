"""Country names, codes and common variants to ISO 3166-1 alpha-2: the one rule.

Every surface calls it (dataset coverage, organization countries, entity countries,
matching, reconciliation), so "Great Britain", "U.K.", "Burma" or "বাংলাদেশ" mean the same
country everywhere; a second, stricter rule elsewhere would refuse on one path what
another path accepts.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from anyascii import anyascii
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

VARIANTS = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u s a": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "prc": "CN",
    "china": "CN",
    "p r china": "CN",
    "pr china": "CN",
    "mainland china": "CN",
    "peoples republic of china": "CN",
    "zhongguo": "CN",
    "viet nam": "VN",
    "vietnam": "VN",
    "turkey": "TR",
    "turkiye": "TR",
    "south korea": "KR",
    "korea": "KR",
    "korea republic of": "KR",
    "republic of korea": "KR",
    "korea south": "KR",
    "hanguk": "KR",
    "north korea": "KP",
    "russia": "RU",
    "rossiia": "RU",
    "rossiya": "RU",
    "taiwan": "TW",
    "taiwan roc": "TW",
    "hong kong": "HK",
    "hongkong": "HK",
    "hong kong sar": "HK",
    "macau": "MO",
    "burma": "MM",
    "laos": "LA",
    "iran": "IR",
    "syria": "SY",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "swaziland": "SZ",
    "holland": "NL",
    "the netherlands": "NL",
    "nihon": "JP",
    "nippon": "JP",
    "deutschland": "DE",
    "espana": "ES",
    "brasil": "BR",
    "italia": "IT",
    "bharat": "IN",
    "turkiye cumhuriyeti": "TR",
    "srbija": "RS",
    "misr": "EG",
}
NATIVE = {
    "中国": "CN",
    "中國": "CN",
    "中华人民共和国": "CN",
    "台湾": "TW",
    "台灣": "TW",
    "香港": "HK",
    "日本": "JP",
    "한국": "KR",
    "대한민국": "KR",
    "россия": "RU",
    "việt nam": "VN",
    "ประเทศไทย": "TH",
    "ไทย": "TH",
    "বাংলাদেশ": "BD",
    "भारत": "IN",
    "پاکستان": "PK",
    "ኢትዮጵያ": "ET",
    "ព្រះរាជាណាចក្រកម្ពុជា": "KH",
    "កម្ពុជា": "KH",
    "မြန်မာ": "MM",
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a code, name or common variant; None when unknown.

    Unknown values are None rather than an error: a record with an unreadable country is
    still matchable (blocking does not need the country), only less precisely.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    return _lookup(text)


@lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    native = NATIVE.get(text.lower())
    if native:
        return native
    key = _NOT_WORD.sub(" ", anyascii(text).lower().replace("'", "")).strip()
    if key in VARIANTS:
        return VARIANTS[key]
    if len(key) == 2 and key.isalpha():
        found = pycountry.countries.get(alpha_2=key.upper())
        return str(found.alpha_2) if found else None
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    try:
        return str(pycountry.countries.lookup(key).alpha_2)
    except LookupError:
        pass
    try:
        matches = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return None
    return str(matches[0].alpha_2) if len(matches) == 1 else None


def require_country_code(value: str) -> str:
    """Like ``country_code`` for input that must name a country: ValueError when it does not."""
    code = country_code(value)
    if code is None:
        raise ValueError(f"{value!r} is not a country code or name (ISO 3166-1; e.g. BD, KH, VN)")
    return code


def country_name(code: str) -> str:
    """The ISO 3166-1 short name of alpha-2 ``code`` (the code itself when unknown)."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country else code


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """Every name a reader may type for ``code``: the ISO names in English and the name in
    each of the country's official languages (CLDR through babel), each once.

    Search indexes coverage with these, so ``Bangladesh`` and ``বাংলাদেশ`` both find a
    dataset that covers BD.
    """
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return ()
    names = [str(getattr(country, field, "") or "") for field in ("name", "common_name")]
    names.append(str(getattr(country, "official_name", "") or ""))
    for language in get_official_languages(country.alpha_2, de_facto=True):
        try:
            names.append(Locale.parse(language).territories.get(country.alpha_2, ""))
        except (UnknownLocaleError, ValueError):
            continue
    names.extend(native for native, native_code in NATIVE.items() if native_code == code)
    return tuple(dict.fromkeys(name for name in names if name))
