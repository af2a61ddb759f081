"""Harvest a CKAN action API: ``package_search`` paged with ``rows`` and ``start``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx

from laborcommons.harvest.fetch import MAX_PAGES, HarvestFailed, fetch
from laborcommons.harvest.records import record
from laborcommons.harvest.schemas import RemoteRecord

ROWS = 100


def harvest_ckan(client: httpx.Client, base_url: str) -> Iterator[RemoteRecord]:
    """Every package the site lists to an anonymous reader."""
    base = base_url.rstrip("/")
    start = 0
    for _ in range(MAX_PAGES):
        query = urlencode({"rows": ROWS, "start": start})
        url = f"{base}/api/3/action/package_search?{query}"
        result = _result(fetch(client, url, accept="application/json").body, url)
        packages, count = result.get("results"), result.get("count")
        if not isinstance(packages, list) or not isinstance(count, int):
            raise HarvestFailed(f"{url}: the result has no `results` list and `count`")
        for position, package in enumerate(packages, start=start + 1):
            yield _package(package, base, where=f"{url}, package {position}")
        start += len(packages)
        if not packages or start >= count:
            return
    raise HarvestFailed(f"{base}: more than {MAX_PAGES} pages of packages")


def _result(body: bytes, url: str) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise HarvestFailed(f"{url} did not answer JSON") from None
    if not isinstance(envelope, dict) or envelope.get("success") is not True:
        raise HarvestFailed(f"{url} did not answer a successful CKAN envelope")
    result = envelope.get("result")
    if not isinstance(result, dict):
        raise HarvestFailed(f"{url}: the envelope has no result object")
    return result


def _package(package: Any, base: str, *, where: str) -> RemoteRecord:
    if not isinstance(package, dict):
        raise HarvestFailed(f"{where}: not an object")
    name = package.get("name") or package.get("id")
    organization = package.get("organization")
    tags = package.get("tags")
    url = package.get("url")
    # CKAN's page of a package is /dataset/NAME; a node that puts its own page in `url`
    # (LaborCommons does) is linked there instead, never to a third site.
    own_page = isinstance(url, str) and url.startswith(base + "/")
    return record(
        where,
        remote_id=package.get("id") or name,
        title=package.get("title") or name,
        description=package.get("notes") or "",
        organization=organization.get("title") or "" if isinstance(organization, dict) else "",
        license=package.get("license_id") or "",
        keywords=[t.get("name") for t in tags if isinstance(t, dict)]
        if isinstance(tags, list)
        else [],
        origin_url=url if own_page else f"{base}/dataset/{name}",
        modified=package.get("metadata_modified"),
    )
