"""Controlled vocabularies used everywhere: archetypes and data types (slug -> label)."""

from __future__ import annotations

ARCHETYPES: dict[str, str] = {
    "advocate": "Advocate",
    "compliance-aggregator": "Compliance data aggregator",
    "data-intelligence-hub": "Data intelligence hub",
    "worker-voice": "Worker voice tool",
    "traceability": "Traceability tool",
    "open-data-platform": "Open data platform",
    "knowledge-sharing": "Knowledge sharing platform",
}

DATA_TYPES: dict[str, str] = {
    "working-conditions": "Working conditions",
    "supply-chain": "Supply chain relationships",
    "violations": "Violations and grievances",
    "brand-policies": "Brand policies",
    "facility-compliance": "Facility compliance",
    "products-certifications": "Products and certifications",
    "other": "Other",
}

ACCESS_LABELS: dict[str, str] = {
    "internal": "Internal: the owning organization only",
    "named": "Named: plus organizations named in an agreement",
    "group": "Group: plus members of named coalitions",
    "public": "Public: anyone, under the dataset's license, which may restrict reuse",
    "open": "Open: anyone, under an open license",
}
