"""Data extension (W3C Reconciliation API v0.2): OpenRefine's "add columns from reconciled
values" asks for properties of entities already matched to lcids.

Every value comes from ``entity_public``, the entity as the asking reader is shown it
(``service/visibility.py``): a spelling, identifier, coordinate or relation from rows the
reader may not read is never a value, and an entity the reader may not see at all (or an
unknown or malformed id) answers with an empty row, exactly like a missing one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core.countries import country_name
from laborcommons.core.errors import BadRequest, NotFound
from laborcommons.entities.reconcile import MAX_QUERIES, TYPES
from laborcommons.entities.schemas import EntityPublic
from laborcommons.entities.service.identifiers import SCHEMES
from laborcommons.entities.service.lookup import resolve_entity
from laborcommons.entities.service.views import entity_public

Value = dict[str, Any]
SCHEME_LABELS = {
    "os_id": "OS ID (Open Supply Hub)",
    "lei": "LEI",
    "isin": "ISIN",
    "wikirate": "WikiRate company ID",
    "opencorporates": "OpenCorporates ID",
}


def _str(text: str | None) -> list[Value]:
    return [{"str": text}] if text else []


def _float(number: float | None) -> list[Value]:
    return [] if number is None else [{"float": number}]


def _int(number: int | None) -> list[Value]:
    return [] if number is None else [{"int": number}]


def _coordinates(e: EntityPublic) -> list[Value]:
    if e.latitude is None or e.longitude is None:
        return []
    return [{"str": f"{e.latitude},{e.longitude}"}]


def _relations(e: EntityPublic) -> list[Value]:
    """The entities on the other side, as reconciled cells (``{"id", "name"}``)."""
    values = []
    for r in e.relations:
        if r.subject == e.lcid:
            values.append({"id": r.object, "name": r.object_name, "description": r.predicate})
        else:
            other = f"{r.predicate} (inverse)"
            values.append({"id": r.subject, "name": r.subject_name, "description": other})
    return values


def _scheme(scheme: str) -> Callable[[EntityPublic], list[Value]]:
    def values(e: EntityPublic) -> list[Value]:
        return [{"str": i.value} for i in e.identifiers if i.scheme == scheme]

    return values


FIELDS: dict[str, tuple[str, Callable[[EntityPublic], list[Value]]]] = {
    "lcid": ("LaborCommons ID", lambda e: [{"str": e.lcid}]),
    **{s: (SCHEME_LABELS.get(s, s), _scheme(s)) for s in SCHEMES},
    "name": ("Name", lambda e: _str(e.name)),
    "other_names": ("Other names", lambda e: [{"str": n.name} for n in e.names]),
    "aliases": ("Former IDs (merged into this one)", lambda e: [{"str": a} for a in e.aliases]),
    "address": ("Address", lambda e: _str(e.address)),
    "city": ("City", lambda e: _str(e.city)),
    "postal_code": ("Postal code", lambda e: _str(e.postal_code)),
    "country": ("Country code", lambda e: _str(e.country)),
    "country_name": ("Country", lambda e: _str(country_name(e.country) if e.country else None)),
    "latitude": ("Latitude", lambda e: _float(e.latitude)),
    "longitude": ("Longitude", lambda e: _float(e.longitude)),
    "coordinates": ("Coordinates (lat,lng)", _coordinates),
    "sector": ("Sector", lambda e: _str(e.sector)),
    "workers_min": ("Number of workers (from)", lambda e: _int(e.workers_min)),
    "workers_max": ("Number of workers (to)", lambda e: _int(e.workers_max)),
    "relations": ("Related entities", _relations),
}
"""Property id → (label, values of an entity as shown to the reader)."""


class ExtendProperty(BaseModel):
    model_config = {"extra": "forbid"}

    id: str
    settings: dict[str, Any] = {}


class ExtendQuery(BaseModel):
    """The ``extend`` parameter, as the specification's data-extension-query schema has it."""

    model_config = {"extra": "forbid"}

    ids: list[str] = Field(max_length=MAX_QUERIES)
    properties: list[ExtendProperty] = Field(min_length=1)


def parse_extend(raw: str | bytes) -> ExtendQuery:
    """The ``extend`` parameter, or a 400 saying which part is wrong."""
    try:
        query = ExtendQuery.model_validate(json.loads(raw))
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ValidationError):
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise BadRequest(f"extend.{where}: {problem['msg']}") from None
        raise BadRequest(f"extend: not valid JSON ({error})") from None
    unknown = [p.id for p in query.properties if p.id not in FIELDS]
    if unknown:
        raise BadRequest(
            f"extend.properties: unknown property {unknown[0]!r}; use one of {', '.join(FIELDS)}"
        )
    for prop in query.properties:
        limit = prop.settings.get("limit", 0)
        if set(prop.settings) - {"limit"} or not isinstance(limit, int) or limit < 0:
            raise BadRequest(f"extend.properties.{prop.id}.settings: only a 'limit' of 0 or more")
    return query


def extend(query: ExtendQuery, *, reader: Reader, session: Session) -> dict[str, Any]:
    """``{"meta": [...], "rows": {id: {property: [values]}}}`` for the ids asked."""
    rows: dict[str, dict[str, list[Value]]] = {}
    for asked in query.ids:
        shown = _entity(asked, reader=reader, session=session)
        row: dict[str, list[Value]] = {}
        for prop in query.properties:
            values = FIELDS[prop.id][1](shown) if shown else []
            limit = int(prop.settings.get("limit", 0))
            row[prop.id] = values[:limit] if limit else values
        rows[asked] = row
    meta = [{"id": p.id, "name": FIELDS[p.id][0]} for p in query.properties]
    return {"meta": meta, "rows": rows}


def _entity(lcid: str, *, reader: Reader, session: Session) -> EntityPublic | None:
    """The canonical entity as this reader is shown it; None when missing or hidden."""
    try:
        _, entity = resolve_entity(lcid, session=session)
        return entity_public(entity, reader=reader, session=session, relations_page=None)
    except (BadRequest, NotFound):
        return None


def propose_properties(kind: str, *, limit: int | None = None) -> dict[str, Any]:
    """The properties OpenRefine offers in "add columns from reconciled values"."""
    if kind not in TYPES:
        raise BadRequest(f"type: unknown type {kind!r}; use one of {', '.join(TYPES)}")
    properties = [{"id": pid, "name": label} for pid, (label, _) in FIELDS.items()]
    answer: dict[str, Any] = {
        "type": kind,
        "properties": properties[:limit] if limit else properties,
    }
    if limit:
        answer["limit"] = limit
    return answer
