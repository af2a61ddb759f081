"""``/sitemap.xml`` and ``/robots.txt``: what an anonymous crawler may find, never what a
signed-in reader sees (the caller passes the anonymous reader's view).

Lists the home, the dataset search, every dataset page and organization page; entity
pages are too many and change with every link, so crawlers reach them through links.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from laborcommons.access import anonymous_reader
from laborcommons.catalog import service
from laborcommons.catalog.schemas import DatasetPublic

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the sitemap protocol's limit for one file
PAGE_SIZE = 200  # list_datasets' largest page
PRIVATE_PAGES = (  # signed-in tools: nothing a search engine should index
    "/login",
    "/review",
    "/access-requests",
    "/groups",
    "/datasets/*/edit",
    "/datasets/*/upload",
    "/datasets/*/access",
    "/datasets/*/audit",
    "/datasets/*/link",
    "/datasets/*/request-access",
)


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None


def anonymous_datasets(*, session: Session) -> list[DatasetPublic]:
    """Every dataset an anonymous reader may discover, up to the sitemap's limit."""
    reader = anonymous_reader(session=session)
    found: list[DatasetPublic] = []
    page = 1
    while len(found) < MAX_URLS:
        listed = service.list_datasets(
            reader=reader, session=session, page=page, page_size=PAGE_SIZE
        )
        found.extend(listed.items)
        if page * PAGE_SIZE >= listed.total:
            break
        page += 1
    return found


def sitemap_urls(*, base: str, session: Session) -> list[SitemapUrl]:
    datasets = anonymous_datasets(session=session)
    newest = max((d.updated_at for d in datasets), default=None)
    urls = [SitemapUrl(f"{base}/", newest), SitemapUrl(f"{base}/datasets", newest)]
    urls += [SitemapUrl(f"{base}/datasets/{d.address}", d.updated_at) for d in datasets]
    by_org: dict[str, datetime] = {}
    for d in datasets:
        by_org[d.organization] = max(d.updated_at, by_org.get(d.organization, d.updated_at))
    reader = anonymous_reader(session=session)
    for org in service.list_organizations(reader=reader, session=session).items:
        lastmod = by_org.get(org.slug, org.created_at)
        urls.append(SitemapUrl(f"{base}/organizations/{org.slug}", lastmod))
    return urls[:MAX_URLS]


def sitemap_xml(urls: Iterable[SitemapUrl]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url in urls:
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = url.loc
        if url.lastmod is not None:
            ET.SubElement(item, "lastmod").text = url.lastmod.date().isoformat()
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def robots_txt(base: str) -> str:
    disallow = "".join(f"Disallow: {path}\n" for path in PRIVATE_PAGES)
    return f"User-agent: *\n{disallow}Allow: /\n\nSitemap: {base}/sitemap.xml\n"
