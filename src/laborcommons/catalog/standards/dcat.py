"""DCAT-AP 3.0.1 graphs of the catalog and of one dataset, from entries already decided by
access (``entries``): checked by pyshacl against the official shapes in the tests.

Addresses: the catalog is ``/catalog.ttl``; a dataset is ``/datasets/{address}#dataset``
(its landing page without the fragment), a version ``…?version=N#dataset``, a download
format ``…?version=N#csv``; an organization ``/organizations/{slug}#agent``; the node
``/#node``. Restricted rows are described with an access URL (the page) and no download
URL; ``dct:accessRights`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from laborcommons.catalog.standards import authorities
from laborcommons.catalog.standards.authorities import Concept
from laborcommons.catalog.standards.entries import (
    DISTRIBUTED_FORMATS,
    DescribedDataset,
    DescribedPage,
    DescribedVersion,
)
from laborcommons.core.settings import Settings

RDF_FORMATS = {  # file extension -> (rdflib format, media type)
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib knows DCAT 2 terms only)
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "hydra": HYDRA,
    "skos": SKOS,
    "vcard": VCARD,
    "xsd": XSD,
}


@dataclass(frozen=True)
class Publisher:
    """The node itself: the publisher of the catalog (settings ``node_name``/``node_contact``)."""

    base: str  # scheme and host, no trailing slash
    name: str
    contact: str


def node_publisher(base: str, settings: Settings) -> Publisher:
    return Publisher(base=base, name=settings.node_name, contact=settings.node_contact)


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _page_url(base: str, dataset: DescribedDataset, version: int | None = None) -> str:
    url = f"{base}/datasets/{dataset.dataset.address}"
    return url if version is None else f"{url}?version={version}"


def _when(value: datetime | date) -> Literal:
    if isinstance(value, datetime):
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def _concept(graph: Graph, concept: Concept, *classes: URIRef) -> URIRef:
    """A controlled term, with the label and scheme the shapes check (no network needed)."""
    node, scheme = URIRef(concept.uri), URIRef(concept.scheme)
    for cls in (SKOS.Concept, *classes):
        graph.add((node, RDF.type, cls))
    graph.add((node, SKOS.prefLabel, Literal(concept.label, lang="en")))
    graph.add((node, SKOS.inScheme, scheme))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(concept.scheme_title, lang="en")))
    return node


def _document(graph: Graph, url: str) -> URIRef:
    node = URIRef(url)
    graph.add((node, RDF.type, FOAF.Document))
    return node


def _contact_point(graph: Graph, subject: URIRef, name: str, contact: str) -> None:
    """A vCard for an email address or a web address; other text is not a contact point."""
    text = contact.strip()
    if "@" in text and " " not in text:
        link = URIRef("mailto:" + text.removeprefix("mailto:"))
        prop = VCARD.hasEmail
    elif text.startswith(("http://", "https://")):
        link, prop = URIRef(text), VCARD.hasURL
    else:
        return
    card = BNode()
    graph.add((subject, DCAT.contactPoint, card))
    graph.add((card, RDF.type, VCARD.Kind))
    graph.add((card, VCARD.fn, Literal(name)))
    graph.add((card, prop, link))


def _agent(graph: Graph, uri: str, name: str, homepage: str | None = None) -> URIRef:
    agent = URIRef(uri)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name)))
    if homepage and homepage.startswith(("http://", "https://")):
        graph.add((agent, FOAF.homepage, _document(graph, homepage)))
    return agent


def _distributions(
    graph: Graph, subject: URIRef, entry: DescribedDataset, version: DescribedVersion, base: str
) -> None:
    """One distribution per download format; a download URL only where rows are readable."""
    page = _page_url(base, entry, version.number)
    api = f"{base}/api/v1/datasets/{entry.dataset.address}/versions/{version.number}/download"
    licence = authorities.licence_uri(entry.dataset.license.id) if entry.dataset.license else None
    for fmt in entry_formats(version):
        dist = URIRef(f"{page}#{fmt}")
        graph.add((subject, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(f"{entry.dataset.title} ({fmt.upper()})")))
        file_type = _concept(graph, authorities.file_type(fmt), DCTERMS.MediaTypeOrExtent)
        graph.add((dist, DCTERMS.format, file_type))
        media = URIRef(authorities.media_type_uri(fmt))
        graph.add((media, RDF.type, DCTERMS.MediaType))
        graph.add((dist, DCAT.mediaType, media))
        if licence:
            graph.add((dist, DCTERMS.license, URIRef(licence)))
        if fmt in version.formats:
            url = URIRef(f"{api}?format={fmt}")
            graph.add((dist, DCAT.accessURL, url))
            graph.add((dist, DCAT.downloadURL, url))
        else:
            graph.add((dist, DCAT.accessURL, URIRef(page)))


def entry_formats(version: DescribedVersion) -> tuple[str, ...]:
    """Readable versions list what the reader may download; others every format, described."""
    return version.formats or DISTRIBUTED_FORMATS


def _license(graph: Graph, subject: URIRef, entry: DescribedDataset) -> None:
    lic = entry.dataset.license
    if lic is None:
        return
    node = URIRef(authorities.licence_uri(lic.id) or lic.url)
    graph.add((subject, DCTERMS.license, node))
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(lic.title, lang="en")))
    graph.add((node, DCTERMS.identifier, Literal(lic.id)))
    graph.add((node, FOAF.page, _document(graph, lic.url)))


def _describe(
    graph: Graph, subject: URIRef, entry: DescribedDataset, *, title: str, base: str
) -> None:
    """What a dataset and each of its versions share: title, coverage, rights, publisher."""
    data = entry.dataset
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.title, Literal(title)))
    graph.add((subject, DCTERMS.description, Literal(data.description or data.title)))
    graph.add((subject, DCTERMS.publisher, URIRef(_organization_uri(entry, base))))
    rights = _concept(graph, authorities.access_right(data.access), DCTERMS.RightsStatement)
    graph.add((subject, DCTERMS.accessRights, rights))
    graph.add((subject, DCAT.theme, _concept(graph, authorities.data_theme(data.data_type))))
    for keyword in data.keywords:
        graph.add((subject, DCAT.keyword, Literal(keyword)))
    for code in data.coverage:
        if place := authorities.country(code):
            graph.add((subject, DCTERMS.spatial, _concept(graph, place, DCTERMS.Location)))
    if data.period_start or data.period_end:
        period = BNode()
        graph.add((subject, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if data.period_start:
            graph.add((period, DCAT.startDate, _when(data.period_start)))
        if data.period_end:
            graph.add((period, DCAT.endDate, _when(data.period_end)))
    _license(graph, subject, entry)
    _contact_point(graph, subject, data.organization_name, data.contact)


def _organization_uri(entry: DescribedDataset, base: str) -> str:
    return f"{base}/organizations/{entry.dataset.organization}#agent"


def add_dataset(graph: Graph, entry: DescribedDataset, *, base: str) -> URIRef:
    """The dataset, its publisher and its versions (each a dataset with distributions)."""
    data = entry.dataset
    page = _page_url(base, entry)
    subject = URIRef(f"{page}#dataset")
    _agent(
        graph, _organization_uri(entry, base), data.organization_name, entry.organization_website
    )
    _describe(graph, subject, entry, title=data.title, base=base)
    graph.add((subject, DCTERMS.identifier, Literal(data.address)))
    graph.add((subject, DCAT.landingPage, _document(graph, page)))
    graph.add((subject, DCTERMS.issued, _when(data.created_at)))
    graph.add((subject, DCTERMS.modified, _when(data.updated_at)))
    for version in entry.versions:
        node = URIRef(f"{_page_url(base, entry, version.number)}#dataset")
        _describe(graph, node, entry, title=f"{data.title}, version {version.number}", base=base)
        graph.add((subject, DCAT.hasVersion, node))
        graph.add((subject, DCTERMS.hasVersion, node))
        graph.add((node, DCAT.version, Literal(str(version.number))))
        graph.add((node, DCTERMS.identifier, Literal(f"{data.address}@{version.number}")))
        graph.add((node, DCTERMS.issued, _when(version.issued)))
        graph.add(
            (node, DCAT.landingPage, _document(graph, _page_url(base, entry, version.number)))
        )
        _distributions(graph, node, entry, version, base)
    if latest := entry.latest:  # the dataset itself offers its latest version's downloads
        _distributions(graph, subject, entry, latest, base)
    return subject


def dataset_graph(entry: DescribedDataset, *, base: str) -> Graph:
    graph = new_graph()
    add_dataset(graph, entry, base=base)
    return graph


def catalog_graph(page: DescribedPage, *, publisher: Publisher, ext: str) -> Graph:
    """One page of the catalog, with a Hydra view linking the other pages in ``ext``."""
    graph, base = new_graph(), publisher.base
    catalog = URIRef(f"{base}/catalog.ttl")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, RDF.type, HYDRA.Collection))
    graph.add((catalog, DCTERMS.title, Literal(publisher.name)))
    description = f"Datasets published by {publisher.name}, a LaborCommons data node."
    graph.add((catalog, DCTERMS.description, Literal(description, lang="en")))
    node = _agent(graph, f"{base}/#node", publisher.name)
    _contact_point(graph, node, publisher.name, publisher.contact)
    graph.add((catalog, DCTERMS.publisher, node))
    graph.add((catalog, FOAF.homepage, _document(graph, f"{base}/")))
    graph.add((catalog, HYDRA.totalItems, Literal(page.total, datatype=XSD.nonNegativeInteger)))
    for entry in page.items:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, entry, base=base)))
    _hydra_view(graph, catalog, page, f"{base}/catalog.{ext}")
    return graph


def _hydra_view(graph: Graph, catalog: URIRef, page: DescribedPage, url: str) -> None:
    def at(number: int) -> URIRef:
        return URIRef(f"{url}?page={number}")

    view = at(page.page)
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, at(1)))
    graph.add((view, HYDRA.last, at(page.last_page)))
    if page.page > 1:
        graph.add((view, HYDRA.previous, at(page.page - 1)))
    if page.page < page.last_page:
        graph.add((view, HYDRA.next, at(page.page + 1)))


def serialize(graph: Graph, ext: str) -> bytes:
    """The graph as Turtle, JSON-LD (compacted with the prefixes above) or RDF/XML."""
    fmt = RDF_FORMATS[ext][0]
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format=fmt, context=context, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")
