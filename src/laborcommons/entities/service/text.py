"""Search keys and country codes: names are stored as given and searched both ways."""

from __future__ import annotations

import hashlib
import json
import re

from anyascii import anyascii

from laborcommons.core.countries import require_country_code
from laborcommons.core.errors import InvalidInput

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def searchable(text: str | None) -> str:
    """ASCII, lower case, words separated by one space: the key names are searched by."""
    if not text:
        return ""
    return _NOT_WORD.sub(" ", anyascii(text).lower()).strip()


def country_code(value: str | None, *, where: str = "country") -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or a name (the one rule in ``core.countries``);
    InvalidInput names what is wrong."""
    if value is None or not value.strip():
        return None
    try:
        return require_country_code(value)
    except ValueError:
        raise InvalidInput(
            f"{where}: {value!r} is not a country code or name (ISO 3166-1)",
            details={"field": where, "value": value},
        ) from None


def fingerprint(kind: str, record: dict[str, str | None]) -> str:
    """A stable key of a normalized record, so a human decision about it is found again."""
    keys = ("name", "address", "city", "postal_code", "country")
    body = [kind, *(searchable(record.get(k)) for k in keys)]
    return hashlib.sha256(json.dumps(body, ensure_ascii=True).encode()).hexdigest()
