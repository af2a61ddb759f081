"""The DCAT-AP documents the routes serve: one reader's page of the catalog, one dataset."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.standards import dcat
from laborcommons.catalog.standards.entries import described_dataset, described_page
from laborcommons.core.errors import NotFound

CATALOG_PAGE_SIZE = 100


def catalog_document(
    ext: str, *, page: int, reader: Reader, session: Session, publisher: dcat.Publisher
) -> bytes:
    """Page ``page`` of the datasets this reader may discover; past the last page, 404."""
    found = described_page(reader=reader, session=session, page=page, page_size=CATALOG_PAGE_SIZE)
    if page > found.last_page:
        raise NotFound(f"the catalog has {found.last_page} page(s); there is no page {page}")
    return dcat.serialize(dcat.catalog_graph(found, publisher=publisher, ext=ext), ext)


def dataset_document(
    address: str, ext: str, *, reader: Reader, session: Session, base: str
) -> tuple[bytes, str]:
    """One dataset's description and its access level (404 like a missing one if hidden)."""
    entry = described_dataset(address, reader=reader, session=session)
    return dcat.serialize(dcat.dataset_graph(entry, base=base), ext), entry.dataset.access
