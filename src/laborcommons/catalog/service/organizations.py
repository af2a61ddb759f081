"""The organizations registry: who holds which data, with what infrastructure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, grant_role, may_manage_organization
from laborcommons.catalog.models import Dataset, Organization
from laborcommons.catalog.schemas import (
    FacetCount,
    Facets,
    OrganizationCreate,
    OrganizationPage,
    OrganizationPublic,
    OrganizationUpdate,
)
from laborcommons.catalog.service import search
from laborcommons.catalog.service.visibility import visible_datasets_clause
from laborcommons.catalog.vocabulary import ARCHETYPES
from laborcommons.core.countries import country_name, require_country_code
from laborcommons.core.errors import BadRequest, Conflict, Forbidden, NotAuthenticated, NotFound


def create_organization(
    data: OrganizationCreate, *, reader: Reader, session: Session, require_approval: bool = False
) -> Organization:
    """Register an organization; a signed-in user who is not admin becomes its owner.

    With ``require_approval`` (the node setting) it stays ``pending``, out of the
    registry, until the admin approves it; an admin's own registration needs no approval.
    """
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to register an organization")
    if session.scalar(select(Organization).where(Organization.slug == data.slug)):
        raise Conflict(f"organization {data.slug!r} already exists")
    status = "pending" if require_approval and not reader.is_admin else "approved"
    organization = Organization(**data.model_dump(), status=status)
    session.add(organization)
    session.flush()
    if not reader.is_admin and reader.user_id is not None:
        grant_role(reader.user_id, organization.id, "owner", session=session)
    return organization


def update_organization(
    slug: str, data: OrganizationUpdate, *, reader: Reader, session: Session
) -> Organization:
    """Owners (and the admin) edit the registry profile."""
    organization = get_organization(slug, session=session)
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to edit an organization")
    if not may_manage_organization(reader, organization_id=organization.id):
        raise Forbidden("only the organization's owners edit its profile")
    for key, value in data.model_dump().items():
        setattr(organization, key, value)
    session.flush()
    return organization


def pending_organizations(*, session: Session) -> list[Organization]:
    query = select(Organization).where(Organization.status == "pending")
    return list(session.scalars(query.order_by(Organization.created_at)))


def approve_organization(slug: str, *, reader: Reader, session: Session) -> Organization:
    if not reader.is_admin:
        raise Forbidden("only the node admin approves organizations")
    organization = get_organization(slug, session=session)
    organization.status = "approved"
    session.flush()
    return organization


def organizations_of(reader: Reader, *, session: Session) -> list[Organization]:
    """The organizations this reader belongs to (with a role), by name."""
    if not reader.roles:
        return []
    query = select(Organization).where(Organization.id.in_(list(reader.roles)))
    return list(session.scalars(query.order_by(Organization.name)))


def get_organization(slug: str, *, session: Session) -> Organization:
    organization = session.scalar(select(Organization).where(Organization.slug == slug))
    if organization is None:
        raise NotFound(f"no organization {slug!r}")
    return organization


def visible_organization(slug: str, *, reader: Reader, session: Session) -> Organization:
    """An organization as the registry shows it: a pending one only to its members and the
    admin; to anyone else it answers like a missing one."""
    organization = get_organization(slug, session=session)
    if organization.status == "pending" and not (
        reader.is_admin or organization.id in reader.roles
    ):
        raise NotFound(f"no organization {slug!r}")
    return organization


def visible_dataset_counts(
    reader: Reader, session: Session, organization_ids: list[int]
) -> dict[int, int]:
    """Datasets each organization holds that this reader may discover, in one query."""
    rows = session.execute(
        select(Dataset.organization_id, func.count(Dataset.id))
        .where(Dataset.organization_id.in_(organization_ids), visible_datasets_clause(reader))
        .group_by(Dataset.organization_id)
    )
    return {organization_id: count for organization_id, count in rows}


def organization_public(
    organization: Organization, *, reader: Reader, session: Session, count: int | None = None
) -> OrganizationPublic:
    if count is None:
        count = visible_dataset_counts(reader, session, [organization.id]).get(organization.id, 0)
    public = OrganizationPublic.model_validate(organization)
    public.dataset_count = count
    return public


def _organization_facets(
    organizations: list[Organization], *, archetype: str | None, country: str | None
) -> Facets:
    """Archetype counts under the country filter and country counts under the archetype one."""
    archetypes = Counter(
        o.archetype for o in organizations if not country or country in o.countries
    )
    countries = Counter(
        code
        for o in organizations
        if not archetype or o.archetype == archetype
        for code in o.countries
    )

    def ranked(counts: Counter[str], label: Callable[[str], str]) -> list[FacetCount]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [FacetCount(value=v, label=label(v), count=n) for v, n in ordered]

    return {
        "archetype": ranked(archetypes, lambda v: ARCHETYPES.get(v, v)),
        "country": ranked(countries, country_name),
    }


def list_organizations(
    *,
    reader: Reader,
    session: Session,
    archetype: str | None = None,
    data_type: str | None = None,
    country: str | None = None,
    q: str | None = None,
) -> OrganizationPage:
    """Search the registry (every approved entry is public, a pending one only to its
    members and the admin; dataset counts follow the reader's access), ranked when ``q``
    has words; list-valued filters apply in Python (JSON
    differs by database), the registry being small."""
    if archetype and archetype not in ARCHETYPES:
        raise BadRequest(
            f"unknown archetype {archetype!r}; choose from {', '.join(ARCHETYPES)}",
            details={"field": "archetype", "allowed": list(ARCHETYPES)},
        )
    try:
        code = require_country_code(country) if country else None
    except ValueError as error:
        raise BadRequest(str(error), details={"field": "country"}) from error
    query = select(Organization)
    if not reader.is_admin:  # pending organizations only to their own members
        query = query.where(
            or_(Organization.status == "approved", Organization.id.in_(list(reader.roles)))
        )
    if tokens := search.query_tokens(q):
        hits = search.hits("organizations", tokens, session.get_bind().dialect.name)
        query = query.join(hits, hits.c.id == Organization.id).order_by(hits.c.rank.desc())
    candidates = [
        org
        for org in session.scalars(query.order_by(Organization.name))
        if not data_type or data_type in org.data_types
    ]
    facets = _organization_facets(candidates, archetype=archetype, country=code)
    organizations = [
        org
        for org in candidates
        if (not archetype or org.archetype == archetype) and (not code or code in org.countries)
    ]
    counts = visible_dataset_counts(reader, session, [org.id for org in organizations])
    items = [
        organization_public(org, reader=reader, session=session, count=counts.get(org.id, 0))
        for org in organizations
    ]
    return OrganizationPage(items=items, total=len(items), facets=facets)
