"""Mapping a linked version's column to a metric: every linked row becomes an answer.

The rows are read in DuckDB (only the mapped columns, sealed versions decrypted in
memory) and joined to the version's row links. Re-running a mapping, or mapping the same
column again, adds only the answers not there yet (one answer per source row, metric and
qualifier: the table's unique key), so nothing is ever duplicated; a new version is a new
source, so its rows add their own answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core import duck
from laborcommons.core.errors import Conflict, InvalidInput
from laborcommons.core.node import Node
from laborcommons.entities.models import RowLink
from laborcommons.evidence.models import EvidenceAnswer, MetricMapping
from laborcommons.evidence.schemas import (
    MappingCreate,
    MappingPublic,
    MappingResult,
    MetricPublic,
    SkippedCell,
    VersionMappings,
)
from laborcommons.evidence.service.metrics import get_metric, list_metrics
from laborcommons.evidence.service.suggestions import suggest
from laborcommons.evidence.units import (
    Conversion,
    Rate,
    Rates,
    conversion,
    convert,
    grade_points,
)
from laborcommons.evidence.values import Unreadable, check_range, is_blank, read_value

KIND_ORDER = ("facility", "company", "brand")
BATCH = 5_000
SKIPPED_SHOWN = 50
ROW_NUMBER = "file_row_number"  # DuckDB's name for it (0-based); row links are 1-based


def linked_kinds(version_id: int, *, session: Session) -> list[str]:
    query = select(RowLink.kind).where(
        RowLink.version_id == version_id, RowLink.entity_id.is_not(None)
    )
    kinds = set(session.scalars(query.distinct()))
    return [k for k in KIND_ORDER if k in kinds]


def _links(version_id: int, kind: str, *, session: Session) -> dict[int, int]:
    """Row number (1-based) → the entity it is linked to, for linked and new rows."""
    query = select(RowLink.row_number, RowLink.entity_id).where(
        RowLink.version_id == version_id,
        RowLink.kind == kind,
        RowLink.entity_id.is_not(None),
        RowLink.status.in_(["linked", "new"]),
    )
    return {row: entity for row, entity in session.execute(query) if entity is not None}


def _period(cell: Any, metric: MetricPublic) -> str:
    """A period from a cell: a year (2024, "2024", "FY2024"), a month or a date."""
    if isinstance(cell, dt.date):
        return f"{cell.year}-{cell.month:02d}" if metric.period == "month" else str(cell.year)
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        cell = int(cell)
    text = str(cell).strip().upper().removeprefix("FY").strip()
    year, _, month = text[:7].partition("-")
    if len(year) != 4 or not year.isdigit() or not 1900 <= int(year) <= 2100:
        raise Unreadable(f"{str(cell)[:40]!r} is not a year")
    if metric.period == "month" and month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year


def _default_period(version: DatasetVersion) -> str | None:
    """The dataset's own period when it is one year (its metadata said so)."""
    start, end = version.dataset.period_start, version.dataset.period_end
    if start and end and start.year == end.year:
        return str(start.year)
    return None


def _rates(slug: str, *, reader: Reader, session: Session, node: Node) -> Rates:
    """A rates dataset's latest version: ``currency``, ``per_usd`` and ``date`` columns."""
    version = catalog.readable_version(
        slug, None, reader=reader, session=session, action="evidence.rates"
    )
    names = {c["name"] for c in version.columns}
    missing = [c for c in ("currency", "per_usd", "date") if c not in names]
    if missing:
        raise InvalidInput(
            f"rates dataset {slug!r} has no column {missing[0]!r}",
            details={"missing": missing, "columns": sorted(names)},
        )
    source = f"{version.dataset.slug} v{version.number}"
    rates = Rates(source=source)
    connection = node.duck_cursor()
    try:
        table = catalog.parquet_source(version, node=node, connection=connection)
        query = (
            "SELECT upper(trim(CAST(currency AS VARCHAR))), CAST(per_usd AS DOUBLE), "
            f"CAST(date AS DATE) FROM {table} WHERE per_usd > 0 ORDER BY 3"
        )
        for currency, per_usd, day in connection.execute(query).fetchall():
            rates.by_currency.setdefault(currency, []).append(Rate(currency, per_usd, day, source))
    finally:
        connection.close()
    return rates


