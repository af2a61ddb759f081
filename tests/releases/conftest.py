"""A grievance log with e-mails, phone numbers and names (messy: case, spacing, scripts)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.crypto import ensure_key_file
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org

GRIEVANCES = (
    "worker_name,email,phone,factory,wage_bdt,joined,issue\n"
    "Rahima Begum,rahima.begum@gmail.com,+880 1712-345678,Dhaka Knit Ltd,12500,2021-03-15,"
    "unpaid overtime\n"
    "Nasrin Akter,NASRIN.akter@yahoo.com,01812 345 679,Dhaka Knit Ltd,11800,2020-11-02,"
    "wage deduction\n"
    "Shirin Sultana,shirin_sultana@gmail.com,01912-345680,Chittagong Apparel,12100,2019-07-07,"
    "harassment\n"
    "Mohammad Karim,m.karim@outlook.com,+8801712345681,Dhaka Knit Ltd,,2023-05-30,"
    "no contract\n"
    "Fatema Khatun,fatema.khatun@gmail.com,01711-223344,Gazipur Garments,13050,2022-02-14,"
    "unpaid overtime\n"
    "Abdul Hossain,abdul.hossain@yahoo.com,+880 1911 556677,Gazipur Garments,12800,2018-09-01,"
    "blocked exits\n"
    "Ayesha Rahman,ayesha.rahman@gmail.com,01615-998877,Chittagong Apparel,11950,2021-12-24,"
    "wage deduction\n"
    "Jahanara Islam,jahanara.islam@gmail.com,01556-443322,Dhaka Knit Ltd,12300,2020-06-18,"
    "forced overtime\n"
    "Rafiqul Alam,rafiqul.alam@hotmail.com,+880 1818-112233,Gazipur Garments,12650,2017-04-03,"
    "unpaid overtime\n"
    "Sumaiya Akter,sumaiya.akter@gmail.com,01313 667788,Dhaka Knit Ltd,11700,2023-01-09,"
    "harassment\n"
    "Nazma Begum,nazma.begum@yahoo.com,01712 998811,Chittagong Apparel,12250,2019-03-27,"
    "no contract\n"
    "Rashida Khatun,rashida.k@gmail.com,+8801911-221100,Gazipur Garments,12900,2022-08-08,"
    "wage deduction\n"
)
AGGREGATES = (
    "district,facilities,workers,median_wage_bdt\n"
    "Dhaka,412,183000,12400\n"
    "Gazipur,388,201500,12150\n"
    "Chattogram,120,64000,11900\n"
    "Narayanganj,96,41000,12050\n"
)


@dataclass
class Org:
    owner: Member
    editor: Member
    viewer: Member
    outsider: Member


@pytest.fixture
def org(node: Node) -> Org:
    ensure_key_file(node.settings.key_file)
    make_org(node, "garment-union", countries=["BD"], data_types=["violations"])
    make_org(node, "other-union", countries=["KH"])
    return Org(
        owner=make_member(node, "owner@union.example", "garment-union", "owner"),
        editor=make_member(node, "editor@union.example", "garment-union", "editor"),
        viewer=make_member(node, "viewer@union.example", "garment-union", "viewer"),
        outsider=make_member(node, "someone@other.example", "other-union", "owner"),
    )


def upload(client: TestClient, member: Member, slug: str, text: str, name: str = "log.csv"):
    return client.post(
        f"/api/v1/datasets/{slug}/versions",
        files={"file": (name, text.encode(), "text/csv")},
        headers=member.headers,
    )


@pytest.fixture
def grievances(node: Node, client: TestClient, org: Org, tmp_path: Path) -> str:
    """An internal dataset (coverage BD) whose first version holds the grievance log."""
    make_dataset(node, "grievances", "garment-union", coverage=["BD"], license="CC-BY-4.0")
    response = upload(client, org.owner, "grievances", GRIEVANCES)
    assert response.status_code == 201, response.text
    return "grievances"
