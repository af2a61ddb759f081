"""When a column's evidence is enough for a finding: one rule per kind (see ``scan``).

Strong evidence stands alone (a checksum, an e-mail); weak evidence needs a second source
(a header naming the document, the dataset's own country, other columns about persons).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from anyascii import anyascii

from laborcommons.privacy.pii import headers
from laborcommons.privacy.pii.evidence import ColumnEvidence, PiiFinding
from laborcommons.privacy.pii.names import person_header

_PHONE_HEADER = re.compile(r"phone|mobile|cell|tel|whatsapp|contact[ _-]?n|hp|sdt|dien[ _-]?thoai")
STRONG_SHAPE_SHARE = 0.9  # a country's ID shape with no checksum, and no header
KEY_SHARE = 0.95  # key-shaped values, and distinct values among them
MIN_UNHEADED_KEYS = 10  # a key column named only ``id`` or by nothing at all


def findings(columns: Sequence[ColumnEvidence]) -> list[PiiFinding]:
    """Every column's findings; ``identifier`` last, since it depends on the others."""
    found = {c.name: list(_direct(c)) for c in columns if c.checked}
    about_persons = _about_persons(columns, found)
    for column in columns:
        if column.checked and not found[column.name]:
            found[column.name] += _identifier(column, about_persons)
    return [f for c in columns for f in found.get(c.name, [])]


def _direct(column: ColumnEvidence) -> Iterator[PiiFinding]:
    if column.count("email"):
        yield column.finding("email", _top(column.hits["email"]), column.count("email"))
    if column.count("iban"):
        yield column.finding("iban", _top(column.hits["iban"]), column.count("iban"))
    if (national := _national_id(column)) is not None:
        yield national
    if _phone(column):
        yield column.finding("phone", _top(column.hits["phone"]), column.count("phone"))
    yield from _names(column)


def _national_id(column: ColumnEvidence) -> PiiFinding | None:
    """A checksum for half the values; a header naming the document over plausible values;
    or a strong hand-written shape of the dataset's countries for nearly all values."""
    document = headers.id_document(column.name)
    checked = column.count("national-id")
    if document == "passport" and column.share("passport") >= 0.5:
        return column.finding("national-id", "passport", column.count("passport"), "passport")
    if document is not None and (checked or column.share("id-plausible") >= 0.5):
        scheme = _top(column.hits.get("national-id") or column.hits.get("id-plausible", {}))
        matches = max(checked, column.count("id-plausible"))
        return column.finding("national-id", scheme, matches, "id-plausible")
    if column.share("national-id") >= 0.5:
        return column.finding("national-id", _top(column.hits["national-id"]), checked)
    if column.share("id-shape") >= STRONG_SHAPE_SHARE and not headers.other_entity(column.name):
        shapes = column.hits["id-shape"]
        return column.finding("national-id", _top(shapes), column.count("id-shape"), "id-shape")
    return None


def _phone(column: ColumnEvidence) -> bool:
    matches, share = column.count("phone"), column.share("phone")
    hinted = bool(_PHONE_HEADER.search(anyascii(column.name).lower()))
    formatted = column.formatted_phones >= matches / 2
    return bool(matches) and ((share >= 0.5 and (hinted or formatted)) or (hinted and share >= 0.2))


def _names(column: ColumnEvidence) -> Iterator[PiiFinding]:
    if person_header(column.name) and column.shaped >= 0.5 * column.checked:
        yield column.finding(
            "person-name", "header", max(column.count("person-name"), column.shaped)
        )
    elif column.count("person-name") >= 3:
        yield column.finding("person-name", "values", column.count("person-name"))


def _about_persons(
    columns: Sequence[ColumnEvidence], found: Mapping[str, list[PiiFinding]]
) -> bool:
    """Are the rows about persons? A column of names or ID numbers, a person's number, sex
    or age; or one person's wage, unless a column names a facility or its workforce (then the
    wage is the facility's). A facility list's facility IDs are no persons' keys."""
    pay = facility = False
    for column in columns:
        kinds = {f.kind for f in found.get(column.name, [])}
        if kinds & {"person-name", "national-id"} or person_header(column.name):
            return True
        attribute = headers.person_attribute(column.name)
        if attribute == "trait" or headers.person_key(column.name):
            return True
        pay = pay or attribute == "pay"
        facility = facility or headers.facility_column(column.name)
    return pay and not facility


def _identifier(column: ColumnEvidence, about_persons: bool) -> Iterator[PiiFinding]:
    """A column of keys that identifies a person: named so (``worker_id``, ``Mã nhân
    viên``) and near-unique, or codes repeated per row of one worker (a panel); or named
    only ``ID`` or by nothing telling, near-unique, in rows about persons."""
    keys, codes, checked = column.count("key"), column.count("code"), column.checked
    unique = column.sampled >= 2 and column.distinct >= KEY_SHARE * column.sampled
    if headers.person_key(column.name):
        panel = codes >= KEY_SHARE * checked and column.distinct >= 2
        if keys >= KEY_SHARE * checked and (unique or panel):
            yield column.finding("identifier", "header", keys, "key")
        return
    if not unique or not about_persons or checked < MIN_UNHEADED_KEYS:
        return
    if headers.bare_key(column.name) and keys >= KEY_SHARE * checked:
        yield column.finding("identifier", "key", keys, "key")
    elif not headers.other_entity(column.name) and codes >= KEY_SHARE * checked:
        yield column.finding("identifier", "values", codes, "code")


def _top(details: Mapping[str, int]) -> str:
    return max(sorted(details), key=lambda d: details[d]) if details else ""
