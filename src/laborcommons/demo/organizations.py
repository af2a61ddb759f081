"""The fictional organizations that own the demo datasets, one or more per archetype.

Names are invented and websites use the reserved ``.example`` top-level domain, so no
demo record can be mistaken for a real organization or link to a live site.
"""

from __future__ import annotations

from laborcommons.demo.models import DemoOrganization

UNION = "garment-workers-solidarity-federation"
CAMPAIGN = "threadline-accountability-campaign"
AUDITS = "clearsource-audit-exchange"
RESEARCH = "loomwise-research-institute"
VOICE = "workerspeak-collective"
TRACE = "traceweave"
REGISTRY = "commons-facility-atlas"
LEARNING = "stitch-knowledge-network"


def _org(
    slug: str,
    name: str,
    archetype: str,
    countries: str,
    *,
    api: bool,
    formats: str,
    tools: str,
    data_types: str,
    summary: str,
) -> DemoOrganization:
    domain = slug.split("-")[0] + ".example"
    return DemoOrganization(
        slug=slug,
        name=name,
        archetype=archetype,
        countries=countries.split(),
        website=f"https://www.{domain}",
        contact=f"data@{domain}",
        has_api=api,
        api_url=f"https://api.{domain}/v1" if api else None,
        formats=formats.split(),
        tools=[tool.strip() for tool in tools.split(",")],
        data_types=data_types.split(),
        public_summary=summary,
    )


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    _org(UNION, "Garment Workers' Solidarity Federation", "advocate", "BD KH IN PK LK ID MM",
         api=False, formats="xlsx csv", tools="KoboToolbox, Excel, WhatsApp groups",
         data_types="working-conditions violations",
         summary="An international federation of garment workers' unions that runs wage and "
         "hours surveys with its affiliates and uses them in collective bargaining."),
    _org(CAMPAIGN, "Threadline Accountability Campaign", "advocate", "GB NL DE BD KH",
         api=False, formats="xlsx json csv", tools="Google Sheets, Airtable, Datawrapper",
         data_types="brand-policies supply-chain",
         summary="A brand-accountability campaign that collects brands' supplier "
         "disclosures and scores their labour-rights policies every year."),
    _org(AUDITS, "ClearSource Audit Exchange", "compliance-aggregator",
         "CN VN BD IN ID KH PK TR", api=True, formats="csv json",
         tools="PostgreSQL, REST API, Power BI",
         data_types="facility-compliance violations",
         summary="An industry platform where audit firms upload social-compliance audits so "
         "that member brands can share one audit per factory."),
    _org(RESEARCH, "Loomwise Research Institute", "data-intelligence-hub",
         "BD KH VN ID IN", api=True, formats="csv parquet",
         tools="R, DuckDB, Observable",
         data_types="working-conditions other",
         summary="An independent research institute that maintains reference wage series "
         "and analyses working conditions across garment-producing countries."),
    _org(VOICE, "WorkerSpeak Collective", "worker-voice", "BD KH MM ET LK",
         api=True, formats="jsonl csv", tools="Android app, SMS gateway, Metabase",
         data_types="violations working-conditions",
         summary="A worker-voice app and hotline through which garment workers report "
         "grievances anonymously; cases are followed up with factories and brands."),
    _org(TRACE, "TraceWeave", "traceability", "TR CN IN VN PK",
         api=True, formats="csv xml json", tools="Neo4j, REST API, ERP connectors",
         data_types="supply-chain products-certifications",
         summary="A traceability tool that maps brands' multi-tier supply chains from "
         "their ERP exports and certificate data."),
    _org(REGISTRY, "Commons Facility Atlas", "open-data-platform",
         "BD CN VN IN KH ID PK TR LK MM ET HN", api=True, formats="csv json geojson",
         tools="PostGIS, open API, bulk downloads",
         data_types="supply-chain",
         summary="An open registry of garment facilities that republishes brand supplier "
         "lists under an open license with stable facility identifiers."),
    _org(LEARNING, "Stitch Knowledge Network", "knowledge-sharing", "BD VN KH HN ET",
         api=False, formats="xml csv pdf", tools="CKAN, Zotero, Discourse",
         data_types="products-certifications other",
         summary="A network of practitioners that shares guidance, certification data and "
         "case studies on responsible garment production."),
)  # fmt: skip

# The three brands whose supplier lists overlap, with the layout each one publishes in.
BRANDS: tuple[str, ...] = ("Harbor & Pine", "Velta Sport", "Lumen Basics")
OTHER_BRANDS: tuple[str, ...] = (
    "Oakridge Outfitters",
    "Maison Verre",
    "Kitestring",
    "Solano Denim",
    "Brightfield Kids",
    "Tundra Peak Outdoor",
    "Marlow & Finch",
)