def _existing_mapping(
    version: DatasetVersion, data: MappingCreate, kind: str, *, session: Session
) -> MetricMapping | None:
    found = session.scalars(
        select(MetricMapping).where(
            MetricMapping.version_id == version.id,
            MetricMapping.column == data.column,
            MetricMapping.metric_key == data.metric,
            MetricMapping.qualifier == data.qualifier,
        )
    ).first()
    if found is None:
        return None
    asked = (kind, data.unit, data.period, data.period_column, data.method)
    stored = (found.kind, found.unit, found.period, found.period_column, found.method)
    if asked != stored:
        raise Conflict(
            f"column {data.column!r} of version {version.number} is already mapped to "
            f"{data.metric!r} with other settings",
            details={"mapping": found.id, "stored": dict(zip(_SETTINGS, stored, strict=True))},
        )
    return found


_SETTINGS = ("kind", "unit", "period", "period_column", "method")


def _check(version: DatasetVersion, data: MappingCreate, metric: MetricPublic) -> None:
    names = {c["name"] for c in version.columns}
    for column in (data.column, data.period_column):
        if column is not None and column not in names:
            raise InvalidInput(
                f"version {version.number} has no column {column!r}",
                details={"column": column, "columns": sorted(names)},
            )
    if data.period and data.period_column:
        raise InvalidInput("give a period or a period column, not both")
    if metric.qualifiers and data.qualifier not in metric.qualifiers:
        raise InvalidInput(
            f"metric {metric.key!r} takes a {metric.qualifier} among "
            f"{', '.join(metric.qualifiers)}",
            details={"qualifier": data.qualifier, "allowed": metric.qualifiers},
        )


def map_column(
    slug: str,
    number: int | None,
    data: MappingCreate,
    *,
    reader: Reader,
    session: Session,
    node: Node,
) -> MappingResult:
    """Read ``data.column`` of a linked version as ``data.metric`` (editors of its owner)."""
    version = catalog.readable_version(
        slug, number, reader=reader, session=session, action="evidence.map"
    )
    catalog.require_edit(reader, version.dataset)
    metric = get_metric(data.metric, session=session)
    _check(version, data, metric)
    kinds = linked_kinds(version.id, session=session)
    if not kinds:
        raise InvalidInput(
            f"version {version.number} of {slug!r} has no linked rows: link it to entities "
            "first (laborcommons entities link)",
            details={"version": version.number},
        )
    kind = data.kind or kinds[0]
    if kind not in kinds:
        raise InvalidInput(
            f"version {version.number} has no rows linked to a {kind}",
            details={"kind": kind, "linked": kinds},
        )
    period = data.period or (None if data.period_column else _default_period(version))
    if period is None and data.period_column is None:
        raise InvalidInput(
            "give the period the values refer to (a year), or the column that holds it",
            details={"dataset": slug},
        )
    numeric = metric.value_type in ("number", "share", "score")
    how = conversion(data.unit, metric.unit) if numeric else Conversion(None, None, 1.0, ())
    rates = None
    if how.currency:
        if not data.rates:
            raise InvalidInput(
                f"values in {how.currency} need a rates dataset to become USD: give rates",
                details={"currency": how.currency},
            )
        rates = _rates(data.rates, reader=reader, session=session, node=node)
    mapping = _existing_mapping(version, data, kind, session=session)
    if mapping is None:
        mapping = MetricMapping(
            version_id=version.id,
            column=data.column,
            metric_key=metric.key,
            kind=kind,
            unit=data.unit,
            period=data.period,
            period_column=data.period_column,
            qualifier=data.qualifier,
            method=data.method,
            created_by=reader.email or "node-admin",
        )
        session.add(mapping)
        session.flush()
    result = _run(version, mapping, metric, how, rates, period, kind, session=session, node=node)
    audit.record(
        session,
        actor=reader,
        action="evidence.map",
        organization_id=version.dataset.organization_id,
        dataset_id=version.dataset.id,
        version_id=version.id,
        level=version.dataset.access,
        details={"column": data.column, "metric": metric.key, "added": result.added},
    )
    return result


