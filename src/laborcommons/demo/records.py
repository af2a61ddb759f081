"""A stream of noisy facility records with known clusters, for matching benchmarks.

Memory stays constant however many records are asked for: a cluster's true facility is
rebuilt from its own seed whenever a later record copies it, instead of being kept.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from laborcommons.demo.facilities import make_facility, pick_country
from laborcommons.demo.models import Facility
from laborcommons.demo.variants import VariantProfile, country_label, vary_address, vary_name

RECORD_STYLES = (
    VariantProfile(),
    VariantProfile(upper=0.6, address_upper=0.6, postcode_missing=0.4, legal_change=0.3),
    VariantProfile(legal_drop=0.4, typo=0.15, lower=0.2, coarse_address=0.3),
)
COUNTRY_STYLES = ("code", "name", "upper")


def cluster_facility(seed: int, cluster: int) -> Facility:
    """Rebuild the true facility of ``cluster``; the same inputs always give the same one."""
    rng = random.Random(f"{seed}/{cluster}")  # noqa: S311 - reproducible, not secret
    return make_facility(rng, f"C{cluster + 1:08d}", pick_country(rng))


def generate_facility_records(
    n_records: int, *, seed: int, duplicate_rate: float = 0.3
) -> Iterator[dict[str, str]]:
    """Yield ``n_records`` rows of id, name, address, city, country and true cluster.

    Each record starts a new cluster, or with probability ``duplicate_rate`` repeats a
    cluster already emitted, written with a different source's habits. So about
    ``duplicate_rate`` of all records share their cluster with an earlier one.
    """
    if not 0.0 <= duplicate_rate < 1.0:
        raise ValueError("duplicate_rate must be in [0, 1)")
    stream = random.Random(seed)  # noqa: S311 - reproducible, not secret
    clusters = 0
    for index in range(n_records):
        if clusters and stream.random() < duplicate_rate:
            cluster = stream.randrange(clusters)
        else:
            cluster, clusters = clusters, clusters + 1
        facility = cluster_facility(seed, cluster)
        style = stream.choice(RECORD_STYLES)
        address = vary_address(stream, facility, style)
        country_style = stream.choice(COUNTRY_STYLES)
        street = ", ".join(part for part in (address.street, address.postal_code) if part)
        yield {
            "id": f"R{index + 1:08d}",
            "name": vary_name(stream, facility, style),
            "address": street,
            "city": address.city,
            "country": country_label(stream, facility.country, country_style, style),
            "cluster": facility.key,
        }
