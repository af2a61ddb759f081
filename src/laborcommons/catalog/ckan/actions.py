"""The CKAN actions this node answers: each names the parameters it takes (CKAN's
documented ones; any other is refused, so a typo never changes an answer silently) and
turns them, as sent by GET query strings or POST JSON bodies, into one service call."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from laborcommons import __version__
from laborcommons.access import Reader
from laborcommons.catalog.ckan.packages import (
    find_package,
    find_resource,
    license_dicts,
    organization_dict,
    package_dict,
)
from laborcommons.catalog.ckan.search import SearchQuery, package_list, package_search
from laborcommons.catalog.service import (
    list_organizations,
    organization_public,
    visible_organization,
)
from laborcommons.core.errors import InvalidInput
from laborcommons.core.node import node_of

IGNORED = frozenset({"_"})  # jQuery's cache-buster, which CKAN drops too
SEARCH_PARAMS = "q fq rows start sort facet facet.field facet.limit facet.mincount include_private"


@dataclass(frozen=True)
class Call:
    """One action call: its parameters and who asks."""

    data: dict[str, Any]
    reader: Reader
    session: Session
    base_url: str

    def text(self, name: str, default: str = "") -> str:
        value = self.data.get(name, default)
        if not isinstance(value, str):
            raise InvalidInput(f"{name} must be a string", details={"field": name})
        return value

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise InvalidInput(f"{name}: Missing value", details={"field": name})
        return value

    def integer(self, name: str, default: int | None) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"{name}: Invalid integer", details={"field": name}) from None
        if isinstance(value, (bool, float)) or (number < 0 and name != "facet.limit"):
            raise InvalidInput(f"{name}: Must be a natural number", details={"field": name})
        return number

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
        raise InvalidInput(f"{name}: Must be true or false", details={"field": name})

    def names(self, name: str) -> list[str]:
        """A list, sent as JSON (``["tags", "res_format"]``) in a query string or as is."""
        value = self.data.get(name, [])
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{name}: must be a list of names", details={"field": name})
        return value


def _package_search(call: Call) -> Any:
    """Search datasets (q, fq, rows, start, sort, facet.field, facet.limit, facet.mincount,
    include_private)."""
    query = SearchQuery(
        q=call.text("q"),
        fq=call.text("fq"),
        rows=call.integer("rows", 10) or 0,
        start=call.integer("start", 0) or 0,
        sort=call.text("sort"),
        facet_fields=tuple(call.names("facet.field")) if call.flag("facet", True) else (),
        facet_limit=call.integer("facet.limit", 50) or 0,
        facet_mincount=call.integer("facet.mincount", 1) or 0,
        include_private=call.flag("include_private", True),
    )
    return package_search(query, reader=call.reader, session=call.session, base_url=call.base_url)


def _package_show(call: Call) -> Any:
    """One dataset as a CKAN package (id: its address, CKAN name or slug)."""
    dataset = find_package(call.required("id"), reader=call.reader, session=call.session)
    return package_dict(dataset, reader=call.reader, session=call.session, base_url=call.base_url)


def _package_list(call: Call) -> Any:
    """The names of the datasets you may discover (limit, offset)."""
    return package_list(
        reader=call.reader,
        session=call.session,
        limit=call.integer("limit", None),
        offset=call.integer("offset", 0) or 0,
    )


def _organization_list(call: Call) -> Any:
    """Organizations (all_fields, limit, offset); counts only datasets you may discover."""
    page = list_organizations(reader=call.reader, session=call.session)
    offset = call.integer("offset", 0) or 0
    limit = call.integer("limit", None)
    items = page.items[offset : None if limit is None else offset + limit]
    if call.flag("all_fields", False):
        return [organization_dict(o, package_count=o.dataset_count) for o in items]
    return [o.slug for o in items]


def _organization_show(call: Call) -> Any:
    """One organization (id: its slug; include_datasets adds up to 10 of its packages)."""
    organization = visible_organization(
        call.required("id"), reader=call.reader, session=call.session
    )
    shown = organization_public(organization, reader=call.reader, session=call.session)
    result = organization_dict(shown, package_count=shown.dataset_count)
    if call.flag("include_datasets", False):
        found = package_search(
            SearchQuery(fq=f'organization:"{organization.slug}"', rows=10),
            reader=call.reader,
            session=call.session,
            base_url=call.base_url,
        )
        result["packages"] = found["results"]
    return result


def _resource_show(call: Call) -> Any:
    """One download of a version you may read (id: ``organization~slug~version~format``)."""
    return find_resource(
        call.required("id"), reader=call.reader, session=call.session, base_url=call.base_url
    )


def _license_list(call: Call) -> Any:
    """The licenses datasets may carry."""
    return license_dicts()


def _status_show(call: Call) -> Any:
    """What this site is and which CKAN API it speaks."""
    return {
        "site_title": node_of(call.session).settings.node_name,
        "site_description": "Open data node for labor-rights and supply-chain data.",
        "site_url": call.base_url,
        "ckan_version": "2.10-compatible",
        "laborcommons_version": __version__,
        "error_emails_to": None,
        "locale_default": "en",
        "extensions": [],
    }


def _help_show(call: Call) -> Any:
    """What an action does and the parameters it takes (name)."""
    name = call.required("name")
    if name not in ACTIONS:
        raise InvalidInput(f"name: no action {name!r}", details={"field": "name"})
    action = ACTIONS[name]
    return f"{action.run.__doc__} Parameters: {', '.join(sorted(action.params)) or 'none'}."


@dataclass(frozen=True)
class Action:
    run: Callable[[Call], Any]
    params: frozenset[str]


ACTIONS: dict[str, Action] = {
    "package_search": Action(
        _package_search,
        frozenset(SEARCH_PARAMS.split()),
    ),
    "package_show": Action(_package_show, frozenset({"id"})),
    "package_list": Action(_package_list, frozenset({"limit", "offset"})),
    "organization_list": Action(_organization_list, frozenset({"all_fields", "limit", "offset"})),
    "organization_show": Action(_organization_show, frozenset({"id", "include_datasets"})),
    "resource_show": Action(_resource_show, frozenset({"id"})),
    "license_list": Action(_license_list, frozenset()),
    "status_show": Action(_status_show, frozenset()),
    "help_show": Action(_help_show, frozenset({"name"})),
}


def run_action(name: str, call: Call) -> Any:
    """Refuse parameters the action does not take, then run it."""
    action = ACTIONS[name]
    unknown = sorted(set(call.data) - action.params - IGNORED)
    if unknown:
        offered = ", ".join(sorted(action.params)) or "none"
        raise InvalidInput(
            f"{name} does not take {', '.join(unknown)}; it takes: {offered}",
            details={"field": unknown[0], "unknown": unknown},
        )
    return action.run(call)
