"""A node with three sources about the same facilities, linked by their OS IDs.

- ``compliance`` (open, garment-union): the facilities' self-declared wages, in USD a month;
- ``survey`` (open, garment-union): a worker survey's median wage, in IDR a week;
- ``payslips`` (internal, brand-watch): payslip wages, which only brand-watch may read.

Facility ``BD2024001AAAAA1`` is where the sources disagree: it declares 250 USD, the survey
and the payslips put it near 180.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities import service as entities
from laborcommons.entities.schemas import LinkJobCreate
from laborcommons.evidence import service as evidence
from laborcommons.evidence.schemas import MappingCreate, MappingResult
from tests.factories import Member, ingest, make_dataset, make_member, make_org

DECLARED = "BD2024001AAAAA1"
COMPLIANCE = (
    "facility,os_id,country,monthly_wage_usd,union\n"
    f"Dhaka Knit,{DECLARED},BD,250,yes\n"
    "Tongi Apparel,BD2024002BBBBB7,BD,182,no\n"
    "Gazipur Denim,BD2024003CCCCCD,BD,175,yes\n"
)
SURVEY = (
    "facility,os_id,median_wage_idr_week,year\n"
    f"Dhaka Knit,{DECLARED},640000,2024\n"
    "Tongi Apparel,BD2024002BBBBB7,660000,2024\n"
    "Gazipur Denim,BD2024003CCCCCD,not asked,2024\n"
)
RATES = "currency,per_usd,date\nIDR,15000,2023-12-31\nIDR,16000,2024-06-30\nIDR,17000,2025-06-30\n"
PAYSLIPS = (
    f"facility,os_id,net_pay_usd\nDhaka Knit,{DECLARED},178\nTongi Apparel,BD2024002BBBBB7,180\n"
)


@dataclass
class Sources:
    node: Node
    union: Member
    brand: Member
    outsider: Member
    files: Path


def add(node: Node, files: Path, slug: str, org: str, text: str, *, access: str = "open") -> None:
    license = "CC-BY-4.0" if access == "open" else None
    make_dataset(node, slug, org, access=access, license=license)
    path = files / f"{slug}.csv"
    path.write_text(text, encoding="utf-8")
    ingest(node, slug, path)


OS_ID_MAPPING = {"name": "facility", "identifiers": {"os_id": "os_id"}}


def link(
    node: Node, slug: str, *, kind: str = "facility", mapping: dict[str, object] | None = None
) -> None:
    with unit_of_work(node.sessions) as session:
        data = LinkJobCreate.model_validate(
            {"dataset": slug, "kind": kind, "mapping": mapping or OS_ID_MAPPING}
        )
        job_id = entities.create_link_job(data, reader=NODE_ADMIN, session=session).id
    job = entities.execute_link_job(job_id, reader=NODE_ADMIN, node=node)
    assert job.status == "done", job


def map_column(node: Node, slug: str, **options: object) -> MappingResult:
    with unit_of_work(node.sessions) as session:
        data = MappingCreate.model_validate(options)
        return evidence.map_column(slug, None, data, reader=NODE_ADMIN, session=session, node=node)


@pytest.fixture
def sources(node: Node, tmp_path: Path) -> Sources:
    make_org(node, "garment-union")
    make_org(node, "brand-watch")
    make_org(node, "elsewhere")
    files = tmp_path / "files"
    files.mkdir()
    add(node, files, "compliance", "garment-union", COMPLIANCE)
    add(node, files, "survey", "garment-union", SURVEY)
    add(node, files, "fx-rates", "garment-union", RATES)
    add(node, files, "payslips", "brand-watch", PAYSLIPS, access="internal")
    link(node, "compliance", mapping={**OS_ID_MAPPING, "country": "country"})
    for slug in ("survey", "payslips"):
        link(node, slug)
    return Sources(
        node=node,
        union=make_member(node, "owner@union.example", "garment-union", "owner"),
        brand=make_member(node, "owner@brand.example", "brand-watch", "owner"),
        outsider=make_member(node, "owner@elsewhere.example", "elsewhere", "owner"),
        files=files,
    )


def map_all(node: Node) -> None:
    """The three wage sources as the metric monthly-gross-wage, for 2024."""
    map_column(
        node,
        "compliance",
        column="monthly_wage_usd",
        metric="monthly-gross-wage",
        period="2024",
        method="self-declared",
        unit="USD/month",
    )
    map_column(
        node,
        "survey",
        column="median_wage_idr_week",
        metric="monthly-gross-wage",
        period_column="year",
        method="worker-survey",
        unit="IDR/week",
        rates="fx-rates",
    )
    map_column(
        node,
        "payslips",
        column="net_pay_usd",
        metric="monthly-gross-wage",
        period="2024",
        method="payslip",
    )
