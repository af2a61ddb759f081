"""Harvest a DCAT catalog (Turtle, JSON-LD or RDF/XML), following Hydra ``next`` pages.

Parsing never reaches out: JSON-LD with a remote ``@context`` and XML with a DTD or
entities are refused before rdflib sees them.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
from defusedxml import ElementTree
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from rdflib.term import Node

from laborcommons.harvest.fetch import MAX_PAGES, Fetched, HarvestFailed, fetch
from laborcommons.harvest.records import record
from laborcommons.harvest.schemas import RemoteRecord

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8"
FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".rdf": "xml"}


def harvest_dcat(client: httpx.Client, url: str) -> Iterator[RemoteRecord]:
    """Every ``dcat:dataset`` of every page of the catalog at ``url``."""
    seen: set[str] = set()
    next_url: str | None = url
    while next_url is not None:
        if next_url in seen:
            return  # a page linking back to an earlier one ends the walk
        if len(seen) >= MAX_PAGES:
            raise HarvestFailed(f"{url}: more than {MAX_PAGES} pages")
        seen.add(next_url)
        graph = parse(fetch(client, next_url, accept=ACCEPT))
        for subject in _datasets(graph):
            yield _dataset(graph, subject, where=f"{next_url}, dataset {subject}")
        following = next(graph.objects(predicate=HYDRA.next), None)
        next_url = str(following) if isinstance(following, URIRef) else None


def parse(fetched: Fetched) -> Graph:
    fmt = FORMATS.get(fetched.content_type) or next(
        (f for suffix, f in SUFFIXES.items() if fetched.url.split("?")[0].endswith(suffix)), None
    )
    if fmt is None:
        raise HarvestFailed(
            f"{fetched.url}: {fetched.content_type or 'no'} content type is not RDF"
        )
    if fmt == "json-ld":
        _refuse_remote_contexts(fetched)
    if fmt == "xml":
        try:
            ElementTree.fromstring(fetched.body, forbid_dtd=True)
        except Exception as error:  # defusedxml's refusals and plain parse errors alike
            raise HarvestFailed(f"{fetched.url}: not safe, well-formed XML ({error})") from None
    graph = Graph()
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated class
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=fetched.body, format=fmt, publicID=fetched.url)
    except Exception as error:  # rdflib raises many unrelated types for bad input
        raise HarvestFailed(f"{fetched.url}: not a readable {fmt} document ({error})") from None
    return graph


def _refuse_remote_contexts(fetched: Fetched) -> None:
    try:
        document = json.loads(fetched.body)
    except (ValueError, UnicodeDecodeError):
        raise HarvestFailed(f"{fetched.url} is not JSON") from None

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "@context" and _remote(item):
                    raise HarvestFailed(f"{fetched.url}: remote JSON-LD contexts are not fetched")
                walk(item)

    walk(document)


def _remote(context: Any) -> bool:
    items = context if isinstance(context, list) else [context]
    return any(isinstance(item, str) for item in items)


def _datasets(graph: Graph) -> list[Node]:
    """The catalog's datasets; their versions (also ``dcat:Dataset``) are not listed."""
    listed = list(dict.fromkeys(graph.objects(predicate=DCAT.dataset)))
    if listed or (None, RDF.type, DCAT.Catalog) in graph:
        return listed
    return list(graph.subjects(RDF.type, DCAT.Dataset))


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str:
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    english = [v for v in values if v.language in (None, "en")]
    return str((english or values)[0]) if values else ""


def _dataset(graph: Graph, subject: Node, *, where: str) -> RemoteRecord:
    publisher = graph.value(subject, DCTERMS.publisher)
    licence = graph.value(subject, DCTERMS.license)
    landing = graph.value(subject, DCAT.landingPage)
    origin = landing if isinstance(landing, URIRef) else subject
    return record(
        where,
        remote_id=_text(graph, subject, DCTERMS.identifier) or str(subject),
        title=_text(graph, subject, DCTERMS.title),
        description=_text(graph, subject, DCTERMS.description),
        organization=_text(graph, publisher, FOAF.name) if publisher is not None else "",
        license=(_text(graph, licence, DCTERMS.identifier) or str(licence)) if licence else "",
        keywords=sorted({str(k) for k in graph.objects(subject, DCAT.keyword)}),
        origin_url=str(origin) if isinstance(origin, URIRef) else "",
        modified=_when(_text(graph, subject, DCTERMS.modified)),
    )


def _when(value: str) -> str | None:
    """An ``xsd:date`` is read as midnight UTC; an ``xsd:dateTime`` as is."""
    if not value:
        return None
    return f"{value}T00:00:00Z" if len(value) == 10 else value
