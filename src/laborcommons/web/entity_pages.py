"""Entity search, the entity page (an alias redirects to its canonical entity), and the
linking flow for a dataset version: choose columns, dry run, link, see progress and result."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog.responses import keep_out_of_shared_caches
from laborcommons.catalog.service import get_dataset
from laborcommons.core.db import unit_of_work
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput, LaborCommonsError, NotFound
from laborcommons.core.node import Node
from laborcommons.core.pagination import next_query, previous_query
from laborcommons.entities.matching import transliterate
from laborcommons.entities.models import Entity
from laborcommons.entities.schemas import (
    ColumnMapping,
    EntityPage,
    EntityPublic,
    LinkJobCreate,
    LinkRelation,
)
from laborcommons.entities.service import (
    RELATIONS_PAGE_SIZE,
    create_link_job,
    entity_history,
    entity_public,
    execute_link_job,
    get_link_job,
    require_visible,
    resolve_entity,
    search_entities,
    suggest_mapping,
)
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.entity_editing import SentForm, editing_context
from laborcommons.web.evidence_pages import panel_context, per_reader
from laborcommons.web.forms import editable_dataset
from laborcommons.web.rendering import query_string, render

router = APIRouter()
PAGE_SIZE = 25
KINDS = {"facility": "Facility", "company": "Company", "brand": "Brand"}
PREDICATES = {"operated_by": "operated by", "owned_by": "owned by", "sources_from": "sources from"}


def _labels() -> dict[str, Any]:
    return {"KINDS": KINDS, "KIND_OPTIONS": list(KINDS.items()), "PREDICATES": PREDICATES}


@router.get("/entities")
def entities(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    q: str = "",
    country: str = "",
    kind: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    filters = {"q": q, "country": country, "kind": kind if kind in KINDS else ""}
    error = None
    try:
        result = search_entities(
            q=q or None,
            country=country or None,
            kind=filters["kind"] or None,
            page=page,
            page_size=PAGE_SIZE,
            reader=reader,
            session=session,
        )
    except InvalidInput as problem:
        error = problem.message
        result = EntityPage(items=[], total=0, page=page, page_size=PAGE_SIZE)
    context = {
        **_labels(),
        "result": result,
        "filters": filters,
        "error": error,
        "previous": previous_query(filters, page=page),
        "next": next_query(filters, page=page, page_size=PAGE_SIZE, total=result.total),
    }
    api = "/api/v1/entities" + query_string({**filters, "page": page if page > 1 else ""})
    context["map_url"] = "/api/v1/entities.geojson" + query_string(filters)
    status = 422 if error else 200
    return render(request, "entities.html", context, reader=reader, status=status, alternate=api)


def entity_facts(entity: EntityPublic) -> list[tuple[str, str]]:
    """The filled-in fields, labelled; worker counts as the range they were given as."""
    workers = ""
    if entity.workers_min is not None or entity.workers_max is not None:
        low, high = entity.workers_min, entity.workers_max
        workers = str(low) if low == high else f"{low or 0} to {high}" if high else f"{low}+"
    coordinates = ""
    if entity.latitude is not None and entity.longitude is not None:
        coordinates = f"{entity.latitude:.5f}, {entity.longitude:.5f}"
    facts = [
        ("Address", entity.address),
        ("City", entity.city),
        ("Postal code", entity.postal_code),
        ("Country", entity.country),
        ("Coordinates", coordinates),
        ("Sector", entity.sector),
        ("Workers", workers),
        ("Legal name", entity.legal_name),
        ("Jurisdiction", entity.jurisdiction),
        ("Registration number", entity.registration_number),
        ("Owned by", entity.owner),
    ]
    return [(label, value) for label, value in facts if value]


def _transliterated(name: str) -> str:
    """The name in Latin letters, when it is written in another script ("" otherwise)."""
    latin = transliterate(name)
    return latin if latin != name else ""


@router.get("/entities/{lcid}")
def entity(
    request: Request,
    lcid: str,
    reader: PageReaderDep,
    session: SessionDep,
    relations: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    named, canonical = resolve_entity(lcid, session=session)
    require_visible(canonical, reader=reader, session=session)  # 404 before a redirect
    if named.id != canonical.id or lcid != canonical.lcid:
        return RedirectResponse(f"/entities/{canonical.lcid}", status_code=301)
    return entity_page(request, canonical, reader=reader, session=session, relations=relations)


def entity_page(
    request: Request,
    canonical: Entity,
    *,
    reader: Reader,
    session: Session,
    relations: int = 1,
    sent: SentForm | None = None,
    status: int = 200,
) -> Response:
    """The page of a visible, canonical entity with page ``relations`` of its relations;
    with ``sent``, one of its editing forms is shown again with the values typed and the
    problems found."""
    public = entity_public(canonical, reader=reader, session=session, relations_page=relations)
    size = RELATIONS_PAGE_SIZE
    context = {
        **_labels(),
        "entity": public,
        "relations_previous": previous_query({}, page=relations, key="relations"),
        "relations_next": next_query(
            {}, page=relations, page_size=size, total=public.relations_total, key="relations"
        ),
        "transliterated": _transliterated(public.name),
        "other_names": [(n, _transliterated(n.name)) for n in public.names],
        "facts": entity_facts(public),
        "history": entity_history(canonical, reader=reader, session=session),
        **panel_context(canonical.lcid, reader=reader, session=session),
        **editing_context(canonical, public, sent, reader=reader, session=session),
    }
    api = f"/api/v1/entities/{canonical.lcid}"
    page = render(request, "entity.html", context, reader=reader, status=status, alternate=api)
    return per_reader(page) if context["evidence"] or context["can_change"] else page


ROLES = [("name", "Name"), ("address", "Address"), ("city", "City"),
         ("postal_code", "Postal code"), ("country", "Country"),
         ("latitude", "Latitude"), ("longitude", "Longitude")]  # fmt: skip
IDENTIFIER_SLOTS = 3
ROW_RELATIONS = [
    ("sources_from:subject", "Suppliers of a brand (the brand sources from each row)"),
    ("operated_by:object", "Facilities operated by a company"),
    ("owned_by:object", "Companies owned by a company"),
]
COUNT_LABELS = [
    ("linked", "Linked to an existing entity"), ("review", "Sent to review"),
    ("new", "Rows that become new entities"), ("entities_created", "New entities"),
    ("skipped", "Rows skipped (no name)"), ("unchanged", "Rows linked before"),
]  # fmt: skip


class LinkForm(BaseModel):
    """The mapping form as sent (or pre-filled from the suggestion)."""

    kind: str = "facility"
    name: str = ""
    address: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    latitude: str = ""
    longitude: str = ""
    identifier_pairs: list[tuple[str, str]] = []
    relation: str = ""
    relation_entity: str = ""
    tier_column: str = ""

    @classmethod
    def from_mapping(cls, mapping: ColumnMapping | None) -> LinkForm:
        if mapping is None:
            return cls()
        fields = {role: getattr(mapping, role) or "" for role, _ in ROLES}
        return cls(**fields, identifier_pairs=list(mapping.identifiers.items()))

    def padded(self) -> LinkForm:
        pairs = [*self.identifier_pairs, *[("", "")] * IDENTIFIER_SLOTS][:IDENTIFIER_SLOTS]
        return self.model_copy(update={"identifier_pairs": pairs})

    def to_job(self, slug: str, version: int, *, dry_run: bool) -> LinkJobCreate:
        roles = {role: getattr(self, role) or None for role, _ in ROLES}
        identifiers = {s.strip(): c for s, c in self.identifier_pairs if s.strip() and c}
        if not roles["name"]:
            raise InvalidInput("choose the column that holds the name")
        mapping = ColumnMapping.model_validate({**roles, "identifiers": identifiers})
        return LinkJobCreate.model_validate(
            {
                "dataset": slug,
                "version": version,
                "kind": self.kind,
                "mapping": mapping,
                "dry_run": dry_run,
                "relation": self.link_relation(),
            }
        )

    def link_relation(self) -> LinkRelation | None:
        """The relation each linked row gets (``predicate:side`` names the other entity's
        side); the job adds it once per row and version, so linking again adds nothing."""
        if not self.relation:
            return None
        predicate, _, side = self.relation.partition(":")
        if side not in {"subject", "object"} or not self.relation_entity.strip():
            raise InvalidInput("give the stable ID of the entity the rows are related to")
        return LinkRelation.model_validate(
            {
                "predicate": predicate,
                side: self.relation_entity.strip(),
                "tier_column": self.tier_column or None,
            }
        )


def _link_page(
    request: Request,
    slug: str,
    version: int | None,
    form: LinkForm | None,
    error: str | None,
    *,
    reader: Reader,
    session: Session,
) -> Response:
    dataset = editable_dataset(slug, reader=reader, session=session)
    suggestion = suggest_mapping(slug, version, reader=reader, session=session)
    chosen = next(v for v in dataset.versions if v.number == suggestion.version)
    context = {
        **_labels(),
        "ROLES": ROLES,
        "ROW_RELATIONS": ROW_RELATIONS,
        "dataset": dataset,
        "version": suggestion.version,
        "versions": [v.number for v in reversed(dataset.versions)],
        "columns": [str(c["name"]) for c in chosen.columns],
        "suggested": suggestion.mapping is not None,
        "form": (form or LinkForm.from_mapping(suggestion.mapping)).padded(),
        "error": error,
    }
    api = f"/api/v1/entities/mapping-suggestions?dataset={slug}&version={suggestion.version}"
    status = 422 if error else 200
    return render(request, "entity_link.html", context, reader=reader, status=status, alternate=api)


@router.get("/datasets/{slug}/link")
def link_form(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Choose the columns, with suggestions from the headers pre-filled."""
    return _link_page(request, slug, version, None, None, reader=reader, session=session)


