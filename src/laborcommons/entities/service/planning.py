"""Plan a link job: what each row of a version would become, without writing anything.

Order of evidence: an identifier already in the crosswalk links at once; then stored human
decisions (must-link links, cannot-link removes that candidate); then the matching engine
ranks existing entities of the same kind (within a country) and groups the rest into new
entities. Only evidence the reader running the job may see takes part (``visibility.py``).
A dry run shows this plan; a real run applies it (``applying.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.errors import InvalidInput, LaborCommonsError
from laborcommons.core.node import Node
from laborcommons.entities import matching
from laborcommons.entities.models import Entity, EntityIdentifier, EntityName, MatchDecision
from laborcommons.entities.schemas import ColumnMapping
from laborcommons.entities.service.identifiers import canonical_identifier, canonical_scheme
from laborcommons.entities.service.lookup import canonical_entity, follow_merges
from laborcommons.entities.service.text import country_code, fingerprint
from laborcommons.entities.service.visibility import entity_visible, sight

PAGE = 1000
CHUNK = 500
IDENTIFIER_SEPARATOR = ";"
FIELDS = ("name", "address", "city", "postal_code", "country")
Progress = Callable[[int, int, str], None]


@dataclass
class RowPlan:
    row: int
    record: dict[str, Any]
    identifiers: list[tuple[str, str]]
    fingerprint: str
    status: str = "new"
    method: str = "new"
    entity_id: int | None = None
    probability: float | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    new_group: int | None = None


@dataclass
class LinkPlan:
    rows: list[RowPlan]
    skipped: list[dict[str, Any]]
    unchanged: int


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", ".")) if _text(value) else None
    except ValueError:
        return None


def _tier(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() and 0 <= number <= 20 else None


def _record(raw: dict[str, Any], mapping: ColumnMapping) -> dict[str, Any]:
    record: dict[str, Any] = {
        f: _text(raw.get(getattr(mapping, f))) if getattr(mapping, f) else None for f in FIELDS
    }
    try:
        record["country"] = country_code(record["country"])
    except LaborCommonsError:
        record["country_as_given"], record["country"] = record["country"], None
    latitude = _number(raw.get(mapping.latitude)) if mapping.latitude else None
    longitude = _number(raw.get(mapping.longitude)) if mapping.longitude else None
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        latitude = longitude = None
    record["latitude"], record["longitude"] = latitude, longitude
    return record


def iter_rows(version: DatasetVersion, node: Node) -> Iterator[tuple[int, dict[str, Any]]]:
    """(1-based row number, row) in file order, one page at a time through the catalog."""
    page = 1
    while (page - 1) * PAGE < version.row_count:
        result = catalog.query_rows(version, node=node, page=page, page_size=PAGE)
        for offset, row in enumerate(result.rows):
            yield (page - 1) * PAGE + offset + 1, row
        page += 1


def check_mapping(
    version: DatasetVersion, mapping: ColumnMapping, tier_column: str | None = None
) -> None:
    names = {c["name"] for c in version.columns}
    wanted = [*mapping.columns(), *([tier_column] if tier_column else [])]
    missing = [c for c in wanted if c not in names]
    if missing:
        raise InvalidInput(
            f"version {version.number} has no column {missing[0]!r}",
            details={"missing": missing, "columns": sorted(names)},
        )
    for scheme in mapping.identifiers:
        canonical_scheme(scheme)


def read_plan_rows(
    version: DatasetVersion,
    mapping: ColumnMapping,
    kind: str,
    *,
    node: Node,
    done_rows: set[int],
    progress: Progress,
    tier_column: str | None = None,
) -> tuple[list[RowPlan], list[dict[str, Any]], int]:
    rows: list[RowPlan] = []
    skipped: list[dict[str, Any]] = []
    unchanged = 0
    for number, raw in iter_rows(version, node):
        if number % PAGE == 0:
            progress(number, version.row_count, "reading rows")
        if number in done_rows:
            unchanged += 1
            continue
        record = _record(raw, mapping)
        record["tier"] = _tier(raw.get(tier_column)) if tier_column else None
        if not record["name"]:
            skipped.append({"row": number, "column": mapping.name, "reason": "empty name"})
            continue
        identifiers, issues = _identifiers(raw, mapping)
        skipped += [{"row": number, **issue} for issue in issues]
        rows.append(RowPlan(number, record, identifiers, fingerprint(kind, record)))
    return rows, skipped, unchanged


def _identifiers(
    raw: dict[str, Any], mapping: ColumnMapping
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """A row's identifiers and the values that failed their check. A cell may list several
    separated by ';' (WikiRate exports a company's ISINs so: "DE0006969603;US7458781082")."""
    found: list[tuple[str, str]] = []
    issues: list[dict[str, Any]] = []
    for scheme, column in mapping.identifiers.items():
        cell = _text(raw.get(column)) or ""
        for value in filter(None, (part.strip() for part in cell.split(IDENTIFIER_SEPARATOR))):
            try:
                pair = canonical_identifier(scheme, value)
            except LaborCommonsError as error:
                issues.append({"column": column, "reason": error.message, "kept": True})
                continue
            if pair not in found:
                found.append(pair)
    return found, issues


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def link_by_identifier(rows: list[RowPlan], kind: str, *, reader: Reader, session: Session) -> None:
    """Rows whose identifier an entity holds link to it, if the reader sees that identifier."""
    pairs = sorted({p for r in rows for p in r.identifiers})
    holders: dict[tuple[str, str], int] = {}
    for chunk in _chunks(pairs):
        query = select(EntityIdentifier).where(
            tuple_(EntityIdentifier.scheme, EntityIdentifier.value).in_(chunk)
        )
        held_now = list(session.scalars(query))
        seen = sight(reader, [h.source_version_id for h in held_now], session=session)
        for held in held_now:
            if not seen.sees(held.source_version_id):
                continue
            entity = canonical_entity(session.get_one(Entity, held.entity_id), session=session)
            if entity.kind == kind and entity.status == "active":
                holders[(held.scheme, held.value)] = entity.id
    for row in rows:
        found = [holders[p] for p in row.identifiers if p in holders]
        if found:
            row.status, row.method, row.entity_id, row.probability = (
                "linked",
                "identifier",
                found[0],
                1.0,
            )


def apply_decisions(
    rows: list[RowPlan], *, organization_id: int, reader: Reader, session: Session
) -> set[tuple[str, str]]:
    """Decisions of the organization owning the version: must-link ones link (to an entity
    the reader sees); cannot-link ones come back as pairs the engine must skip. Another
    organization's decisions are its own and never apply here."""
    open_rows = [r for r in rows if r.status == "new"]
    by_print: dict[str, list[RowPlan]] = {}
    for row in open_rows:
        by_print.setdefault(row.fingerprint, []).append(row)
    cannot: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted(by_print)):
        query = select(MatchDecision).where(
            MatchDecision.organization_id == organization_id, MatchDecision.fingerprint.in_(chunk)
        )
        for decision in session.scalars(query.order_by(MatchDecision.id)):
            entity = canonical_entity(session.get_one(Entity, decision.entity_id), session=session)
            for row in by_print[decision.fingerprint]:
                if (
                    decision.decision == "must-link"
                    and entity.status == "active"
                    and entity_visible(entity, reader=reader, session=session)
                ):
                    row.status, row.method, row.entity_id, row.probability = (
                        "linked",
                        "decision",
                        entity.id,
                        1.0,
                    )
                elif decision.decision == "cannot-link":
                    cannot.add((record_id(row.row), entity.lcid))
    return cannot


