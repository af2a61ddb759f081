"""Scan a table column by column for direct identifiers, streaming over record batches.

A column is reported for a kind when the evidence is strong enough that a publisher must
decide about it (drop, pseudonymize, generalize, or accept with a reason):

- ``email``: any value containing an address (even inside free text).
- ``iban``: any value that is a valid IBAN (mod-97 checksum).
- ``national-id``: half of the values valid personal ID numbers of the dataset's countries
  (checksums where the format has one), or any, when the header names an ID number.
- ``phone``: half of the values valid numbers for the dataset's countries, written as phone
  numbers are (``+``, spaces, dashes, brackets) or under a phone header; a bare column of
  10-digit codes is not a phone column.
- ``person-name``: a header naming people (``worker_name``, ``nombre``, ``Họ tên``) over
  name-shaped values, or at least 3 values that start with a known given name (or read
  ``Family, Given``) and hold no organization or place word. A mixed column of employers,
  a few of them private persons, is reported: those persons are identifiable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa
import pycountry
from anyascii import anyascii
from pydantic import BaseModel

from laborcommons.privacy.pii.detectors import (
    find_email,
    find_iban,
    mask_email,
    mask_iban,
    mask_national_id,
    mask_phone,
    national_id_matcher,
    phone_matcher,
)
from laborcommons.privacy.pii.names import mask_name, name_shaped, person_header, person_name

PiiKind = Literal["email", "phone", "iban", "national-id", "person-name"]
PII_KINDS: tuple[PiiKind, ...] = ("email", "phone", "iban", "national-id", "person-name")
EXAMPLES = 3
_PHONE_HEADER = re.compile(r"phone|mobile|cell|tel|whatsapp|contact[ _-]?n|hp|sdt|dien[ _-]?thoai")
_ID_HEADER = re.compile(
    r"ssn|social[ _-]?security|national[ _-]?id|id[ _-]?(?:card|number|no)|nik|ktp|aadhaa?r|"
    r"cnic|nid|dni|cpf|curp|passport|tc[ _-]?kimlik|cmnd|cccd|citizen"
)
_FORMATTED = re.compile(r"[+\s()\-]")


class PiiFinding(BaseModel):
    column: str
    kind: PiiKind
    detail: str  # which ID scheme, phone region, or "header" / "values" for names
    matches: int
    checked: int  # non-empty values looked at
    share: float
    examples: list[str]  # masked


class PiiReport(BaseModel):
    rows_scanned: int
    columns: list[str]
    findings: list[PiiFinding]


@dataclass
class _Column:
    name: str
    checked: int = 0
    hits: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> detail -> count
    examples: dict[str, list[str]] = field(default_factory=dict)
    shaped: int = 0
    formatted_phones: int = 0

    def add(self, kind: str, detail: str, masked: str) -> None:
        details = self.hits.setdefault(kind, {})
        details[detail] = details.get(detail, 0) + 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < EXAMPLES and masked not in shown:
            shown.append(masked)

    def count(self, kind: str) -> int:
        return sum(self.hits.get(kind, {}).values())


Verdict = tuple[tuple[str, str, str], ...]  # (kind, detail, masked example) per match
_MEMO = 50_000  # distinct values remembered per column (repeated values are judged once)


class _Scanner:
    def __init__(self, countries: Sequence[str]) -> None:
        regions = _alpha2(countries)
        self.phone = phone_matcher(regions)
        self.national_id = national_id_matcher(regions)
        self.memo: dict[str, dict[str, tuple[Verdict, bool]]] = {}

    def look(self, column: _Column, value: str) -> None:
        memo = self.memo.setdefault(column.name, {})
        if value in memo:
            verdict, shaped = memo[value]
        else:
            verdict, shaped = self.judge(value)
            if len(memo) < _MEMO:
                memo[value] = (verdict, shaped)
        column.checked += 1
        column.shaped += shaped
        for kind, detail, masked in verdict:
            column.add(kind, detail, masked)
            if kind == "phone":
                column.formatted_phones += bool(_FORMATTED.search(value.strip()))

    def judge(self, value: str) -> tuple[Verdict, bool]:
        """What one value is, whatever column it sits in."""
        found: list[tuple[str, str, str]] = []
        if find_email(value):
            found.append(("email", "e-mail", mask_email(value)))
        if scheme := find_iban(value):
            found.append(("iban", scheme, mask_iban(value)))
        if scheme := self.national_id(value):
            found.append(("national-id", scheme, mask_national_id(value)))
        elif region := self.phone(value):
            found.append(("phone", region, mask_phone(value)))
        shaped = name_shaped(value)
        if shaped and person_name(value):
            found.append(("person-name", "values", mask_name(value)))
        return tuple(found), shaped


def scan_table(
    source: Any, *, countries: Sequence[str] = (), max_rows: int | None = 20_000
) -> PiiReport:
    """Scan anything Arrow can stream (a pyarrow Table or RecordBatchReader, a DuckDB
    relation), or an iterable of record batches, reading at most ``max_rows`` rows."""
    batches: Iterable[pa.RecordBatch]
    if hasattr(source, "__arrow_c_stream__"):
        batches = pa.RecordBatchReader.from_stream(source)
    else:
        batches = source
    return scan_batches(batches, countries=countries, max_rows=max_rows)


def scan_batches(
    batches: Iterable[pa.RecordBatch], *, countries: Sequence[str] = (), max_rows: int | None
) -> PiiReport:
    scanner = _Scanner(countries)
    columns: dict[str, _Column] = {}
    rows = 0
    for batch in batches:
        take = batch.num_rows if max_rows is None else min(batch.num_rows, max_rows - rows)
        if take <= 0:
            break
        for name, array in zip(batch.schema.names, batch.columns, strict=True):
            column = columns.setdefault(name, _Column(name))
            for value in _texts(array.slice(0, take)):
                scanner.look(column, value)
        rows += take
    return PiiReport(
        rows_scanned=rows,
        columns=list(columns),
        findings=[f for column in columns.values() for f in _findings(column)],
    )


def scan_columns(
    columns: Mapping[str, Iterable[object]], *, countries: Sequence[str] = ()
) -> PiiReport:
    """Scan plain Python columns (tests, small uploads)."""
    table = pa.table({name: [None if v is None else str(v) for v in values]
                      for name, values in columns.items()})  # fmt: skip
    return scan_table(table, countries=countries, max_rows=None)


def _texts(array: pa.Array | pa.ChunkedArray) -> Iterator[str]:
    kind = array.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or pa.types.is_string_view(kind) or pa.types.is_integer(kind)):  # fmt: skip
        return
    for value in array.to_pylist():
        if value is None:
            continue
        text = str(value)
        if text.strip():
            yield text


def _findings(column: _Column) -> Iterator[PiiFinding]:
    checked = column.checked
    if not checked:
        return
    header = anyascii(column.name).lower()
    for kind in PII_KINDS:
        matches = column.count(kind)
        share = matches / checked
        if kind == "person-name":
            flagged, detail = _names(column)
            matches = max(matches, column.shaped if detail == "header" else 0)
            share = matches / checked
        else:
            flagged, detail = bool(matches), _top(column.hits.get(kind, {}))
            if kind == "national-id":
                flagged = share >= 0.5 or (matches > 0 and bool(_ID_HEADER.search(header)))
            if kind == "phone":
                hinted = bool(_PHONE_HEADER.search(header))
                flagged = (share >= 0.5 and (hinted or column.formatted_phones >= matches / 2)) or (
                    hinted and share >= 0.2
                )
        if flagged:
            yield PiiFinding(
                column=column.name, kind=kind, detail=detail, matches=matches, checked=checked,
                share=round(share, 4), examples=column.examples.get(kind, [])[:EXAMPLES],
            )  # fmt: skip


def _names(column: _Column) -> tuple[bool, str]:
    if person_header(column.name) and column.shaped >= 0.5 * column.checked:
        return True, "header"
    return column.count("person-name") >= 3, "values"


def _top(details: Mapping[str, int]) -> str:
    return max(sorted(details), key=lambda d: details[d]) if details else ""


def _alpha2(countries: Sequence[str]) -> list[str]:
    """ISO 3166 alpha-2 codes from alpha-2, alpha-3 or names; unknown entries are skipped."""
    found = []
    for country in countries:
        try:
            record = pycountry.countries.lookup(country.strip())
        except LookupError:
            continue
        found.append(record.alpha_2)
    return found
