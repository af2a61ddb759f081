"""schema.org ``Dataset`` JSON-LD for a dataset page (Google Dataset Search reads it).

Download links (``DataDownload``) only for versions whose rows the reader may read; the
JSON goes into a ``<script>`` element, so ``<``, ``>`` and ``&`` are written as ``\\u003c``
… and no value can end the element (``script_json``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pycountry

from laborcommons.catalog.standards import authorities
from laborcommons.catalog.standards.entries import DescribedDataset

FREE_LEVELS = {"open", "public"}  # rows anyone may read, without asking or paying
_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def _temporal(entry: DescribedDataset) -> str | None:
    """An ISO 8601 interval; an open end is ``..``."""
    start, end = entry.dataset.period_start, entry.dataset.period_end
    if start is None and end is None:
        return None
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"


def _places(codes: list[str]) -> list[dict[str, str]]:
    places = []
    for code in codes:
        country = pycountry.countries.get(alpha_2=code)
        places.append({"@type": "Place", "name": str(country.name) if country else code})
    return places


def dataset_json_ld(
    entry: DescribedDataset, *, base: str, download_url: Callable[[int, str], str]
) -> dict[str, Any]:
    """``download_url(version, format)`` is the link this reader would follow."""
    data = entry.dataset
    page = f"{base}/datasets/{data.address}"
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": data.title,
        "description": data.description or data.title,
        "url": page,
        "identifier": data.address,
        "isAccessibleForFree": data.access in FREE_LEVELS,
        "creator": {
            "@type": "Organization",
            "name": data.organization_name,
            "url": f"{base}/organizations/{data.organization}",
        },
        "datePublished": data.created_at.date().isoformat(),
        "dateModified": data.updated_at.date().isoformat(),
    }
    if data.keywords:
        doc["keywords"] = data.keywords
    if data.license:
        doc["license"] = data.license.url
    if temporal := _temporal(entry):
        doc["temporalCoverage"] = temporal
    if data.coverage:
        doc["spatialCoverage"] = _places(data.coverage)
    if latest := entry.latest:
        doc["version"] = str(latest.number)
        doc["variableMeasured"] = list(latest.columns)
        downloads = [
            {
                "@type": "DataDownload",
                "encodingFormat": authorities.FILE_TYPES[fmt][1],
                "contentUrl": download_url(latest.number, fmt),
            }
            for fmt in latest.formats
        ]
        if downloads:
            doc["distribution"] = downloads
    return doc


def script_json(doc: dict[str, Any]) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: no ``</script>``, no
    ``<!--``, whatever the dataset's title says."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return text.translate(_SCRIPT_SAFE)
