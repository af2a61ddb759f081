"""Where demo facilities are: garment cities, industrial zones, streets and postcodes.

Places are real (so maps and geocoders behave); the facilities placed in them are not.
Each country also carries the address templates its supplier lists tend to use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A garment-producing city with the sub-areas and zones its addresses name."""

    name: str
    region: str
    lat: float
    lon: float
    postcodes: tuple[str, ...]
    districts: tuple[str, ...]
    zones: tuple[str, ...]


@dataclass(frozen=True)
class CountryPlaces:
    """A country's cities, street names, villages and street-level address templates."""

    code: str
    name: str
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    villages: tuple[str, ...]
    templates: tuple[str, ...]
