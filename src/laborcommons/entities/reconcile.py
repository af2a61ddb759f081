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

import json
import time
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from rapidfuzz import fuzz
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core.errors import BadRequest, InvalidInput, NotFound
from laborcommons.entities.matching import normalize_address, normalize_name
from laborcommons.entities.models import Entity, EntityIdentifier, EntityName
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.identifiers import (
    SCHEME_NAME,
    SCHEMES,
    canonical_identifier,
)
from laborcommons.entities.service.lookup import canonical_entity, resolve_entity
from laborcommons.entities.service.text import country_code, searchable
from laborcommons.entities.service.visibility import (
    Shown,
    Sight,
    entity_visible,
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
MAX_IDENTIFIER = 200
"""Longest text tried as a bare identifier in every scheme."""
EXTEND_LIMIT_SETTING = {
    "type": "number",
    "name": "limit",
    "label": "Limit",
    "default": 0,
    "help_text": "At most this many values per entity (0: all)",
}
"""The one setting data extension takes per property (``reconcile_extend``)."""
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
    lcids: list[str] = []


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
        "authentication": {  # optional: anonymous readers reconcile against open evidence
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": "Optional: 'Bearer <API token>' to include restricted data you may read",
        },
        "extend": {
            "propose_properties": {"service_url": api, "service_path": "/propose_properties"},
            "property_settings": [EXTEND_LIMIT_SETTING],
        },
    }


class QueryError(BaseModel):
    """Why one query of a batch got no candidates: the rest of the batch still answers."""

    code: str = "invalid-query"
    message: str


class QueryResult(BaseModel):
    """One query's answer: ``result`` (what the specification requires) and, when the query
    was malformed, ``error`` (an extra member; OpenRefine reads ``result`` only)."""

    result: list[Candidate] = []
    error: QueryError | None = None


