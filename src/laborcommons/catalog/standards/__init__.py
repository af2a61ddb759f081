"""Standard views of the catalog for harvesters and search engines: DCAT-AP (``dcat``),
schema.org ``Dataset`` JSON-LD (``schema_org``), and the sitemap and robots.txt
(``sitemap``); each a pure builder over entries already decided by access (``entries``)."""

from laborcommons.catalog.standards.dcat import (
    RDF_FORMATS,
    Publisher,
    catalog_graph,
    dataset_graph,
    node_publisher,
    serialize,
)
from laborcommons.catalog.standards.documents import (
    CATALOG_PAGE_SIZE,
    catalog_document,
    dataset_document,
)
from laborcommons.catalog.standards.entries import (
    DescribedDataset,
    DescribedPage,
    describe,
    described_dataset,
    described_page,
)
from laborcommons.catalog.standards.schema_org import dataset_json_ld, script_json
from laborcommons.catalog.standards.sitemap import robots_txt, sitemap_urls, sitemap_xml

__all__ = [
    "CATALOG_PAGE_SIZE",
    "RDF_FORMATS",
    "DescribedDataset",
    "DescribedPage",
    "Publisher",
    "catalog_document",
    "catalog_graph",
    "dataset_document",
    "dataset_graph",
    "dataset_json_ld",
    "describe",
    "described_dataset",
    "described_page",
    "node_publisher",
    "robots_txt",
    "script_json",
    "serialize",
    "sitemap_urls",
    "sitemap_xml",
]
