"""Entities and relations as CSV, JSON or GeoJSON: only what the reader may see
(``visibility.py``): hidden entities, evidence and relations are left out."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.service import escape_formula
from laborcommons.core.errors import BadRequest
from laborcommons.entities.models import Entity, EntityIdentifier
from laborcommons.entities.schemas import RelationPublic
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.relations import relations_of
from laborcommons.entities.service.visibility import shown_many, sight, visible_entities_clause

EXPORT_FORMATS = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
COLUMNS = (
    "lcid",
    "kind",
    "status",
    "merged_into",
    "name",
    "address",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "sector",
    "workers_min",
    "workers_max",
    "legal_name",
    "jurisdiction",
    "registration_number",
    "owner",
    "identifiers",
)


OWN_ONLY = (
    "latitude",
    "longitude",
    "sector",
    "workers_min",
    "workers_max",
    "legal_name",
    "jurisdiction",
    "registration_number",
)


def _rows(session: Session, reader: Reader, kind: str | None) -> list[dict[str, Any]]:
    """Entities the reader sees (merged ones as aliases), with only the evidence they may
    see: displayed name/address as shown, own-only fields blank unless their source is."""
    query = (
        select(Entity).where(visible_entities_clause(reader, aliases=True)).order_by(Entity.lcid)
    )
    if kind:
        query = query.where(Entity.kind == kind)
    entities = list(session.scalars(query))
    views = shown_many(entities, reader=reader, session=session)
    sights = list({id(v.sight): v.sight for v in views.values()}.values())
    record_evidence_read(sights, reader=reader, action="entities.export", session=session)
    identifiers: dict[int, list[str]] = {}
    held = list(
        session.scalars(
            select(EntityIdentifier).order_by(EntityIdentifier.scheme, EntityIdentifier.value)
        )
    )
    seen = sight(reader, [h.source_version_id for h in held], session=session)
    for identifier in held:
        if seen.sees(identifier.source_version_id):
            identifiers.setdefault(identifier.entity_id, []).append(
                f"{identifier.scheme}:{identifier.value}"
            )
    lcids = {i: lcid for i, lcid in session.execute(select(Entity.id, Entity.lcid))}
    rows = []
    for entity in entities:
        view = views[entity.id]
        row = {c: getattr(entity, c, None) for c in COLUMNS}
        row.update(
            name=view.name, address=view.address, city=view.city, postal_code=view.postal_code
        )
        if not view.own:
            row.update(dict.fromkeys(OWN_ONLY))
        row["merged_into"] = (
            canonical_entity(entity, session=session).lcid if entity.merged_into_id else None
        )
        row["owner"] = lcids.get(entity.owner_id) if entity.owner_id and view.own else None
        row["identifiers"] = identifiers.get(entity.id, [])
        rows.append(row)
    return rows


def _relations(session: Session, reader: Reader, kind: str | None) -> list[RelationPublic]:
    query = select(Entity.id).where(Entity.status == "active", visible_entities_clause(reader))
    if kind:
        query = query.where(Entity.kind == kind)
    relations = relations_of(list(session.scalars(query)), reader=reader, session=session)
    unique = {json.dumps(r.model_dump(mode="json"), sort_keys=True): r for r in relations}
    return [unique[k] for k in sorted(unique)]


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row with text a spreadsheet would evaluate escaped (the catalog's one rule)."""
    return {k: escape_formula(v) if isinstance(v, str) else v for k, v in row.items()}


def export_entities(
    fmt: str,
    *,
    reader: Reader,
    session: Session,
    kind: str | None = None,
    what: str = "entities",
) -> tuple[str, str]:
    """(media type, body). CSV holds ``what`` (entities or relations); JSON and GeoJSON both."""
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"format must be one of {sorted(EXPORT_FORMATS)}, not {fmt!r}")
    if what not in ("entities", "relations"):
        raise BadRequest(f"what must be 'entities' or 'relations', not {what!r}")
    rows = _rows(session, reader, kind)
    relations = _relations(session, reader, kind)
    if fmt == "csv":
        out = io.StringIO()
        if what == "entities":
            writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(_cells({**row, "identifiers": ";".join(row["identifiers"])}))
        else:
            fields = list(RelationPublic.model_fields)
            writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            for relation in relations:
                writer.writerow(_cells(relation.model_dump(mode="json")))
        return EXPORT_FORMATS[fmt], out.getvalue()
    if fmt == "json":
        body = {"entities": rows, "relations": [r.model_dump(mode="json") for r in relations]}
        return EXPORT_FORMATS[fmt], json.dumps(body, ensure_ascii=False, default=str)
    return EXPORT_FORMATS[fmt], json.dumps(_geojson(rows, relations), ensure_ascii=False)


def _geojson(rows: list[dict[str, Any]], relations: list[RelationPublic]) -> dict[str, Any]:
    """Entities with coordinates as points; relations between two of them as lines."""
    where = {
        r["lcid"]: (r["longitude"], r["latitude"])
        for r in rows
        if r["latitude"] is not None and r["longitude"] is not None
    }
    features: list[dict[str, Any]] = []
    for row in rows:
        if row["lcid"] in where and row["status"] == "active":
            properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
            features.append(
                {
                    "type": "Feature",
                    "id": row["lcid"],
                    "properties": properties,
                    "geometry": {"type": "Point", "coordinates": list(where[row["lcid"]])},
                }
            )
    for relation in relations:
        if relation.subject in where and relation.object in where:
            line = [list(where[relation.subject]), list(where[relation.object])]
            features.append(
                {
                    "type": "Feature",
                    "properties": relation.model_dump(mode="json"),
                    "geometry": {"type": "LineString", "coordinates": line},
                }
            )
    return {"type": "FeatureCollection", "features": features}