def parse_batch(raw: str | bytes) -> dict[str, ReconcileQuery | QueryError]:
    """The ``queries`` parameter (JSON object of query key → query). A batch that is not
    one at all is a 400; a malformed query is a ``QueryError`` for its key alone, because
    OpenRefine fails every row of a batch on a non-2xx answer."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"queries: not valid JSON ({error})") from error
    if not isinstance(data, dict) or not data:
        raise BadRequest("queries: expected a non-empty JSON object of query key → query")
    if len(data) > MAX_QUERIES:
        raise BadRequest(f"queries: {len(data)} queries, at most {MAX_QUERIES} per batch")
    batch: dict[str, ReconcileQuery | QueryError] = {}
    for key, value in data.items():
        try:
            batch[key] = ReconcileQuery.model_validate(value)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            batch[key] = QueryError(
                message=f"queries.{key}{'.' + where if where else ''}: {problem['msg']}"
            )
    return batch


def reconcile_batch(
    batch: dict[str, ReconcileQuery | QueryError], *, reader: Reader, session: Session
) -> dict[str, QueryResult]:
    """Candidates for every query of the batch, keyed like the batch; a malformed query
    answers with no candidates and its ``error``.

    Once ``BATCH_SECONDS`` have passed, the queries not yet started answer with an empty
    candidate list (valid in the specification: "no candidates"), so that one anonymous
    batch cannot hold the server for minutes; the client may send those queries again.
    """
    started = time.monotonic()
    results: dict[str, QueryResult] = {}
    seen: list[Sight] = []
    for key, query in batch.items():
        try:  # every query is still checked, so a bad one says why even past the budget
            if isinstance(query, QueryError):
                raise InvalidInput(query.message)
            criteria = _criteria(key, query)
        except InvalidInput as error:
            results[key] = QueryResult(error=QueryError(message=error.message))
            continue
        if results and time.monotonic() - started >= BATCH_SECONDS:
            results[key] = QueryResult()
            continue
        found = _reconcile(criteria, query, reader=reader, session=session, seen=seen)
        results[key] = QueryResult(result=found)
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
    exact = [*_by_lcid(criteria, reader=reader, session=session)]
    exact += _identified(criteria, reader=reader, session=session)
    for entity in exact:
        scored[entity.id] = (100.0, entity, [Feature(id="identifier_match", value=True)])
    pool = [e for e in name_pool(criteria, reader=reader, session=session) if e.id not in scored]
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
    if criteria.name:  # the query itself may be an lcid or an identifier (an OS ID, ...)
        criteria.lcids.append(criteria.name)
        criteria.identifiers += bare_identifiers(criteria.name)
    places: list[str] = []
    for prop in query.properties:
        if prop.pid not in PROPERTIES:
            raise InvalidInput(
                f"queries.{key}.properties: unknown property {prop.pid!r}; "
                f"use one of {', '.join(PROPERTIES)}"
            )
        values = prop.v if isinstance(prop.v, list) else [prop.v]
        if prop.pid == "identifier":
            criteria.lcids += [str(v["id"]) for v in values if isinstance(v, dict) and "id" in v]
        texts = [text for text in (_text(v) for v in values) if text]
        if prop.pid == "country" and texts:
            criteria.country = _country(key, texts[0])
        elif prop.pid == "identifier":
            criteria.identifiers += [i for text in texts for i in _identifier(text)]
        else:
            places += texts
    criteria.place = " ".join(places)
    if not criteria.name and not criteria.identifiers and not criteria.lcids:
        raise InvalidInput(f"queries.{key}: give a query (a name) or an identifier property")
    return criteria


def _text(value: Any) -> str:
    """A property value as text: OpenRefine sends a reconciled column as ``{"id", "name"}``
    (the id is another service's, a Wikidata QID say), so its name is what compares."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("id") or ""
    return "" if value is None else str(value).strip()


def _country(key: str, text: str) -> str | None:
    return country_code(text, where=f"queries.{key}.properties.country")


def _identifier(text: str) -> list[tuple[str | None, str]]:
    scheme, _, value = text.partition(":")
    if value.strip() and SCHEME_NAME.match(scheme.strip().lower()):
        return [(scheme.strip().lower(), value.strip())]
    return bare_identifiers(text)


def bare_identifiers(text: str) -> list[tuple[str | None, str]]:
    """A value without a scheme: as typed in any scheme, and in the canonical form of each
    known scheme that accepts it (``CN-2019303-BQ3FZP`` is the OS ID ``CN2019303BQ3FZP``)."""
    found: list[tuple[str | None, str]] = [(None, text.strip())]
    if len(text) > MAX_IDENTIFIER:
        return found
    for scheme in SCHEMES:
        try:
            found.append(canonical_identifier(scheme, text))
        except InvalidInput:
            continue
    return list(dict.fromkeys(found))


def _by_lcid(criteria: Criteria, *, reader: Reader, session: Session) -> list[Entity]:
    """The entities named by lcid (an alias answers as its canonical entity) that the
    reader sees; a text that is no lcid, or an unknown one, names nothing."""
    found: dict[int, Entity] = {}
    for text in criteria.lcids:
        try:
            _, entity = resolve_entity(text, session=session)
        except (BadRequest, NotFound):
            continue
        if (
            entity.kind in criteria.kinds
            and entity.status == "active"
            and entity_visible(entity, reader=reader, session=session)
        ):
            found[entity.id] = entity
    return list(found.values())


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


def name_pool(criteria: Criteria, *, reader: Reader, session: Session) -> list[Entity]:
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


def similarity(left: str, right: str) -> float:
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
    name_score = max((similarity(query, normalize_name(name)) for name in names), default=0.0)
    features = [Feature(id="name_similarity", value=round(name_score / 100, 4))]
    score = name_score
    where = " ".join(p for p in (view.address, view.city, view.postal_code) if p)
    if criteria.place and where:
        place_score = similarity(normalize_address(criteria.place), normalize_address(where))
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
