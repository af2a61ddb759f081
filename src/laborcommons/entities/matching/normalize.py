"""Normalization of names and addresses before comparison: pure, cached, deterministic.

Every function takes the text as given (any script, any case) and returns lower-case ASCII
words separated by one space. The original is never changed: callers keep it beside the
normalized form, so a name is matched and searched both in its script and transliterated.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from laborcommons.core.countries import country_code
from laborcommons.entities.matching.legal_forms import BY_FIRST_WORD, SCRIPT_FORMS

__all__ = [
    "address_numbers",
    "compact",
    "country_code",
    "normalize_address",
    "normalize_name",
    "transliterate",
]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SEPARATOR = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_GLUED = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{3,})")
NAME_STOPWORDS = frozenset({"the", "and", "of", "et", "und", "y", "e", "ve", "va", "i"})
ADDRESS_WORDS = {
    "st": "street",
    "str": "street",
    "strasse": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "avda": "avenue",
    "blvd": "boulevard",
    "blv": "boulevard",
    "bldg": "building",
    "bld": "building",
    "flr": "floor",
    "fl": "floor",
    "f": "floor",
    "dist": "district",
    "distt": "district",
    "ind": "industrial",
    "indl": "industrial",
    "industial": "industrial",
    "iz": "industrial zone",
    "ip": "industrial park",
    "sec": "sector",
    "jl": "jalan",
    "jln": "jalan",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "kab": "kabupaten",
    "dr": "drive",
    "ln": "lane",
    "hwy": "highway",
    "sq": "square",
    "ctr": "center",
    "centre": "center",
    "apt": "apartment",
    "rm": "room",
    "vill": "village",
    "vlg": "village",
    "twp": "township",
    "prov": "province",
    "mah": "mahallesi",
    "sk": "sokak",
    "sok": "sokak",
    "cd": "caddesi",
    "cad": "caddesi",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "pl": "place",
    "ste": "suite",
    "mt": "mount",
    "ft": "fort",
}
ADDRESS_NOISE = frozenset({"no", "nr", "number", "num", "the", "of", "and"})


def transliterate(text: str | None) -> str:
    """ASCII of any script (anyascii); CJK syllables come out as separate words."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    if _CJK.search(text):
        return " ".join(anyascii(char) for char in text)
    return anyascii(text)


def _words(text: str) -> list[str]:
    ascii_text = transliterate(text).lower().replace("'", "")
    return [word for word in _SEPARATOR.split(ascii_text) if word]


def _merge_initials(words: list[str]) -> list[str]:
    """``s a`` (from ``S.A.``) becomes ``sa``: runs of single letters are one word."""
    merged: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            merged.append(run)
            run = ""
        if word:
            merged.append(word)
    return merged


def _drop_legal_forms(words: list[str]) -> list[str]:
    kept: list[str] = []
    index = 0
    while index < len(words):
        for form in BY_FIRST_WORD.get(words[index], ()):
            if tuple(words[index : index + len(form)]) == form:
                index += len(form)
                break
        else:
            kept.append(words[index])
            index += 1
    return kept


@lru_cache(maxsize=200_000)
def normalize_name(name: str | None) -> str:
    """Lower-case ASCII words of a name without punctuation, stop words or legal forms.

    A name that is nothing but a legal form keeps its words (``Company Limited``), so it
    does not become empty and match every other empty name.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    for form in SCRIPT_FORMS:
        text = text.replace(form, " ")
    words = _merge_initials(_words(text.replace("&", " ")))
    kept = [word for word in _drop_legal_forms(words) if word not in NAME_STOPWORDS]
    return " ".join(kept or words)


def compact(normalized: str) -> str:
    """The words glued together: ``shen zhen hua feng`` equals ``shenzhen huafeng``."""
    return normalized.replace(" ", "")


@lru_cache(maxsize=200_000)
def normalize_address(address: str | None) -> str:
    """Lower-case ASCII words of an address, abbreviations expanded, ``No.``/``#`` dropped."""
    if not address:
        return ""
    ascii_text = transliterate(address).lower().replace("'", "")
    ascii_text = _ORDINAL.sub(r"\1", ascii_text)
    ascii_text = _GLUED.sub(" ", ascii_text)
    words: list[str] = []
    for word in _SEPARATOR.split(ascii_text):
        if not word or word in ADDRESS_NOISE:
            continue
        words.extend(ADDRESS_WORDS.get(word, word).split())
    return " ".join(words)


def address_numbers(*parts: str | None) -> tuple[str, ...]:
    """The distinct numbers of an address (house, plot, postal code), sorted, no zeros lead."""
    found = {
        number.lstrip("0") or "0"
        for part in parts
        if part
        for number in _DIGITS.findall(anyascii(str(part)))
    }
    return tuple(sorted(found, key=lambda number: (len(number), number)))
