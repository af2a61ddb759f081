"""The W3C Reconciliation Service API (v0.2, the version OpenRefine speaks) over entities.

A batch of queries (a name, a type, properties ``country``/``address``/``city``/
``postal_code``/``identifier``) gets, per query, ranked candidates with a score from 0 to
100 and a ``match`` flag OpenRefine may auto-accept: an exact identifier, or a score of at
least ``MATCH_SCORE`` that leads the runner-up by ``MATCH_GAP``. Names are compared after
the matching engine's normalization, so a query in Chinese script finds the entity stored
in pinyin and the other way round. Merged entities are never candidates; their lcids still
preview (as the canonical entity). Only entities and evidence the asking reader may see
take part (``service/visibility.py``): a hidden entity is no candidate and previews as 404.
"""

from __future__ import annotations

import html
import json
import time
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from rapidfuzz import fuzz
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core import stable_id
from laborcommons.core.errors import InvalidInput, NotFound
from laborcommons.entities.matching import normalize_address, normalize_name
from laborcommons.entities.models import Entity, EntityIdentifier, EntityName
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.identifiers import canonical_identifier
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.text import country_code, searchable
from laborcommons.entities.service.visibility import (
    Shown,
    Sight,
    require_visible,
    shown,
    shown_many,
    sight,
    visible_source_clause,
)

TYPES = {"facility": "Facility", "company": "Company", "brand": "Brand"}
PROPERTIES = {
    "country": ("Country", "ISO 3166 alpha-2 code or country name; other countries score lower"),
    "address": ("Address", "Street address, compared after normalization"),
    "city": ("City", "City or town, compared with the address"),
    "postal_code": ("Postal code", "Postal code, compared with the address"),
    "identifier": ("Identifier", "scheme:value, e.g. lei:5493001KJTIIGC8Y1R12 or os_id:…"),
}
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
"""Candidates one query may return, whatever its ``limit`` asks."""
MAX_QUERIES = 50
"""Queries one batch may hold (OpenRefine sends 10 at a time); more is refused."""
POOL_SIZE = 100
"""Entities one query scores at most (the SQL pre-filter's cap): the work per query."""
BATCH_SECONDS = 5.0
"""Time one batch may spend: queries not started by then answer with no candidates."""
MATCH_SCORE = 90.0
MATCH_GAP = 10.0
COUNTRY_MISMATCH = 0.5


class PropertyValue(BaseModel):
    pid: str
    v: Any


class ReconcileQuery(BaseModel):
    """One query of a batch, as the spec's ``reconciliation-query-batch`` schema has it."""

    model_config = {"extra": "forbid"}

    query: str = ""
    type: str | list[str] | None = None
    limit: int | None = Field(default=None, ge=1)
    properties: list[PropertyValue] = []
    type_strict: str | None = None


class TypeRef(BaseModel):
    id: str
    name: str


class Feature(BaseModel):
    id: str
    value: float | bool


class Candidate(BaseModel):
    id: str
    name: str
    description: str
    score: float
    match: bool
    type: list[TypeRef]
    features: list[Feature]


class Criteria(BaseModel):
    """A query's properties, checked and normalized."""

    kinds: list[str]
    name: str
    country: str | None = None
    place: str = ""
    identifiers: list[tuple[str | None, str]] = []


def service_manifest(base_url: str) -> dict[str, Any]:
    """What OpenRefine reads when the service is added: types, view, preview, suggest."""
    base = base_url.rstrip("/")
    api = f"{base}/api/v1/reconcile"
    suggest = {"service_url": api, "service_path": "/suggest/{}"}
    return {
        "versions": ["0.1", "0.2"],
        "name": "LaborCommons entities (facilities, companies, brands)",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": f"{base}/api/v1/reconcile/schema",
        "documentation": f"{base}/api/v1/docs",
        "defaultTypes": [{"id": kind, "name": label} for kind, label in TYPES.items()],
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "preview": {"url": f"{api}/preview?id={{{{id}}}}", "width": 430, "height": 160},
        "suggest": {
            part: {**suggest, "service_path": suggest["service_path"].format(part)}
            for part in ("entity", "type", "property")
        },
    }


