"""Three brands' overlapping supplier lists, each in the layout and habits of its publisher.

Harbor & Pine publishes a tidy UTF-8 CSV with local-script names; Velta Sport's list is
a semicolon-separated cp1252 ERP export in capitals; Lumen Basics posts a spreadsheet
with a title row above the table. About 40% of listed facilities are shared by at least
two brands, which is what makes matching across lists worth doing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from laborcommons.demo.datasets import HARBOR, LUMEN, VELTA
from laborcommons.demo.formats import Cell, write_csv, write_xlsx
from laborcommons.demo.models import Facility, WrittenFile
from laborcommons.demo.spellings import CP1252_FALLBACK
from laborcommons.demo.variants import (
    VariantProfile,
    country_label,
    one_line,
    vary_address,
    vary_name,
)

SHARED_COUNTS = (1, 2, 3)
SHARED_WEIGHTS = (60, 30, 10)  # 40% of listed facilities appear in two or three lists
LISTED_SHARE = 0.7
REPEAT_SHARE = 0.015  # a site listed twice in one list (two accounts, two units)

# How strongly each brand sources from a country (1.0 when not listed).
BRAND_COUNTRY_BIAS: tuple[dict[str, float], ...] = (
    {"CN": 2.0, "VN": 2.0, "HN": 2.0, "BD": 1.5, "IN": 1.5},
    {"TR": 3.0, "PK": 2.0, "BD": 1.5, "CN": 1.5, "ET": 0.5, "HN": 0.5},
    {"BD": 2.0, "KH": 2.0, "MM": 2.0, "ET": 2.0, "LK": 1.5, "VN": 1.5},
)
PRODUCTS = {
    "Knitwear": "T-shirts, polos",
    "Woven garments": "Shirts, trousers",
    "Denim": "Jeans",
    "Sweaters": "Sweaters, cardigans",
    "Textile mill": "Fabrics",
    "Dyeing & finishing": "Fabric dyeing and finishing",
    "Embroidery & printing": "Embroidery, printing",
    "Intimate apparel": "Underwear, bras",
    "Sportswear": "Sportswear",
}
TIER_TWO = {"Textile mill", "Dyeing & finishing", "Embroidery & printing"}

HARBOR_STYLE = VariantProfile(upper=0.05, postcode_missing=0.25, coarse_address=0.1)
VELTA_STYLE = VariantProfile(
    legal_change=0.25,
    legal_drop=0.12,
    abbreviate=0.15,
    typo=0.08,
    upper=0.55,
    address_upper=0.5,
    postcode_missing=0.35,
    coarse_address=0.2,
    country_alias=0.02,
)
LUMEN_STYLE = VariantProfile(lower=0.02, postcode_missing=0.3, country_alias=0.05)


def assign_brands(rng: random.Random, facilities: Sequence[Facility]) -> list[list[Facility]]:
    """Choose which facilities each brand lists, with the intended cross-brand overlap."""
    lists: list[list[Facility]] = [[], [], []]
    for facility in facilities:
        if rng.random() >= LISTED_SHARE:
            continue
        count = rng.choices(SHARED_COUNTS, weights=SHARED_WEIGHTS)[0]
        for brand in _brand_order(rng, facility.country)[:count]:
            lists[brand].append(facility)
            if rng.random() < REPEAT_SHARE:
                lists[brand].append(facility)
    return lists


def _brand_order(rng: random.Random, country: str) -> list[int]:
    """Order the brands at random, favouring those that source more from ``country``."""
    keys = [rng.random() ** (1 / bias.get(country, 1.0)) for bias in BRAND_COUNTRY_BIAS]
    return sorted(range(len(keys)), key=lambda brand: keys[brand], reverse=True)


def _workers_band(facility: Facility) -> str:
    return f"{facility.workers_min}-{facility.workers_max}"


def write_harbor(out_dir: Path, rng: random.Random, listed: list[Facility]) -> WrittenFile:
    """UTF-8 CSV sorted by country, with the Chinese name in its own column."""
    listed = sorted(listed, key=lambda f: (f.country, f.name))
    rows: list[Sequence[Cell]] = []
    for facility in listed:
        address = vary_address(rng, facility, HARBOR_STYLE)
        local = facility.name_local if rng.random() < 0.6 else None
        rows.append(
            [
                vary_name(rng, facility, HARBOR_STYLE),
                local,
                one_line(address, region=rng.random() < 0.5),
                country_label(rng, facility.country, "name", HARBOR_STYLE),
                PRODUCTS[facility.sector],
                _workers_band(facility) if rng.random() < 0.9 else None,
            ]
        )
    header = (
        "Factory Name",
        "Factory Name (Local Language)",
        "Address",
        "Country",
        "Product Type",
        "Number of Workers",
    )
    path = out_dir / HARBOR.filename
    write_csv(path, header, rows)
    return _written(path, listed)


def write_velta(out_dir: Path, rng: random.Random, listed: list[Facility]) -> WrittenFile:
    """Semicolon-separated cp1252 export ordered by the brand's supplier id."""
    ids = rng.sample(range(100000, 999999), len(listed))
    ordered = sorted(zip(ids, listed, strict=True), key=lambda pair: pair[0])
    rows: list[Sequence[Cell]] = []
    for supplier_id, facility in ordered:
        address = vary_address(rng, facility, VELTA_STYLE)
        name = vary_name(rng, facility, VELTA_STYLE)
        rows.append(
            [
                f"V{supplier_id}",
                name.translate(CP1252_FALLBACK),
                address.street.translate(CP1252_FALLBACK),
                address.city.translate(CP1252_FALLBACK),
                address.postal_code,
                country_label(rng, facility.country, "code", VELTA_STYLE),
                facility.sector.upper(),
                2 if facility.sector in TIER_TWO else 1,
            ]
        )
    header = (
        "supplier_id",
        "supplier_name",
        "street",
        "city",
        "postcode",
        "country_code",
        "product_group",
        "tier",
    )
    path = out_dir / VELTA.filename
    write_csv(path, header, rows, encoding="cp1252", delimiter=";")
    return _written(path, [facility for _, facility in ordered])


