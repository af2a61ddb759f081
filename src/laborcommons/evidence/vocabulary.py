"""The metrics vocabulary: the shipped metrics (``metrics.toml``) and its SKOS form.

The vocabulary is data, not code, so a reviewer can read and change a definition without
reading Python. SKOS is built with rdflib (Turtle and JSON-LD serializers), each metric a
``skos:Concept`` in one ``skos:ConceptScheme``, with its unit, type and tolerance as
``skos:note``-style properties of our own namespace where SKOS has no term.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from laborcommons.evidence.schemas import AllowedValue, MetricPublic

LC = Namespace("https://laborcommons.org/ns/evidence#")
RDF_FORMATS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json")}


@cache
def scheme_info() -> dict[str, str]:
    scheme: dict[str, str] = _document()["scheme"]  # type: ignore[assignment]
    return dict(scheme)


@cache
def _document() -> dict[str, object]:
    text = resources.files("laborcommons.evidence").joinpath("metrics.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def shipped_metrics() -> dict[str, MetricPublic]:
    """The metrics every node ships, by key, in the file's order."""
    scheme = scheme_info()
    result: dict[str, MetricPublic] = {}
    for entry in _document()["metric"]:  # type: ignore[attr-defined]
        fields = dict(entry)
        fields["value_type"] = fields.pop("type")
        fields["allowed"] = [AllowedValue(**a) for a in fields.get("allowed", [])]
        fields.setdefault("designer", scheme["designer"])
        fields.setdefault("license", scheme["license"])
        result[fields["key"]] = MetricPublic(**fields, shipped=True)
    return result


def concept_graph(metrics: list[MetricPublic], *, base_url: str) -> Graph:
    """One ConceptScheme holding a Concept per metric, at ``{base_url}/api/v1/metrics/KEY``."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("lc", LC)
    root = base_url.rstrip("/") + "/api/v1/metrics"
    scheme = URIRef(root)
    info = scheme_info()
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(info["title"], lang="en")))
    graph.add((scheme, DCTERMS.creator, Literal(info["designer"])))
    graph.add((scheme, DCTERMS.license, Literal(info["license"])))
    for metric in metrics:
        concept = URIRef(f"{root}/{metric.key}")
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
        graph.add((concept, SKOS.notation, Literal(metric.key)))
        graph.add((concept, SKOS.prefLabel, Literal(metric.title, lang="en")))
        if metric.definition:
            graph.add((concept, SKOS.definition, Literal(metric.definition, lang="en")))
        if metric.methodology:
            graph.add((concept, SKOS.scopeNote, Literal(metric.methodology, lang="en")))
        for keyword in metric.keywords:
            graph.add((concept, SKOS.altLabel, Literal(keyword, lang="en")))
        if metric.designer:
            graph.add((concept, DCTERMS.creator, Literal(metric.designer)))
        if metric.license:
            graph.add((concept, DCTERMS.license, Literal(metric.license)))
        graph.add((concept, LC.valueType, Literal(metric.value_type)))
        graph.add((concept, LC.period, Literal(metric.period)))
        if metric.unit:
            graph.add((concept, LC.unit, Literal(metric.unit)))
        if metric.tolerance is not None:
            graph.add((concept, LC.tolerance, Literal(metric.tolerance)))
            graph.add((concept, LC.toleranceKind, Literal(metric.tolerance_kind)))
        if metric.qualifier:
            graph.add((concept, LC.qualifier, Literal(metric.qualifier)))
        for allowed in metric.allowed:
            graph.add((concept, LC.allowedValue, Literal(allowed.value)))
    return graph


def serialize(metrics: list[MetricPublic], fmt: str, *, base_url: str) -> tuple[str, str]:
    """(text, media type) of the vocabulary as Turtle (``ttl``) or JSON-LD (``jsonld``)."""
    name, media_type = RDF_FORMATS[fmt]
    return concept_graph(metrics, base_url=base_url).serialize(format=name), media_type
