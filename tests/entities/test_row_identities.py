"""Rows carry their identities: downloads, rows pages and the CLI export with ``entities``
add each row's lcid, link status and crosswalk identifiers, as the reader may see them."""

from __future__ import annotations

import csv
import io
import json
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access import NODE_ADMIN
from laborcommons.access.models import AuditRecord
from laborcommons.catalog import service as catalog
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from laborcommons.entities import service as entities
from laborcommons.entities.models import Entity, RowLink
from laborcommons.entities.schemas import MergeRequest
from tests.entities.conftest import SUPPLIERS, StandIn, World, add_list, link
from tests.factories import Member, ingest, make_dataset

DHAKA_OS_ID = "BD2019085A1B2C3"
WITH_OS_ID = SUPPLIERS.replace('Gazipur",Bangladesh,\n', f'Gazipur",Bangladesh,{DHAKA_OS_ID}\n')
URL = "/api/v1/datasets/{slug}/versions/1/{what}"


def download(
    client: TestClient, slug: str, fmt: str = "csv", member: Member | None = None, **params: Any
) -> Any:
    response = client.get(
        URL.format(slug=slug, what="download"),
        params={"format": fmt, **params},
        headers=member.headers if member else {},
    )
    assert response.status_code == 200, response.text
    return response


def table(response: Any, fmt: str) -> list[dict[str, Any]]:
    """The rows of a download as dicts, whatever its format; empty cells as None."""
    if fmt in ("csv", "tsv"):
        reader = csv.DictReader(io.StringIO(response.text), delimiter="," if fmt == "csv" else "\t")
        return [{k: v or None for k, v in row.items()} for row in reader]
    if fmt == "json":
        return list(response.json())
    if fmt == "jsonl":
        return [json.loads(line) for line in response.text.splitlines()]
    if fmt == "parquet":
        return list(pq.read_table(io.BytesIO(response.content)).to_pylist())
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["data"]
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip_longest(header, row)) for row in body]  # trailing blanks are left out


def lcids(node: Node, slug: str) -> dict[int, str]:
    """The lcid each row of version 1 of ``slug`` is linked to (as stored, no merges)."""
    with unit_of_work(node.sessions) as session:
        version = catalog.get_version(slug, 1, reader=NODE_ADMIN, session=session)
        query = (
            select(RowLink.row_number, Entity.lcid)
            .join(Entity, Entity.id == RowLink.entity_id)
            .where(RowLink.version_id == version.id)
        )
        return {row: lcid for row, lcid in session.execute(query)}


def version_id(node: Node, slug: str) -> int:
    with unit_of_work(node.sessions) as session:
        return catalog.get_version(slug, 1, reader=NODE_ADMIN, session=session).id


@pytest.fixture
def linked(world: World, stand_in_engine: StandIn) -> World:
    """An open supplier list whose five rows are linked (all new), the first with an OS ID."""
    add_list(world, "supplier-ids", WITH_OS_ID)
    job = link(world.node, "supplier-ids")
    assert job.counts["new"] == 5
    return world


def add_internal_audit(world: World) -> None:
    """brand-watch's internal list gives the first supplier a WikiRate ID (linked to it)."""
    make_dataset(world.node, "bw-audits", "brand-watch", access="internal")
    audits = world.files / "bw-audits.csv"
    audits.write_text("factory,country,WikiRate ID\nDhaka Knit Composite Ltd.,BD,7734\n")
    ingest(world.node, "bw-audits", audits)
    assert link(world.node, "bw-audits").counts["linked"] == 1  # the same facility


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx", "parquet"])
def test_every_format_carries_lcid_link_status_and_os_id(
    client: TestClient, linked: World, fmt: str
) -> None:
    rows = table(download(client, "supplier-ids", fmt, entities="true"), fmt)
    expected = lcids(linked.node, "supplier-ids")
    assert [r["lcid"] for r in rows] == [expected[n] for n in range(1, 6)]
    assert [r["link_status"] for r in rows] == ["new"] * 5
    assert [r["os_id"] for r in rows] == [DHAKA_OS_ID, None, None, None, None]
    assert rows[1]["Facility Name"] == "Saigon Garment Co."  # data columns first, file order
    assert list(rows[0])[:4] == ["Facility Name", "Address", "Country", "OS ID"]


