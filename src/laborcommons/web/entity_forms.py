"""The entity page's editing forms: merge, split, add an identifier, record a relation.

Each form posts to the page's own address, calls one entities service (which decides who
may), and answers 303 back to the entity page with a flash, or the page again with the
form's values and the problems next to its fields. A hidden entity answers 404 like a
missing one, before any permission or input is looked at.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidInput,
    LaborCommonsError,
    NotFound,
)
from laborcommons.entities.models import Entity
from laborcommons.entities.schemas import IdentifierIn, MergeRequest, RelationCreate, SplitRequest
from laborcommons.entities.service import (
    add_entity_identifier,
    add_relation,
    entity_public,
    merge_entities,
    require_entity_change,
    require_visible,
    resolve_entity,
    split_entity,
)
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.entity_editing import OTHER_SCHEME, SentForm
from laborcommons.web.entity_pages import entity_page
from laborcommons.web.forms import discard_changes
from laborcommons.web.rendering import add_flash

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
REFUSALS = (BadRequest, InvalidInput, NotFound, Conflict, Forbidden)
"""What a sent form can be refused with once the page's entity is known to be changeable."""


def changeable(lcid: str, *, reader: Reader, session: Session) -> Entity:
    """The canonical entity: 404 when hidden or missing, then 401/403 without the right."""
    _, canonical = resolve_entity(lcid, session=session)
    require_visible(canonical, reader=reader, session=session)
    require_entity_change(reader, [canonical], session=session)
    return canonical


def field_errors(error: ValidationError, form: str) -> dict[str, str]:
    """Pydantic's errors by field, named as the form's fields (``merge_reason``)."""
    errors: dict[str, str] = {}
    for problem in error.errors():
        loc = [str(part) for part in problem["loc"] if not isinstance(part, int)]
        name = f"{form}_{loc[-1]}" if loc else form
        errors.setdefault(name, problem["msg"].removeprefix("Value error, "))
    return errors


def refused(
    request: Request,
    entity: Entity,
    sent: SentForm,
    error: Exception,
    *,
    reader: Reader,
    session: Session,
) -> Response:
    """The page again with this form's problems: 403 for a refused other entity, 409 for a
    clash with what is recorded, 422 for the rest."""
    if isinstance(error, LaborCommonsError):
        discard_changes(session, error)
    status = 403 if isinstance(error, Forbidden) else 409 if isinstance(error, Conflict) else 422
    return entity_page(request, entity, reader=reader, session=session, sent=sent, status=status)


@router.post("/entities/{lcid}/merge")
def merge(
    request: Request,
    lcid: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    other: Annotated[str, Form(max_length=100)] = "",
    direction: Annotated[str, Form(pattern="^(into|from)$")] = "into",
    reason: Text = "",
) -> Response:
    """``into``: this entity becomes an alias of the other; ``from``: the other one of this."""
    entity = changeable(lcid, reader=reader, session=session)
    sent = SentForm("merge", {"other": other, "direction": direction, "reason": reason})
    if not other.strip():
        sent.errors["merge_other"] = "give the stable ID of the other entity"
    try:
        data = MergeRequest(
            into=other.strip() if direction == "into" else entity.lcid, reason=reason.strip()
        )
    except ValidationError as error:
        sent.errors = {**field_errors(error, "merge"), **sent.errors}
        sent.errors.pop("merge_into", None)
    if sent.errors:
        return refused(request, entity, sent, InvalidInput(""), reader=reader, session=session)
    merged = entity.lcid if direction == "into" else other.strip()
    try:
        survivor = merge_entities(merged, data, actor=reader, session=session)
    except REFUSALS as error:
        sent.errors["merge_other"] = error.message
        return refused(request, entity, sent, error, reader=reader, session=session)
    gone = entity.lcid if survivor.id != entity.id else other.strip().upper()
    add_flash(request, f"Merged {gone} into {survivor.lcid}: {gone} is now an alias of it.")
    return RedirectResponse(f"/entities/{survivor.lcid}", status_code=303)


