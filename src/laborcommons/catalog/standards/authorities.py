"""The controlled vocabularies DCAT-AP asks for: EU authority tables and IANA media types.

Each code a node stores (an SPDX license id, an access level, a download format, an ISO
country code, a data type) maps to the URI a harvester such as data.europa.eu expects.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Concept:
    """A term of an EU authority table: its URI, label and the table it belongs to."""

    uri: str
    label: str
    scheme: str
    scheme_title: str


def _concept(table: str, code: str, label: str, title: str) -> Concept:
    return Concept(
        uri=f"{EU}{table}/{code}", label=label, scheme=f"{EU}{table}", scheme_title=title
    )


# SPDX id (catalog.licenses) -> the EU licence authority table; every license we offer has one.
EU_LICENCES = {
    "CC0-1.0": "CC0",
    "CC-BY-4.0": "CC_BY_4_0",
    "CC-BY-SA-4.0": "CC_BYSA_4_0",
    "CC-BY-NC-4.0": "CC_BYNC_4_0",
    "CC-BY-ND-4.0": "CC_BYND_4_0",
    "CC-BY-NC-SA-4.0": "CC_BYNCSA_4_0",
    "CC-BY-NC-ND-4.0": "CC_BYNCND_4_0",
    "ODbL-1.0": "ODC_BL",
    "ODC-By-1.0": "ODC_BY",
    "PDDL-1.0": "ODC_PDDL",
}

_ACCESS_RIGHTS = {
    "open": ("PUBLIC", "public"),
    "public": ("PUBLIC", "public"),
    "group": ("RESTRICTED", "restricted"),
    "named": ("RESTRICTED", "restricted"),
    "internal": ("NON_PUBLIC", "non-public"),
}

# Download format -> (EU file type, IANA media type).
FILE_TYPES = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
}

# catalog.vocabulary data types -> EU data theme (labor rights are society; trade, economy).
_THEMES = {
    "supply-chain": ("ECON", "Economy and finance"),
    "products-certifications": ("ECON", "Economy and finance"),
}
_DEFAULT_THEME = ("SOCI", "Population and society")


def licence_uri(spdx_id: str) -> str | None:
    code = EU_LICENCES.get(spdx_id)
    return f"{EU}licence/{code}" if code else None


def access_right(level: str) -> Concept:
    code, label = _ACCESS_RIGHTS[level]
    return _concept("access-right", code, label, "Access right")


def file_type(fmt: str) -> Concept:
    code, _ = FILE_TYPES[fmt]
    return _concept("file-type", code, code, "File type")


def media_type_uri(fmt: str) -> str:
    return IANA + FILE_TYPES[fmt][1]


def data_theme(data_type: str) -> Concept:
    code, label = _THEMES.get(data_type, _DEFAULT_THEME)
    return _concept("data-theme", code, label, "Data theme")


def country(alpha_2: str) -> Concept | None:
    """The EU country table is keyed by ISO 3166-1 alpha-3."""
    found = pycountry.countries.get(alpha_2=alpha_2)
    if found is None:
        return None
    return _concept("country", str(found.alpha_3), str(found.name), "Country")
