"""Scan a table column by column for direct identifiers, streaming over record batches.

A column is reported for a kind when the evidence is strong enough that a publisher must
decide about it (drop, pseudonymize, generalize, or accept with a reason):

- ``email``: any value containing an address (even inside free text).
- ``iban``: any value that is a valid IBAN (mod-97 checksum).
- ``national-id``: half of the values valid personal ID numbers (checksums, python-stdnum);
  or a header naming an ID document (``NID``, ``số CCCD``, ``জাতীয় পরিচয়পত্র নম্বর``,
  ``passport no``) over half plausible numbers; or, with no header, 90% of the values in a
  strong hand-written shape of the dataset's own countries (``documents``).
- ``phone``: half of the values valid numbers for the dataset's countries, written as phone
  numbers are (``+``, spaces, dashes, brackets) or under a phone header; a bare column of
  10-digit codes is not a phone column.
- ``person-name``: a header naming people (``worker_name``, ``nombre``, ``Họ tên``) over
  name-shaped values, or at least 3 values that start with a known given name (or read
  ``Family, Given``) and hold no organization or place word. A mixed column of employers,
  a few of them private persons, is reported: those persons are identifiable.
- ``identifier``: a near-unique column of short keys (``EMP-00123``, ``W0042``, ``17``)
  under a header naming a person's number (``worker_id``, ``Mã nhân viên``, ``工号``), or
  under a bare ``ID`` or no telling header (then letters and digits mixed) when other
  columns show the rows are about persons. A facility list's facility IDs are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pycountry

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
from laborcommons.privacy.pii.documents import (
    code_shaped,
    key_shaped,
    passport_shaped,
    plausible_id,
    strong_id_matcher,
)
from laborcommons.privacy.pii.evidence import (
    PII_KINDS,
    ColumnEvidence,
    PiiFinding,
    PiiKind,
    PiiReport,
)
from laborcommons.privacy.pii.names import mask_name, name_shaped, person_name
from laborcommons.privacy.pii.rules import findings

__all__ = [
    "PII_KINDS",
    "PiiFinding",
    "PiiKind",
    "PiiReport",
    "scan_batches",
    "scan_columns",
    "scan_table",
]
_FORMATTED = re.compile(r"[+\s()\-]")
_DIGIT = re.compile(r"\d")
Verdict = tuple[tuple[str, str, str], ...]  # (kind, detail, masked example) per match
_MEMO = 50_000  # distinct values remembered per column (repeated values are judged once)


class _Scanner:
    def __init__(self, countries: Sequence[str]) -> None:
        regions = _alpha2(countries)
        self.phone = phone_matcher(regions)
        self.national_id = national_id_matcher(regions)
        self.strong_id = strong_id_matcher(regions)
        self.memo: dict[str, dict[str, tuple[Verdict, bool]]] = {}

    def look(self, column: ColumnEvidence, value: str) -> None:
        memo = self.memo.setdefault(column.name, {})
        counting = len(memo) < _MEMO  # distinct values are counted until the memo is full
        if value in memo:
            verdict, shaped = memo[value]
        else:
            verdict, shaped = self.judge(value)
            if counting:
                memo[value] = (verdict, shaped)
                column.distinct += 1
        column.sampled += counting
        column.checked += 1
        column.shaped += shaped
        for kind, detail, masked in verdict:
            column.add(kind, detail, masked)
            if kind == "phone":
                column.formatted_phones += bool(_FORMATTED.search(value.strip()))

    def judge(self, value: str) -> tuple[Verdict, bool]:
        """What one value is, whatever column it sits in (``id-shape``, ``id-plausible``,
        ``passport``, ``key`` and ``code`` are evidence the rules weigh, not findings)."""
        found: list[tuple[str, str, str]] = []
        if find_email(value):
            found.append(("email", "e-mail", mask_email(value)))
        if scheme := find_iban(value):
            found.append(("iban", scheme, mask_iban(value)))
        if scheme := self.national_id(value):
            found.append(("national-id", scheme, mask_national_id(value)))
        elif region := self.phone(value):
            found.append(("phone", region, mask_phone(value)))
        found += _id_evidence(value, self.strong_id(value) if _DIGIT.search(value) else None)
        shaped = name_shaped(value)
        if shaped and person_name(value):
            found.append(("person-name", "values", mask_name(value)))
        return tuple(found), shaped


def _id_evidence(value: str, strong: str | None) -> list[tuple[str, str, str]]:
    """Shapes of ID numbers and keys, each with the value masked (all need a digit)."""
    if not _DIGIT.search(value):
        return []
    masked = mask_national_id(value)
    found = [("id-shape", strong, masked)] if strong else []
    if scheme := plausible_id(value):
        found.append(("id-plausible", strong or scheme, masked))
    if passport_shaped(value):
        found.append(("passport", "passport", masked))
    if key_shaped(value):
        found.append(("key", "key", masked))
        if code_shaped(value):
            found.append(("code", "code", masked))
    return found


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
    columns: dict[str, ColumnEvidence] = {}
    rows = 0
    for batch in batches:
        take = batch.num_rows if max_rows is None else min(batch.num_rows, max_rows - rows)
        if take <= 0:
            break
        for name, array in zip(batch.schema.names, batch.columns, strict=True):
            column = columns.setdefault(name, ColumnEvidence(name))
            for value in _texts(array.slice(0, take)):
                scanner.look(column, value)
        rows += take
    return PiiReport(
        rows_scanned=rows,
        columns=list(columns),
        findings=findings(list(columns.values())),
    )


def scan_columns(
    columns: Mapping[str, Iterable[object]], *, countries: Sequence[str] = ()
) -> PiiReport:
    """Scan plain Python columns (tests, small uploads)."""
    table = pa.table(
        {name: [None if v is None else str(v) for v in values] for name, values in columns.items()}
    )
    return scan_table(table, countries=countries, max_rows=None)


def _texts(array: pa.Array | pa.ChunkedArray) -> Iterator[str]:
    kind = array.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if not (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_integer(kind)
    ):
        return
    for value in array.to_pylist():
        if value is None:
            continue
        text = str(value)
        if text.strip():
            yield text


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
