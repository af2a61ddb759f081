"""The organizations registry: who holds which labor data, and how to reach it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from laborcommons.access import may_edit, may_manage_organization
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.core.deps import SessionDep
from laborcommons.web.rendering import query_string, render

router = APIRouter()


@router.get("/organizations")
def organizations(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    archetype: str = "",
    data_type: str = "",
    country: str = "",
    q: str = "",
) -> Response:
    filters = {"q": q, "archetype": archetype, "data_type": data_type, "country": country}
    result = service.list_organizations(
        reader=reader,
        session=session,
        archetype=archetype or None,
        data_type=data_type or None,
        country=country or None,
        q=q or None,
    )
    # The country choices come from the whole registry, so a filter never empties them.
    everyone = service.list_organizations(reader=reader, session=session)
    countries = sorted({code for org in everyone.items for code in org.countries})
    context = {"result": result, "filters": filters, "countries": countries}
    api = "/api/v1/organizations" + query_string(filters)
    return render(request, "organizations.html", context, reader=reader, alternate=api)


@router.get("/organizations/{slug}")
def organization(
    request: Request, slug: str, reader: PageReaderDep, session: SessionDep
) -> Response:
    found = service.visible_organization(slug, reader=reader, session=session)
    public = service.organization_public(found, reader=reader, session=session)
    datasets = service.list_datasets(
        reader=reader, session=session, organization=slug, page_size=100
    )
    may_manage = may_manage_organization(reader, organization_id=found.id)
    context = {
        "organization": public,
        "datasets": datasets,
        "may_manage": may_manage,
        "may_create": may_edit(reader, owner_id=found.id),
    }
    api = f"/api/v1/organizations/{slug}"
    return render(request, "organization.html", context, reader=reader, alternate=api)