def parse_batch(raw: str | bytes) -> dict[str, ReconcileQuery]:
    """The ``queries`` parameter (JSON object of query key → query), or a clear 422."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"queries: not valid JSON ({error})") from error
    if not isinstance(data, dict) or not data:
        raise InvalidInput("queries: expected a non-empty JSON object of query key → query")
    if len(data) > MAX_QUERIES:
        raise InvalidInput(f"queries: {len(data)} queries, at most {MAX_QUERIES} per batch")
    batch: dict[str, ReconcileQuery] = {}
    for key, value in data.items():
        try:
            batch[key] = ReconcileQuery.model_validate(value)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise InvalidInput(
                f"queries.{key}{'.' + where if where else ''}: {problem['msg']}",
                details={"query": key},
            ) from error
    return batch


def reconcile_batch(
    batch: dict[str, ReconcileQuery], *, reader: Reader, session: Session
) -> dict[str, dict[str, list[Candidate]]]:
    """Candidates for every query of the batch, keyed like the batch.

    Once ``BATCH_SECONDS`` have passed, the queries not yet started answer with an empty
    candidate list (valid in the specification: "no candidates"), so that one anonymous
    batch cannot hold the server for minutes; the client may send those queries again.
    """
    started = time.monotonic()
    results: dict[str, dict[str, list[Candidate]]] = {}
    seen: list[Sight] = []
    for key, query in batch.items():
        criteria = _criteria(key, query)  # every query is still checked: bad input is a 422
        if results and time.monotonic() - started >= BATCH_SECONDS:
            results[key] = {"result": []}
            continue
        found = _reconcile(criteria, query, reader=reader, session=session, seen=seen)
        results[key] = {"result": found}
    record_evidence_read(
        seen,
        reader=reader,
        action="reconcile.query",
        session=session,
        details={"queries": len(batch)},
    )
    return results


def reconcile(
    key: str, query: ReconcileQuery, *, reader: Reader, session: Session
) -> list[Candidate]:
    seen: list[Sight] = []
    found = _reconcile(_criteria(key, query), query, reader=reader, session=session, seen=seen)
    record_evidence_read(seen, reader=reader, action="reconcile.query", session=session)
    return found


def _reconcile(
    criteria: Criteria,
    query: ReconcileQuery,
    *,
    reader: Reader,
    session: Session,
    seen: list[Sight],
) -> list[Candidate]:
    """Ranked candidates; the sights of the ones shown go to ``seen`` (for the audit)."""
    limit = min(query.limit or DEFAULT_LIMIT, MAX_LIMIT)
    scored: dict[int, tuple[float, Entity, list[Feature]]] = {}
    for entity in _identified(criteria, reader=reader, session=session):
        scored[entity.id] = (100.0, entity, [Feature(id="identifier_match", value=True)])
    pool = [e for e in _name_pool(criteria, reader=reader, session=session) if e.id not in scored]
    views: dict[int, Shown] = shown_many(pool, reader=reader, session=session)
    for entity in pool:
        if entity.id not in scored:
            score, features = _score(criteria, entity, views[entity.id], session=session)
            scored[entity.id] = (score, entity, features)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1].lcid))[:limit]
    candidates = []
    for index, (score, entity, features) in enumerate(ranked):
        view = views.get(entity.id) or shown(entity, reader=reader, session=session)
        seen.append(view.sight)
        candidates.append(_candidate(entity, view, score, features, _is_match(index, ranked)))
    return candidates


def _criteria(key: str, query: ReconcileQuery) -> Criteria:
    wanted = [query.type] if isinstance(query.type, str) else list(query.type or TYPES)
    unknown = [kind for kind in wanted if kind not in TYPES]
    if unknown:
        raise InvalidInput(
            f"queries.{key}.type: unknown type {unknown[0]!r}; use one of {', '.join(TYPES)}"
        )
    criteria = Criteria(kinds=wanted, name=query.query.strip())
    places: list[str] = []
    for prop in query.properties:
        values = prop.v if isinstance(prop.v, list) else [prop.v]
        texts = [str(v.get("id", "") if isinstance(v, dict) else v).strip() for v in values]
        texts = [text for text in texts if text]
        if prop.pid not in PROPERTIES:
            raise InvalidInput(
                f"queries.{key}.properties: unknown property {prop.pid!r}; "
                f"use one of {', '.join(PROPERTIES)}"
            )
        if prop.pid == "country" and texts:
            criteria.country = _country(key, texts[0])
        elif prop.pid == "identifier":
            criteria.identifiers += [_identifier(text) for text in texts]
        else:
            places += texts
    criteria.place = " ".join(places)
    if not criteria.name and not criteria.identifiers:
        raise InvalidInput(f"queries.{key}: give a query (a name) or an identifier property")
    return criteria


def _country(key: str, text: str) -> str | None:
    return country_code(text, where=f"queries.{key}.properties.country")


def _identifier(text: str) -> tuple[str | None, str]:
    scheme, _, value = text.partition(":")
    return (scheme.strip().lower(), value.strip()) if value.strip() else (None, text)


def _identified(criteria: Criteria, *, reader: Reader, session: Session) -> list[Entity]:
    """Active entities holding a queried identifier the reader may see."""
    found: dict[int, Entity] = {}
    for scheme, value in criteria.identifiers:
        statement = select(EntityIdentifier).where(EntityIdentifier.value == value)
        if scheme is not None:
            try:  # an invalid identifier (bad LEI check digits) is no match, not an error
                scheme, value = canonical_identifier(scheme, value)
            except InvalidInput:
                continue
            statement = select(EntityIdentifier).where(
                EntityIdentifier.scheme == scheme, EntityIdentifier.value == value
            )
        held = list(session.scalars(statement.order_by(EntityIdentifier.id)))
        seen = sight(reader, [i.source_version_id for i in held], session=session)
        for identifier in held:
            if not seen.sees(identifier.source_version_id):
                continue
            entity = canonical_entity(
                session.get_one(Entity, identifier.entity_id), session=session
            )
            if entity.kind in criteria.kinds and entity.status == "active":
                found[entity.id] = entity
    return list(found.values())


def _tokens(text: str) -> list[str]:
    """The query's most telling name tokens (longest first), for a cheap SQL pre-filter."""
    tokens = {token for token in searchable(text).split() if len(token) >= 3}
    return sorted(tokens, key=lambda token: (-len(token), token))[:4]