@router.post("/entities/{lcid}/split")
def split(
    request: Request,
    lcid: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    first: Annotated[str, Form(max_length=500)] = "",
    second: Annotated[str, Form(max_length=500)] = "",
    move: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    reason: Text = "",
) -> Response:
    """Two parts; identifiers ticked (``scheme|value``) move to the second, the rest the
    reader sees to the first (any others stay with the original). Rows keep their link to
    the original until their version is linked again."""
    entity = changeable(lcid, reader=reader, session=session)
    values: dict[str, Any] = {"first": first, "second": second, "move": move, "reason": reason}
    sent = SentForm("split", values)
    shown = entity_public(entity, reader=reader, session=session).identifiers
    held = {f"{i.scheme}|{i.value}": (i.scheme, i.value) for i in shown}
    moving = [{"scheme": held[m][0], "value": held[m][1]} for m in move if m in held]
    staying = [{"scheme": s, "value": v} for key, (s, v) in held.items() if key not in move]
    try:
        data = SplitRequest.model_validate(
            {
                "parts": [
                    {"name": first.strip(), "identifiers": staying},
                    {"name": second.strip(), "identifiers": moving},
                ],
                "reason": reason.strip(),
            }
        )
    except ValidationError as error:
        sent.errors = split_errors(error)
        return refused(request, entity, sent, error, reader=reader, session=session)
    try:
        result = split_entity(entity.lcid, data, actor=reader, session=session)
    except REFUSALS as error:
        sent.errors["split"] = error.message
        return refused(request, entity, sent, error, reader=reader, session=session)
    parts = " and ".join(part.lcid for part in result.parts)
    add_flash(request, f"Split {entity.lcid} into {parts}.")
    return RedirectResponse(f"/entities/{entity.lcid}", status_code=303)


def split_errors(error: ValidationError) -> dict[str, str]:
    """A part's missing name next to that part's name field."""
    errors: dict[str, str] = {}
    for problem in error.errors():
        loc = problem["loc"]
        if loc and loc[0] == "parts" and len(loc) > 2 and loc[2] == "name":
            name = "split_first" if loc[1] == 0 else "split_second"
        else:
            name = f"split_{loc[0]}" if loc else "split"
        errors.setdefault(name, problem["msg"].removeprefix("Value error, "))
    return errors


@router.post("/entities/{lcid}/identifiers")
def identifier(
    request: Request,
    lcid: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    scheme: Annotated[str, Form(max_length=60)] = "",
    other_scheme: Annotated[str, Form(max_length=60)] = "",
    value: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A checked scheme's value is checked (an OS ID's check character, LEI digits...)."""
    entity = changeable(lcid, reader=reader, session=session)
    values = {"scheme": scheme, "other_scheme": other_scheme, "value": value}
    sent = SentForm("identifier", values)
    chosen = other_scheme.strip() if scheme == OTHER_SCHEME else scheme
    try:
        data = IdentifierIn(scheme=chosen, value=value.strip())
    except ValidationError as error:
        sent.errors = field_errors(error, "identifier")
        return refused(request, entity, sent, error, reader=reader, session=session)
    try:
        add_entity_identifier(entity.lcid, data, actor=reader, session=session)
    except REFUSALS as error:
        details = error.details if isinstance(error.details, dict) else {}
        sent.errors["identifier_scheme" if "known" in details else "identifier_value"] = (
            error.message
        )
        return refused(request, entity, sent, error, reader=reader, session=session)
    add_flash(request, f"Added the {data.scheme} identifier {data.value.upper()}.")
    return RedirectResponse(f"/entities/{entity.lcid}", status_code=303)


@router.post("/entities/{lcid}/relations")
def relation(
    request: Request,
    lcid: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    kind: Annotated[str, Form(max_length=40)] = "",
    other: Annotated[str, Form(max_length=100)] = "",
    tier: Annotated[str, Form(max_length=2)] = "",
    reason: Text = "",
) -> Response:
    """``kind`` is ``predicate:side``: ``sources_from:subject`` on a brand's page says the
    brand sources from the other entity, ``sources_from:object`` on a facility's page that
    the other entity (a brand) sources from it."""
    entity = changeable(lcid, reader=reader, session=session)
    sent = SentForm("relation", {"kind": kind, "other": other, "tier": tier, "reason": reason})
    predicate, _, side = kind.partition(":")
    ours, theirs = entity.lcid, other.strip()
    subject, obj = (ours, theirs) if side == "subject" else (theirs, ours)
    if side not in {"subject", "object"}:
        sent.errors["relation_kind"] = "choose what the relation is"
    if not theirs:
        sent.errors["relation_other"] = "give the stable ID of the other entity"
    try:
        data = RelationCreate.model_validate(
            {"subject": subject, "predicate": predicate, "object": obj, "tier": tier or None}
        )
    except ValidationError as error:
        found = field_errors(error, "relation")
        found["relation_kind"] = found.pop("relation_predicate", "") or sent.errors.get(
            "relation_kind", ""
        )
        sent.errors = {k: v for k, v in {**found, **sent.errors}.items() if v}
        sent.errors.pop("relation_subject", None)
        sent.errors.pop("relation_object", None)
    if sent.errors:
        return refused(request, entity, sent, InvalidInput(""), reader=reader, session=session)
    try:
        add_relation(data, actor=reader, session=session, reason=reason.strip())
    except REFUSALS as error:
        sent.errors["relation_other"] = error.message
        return refused(request, entity, sent, error, reader=reader, session=session)
    add_flash(request, f"Recorded the relation with {theirs.upper()}.")
    return RedirectResponse(f"/entities/{entity.lcid}", status_code=303)
