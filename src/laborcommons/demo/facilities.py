"""The true facilities behind every demo dataset: one canonical record per factory.

Everything else the generator writes (supplier lists, audits, surveys) is a noisy copy
of these records, so matching quality can be measured against them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from itertools import accumulate

from laborcommons.demo.models import Facility
from laborcommons.demo.names import factory_name
from laborcommons.demo.places import City, CountryPlaces
from laborcommons.demo.places_east import EAST
from laborcommons.demo.places_west import WEST

COUNTRY_PLACES: dict[str, CountryPlaces] = {c.code: c for c in (*EAST, *WEST)}

# Rough shares of garment employment among the demo's producing countries.
COUNTRY_WEIGHTS: dict[str, int] = {
    "BD": 18,
    "CN": 17,
    "VN": 12,
    "IN": 11,
    "KH": 8,
    "ID": 8,
    "PK": 6,
    "TR": 6,
    "LK": 5,
    "MM": 4,
    "HN": 3,
    "ET": 2,
}
SECTOR_WEIGHTS: dict[str, int] = {
    "Woven garments": 25,
    "Knitwear": 20,
    "Textile mill": 10,
    "Sportswear": 10,
    "Denim": 8,
    "Sweaters": 8,
    "Intimate apparel": 7,
    "Dyeing & finishing": 6,
    "Embroidery & printing": 6,
}
WORKER_BANDS: tuple[tuple[int, int], ...] = (
    (50, 249),
    (250, 499),
    (500, 999),
    (1000, 2499),
    (2500, 4999),
    (5000, 9999),
)
_BAND_CUMULATIVE = list(accumulate((10, 18, 25, 28, 14, 5)))
_COUNTRIES = list(COUNTRY_WEIGHTS)
_COUNTRY_CUMULATIVE = list(accumulate(COUNTRY_WEIGHTS.values()))
_SECTORS = list(SECTOR_WEIGHTS)
_SECTOR_CUMULATIVE = list(accumulate(SECTOR_WEIGHTS.values()))


class _DrawOnUse(dict[str, object]):
    """Template fields drawn only when the template names them, to save random draws."""

    def __init__(self, draws: dict[str, Callable[[], object]]) -> None:
        super().__init__()
        self._draws = draws

    def __missing__(self, key: str) -> object:
        return self._draws[key]()


def street_address(rng: random.Random, places: CountryPlaces, city: City) -> str:
    """Render one of the country's address templates for a site in ``city``."""
    fields = _DrawOnUse(
        {
            "n": lambda: rng.randint(1, 250),
            "m": lambda: rng.randint(1, 30),
            "s": lambda: rng.randint(1, 9),
            "lot": lambda: f"{rng.choice('ABCDEFGHK')}-{rng.randint(1, 60)}",
            "block": lambda: rng.choice("ABCDEF"),
            "zone": lambda: rng.choice(city.zones),
            "district": lambda: rng.choice(city.districts),
            "street": lambda: rng.choice(places.streets),
            "village": lambda: rng.choice(places.villages),
            "rt": lambda: f"{rng.randint(1, 12):02d}",
            "rw": lambda: f"{rng.randint(1, 9):02d}",
        }
    )
    return rng.choice(places.templates).format_map(fields)


def pick_country(rng: random.Random) -> str:
    """Draw a producing country with the demo's employment-like weights."""
    return rng.choices(_COUNTRIES, cum_weights=_COUNTRY_CUMULATIVE)[0]


def make_facility(rng: random.Random, key: str, country: str) -> Facility:
    """Draw one facility in ``country``; all randomness comes from ``rng``."""
    places = COUNTRY_PLACES[country]
    city = rng.choice(places.cities)
    sector = rng.choices(_SECTORS, cum_weights=_SECTOR_CUMULATIVE)[0]
    name = factory_name(rng, country, sector, city.name)
    workers_min, workers_max = rng.choices(WORKER_BANDS, cum_weights=_BAND_CUMULATIVE)[0]
    return Facility(
        key=key,
        name=name.name,
        legal_form=name.legal_form,
        name_local=name.local,
        address=street_address(rng, places, city),
        city=city.name,
        region=city.region,
        postal_code=rng.choice(city.postcodes) if city.postcodes else "",
        country=country,
        lat=round(city.lat + rng.gauss(0, 0.04), 5),
        lon=round(city.lon + rng.gauss(0, 0.04), 5),
        sector=sector,
        workers_min=workers_min,
        workers_max=workers_max,
    )


def generate_facilities(rng: random.Random, count: int) -> Iterator[Facility]:
    """Yield ``count`` facilities with distinct names within each country.

    Real registries do hold same-named factories, but the demo keeps canonical names
    unique so a name collision in a dataset always means a variant, never a second site.
    """
    seen: set[tuple[str, str]] = set()
    for index in range(1, count + 1):
        country = pick_country(rng)
        facility = make_facility(rng, f"F{index:05d}", country)
        while (country, facility.name.casefold()) in seen:
            facility = make_facility(rng, facility.key, country)
        seen.add((country, facility.name.casefold()))
        yield facility
