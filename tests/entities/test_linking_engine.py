"""End to end with the real matching engine: a second, differently spelled list links to
the entities of the first without renumbering them; new rows of one entity share it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import Entity, RowLink
from tests.entities.conftest import World, add_list, link

SECOND_LIST = (
    "Supplier name,Supplier address,Country\n"
    'DHAKA KNIT COMPOSITE LIMITED,"Plot-12 Rd 3 Tongi Industrial Area, Gazipur",Bangladesh\n'
    'Saigon Garments Company,"45 Le Loi St, Dist. 1, HCMC",Vietnam\n'
    "Hanoi Denim,,VN\n"
    "Hanoi Denim JSC,,Viet Nam\n"
)


def entities_by_row(world: World, slug: str) -> dict[int, tuple[str, str]]:
    with unit_of_work(world.node.sessions) as session:
        query = (
            select(RowLink.row_number, Entity.lcid, Entity.name)
            .join(Entity, Entity.id == RowLink.entity_id)
            .join(DatasetVersion, DatasetVersion.id == RowLink.version_id)
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .where(Dataset.slug == slug)
        )
        return {row: (lcid, name) for row, lcid, name in session.execute(query)}


def test_a_second_list_links_to_the_first_without_renumbering(
    client: TestClient, world: World
) -> None:
    first = link(world.node, "suppliers")
    assert first.counts["new"] == 5, first
    before = entities_by_row(world, "suppliers")
    add_list(world, "second", SECOND_LIST)
    dry = link(world.node, "second", dry_run=True)
    job = link(world.node, "second")
    assert [o.status for o in dry.outcomes] == ["linked", "linked", "new", "new"]
    assert job.counts["linked"] == 2 and job.counts["entities_created"] == 1, job.counts
    after = entities_by_row(world, "second")
    assert after[1][0] == before[1][0] and after[2][0] == before[2][0]
    assert after[3][0] == after[4][0] == dry.outcomes[2].entity  # one Hanoi Denim
    assert entities_by_row(world, "suppliers") == before  # nothing renumbered
    shown = client.get(f"/api/v1/entities/{before[1][0]}").json()
    assert [d["slug"] for d in shown["datasets"]] == ["second", "suppliers"]
    assert "DHAKA KNIT COMPOSITE LIMITED" in [n["name"] for n in shown["names"]]


def test_an_audit_list_with_many_rows_per_facility_links_them_to_one_entity(
    client: TestClient, world: World
) -> None:
    rows = ["Facility,Address,Country,Finding"]
    rows += [
        f'Rahman Knitwear Ltd.,"Plot 7, Road 2, Savar",Bangladesh,finding {n}' for n in range(40)
    ]
    rows += [f'Rahman Knitwear Ltd,"Plot 7 Road 2 Savar",BD,finding {n}' for n in range(40, 45)]
    rows += ['Chittagong Denim Mills,"22 Port Road, Chattogram",Bangladesh,finding 45']
    add_list(world, "audits", "\n".join(rows) + "\n")
    job = link(world.node, "audits")
    assert job.counts["entities_created"] == 2, job.counts
    linked = entities_by_row(world, "audits")
    assert len(linked) == 46
    assert len({linked[row][0] for row in range(1, 46)}) == 1
    assert linked[46][0] != linked[1][0]
    again = link(world.node, "suppliers")  # another list first, then the audits again
    assert again.counts["new"] == 5