def _run_job(job_id: int, reader: Reader, node: Node) -> None:
    """After the response: the job records its own failure, shown on its page."""
    with contextlib.suppress(LaborCommonsError):
        execute_link_job(job_id, reader=reader, node=node)


@router.post("/datasets/{slug}/link")
def start_link(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    background: BackgroundTasks,
    _csrf: CsrfDep,
    version: Annotated[int, Form(ge=1)],
    run: Annotated[str, Form()] = "dry-run",
    kind: Annotated[str, Form()] = "facility",
    name: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    city: Annotated[str, Form()] = "",
    postal_code: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    latitude: Annotated[str, Form()] = "",
    longitude: Annotated[str, Form()] = "",
    scheme: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    id_column: Annotated[list[str], Form()] = [],  # noqa: B006
    relation: Annotated[str, Form(max_length=40)] = "",
    relation_entity: Annotated[str, Form(max_length=100)] = "",
    tier_column: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Create the job in its own transaction (the job's steps run in theirs), then run it
    after the response, so the job page can show its progress."""
    pairs = list(zip(scheme, id_column, strict=False))
    form = LinkForm(
        kind=kind if kind in KINDS else "facility",
        name=name,
        address=address,
        city=city,
        postal_code=postal_code,
        country=country,
        latitude=latitude,
        longitude=longitude,
        identifier_pairs=pairs,
        relation=relation,
        relation_entity=relation_entity,
        tier_column=tier_column,
    )
    try:
        data = form.to_job(slug, version, dry_run=run != "link")
        with unit_of_work(node.sessions) as own:
            job_id = create_link_job(data, reader=reader, session=own).id
    except (BadRequest, InvalidInput, NotFound, ValidationError) as problem:
        # NotFound here is the relation's entity (the dataset was found): missing or hidden
        # alike, it is a problem with the form.
        message = problem.message if isinstance(problem, LaborCommonsError) else str(problem)
        return _link_page(request, slug, version, form, message, reader=reader, session=session)
    background.add_task(_run_job, job_id, reader, node)
    return RedirectResponse(f"/datasets/{slug}/link/jobs/{job_id}", status_code=303)


@router.get("/datasets/{slug}/link/jobs/{job_id}")
def link_job(
    request: Request, slug: str, job_id: int, reader: PageReaderDep, session: SessionDep
) -> Response:
    """Progress while it runs (the page refreshes itself), then the counts and outcomes."""
    job = get_link_job(job_id, reader=reader, session=session)
    if job.dataset != slug:
        raise NotFound(f"no link job {job_id}")  # the same answer as a missing job
    dataset = get_dataset(slug, reader=reader, session=session)
    mapping = ColumnMapping.model_validate(job.mapping)
    context = {
        **_labels(),
        "job": job,
        "dataset": dataset,
        "COUNT_LABELS": COUNT_LABELS,
        "mapping_fields": [(r, getattr(mapping, r)) for r, _ in ROLES if getattr(mapping, r)],
        "identifier_fields": list(mapping.identifiers.items()),
    }
    api = f"/api/v1/entities/link-jobs/{job_id}"
    page = render(request, "entity_link_job.html", context, reader=reader, alternate=api)
    keep_out_of_shared_caches(page, job.access)
    return page
