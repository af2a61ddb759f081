"""DataCite Metadata Schema 4.5 for one version, as the REST API's JSON and as kernel-4 XML.

Ready to mint: the JSON is what ``POST /dois`` takes as ``attributes`` (a draft without
``doi`` until one is recorded with ``set_doi``, then with it as the identifier). The
organization is the creator (``Organizational``) and the publisher.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.licenses import license_or_none
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.versions import get_version
from laborcommons.core.countries import country_name

KERNEL = "http://datacite.org/schema/kernel-4"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOCATION = f"{KERNEL} http://schema.datacite.org/meta/kernel-4.5/metadata.xsd"


def datacite_json(slug: str, number: int, *, reader: Reader, session: Session) -> dict[str, Any]:
    """The version's DataCite attributes (404 like ``get_version``)."""
    return datacite_attributes(get_version(slug, number, reader=reader, session=session))


def datacite_xml(slug: str, number: int, *, reader: Reader, session: Session) -> bytes:
    """The same metadata as a kernel-4.5 ``<resource>`` document."""
    return attributes_to_xml(datacite_json(slug, number, reader=reader, session=session))


def datacite_attributes(version: DatasetVersion) -> dict[str, Any]:
    dataset = version.dataset
    organization = dataset.organization.name
    data: dict[str, Any] = {}
    if version.doi:
        data["doi"] = version.doi
    data["creators"] = [{"name": organization, "nameType": "Organizational"}]
    data["titles"] = [{"title": dataset.title}]
    data["publisher"] = {"name": organization}
    data["publicationYear"] = str(version.created_at.year)
    data["types"] = {"resourceTypeGeneral": "Dataset", "resourceType": dataset.data_type}
    data["subjects"] = [{"subject": keyword} for keyword in dict.fromkeys(dataset.keywords)]
    data["dates"] = [{"date": version.created_at.date().isoformat(), "dateType": "Issued"}]
    if dataset.period_start or dataset.period_end:
        start = dataset.period_start.isoformat() if dataset.period_start else ""
        end = dataset.period_end.isoformat() if dataset.period_end else ""
        data["dates"].append({"date": f"{start}/{end}", "dateType": "Collected"})
    data["sizes"] = [f"{version.row_count} rows", f"{len(version.columns)} columns"]
    data["formats"] = ["text/csv", "application/vnd.apache.parquet"]
    data["version"] = str(version.number)
    chosen = license_or_none(dataset.license)
    if chosen is not None:
        data["rightsList"] = [
            {
                "rights": chosen.title,
                "rightsUri": chosen.url,
                "rightsIdentifier": chosen.id.lower(),
                "rightsIdentifierScheme": "SPDX",
                "schemeUri": "https://spdx.org/licenses/",
            }
        ]
    data["descriptions"] = [
        {"description": text, "descriptionType": kind}
        for text, kind in ((dataset.description, "Abstract"), (dataset.methodology, "Methods"))
        if text.strip()
    ]
    data["geoLocations"] = [{"geoLocationPlace": country_name(code)} for code in dataset.coverage]
    data["schemaVersion"] = "http://datacite.org/schema/kernel-4"
    return {key: value for key, value in data.items() if value != []}


def attributes_to_xml(data: dict[str, Any]) -> bytes:
    """Kernel-4 XML of DataCite JSON attributes (the subset ``datacite_attributes`` writes)."""
    root = etree.Element(f"{{{KERNEL}}}resource", nsmap={None: KERNEL, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", LOCATION)
    if "doi" in data:
        _add(root, "identifier", data["doi"], identifierType="DOI")
    group = _add(root, "creators")
    for creator in data["creators"]:
        _add(_add(group, "creator"), "creatorName", creator["name"], nameType=creator["nameType"])
    _list(root, "titles", "title", [(t["title"], {}) for t in data["titles"]])
    _add(root, "publisher", data["publisher"]["name"])
    _add(root, "publicationYear", data["publicationYear"])
    types = data["types"]
    _add(root, "resourceType", types["resourceType"], resourceTypeGeneral="Dataset")
    _list(root, "subjects", "subject", [(s["subject"], {}) for s in data.get("subjects", [])])
    dates = [(d["date"], {"dateType": d["dateType"]}) for d in data["dates"]]
    _list(root, "dates", "date", dates)
    _list(root, "sizes", "size", [(size, {}) for size in data["sizes"]])
    _list(root, "formats", "format", [(fmt, {}) for fmt in data["formats"]])
    _add(root, "version", data["version"])
    rights = [
        (
            item["rights"],
            {
                "rightsURI": item["rightsUri"],
                "rightsIdentifier": item["rightsIdentifier"],
                "rightsIdentifierScheme": item["rightsIdentifierScheme"],
                "schemeURI": item["schemeUri"],
            },
        )
        for item in data.get("rightsList", [])
    ]
    _list(root, "rightsList", "rights", rights)
    texts = [
        (d["description"], {"descriptionType": d["descriptionType"]})
        for d in data.get("descriptions", [])
    ]
    _list(root, "descriptions", "description", texts)
    places = data.get("geoLocations", [])
    if places:
        group = _add(root, "geoLocations")
        for place in places:
            _add(_add(group, "geoLocation"), "geoLocationPlace", place["geoLocationPlace"])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _add(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, f"{{{KERNEL}}}{tag}", attributes)
    element.text = text
    return element


def _list(root: Any, plural: str, singular: str, items: list[tuple[str, dict[str, str]]]) -> None:
    """A wrapper element with one child per item; nothing at all when there are none."""
    if items:
        group = _add(root, plural)
        for text, attributes in items:
            _add(group, singular, text, **attributes)