def _name_pool(criteria: Criteria, *, reader: Reader, session: Session) -> list[Entity]:
    """Active entities the reader sees sharing a name token with the query, in a visible
    spelling: their own name, another known name, or the name of an entity merged into them."""
    tokens = _tokens(criteria.name)
    if not tokens:
        return []
    other_names = select(EntityName.entity_id).where(
        or_(*(EntityName.name_ascii.ilike(f"%{token}%") for token in tokens)),
        visible_source_clause(reader, EntityName.source_version_id, EntityName.source_row),
    )
    own = and_(
        visible_source_clause(reader, Entity.source_version_id, Entity.source_row),
        or_(*(Entity.name_ascii.ilike(f"%{token}%") for token in tokens)),
    )
    statement = (
        select(Entity)
        .where(Entity.status != "split", Entity.kind.in_(criteria.kinds))
        .where(or_(own, Entity.id.in_(other_names)))
        .order_by(Entity.id)
        .limit(POOL_SIZE)
    )
    pool: dict[int, Entity] = {}
    for found in session.scalars(statement):
        entity = canonical_entity(found, session=session)
        if entity.status == "active":  # a visible spelling is visible evidence of it
            pool.setdefault(entity.id, entity)
    return list(pool.values())


def _similarity(left: str, right: str) -> float:
    """0-100; the spaceless comparison covers scripts written without spaces (Chinese,
    Thai), whose transliteration runs the words together."""
    if not left or not right:
        return 0.0
    return max(
        fuzz.token_sort_ratio(left, right),
        0.9 * fuzz.token_set_ratio(left, right),
        fuzz.ratio(left.replace(" ", ""), right.replace(" ", "")),
    )


def _score(
    criteria: Criteria, entity: Entity, view: Shown, *, session: Session
) -> tuple[float, list[Feature]]:
    """Compared with the spellings and place this reader is shown, nothing else."""
    query = normalize_name(criteria.name)
    ids = view.ids
    spellings = [
        *session.execute(
            select(Entity.name, Entity.source_version_id, Entity.source_row).where(
                Entity.id.in_(ids)
            )
        ),
        *session.execute(
            select(EntityName.name, EntityName.source_version_id, EntityName.source_row).where(
                EntityName.entity_id.in_(ids)
            )
        ),
    ]
    names = [name for name, version_id, row in spellings if view.sight.sees(version_id, row)]
    name_score = max((_similarity(query, normalize_name(name)) for name in names), default=0.0)
    features = [Feature(id="name_similarity", value=round(name_score / 100, 4))]
    score = name_score
    where = " ".join(p for p in (view.address, view.city, view.postal_code) if p)
    if criteria.place and where:
        place_score = _similarity(normalize_address(criteria.place), normalize_address(where))
        features.append(Feature(id="address_similarity", value=round(place_score / 100, 4)))
        score = 0.75 * name_score + 0.25 * place_score
    if criteria.country is not None and entity.country is not None:
        same = criteria.country == entity.country
        features.append(Feature(id="country_match", value=same))
        score = score if same else score * COUNTRY_MISMATCH
    return round(score, 2), features


