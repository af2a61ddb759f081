"""Keyed pseudonyms (GDPR Art. 4(5)): HMAC-SHA256 under a key per release domain.

A plain hash of an employee number is not a pseudonym: anyone can hash the million possible
numbers and read the table back. A keyed HMAC cannot be recomputed without the key, which
the node keeps wrapped under its master key, apart from the data.

- Each column gets its own subkey, ``HMAC(domain_key, "laborcommons/pseudonym/v1/" +
  column)``, so the same value in two columns does not link them; the same value in the
  same column of the same domain always gives the same pseudonym (joins inside a release
  work), and two domains give unrelated pseudonyms (releases cannot be linked).
- Values are compared as given after Unicode NFC normalization and trimming, so
  ``"Müller"`` typed with a combining umlaut and ``" Müller"`` are one person.
- Output: the first 100 bits of the HMAC as 20 lowercase base32 characters (RFC 4648
  alphabet ``a-z2-7``, no padding). By the birthday bound, two of n distinct values
  collide with probability about n**2 / 2**101: 4e-13 for a billion values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Iterator

PSEUDONYM_LENGTH = 20  # base32 characters: 100 bits
KEY_BYTES = 32
_CONTEXT = b"laborcommons/pseudonym/v1/"


def new_pseudonym_key() -> bytes:
    """A fresh random domain key (the caller stores it wrapped, never beside the data)."""
    return secrets.token_bytes(KEY_BYTES)


def column_key(domain_key: bytes, column: str) -> bytes:
    """The subkey of one column inside a release domain."""
    if len(domain_key) < 16:
        raise ValueError("a pseudonym domain key needs at least 16 bytes")
    return hmac.new(domain_key, _CONTEXT + column.encode(), hashlib.sha256).digest()


def pseudonym(value: str, *, key: bytes, column: str) -> str:
    """The pseudonym of one value (see :func:`pseudonymize` for many)."""
    return _encode(column_key(key, column), value)


def pseudonymize(values: Iterable[str | None], *, key: bytes, column: str) -> Iterator[str | None]:
    """Pseudonyms of a column's values, streaming; missing values stay missing."""
    subkey = column_key(key, column)
    for value in values:
        yield None if value is None or not str(value).strip() else _encode(subkey, str(value))


def _encode(subkey: bytes, value: str) -> str:
    text = unicodedata.normalize("NFC", value.strip()).encode()
    digest = hmac.new(subkey, text, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:PSEUDONYM_LENGTH]
