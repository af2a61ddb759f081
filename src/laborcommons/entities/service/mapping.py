"""Column mapping suggestions from a version's headers, in several languages and scripts.

Headers and synonyms are compared as search keys (transliterated, lower case), so
``名称``, ``Nombre``, ``Fabrika Adi`` and ``Facility name`` all suggest the name column.
"""

from __future__ import annotations

from laborcommons.entities.schemas import ColumnMapping
from laborcommons.entities.service.text import searchable

ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "facility name",
        "factory name",
        "supplier name",
        "supplier",
        "facility",
        "factory",
        "company",
        "company name",
        "brand",
        "brand name",
        "organization",
        "organisation",
        "nom",
        "nom de l usine",
        "nombre",
        "razon social",
        "nome",
        "firma",
        "unternehmen",
        "fabrika adi",
        "fabrika",
        "isim",
        "ad",
        "ten",
        "ten cong ty",
        "ten nha may",
        "nazvanie",
        "nama",
        "nama pabrik",
        "mingcheng",
        "gongchangmingcheng",
        "gongsimingcheng",
        "gongchang",
        "kaisha mei",
        "business name",
        "legal name",
    ),
    "address": (
        "address",
        "addr",
        "street",
        "street address",
        "full address",
        "adresse",
        "direccion",
        "endereco",
        "indirizzo",
        "adres",
        "dizhi",
        "dezhi",
        "dia chi",
        "alamat",
        "anschrift",
        "location",
    ),
    "city": (
        "city",
        "town",
        "municipality",
        "ciudad",
        "ville",
        "stadt",
        "cidade",
        "sehir",
        "il",
        "chengshi",
        "thanh pho",
        "gorod",
        "kota",
        "district",
    ),
    "postal_code": (
        "postal code",
        "postcode",
        "post code",
        "zip",
        "zip code",
        "zipcode",
        "plz",
        "codigo postal",
        "code postal",
        "cep",
        "youbian",
        "posta kodu",
        "pochtovyi indeks",
        "kode pos",
    ),
    "country": (
        "country",
        "country code",
        "country name",
        "iso country",
        "country iso",
        "pays",
        "pais",
        "land",
        "ulke",
        "guojia",
        "quoc gia",
        "strana",
        "negara",
    ),
    "latitude": ("lat", "latitude", "breite", "latitud", "enlem", "weidu"),
    "longitude": ("lon", "lng", "long", "longitude", "laenge", "longitud", "boylam", "jingdu"),
}
IDENTIFIER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "os_id": ("os id", "osid", "oar id", "open supply hub id", "open apparel registry id"),
    "lei": ("lei", "lei code", "legal entity identifier"),
    "isin": ("isin",),
    "wikirate": ("wikirate id", "wikirate company id", "wikirate"),
    "opencorporates": ("opencorporates", "opencorporates id", "opencorporates url"),
}
ROLE_KEYS = {role: {searchable(s) for s in words} for role, words in ROLE_SYNONYMS.items()}
SCHEME_KEYS = {scheme: {searchable(s) for s in w} for scheme, w in IDENTIFIER_SYNONYMS.items()}


def _score(header: str, keys: set[str]) -> int:
    """3: the header is a synonym; 2: it contains one as whole words; 0: neither."""
    key = searchable(header).replace("_", " ")
    if key in keys:
        return 3
    padded = f" {key} "
    return 2 if any(len(k) > 2 and f" {k} " in padded for k in keys) else 0


def candidate_columns(headers: list[str]) -> dict[str, list[str]]:
    """Per role (and per identifier scheme), the columns that could fill it, best first."""
    found: dict[str, list[str]] = {}
    roles = {**ROLE_KEYS, **{f"identifier:{s}": k for s, k in SCHEME_KEYS.items()}}
    for role, keys in roles.items():
        scored = [(-_score(h, keys), i, h) for i, h in enumerate(headers) if _score(h, keys)]
        if scored:
            found[role] = [h for _, _, h in sorted(scored)]
    return found


def suggest_columns(headers: list[str]) -> tuple[ColumnMapping | None, dict[str, list[str]]]:
    """The best mapping: each column fills one role at most; identifiers are taken first."""
    candidates = candidate_columns(headers)
    used: set[str] = set()
    chosen: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    for role in sorted(candidates, key=lambda r: (not r.startswith("identifier:"), r != "name")):
        free = [c for c in candidates[role] if c not in used]
        if not free:
            continue
        used.add(free[0])
        if role.startswith("identifier:"):
            identifiers[role.split(":", 1)[1]] = free[0]
        else:
            chosen[role] = free[0]
    if "name" not in chosen:
        return None, candidates
    return ColumnMapping(**chosen, identifiers=identifiers), candidates