def record_id(row: int) -> str:
    """Zero-padded, so the engine's smallest-id rule follows the row order."""
    return f"{row:010d}"


def existing_frame(
    kind: str, *, reader: Reader, session: Session
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Active entities of ``kind`` with every name they are known by (kept spellings and
    merged aliases, under the canonical lcid and with its country), keeping only evidence
    the reader running the job may see (``visibility.py``): a list is never matched against
    another organization's restricted data. Plain column reads: this is the whole entity
    table of a kind."""
    columns = ["id", "name", "address", "city", "postal_code", "country", "latitude", "longitude"]
    fields = (
        Entity.name,
        Entity.address,
        Entity.city,
        Entity.postal_code,
        Entity.country,
        Entity.latitude,
        Entity.longitude,
    )
    source = (Entity.source_version_id, Entity.source_row)
    of_kind = (Entity.kind == kind, Entity.status == "active")
    own = list(session.execute(select(Entity.id, Entity.lcid, *source, *fields).where(*of_kind)))
    names = list(
        session.execute(
            select(
                EntityName.entity_id,
                EntityName.source_version_id,
                EntityName.source_row,
                EntityName.name,
                EntityName.address,
                EntityName.city,
                EntityName.postal_code,
            )
            .join(Entity, Entity.id == EntityName.entity_id)
            .where(*of_kind)
            .order_by(EntityName.id)
        )
    )
    merged = select(Entity.id, Entity.merged_into_id, *source, *fields).where(
        Entity.kind == kind, Entity.status == "merged"
    )
    aliases = list(session.execute(merged.order_by(Entity.id)))
    seen = sight(
        reader,
        [r[2] for r in own] + [r[1] for r in names] + [r[2] for r in aliases],
        session=session,
    )
    records: list[tuple[Any, ...]] = []
    lcid_of: dict[int, str] = {}
    place: dict[int, tuple[Any, ...]] = {}
    for entity_id, lcid, version_id, row, *values in sorted(own, key=lambda r: r[0]):
        lcid_of[entity_id] = lcid
        visible = seen.sees(version_id, row)
        place[entity_id] = (values[4], *(values[5:] if visible else (None, None)))
        if visible:
            records.append((lcid, *values))
    for entity_id, version_id, row, *values in names:
        if seen.sees(version_id, row):
            records.append((lcid_of[entity_id], *values, *place[entity_id]))
    target = {row[0]: row[1] for row in aliases}
    for alias, _into, version_id, row, *values in aliases:
        into = follow_merges(alias, target.get)
        if into in place and seen.sees(version_id, row):
            records.append((lcid_of[into], *values))
    matched = {r[0] for r in records}
    ids = {lcid_of[i]: i for i in sorted(lcid_of) if lcid_of[i] in matched}
    return pd.DataFrame.from_records(records, columns=columns), ids


def match_rows(
    rows: list[RowPlan],
    kind: str,
    cannot: set[tuple[str, str]],
    *,
    reader: Reader,
    upper: float,
    lower: float,
    session: Session,
    progress: Progress,
) -> None:
    pending = [r for r in rows if r.status == "new"]
    if not pending:
        return
    existing, ids = existing_frame(kind, reader=reader, session=session)
    new = pd.DataFrame(
        [
            {"id": record_id(r.row), **{k: r.record[k] for k in (*FIELDS, "latitude", "longitude")}}
            for r in pending
        ]
    )
    progress(0, len(pending), f"matching {len(pending)} rows against {len(ids)} entities")
    result = matching.match_against(
        new,
        existing,
        upper=upper,
        lower=lower,
        cannot_link=sorted(cannot),
        progress=lambda message: progress(0, len(pending), message),
    )
    by_id = {record_id(r.row): r for r in pending}
    for verdict in result.records:
        row = by_id[verdict.id]
        best = verdict.best
        if verdict.status == "linked" and best is not None and best.entity_id in ids:
            row.status, row.method = "linked", "probabilistic"
            row.entity_id, row.probability = ids[best.entity_id], best.match_probability
        elif verdict.status == "review" and verdict.candidates:
            row.status, row.method = "review", "probabilistic"
            row.probability = verdict.candidates[0].match_probability
            row.candidates = [
                {
                    "entity_id": ids[c.entity_id],
                    "probability": c.match_probability,
                    "match_weight": c.match_weight,
                    "comparison": {
                        f.field: {
                            "new": f.new,
                            "existing": f.existing,
                            "level": f.level,
                            "weight": f.weight,
                        }
                        for f in c.fields
                    },
                }
                for c in verdict.candidates
                if c.entity_id in ids
            ]
        else:
            row.new_group = int(verdict.new_group) if verdict.new_group else row.row


def plan_link(
    version: DatasetVersion,
    mapping: ColumnMapping,
    kind: str,
    *,
    upper: float,
    lower: float,
    node: Node,
    reader: Reader,
    session: Session,
    done_rows: set[int],
    progress: Progress,
    tier_column: str | None = None,
) -> LinkPlan:
    """Read, then link by identifier, by decision, by the engine; nothing is written."""
    check_mapping(version, mapping, tier_column)
    rows, skipped, unchanged = read_plan_rows(
        version,
        mapping,
        kind,
        node=node,
        done_rows=done_rows,
        progress=progress,
        tier_column=tier_column,
    )
    link_by_identifier(rows, kind, reader=reader, session=session)
    cannot = apply_decisions(
        rows, organization_id=version.dataset.organization_id, reader=reader, session=session
    )
    match_rows(
        rows,
        kind,
        cannot,
        reader=reader,
        upper=upper,
        lower=lower,
        session=session,
        progress=progress,
    )
    for row in rows:
        if row.status == "review" and not row.candidates:
            row.status, row.method = "new", "new"
        if row.status == "new" and row.new_group is None:
            row.new_group = row.row
    progress(version.row_count, version.row_count, "planned")
    return LinkPlan(rows=rows, skipped=skipped, unchanged=unchanged)
