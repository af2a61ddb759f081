"""Who is in a safe-answer question's audience: anyone, a group, or an organization.

``access`` sits below ``answers``, so the questions table is read through a lightweight
table clause (as ``refs`` reads the catalog's). The one rule: a reader is in the audience
``anyone`` always, in ``org:ID`` when they hold a role there, in ``group:ID`` when one of
their organizations is a member of the group. The datasets with a question for one of the
reader's audiences are discoverable to them (``Reader.question_datasets``), never readable.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, column, or_, select, table
from sqlalchemy.orm import Session

from laborcommons.access.models import Group, GroupMember
from laborcommons.access.refs import organization_ref, organization_slugs
from laborcommons.core.errors import InvalidInput, NotFound

AUDIENCE_KINDS = ("anyone", "group", "org")
Audience = tuple[str, int | None]

answer_questions = table(
    "answer_questions",
    column("dataset_id", Integer),
    column("audience_kind", String),
    column("audience_id", Integer),
)


def reader_audiences(organization_ids: set[int], *, session: Session) -> set[Audience]:
    """Every audience a reader holding roles in ``organization_ids`` belongs to."""
    audiences: set[Audience] = {("anyone", None)}
    audiences.update(("org", org) for org in organization_ids)
    if organization_ids:
        groups = session.scalars(
            select(GroupMember.group_id).where(
                GroupMember.organization_id.in_(sorted(organization_ids))
            )
        )
        audiences.update(("group", group) for group in groups)
    return audiences


def in_audience(kind: str, audience_id: int | None, audiences: set[Audience]) -> bool:
    return (kind, None if kind == "anyone" else audience_id) in audiences


def question_datasets(organization_ids: set[int], *, session: Session) -> frozenset[int]:
    """Datasets with at least one question whose audience includes this reader."""
    audiences = reader_audiences(organization_ids, session=session)
    parts = [answer_questions.c.audience_kind == "anyone"]
    for kind in ("org", "group"):
        ids = sorted(i for k, i in audiences if k == kind and i is not None)
        if ids:
            parts.append(
                (answer_questions.c.audience_kind == kind) & answer_questions.c.audience_id.in_(ids)
            )
    query = select(answer_questions.c.dataset_id).where(or_(*parts)).distinct()
    return frozenset(session.scalars(query))


def parse_audience(text: str, *, session: Session) -> Audience:
    """``anyone``, ``group:SLUG`` or ``org:SLUG`` as a (kind, id) pair; unknown names 422."""
    kind, _, slug = text.partition(":")
    if kind == "anyone" and not slug:
        return ("anyone", None)
    if kind == "group" and slug:
        group_id = session.scalar(select(Group.id).where(Group.slug == slug))
        if group_id is not None:
            return ("group", group_id)
    elif kind == "org" and slug:
        try:
            return ("org", organization_ref(slug, session=session).id)
        except NotFound:
            pass
    else:
        raise InvalidInput(
            "the audience is anyone, group:SLUG or org:SLUG", details={"field": "audience"}
        )
    raise InvalidInput(f"no {kind} {slug!r} for the audience", details={"field": "audience"})


def audience_label(kind: str, audience_id: int | None, *, session: Session) -> str:
    """The audience as it is written (``group:SLUG``), for listings."""
    if kind == "group" and audience_id is not None:
        slug = session.scalar(select(Group.slug).where(Group.id == audience_id))
        return f"group:{slug}"
    if kind == "org" and audience_id is not None:
        return f"org:{organization_slugs({audience_id}, session=session).get(audience_id)}"
    return "anyone"