def _run(
    version: DatasetVersion,
    mapping: MetricMapping,
    metric: MetricPublic,
    how: Conversion,
    rates: Rates | None,
    period: str | None,
    kind: str,
    *,
    session: Session,
    node: Node,
) -> MappingResult:
    links = _links(version.id, kind, session=session)
    done = set(
        session.scalars(
            select(EvidenceAnswer.source_row).where(
                EvidenceAnswer.source_version_id == version.id,
                EvidenceAnswer.metric_key == metric.key,
                EvidenceAnswer.qualifier == mapping.qualifier,
            )
        )
    )
    columns = [duck.quote_identifier(mapping.column)]
    if mapping.period_column:
        columns.append(duck.quote_identifier(mapping.period_column))
    skipped: list[SkippedCell] = []
    skipped_total = added = unlinked = 0
    now = dt.datetime.now(dt.UTC)
    connection = node.duck_cursor()
    try:
        source = catalog.parquet_source(
            version, node=node, connection=connection, row_number=ROW_NUMBER
        )
        cursor = connection.execute(f"SELECT {ROW_NUMBER}, {', '.join(columns)} FROM {source}")
        while batch := cursor.fetchmany(BATCH):
            new: list[dict[str, Any]] = []
            for file_row, cell, *rest in batch:
                row = int(file_row) + 1
                entity = links.get(row)
                if entity is None:
                    unlinked += 1
                    continue
                if row in done or is_blank(cell):
                    continue
                try:
                    answer_period = _period(rest[0], metric) if rest else period
                    assert answer_period is not None
                    new.append(
                        _answer(cell, metric, how, rates, answer_period)
                        | {"entity_id": entity, "source_row": row}
                    )
                except (Unreadable, ValueError) as error:
                    skipped_total += 1
                    if len(skipped) < SKIPPED_SHOWN:
                        skipped.append(
                            SkippedCell(row=row, column=mapping.column, reason=str(error))
                        )
            for values in new:
                values.update(
                    metric_key=metric.key,
                    qualifier=mapping.qualifier,
                    source_version_id=version.id,
                    mapping_id=mapping.id,
                    method=mapping.method,
                    verification="unverified",
                    created_at=now,
                    updated_at=now,
                )
            if new:
                session.execute(insert(EvidenceAnswer), new)
                added += len(new)
    finally:
        connection.close()
    return MappingResult(
        id=mapping.id,
        dataset=version.dataset.slug,
        version=version.number,
        column=mapping.column,
        metric=metric.key,
        method=mapping.method,
        added=added,
        existing=len(done),
        unlinked=unlinked,
        skipped=skipped,
        skipped_total=skipped_total,
    )


def _answer(
    cell: Any, metric: MetricPublic, how: Conversion, rates: Rates | None, period: str
) -> dict[str, Any]:
    """The stored fields of one answer: normalized value, the cell as written, the steps."""
    original = str(cell)[:300]
    if how.grades:
        return _number_answer(*grade_points(cell, how), metric, how, original, period)
    value = read_value(cell, metric)
    if isinstance(value, str):
        return {
            "period": period,
            "value": None,
            "text_value": value,
            "unit": None,
            "original": original,
            "original_unit": None,
            "normalization": [],
        }
    steps: list[Any] = []
    if metric.value_type != "boolean":
        value, steps = convert(value, how, period, rates)
    return _number_answer(value, steps, metric, how, original, period)


def _number_answer(
    value: float,
    steps: list[Any],
    metric: MetricPublic,
    how: Conversion,
    original: str,
    period: str,
) -> dict[str, Any]:
    if metric.value_type != "boolean":
        check_range(value, metric)
    return {
        "period": period,
        "value": value,
        "text_value": None,
        "unit": metric.unit,
        "original": original,
        "original_unit": how.source_unit,
        "normalization": steps,
    }


def list_mappings(
    slug: str, number: int | None, *, reader: Reader, session: Session
) -> VersionMappings:
    """A version's mappings and suggestions for its other columns (editors of its owner:
    the suggestions come from the values' profile)."""
    version = catalog.get_version(slug, number, reader=reader, session=session)
    catalog.require_edit(reader, version.dataset)
    counts = dict(
        session.execute(
            select(EvidenceAnswer.mapping_id, func.count(EvidenceAnswer.id))
            .join(MetricMapping, MetricMapping.id == EvidenceAnswer.mapping_id)
            .where(MetricMapping.version_id == version.id)
            .group_by(EvidenceAnswer.mapping_id)
        ).all()
    )
    query = select(MetricMapping).where(MetricMapping.version_id == version.id)
    mappings = [
        MappingPublic(
            id=m.id,
            column=m.column,
            metric=m.metric_key,
            kind=m.kind,
            unit=m.unit,
            period=m.period,
            period_column=m.period_column,
            qualifier=m.qualifier,
            method=m.method,
            answers=counts.get(m.id, 0),
            created_by=m.created_by,
            created_at=m.created_at,
        )
        for m in session.scalars(query.order_by(MetricMapping.id))
    ]
    mapped = {m.column for m in mappings}
    suggestions = [
        s for s in suggest(version, list_metrics(session=session)) if s.column not in mapped
    ]
    return VersionMappings(
        dataset=version.dataset.slug,
        version=version.number,
        linked=linked_kinds(version.id, session=session),
        mappings=mappings,
        suggestions=suggestions,
    )