def test_without_entities_the_download_is_unchanged(client: TestClient, linked: World) -> None:
    for fmt in ("csv", "json", "parquet"):
        plain = download(client, "supplier-ids", fmt)
        explicit = download(client, "supplier-ids", fmt, entities="false")
        assert explicit.content == plain.content
        assert explicit.headers["etag"] == plain.headers["etag"]
        assert "immutable" in plain.headers["cache-control"]
        assert "lcid" not in table(plain, fmt)[0]
        assert "-entities" not in plain.headers["content-disposition"]


def test_entity_ids_are_revalidated_never_cached_as_immutable(
    client: TestClient, linked: World
) -> None:
    plain = download(client, "supplier-ids")
    first = download(client, "supplier-ids", entities="true")
    assert first.headers["etag"] != plain.headers["etag"]
    assert "immutable" not in first.headers["cache-control"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert "supplier-ids-v1-entities.csv" in first.headers["content-disposition"]
    url = URL.format(slug="supplier-ids", what="download")
    same = client.get(
        url, params={"entities": "true"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert same.status_code == 304
    saigon, hanoi = lcids(linked.node, "supplier-ids")[2], lcids(linked.node, "supplier-ids")[3]
    with unit_of_work(linked.node.sessions) as session:
        entities.merge_entities(
            saigon, MergeRequest(into=hanoi, reason="same site"), actor=NODE_ADMIN, session=session
        )
    after = client.get(
        url, params={"entities": "true"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert after.status_code == 200  # the links changed, so the validator did
    assert after.headers["etag"] != first.headers["etag"]
    assert [r["lcid"] for r in table(after, "csv")][1:3] == [hanoi, hanoi]  # the survivor


def test_a_row_in_review_or_not_linked_is_blank(
    client: TestClient, linked: World, stand_in_engine: StandIn
) -> None:
    add_list(linked, "brand-list", "supplier,country\nSaigon Textiles,VN\nNowhere Mill,VN\n")
    make_version_unlinked = "supplier,country\nAnother,VN\n"
    add_list(linked, "unlinked", make_version_unlinked)
    assert link(linked.node, "brand-list").counts["review"] == 1
    rows = table(download(client, "brand-list", entities="true"), "csv")
    assert rows[0]["link_status"] == "review" and rows[0]["lcid"] is None
    assert rows[1]["link_status"] == "new" and rows[1]["lcid"]
    never = table(download(client, "unlinked", entities="true"), "csv")
    assert never == [{"supplier": "Another", "country": "VN", "lcid": None, "link_status": "blank"}]


def test_an_identifier_from_another_organizations_internal_list_is_shown_only_to_its_readers(
    client: TestClient, linked: World, stand_in_engine: StandIn
) -> None:
    add_internal_audit(linked)
    anonymous = table(download(client, "supplier-ids", entities="true"), "csv")
    assert "wikirate" not in anonymous[0] and "7734" not in str(anonymous)
    assert anonymous[0]["os_id"] == DHAKA_OS_ID  # open evidence stays visible
    others = table(download(client, "supplier-ids", member=linked.owner, entities="true"), "csv")
    assert "wikirate" not in others[0]  # garment-union may not read brand-watch's list either
    owner = table(download(client, "supplier-ids", member=linked.outsider, entities="true"), "csv")
    assert owner[0]["wikirate"] == "7734" and owner[1]["wikirate"] is None
    with unit_of_work(linked.node.sessions) as session:
        reads = list(
            session.scalars(select(AuditRecord).where(AuditRecord.action == "rows.download"))
        )
    shown = [r for r in reads if r.details.get("slug") == "bw-audits"]
    assert [r.actor for r in shown] == ["owner@brand-watch.example"]
    assert shown[0].details["shown_with"] == {"slug": "supplier-ids", "version": 1}


def test_the_rows_api_adds_the_same_fields_for_each_reader(
    client: TestClient, linked: World, stand_in_engine: StandIn
) -> None:
    add_internal_audit(linked)
    url = URL.format(slug="supplier-ids", what="rows")
    params = {"entities": "true", "_size": 2, "_page": 1}
    owner = client.get(url, params=params, headers=linked.outsider.headers)
    assert owner.status_code == 200, owner.text
    first = owner.json()["rows"][0]
    assert first["lcid"] == lcids(linked.node, "supplier-ids")[1]
    assert first["os_id"] == DHAKA_OS_ID and first["wikirate"] == "7734"
    assert owner.json()["rows"][1]["wikirate"] is None  # every row of a page has the columns
    anonymous = client.get(url, params=params)  # the same page, now cached
    assert anonymous.json()["rows"][0]["os_id"] == DHAKA_OS_ID
    assert "wikirate" not in anonymous.json()["rows"][0]
    assert anonymous.headers["cache-control"] == "private, no-store"
    plain = client.get(url, params={"_size": 2}).json()["rows"][0]
    assert "lcid" not in plain and "link_status" not in plain
    filtered = client.get(url, params={"entities": "true", "Country": "Viet Nam"}).json()
    assert filtered["rows"][0]["lcid"] == lcids(linked.node, "supplier-ids")[2]


def test_a_sealed_version_is_exported_with_ids_in_memory_only(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    add_list(world, "private-list", WITH_OS_ID, access="internal")
    link(world.node, "private-list")
    with unit_of_work(world.node.sessions) as session:
        version = catalog.get_version("private-list", 1, reader=NODE_ADMIN, session=session)
        assert not world.node.store.path_for(version.parquet_sha256).exists()  # sealed
    expected = lcids(world.node, "private-list")
    for fmt in ("csv", "xlsx", "parquet", "json"):
        rows = table(download(client, "private-list", fmt, world.owner, entities="true"), fmt)
        assert [r["lcid"] for r in rows] == [expected[n] for n in range(1, 6)]
        assert rows[0]["os_id"] == DHAKA_OS_ID
        assert list(world.node.tmp_dir.iterdir()) == []
    with unit_of_work(world.node.sessions) as session:
        records = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "rows.download")
        ).all()
    assert {r.details["format"] for r in records if r.details.get("entities")} == {
        "csv",
        "xlsx",
        "parquet",
        "json",
    }


def test_several_kinds_and_a_data_column_named_lcid(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    add_list(world, "mixed", "lcid,name,brand\nX1,Dhaka Knit,Acme\nX2,Saigon Mill,Acme\n")
    link(world.node, "mixed", kind="facility", mapping={"name": "name"})
    link(world.node, "mixed", kind="brand", mapping={"name": "brand"})
    rows = table(download(client, "mixed", entities="true"), "csv")
    assert list(rows[0]) == [
        "lcid",
        "name",
        "brand",
        "lcid_1",
        "facility_lcid",
        "brand_lcid",
        "link_status",
    ]
    assert rows[0]["lcid"] == "X1"  # the data column, as stored
    assert rows[0]["lcid_1"] == rows[0]["facility_lcid"] and rows[0]["lcid_1"].startswith("F")
    assert all(r["brand_lcid"].startswith("B") for r in rows)
    assert [r["link_status"] for r in rows] == ["new", "new"]  # of the first kind, facility


def test_strict_input(client: TestClient, linked: World) -> None:
    url = URL.format(slug="supplier-ids", what="download")
    bad = client.get(url, params={"format": "docx", "entities": "true"})
    assert bad.status_code == 400 and "unknown format" in bad.json()["error"]["message"]
    assert client.get(url, params={"entities": "perhaps"}).status_code == 422


def test_the_cli_exports_with_ids(
    settings: Settings, linked: World, tmp_path: Path, stand_in_engine: StandIn
) -> None:
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    runner = CliRunner()
    expected = lcids(linked.node, "supplier-ids")
    for fmt in ("csv", "parquet"):
        output = tmp_path / f"ids.{fmt}"
        args = ["datasets", "export", "supplier-ids", "--format", fmt, "--output", str(output)]
        result = runner.invoke(app, [*args, "--entities"], env=env)
        assert result.exit_code == 0, result.output
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(output.read_text())))
        else:
            rows = pq.read_table(output).to_pylist()
        assert [r["lcid"] for r in rows] == [expected[n] for n in range(1, 6)]
        assert rows[0]["os_id"] == DHAKA_OS_ID
    plain = tmp_path / "plain.csv"
    args = ["datasets", "export", "supplier-ids", "--format", "csv", "--output", str(plain)]
    assert runner.invoke(app, args, env=env).exit_code == 0
    assert "lcid" not in plain.read_text().splitlines()[0]
    refused = runner.invoke(app, [*args[:4], "original", "--output", "x", "--entities"], env=env)
    assert refused.exit_code != 0


def test_the_dataset_page_offers_csv_with_ids_only_for_linked_versions(
    client: TestClient, linked: World
) -> None:
    assert "CSV with entity IDs" in client.get("/datasets/supplier-ids").text
    assert "entities=true" in client.get("/datasets/supplier-ids").text
    assert "CSV with entity IDs" not in client.get("/datasets/suppliers").text
