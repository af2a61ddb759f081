"""Seeded demo data: fictional organizations, realistic messy datasets and their truth.

``generate_demo`` writes a whole demo node's worth of files; ``generate_facility_records``
streams noisy facility records with known clusters for matching benchmarks.
"""

from laborcommons.demo.generator import generate_demo
from laborcommons.demo.models import DemoBundle, DemoFile, DemoOrganization
from laborcommons.demo.records import generate_facility_records

__all__ = [
    "DemoBundle",
    "DemoFile",
    "DemoOrganization",
    "generate_demo",
    "generate_facility_records",
]
