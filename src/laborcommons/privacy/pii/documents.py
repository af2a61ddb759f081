"""ID document numbers python-stdnum has no module for, and what a key looks like.

Hand-written on purpose: python-stdnum (checked at 1.20) has no personal ID module for
Bangladesh, Vietnam (``stdnum.vn`` is the company tax number only), Cambodia, Sri Lanka,
Myanmar, Ethiopia or Honduras, and no passport numbers at all. These formats have no public
checksum, so a shape alone is weak evidence: ``strong`` shapes (with a date, a province
code or a distinctive layout) count for the dataset's own countries only, and only when
nearly every value has it; ``weak`` shapes (a bare length of digits) only back a header that
names the document (see ``scan``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from laborcommons.privacy.pseudonyms import PSEUDONYM_LENGTH

# Vietnam: CCCD, 12 digits = province code (Circular 07/2016/TT-BCA, 001-096) + century
# and sex digit (0-3 for 1900-2099) + birth year (2) + 6 digits. The old CMND was 9 digits.
_VN_PROVINCES = frozenset(
    f"{code:03d}"
    for code in (1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
                 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64,
                 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94,
                 95, 96)
)  # fmt: skip
# Sri Lanka NIC: old 9 digits + V/X (year 2, day of year 3, +500 for women); new 12 digits
# (year 4, day 3, serial 4, check 1).
_LK_OLD = re.compile(r"^\d{2}([0-3]\d{2}|[5-8]\d{2})\d{4}[VvXx]$")
_LK_NEW = re.compile(r"^(19|20)\d{2}([0-3]\d{2}|[5-8]\d{2})\d{5}$")
# Bangladesh NID: 10 digits (smart card), 13 (older cards), 17 (birth year + the 13).
_BD_17 = re.compile(r"^(19|20)\d{15}$")
# Myanmar NRC: state/region 1-14, township code, citizenship letter, 6 digits
# (``12/OuKaMa(N)123456``), in Latin or Burmese letters.
_MM_NRC = re.compile(r"^(1[0-4]|[1-9])/[^\W\d_]{3,12}\((N|E|P|T|Y|S|NAING|[^\W\d_]{1,6})\)\d{5,6}$")
# Honduras DNI: department (01-18), municipality, birth year, serial: ``0801-1990-12345``.
_HN_DNI = re.compile(r"^(0[1-9]|1[0-8])\d{2}-(19|20)\d{2}-\d{5}$")
# Passports: one or two letters and 6-8 digits (BD, VN, IN, CN, PK...), or 8-9 digits.
PASSPORT = re.compile(r"^(?:[A-Z]{1,2}\d{6,8}|\d{8,9})$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./#:]{0,39}$")
_SEPARATORS = re.compile(r"[\s\-./]")
# A keyed pseudonym (``pseudonyms``) replaced a key on purpose: it is no key of its own.
_PSEUDONYM = re.compile(rf"^[a-z2-7]{{{PSEUDONYM_LENGTH}}}$")


def digits_of(value: str) -> str:
    """Western digits for Bengali, Devanagari, Burmese... digits too (``১২৩`` → ``123``)."""
    text = value.strip()
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def _vn_cccd(text: str) -> bool:
    return len(text) == 12 and text.isdigit() and text[:3] in _VN_PROVINCES and text[3] in "0123"


# Strong shapes: nearly all of a column matching one of these, in a dataset of that country,
# is an ID column even without a header.
STRONG: dict[str, tuple[tuple[str, Callable[[str], bool]], ...]] = {
    "BD": (("bd.nid", lambda t: bool(_BD_17.match(t))),),
    "VN": (("vn.cccd", _vn_cccd),),
    "LK": (("lk.nic", lambda t: bool(_LK_OLD.match(t) or _LK_NEW.match(t))),),
    "MM": (("mm.nrc", lambda t: bool(_MM_NRC.match(t))),),
    "HN": (("hn.dni", lambda t: bool(_HN_DNI.match(t))),),
}
# Weak shapes: plausible under a header naming the document, whatever the countries.
WEAK: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("bd.nid", lambda t: t.isdigit() and len(t) in (10, 13, 17)),
    ("vn.cccd", lambda t: t.isdigit() and len(t) == 12),
    ("vn.cmnd", lambda t: t.isdigit() and len(t) == 9),
    ("kh.id", lambda t: t.isdigit() and len(t) == 9),
    ("et.fayda", lambda t: t.isdigit() and len(t) in (12, 16)),
    ("mm.nrc", lambda t: bool(_MM_NRC.match(t))),
    ("lk.nic", lambda t: bool(_LK_OLD.match(t) or _LK_NEW.match(t))),
)


def strong_id_matcher(countries: Sequence[str]) -> Callable[[str], str | None]:
    """The strong hand-written ID shapes of ``countries`` (ISO alpha-2)."""
    checks = [c for country in countries for c in STRONG.get(country.upper(), ())]

    def match(value: str) -> str | None:
        if not checks or not 9 <= len(value.strip()) <= 24:
            return None
        text = digits_of(value)
        return next((name for name, check in checks if check(text)), None)

    return match


def plausible_id(value: str) -> str | None:
    """Could this be an ID document's number? A weak shape, or 5-20 letters and digits with
    at least 5 digits (separators aside). Only ever backs a header that says so."""
    text = digits_of(value)
    if not 5 <= len(text) <= 30:
        return None
    compact = _SEPARATORS.sub("", text)
    for name, check in WEAK:
        if check(text) or (compact != text and check(compact)):
            return name
    if compact.isalnum() and compact.isascii() and 5 <= len(compact) <= 20:
        return "id" if sum(ch.isdigit() for ch in compact) >= 5 else None
    return None


def passport_shaped(value: str) -> bool:
    return bool(PASSPORT.match(_SEPARATORS.sub("", value.strip().upper())))


def key_shaped(value: str) -> bool:
    """A short token with a digit: ``EMP-00123``, ``W0042``, ``17``, a UUID; not a
    pseudonym."""
    text = value.strip()
    return (
        bool(_KEY.match(text)) and any(ch.isdigit() for ch in text) and not _PSEUDONYM.match(text)
    )


def code_shaped(value: str) -> bool:
    """A key that no amount or date looks like: letters and digits mixed (``W0042``), or
    digits with a leading zero (``00123``), at most 24 characters."""
    text = value.strip()
    if not key_shaped(text) or len(text) > 24:
        return False
    letters = any(ch.isalpha() for ch in text)
    return letters or (text.isdigit() and len(text) >= 3 and text.startswith("0"))