def _lumen_name(rng: random.Random, facility: Facility) -> str:
    name = vary_name(rng, facility, LUMEN_STYLE)
    if facility.name_local is None:
        return name
    roll = rng.random()
    if roll < 0.05:
        return facility.name_local
    return f"{name} ({facility.name_local})" if roll < 0.35 else name


def write_lumen(out_dir: Path, rng: random.Random, listed: list[Facility]) -> WrittenFile:
    """Spreadsheet with a title row, countries in capitals, approximate worker numbers."""
    listed = sorted(listed, key=lambda f: (f.country, rng.random()))
    rows: list[Sequence[Cell]] = []
    for facility in listed:
        address = vary_address(rng, facility, LUMEN_STYLE)
        workers = rng.randint(facility.workers_min, facility.workers_max) // 10 * 10
        rows.append(
            [
                _lumen_name(rng, facility),
                one_line(address, region=True),
                country_label(rng, facility.country, "upper", LUMEN_STYLE),
                workers if rng.random() < 0.92 else None,
                "Tier 2" if facility.sector in TIER_TWO else "Tier 1",
                PRODUCTS[facility.sector],
            ]
        )
    path = out_dir / LUMEN.filename
    write_xlsx(
        path,
        sheet="Supplier List",
        title="Lumen Basics - Manufacturing sites, tier 1 and tier 2 (as of 31 March 2025)",
        header=("Facility", "Full address", "Country", "# Workers", "Tier", "Products"),
        rows=rows,
        stamp=datetime(2025, 4, 2, 9, 30),
    )
    return _written(path, listed, sheet="Supplier List")


def _written(path: Path, facilities: list[Facility], sheet: str | None = None) -> WrittenFile:
    truth = [(row, facility.key) for row, facility in enumerate(facilities, start=1)]
    coverage = {facility.country for facility in facilities}
    return WrittenFile(path, len(facilities), coverage, truth, sheet)