def _is_match(index: int, ranked: list[tuple[float, Entity, list[Feature]]]) -> bool:
    if index != 0:
        return False
    score, _entity, features = ranked[0]
    if any(f.id == "identifier_match" for f in features):
        return len(ranked) == 1 or ranked[1][0] < 100.0
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    return score >= MATCH_SCORE and score - runner_up >= MATCH_GAP


def describe(entity: Entity, view: Shown) -> str:
    """One line that tells namesakes apart: kind, place (as shown) and country."""
    place = ", ".join(p for p in (view.address, view.city, entity.country) if p)
    return f"{TYPES.get(entity.kind, entity.kind)}{' · ' + place if place else ''}"


def _candidate(
    entity: Entity, view: Shown, score: float, features: list[Feature], match: bool
) -> Candidate:
    return Candidate(
        id=entity.lcid,
        name=view.name,
        description=describe(entity, view),
        score=score,
        match=match,
        type=[TypeRef(id=entity.kind, name=TYPES.get(entity.kind, entity.kind))],
        features=features,
    )


def suggest_entities(
    prefix: str, *, kind: str | None = None, cursor: int = 0, reader: Reader, session: Session
) -> dict[str, Any]:
    """Entities whose name (or transliteration) starts a word with ``prefix``."""
    if kind is not None and kind not in TYPES:
        raise InvalidInput(f"type: unknown type {kind!r}; use one of {', '.join(TYPES)}")
    criteria = Criteria(kinds=[kind] if kind else list(TYPES), name=prefix)
    needle = normalize_name(prefix)
    pool = _name_pool(criteria, reader=reader, session=session) if needle else []
    views = {e.id: shown(e, reader=reader, session=session) for e in pool}
    ranked = sorted(
        pool, key=lambda e: (-_similarity(needle, normalize_name(views[e.id].name)), e.lcid)
    )[cursor : cursor + 10]
    record_evidence_read(
        [views[e.id].sight for e in ranked],
        reader=reader,
        action="reconcile.suggest",
        session=session,
    )
    return {
        "result": [
            {
                "id": e.lcid,
                "name": views[e.id].name,
                "description": describe(e, views[e.id]),
                "notable": [{"id": e.kind, "name": TYPES[e.kind]}],
            }
            for e in ranked
        ]
    }


def suggest_types(prefix: str) -> dict[str, Any]:
    wanted = prefix.strip().lower()
    return {
        "result": [
            {"id": kind, "name": label}
            for kind, label in TYPES.items()
            if kind.startswith(wanted) or label.lower().startswith(wanted)
        ]
    }


def suggest_properties(prefix: str) -> dict[str, Any]:
    wanted = prefix.strip().lower()
    return {
        "result": [
            {"id": pid, "name": label, "description": description}
            for pid, (label, description) in PROPERTIES.items()
            if pid.startswith(wanted) or label.lower().startswith(wanted)
        ]
    }


def preview_html(lcid: str, *, base_url: str, reader: Reader, session: Session) -> str:
    """A small HTML card for OpenRefine's preview pane (an alias shows its canonical entity)."""
    entity = session.scalar(select(Entity).where(Entity.lcid == stable_id.canonical(lcid)))
    if entity is None:
        raise NotFound(f"no entity {lcid!r}")
    entity = canonical_entity(entity, session=session)
    require_visible(entity, reader=reader, session=session)
    view = shown(entity, reader=reader, session=session)
    record_evidence_read([view.sight], reader=reader, action="reconcile.preview", session=session)
    identifiers = session.scalars(
        select(EntityIdentifier)
        .where(EntityIdentifier.entity_id == entity.id)
        .order_by(EntityIdentifier.scheme, EntityIdentifier.value)
    )
    rows = [("ID", entity.lcid), ("Type", TYPES.get(entity.kind, entity.kind))]
    name_ascii = searchable(view.name) if not view.own else entity.name_ascii
    if name_ascii and name_ascii != view.name:
        rows.append(("Transliterated", name_ascii))
    rows += [
        (label, value)
        for label, value in (
            ("Address", view.address),
            ("City", view.city),
            ("Country", entity.country),
        )
        if value
    ]
    rows += [(i.scheme, i.value) for i in identifiers if view.sight.sees(i.source_version_id)]
    cells = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    url = f"{base_url.rstrip('/')}/entities/{entity.lcid}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(view.name)}</title></head>"
        "<body style='font:14px sans-serif;margin:6px'>"
        f"<h1 style='font-size:16px;margin:0 0 4px'><a href='{html.escape(url)}' "
        f"target='_blank'>{html.escape(view.name)}</a></h1>"
        f"<table>{cells}</table></body></html>"
    )
