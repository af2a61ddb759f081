"""The linking flow and the review queue in the browser's terms: who may do what, and what
each step leaves behind (a dry run nothing; a link run entities; a decision its link)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities.models import Entity, ReviewCandidate, RowLink
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, form_fields, sign_in, table_rows

# Two brands' lists of the same factories, spelled the way each brand's systems spell them.
HARBOR = (
    "Factory Name,Address,City,Country\n"
    'Dhaka Knit Composite Ltd,"Plot 12, Road 4, Sector 7, Uttara",Dhaka,Bangladesh\n'
    "Saigon Apparel Joint Stock Company,15 Nguyen Van Linh Street,Ho Chi Minh City,Viet Nam\n"
    "广州华丽服装有限公司,番禺区市桥街88号,广州,China\n"
    "İstanbul Örme Tekstil A.Ş.,Organize Sanayi Bölgesi 5. Cadde No 12,İstanbul,Türkiye\n"
    "Phnom Penh Sewing Co. Ltd.,Street 271 Sangkat Boeung Tumpun,Phnom Penh,Cambodia\n"
    "Colombo Intimates (Pvt) Ltd,45 Galle Road,Colombo,Sri Lanka\n"
)
VELTA = (
    "supplier_name;street;city;country_code\n"
    "DHAKA KNIT COMPOSITE LIMITED;PLOT 12, ROAD 4, SECTOR 7, UTTARA;DHAKA;BD\n"
    "SAIGON APPAREL JSC;88 LE LOI;HO CHI MINH CITY;VN\n"
    "Saigon Apparel Company;200 Le Loi;Ho Chi Minh City;VN\n"
    "Istanbul Orme Tekstil AS;Organize Sanayi Bolgesi 5. Cd. No:12;Istanbul;TR\n"
    "Phnom Penh Sewing;St. 271, Boeung Tumpun;Phnom Penh;KH\n"
    "Karachi Denim Mills (Pvt.) Ltd;Plot 7 Korangi Industrial Area;Karachi;PK\n"
)


@pytest.fixture
def lists(node: Node, owner: Member, tmp_path: Path) -> dict[str, str]:
    """Two open supplier lists of the owner's organization, one version each."""
    slugs = {"harbor": "harbor-suppliers", "velta": "velta-suppliers"}
    for key, text in (("harbor", HARBOR), ("velta", VELTA)):
        make_dataset(
            node,
            slugs[key],
            "garment-union",
            access="open",
            license="CC-BY-4.0",
            data_type="supply-chain",
        )
        path = tmp_path / f"{key}.csv"
        path.write_text(text, encoding="utf-8")
        ingest(node, slugs[key], path)
    return slugs


def count(node: Node, model: type) -> int:
    with unit_of_work(node.sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def link(client: TestClient, slug: str, run: str) -> str:
    """Submit the pre-filled mapping form as is; returns the job page."""
    page = client.get(f"/datasets/{slug}/link")
    assert page.status_code == 200, page.text
    fields = form_fields(page.text, f"/datasets/{slug}/link")
    response = client.post(
        f"/datasets/{slug}/link", data={**fields, "run": run}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    job = client.get(response.headers["location"])
    assert job.status_code == 200
    return job.text


def test_the_mapping_form_is_prefilled_from_the_headers(client, owner, lists):
    sign_in(client, owner)
    fields = form_fields(
        client.get(f"/datasets/{lists['velta']}/link").text, f"/datasets/{lists['velta']}/link"
    )
    assert fields["name"] == "supplier_name"
    assert fields["address"] == "street"
    assert fields["city"] == "city"
    assert fields["country"] == "country_code"
    assert fields["postal_code"] == ""


def test_only_editors_of_the_organization_may_link(client, node, owner, lists):
    slug = lists["harbor"]
    assert client.get(f"/datasets/{slug}/link").status_code == 401
    make_org(node, "other-union")
    outsider = make_member(node, "editor@other.example", "other-union", "editor")
    sign_in(client, outsider)
    assert client.get(f"/datasets/{slug}/link").status_code == 403
    token = csrf_from(client, "/entities")  # any page gives the session's token
    response = client.post(
        f"/datasets/{slug}/link", data={"csrf_token": token, "version": "1", "name": "Factory Name"}
    )
    assert response.status_code == 403
    assert count(node, Entity) == 0
    make_dataset(node, "case-notes", "garment-union")  # internal: hidden from outsiders
    assert client.get("/datasets/case-notes/link").status_code == 404


def test_a_form_without_a_csrf_token_is_refused(client, node, owner, lists):
    sign_in(client, owner)
    response = client.post(
        f"/datasets/{lists['harbor']}/link",
        data={"version": "1", "name": "Factory Name", "run": "link"},
    )
    assert response.status_code == 403
    assert count(node, Entity) == 0


def test_a_bad_mapping_is_explained_on_the_form(client, node, owner, lists):
    sign_in(client, owner)
    slug = lists["harbor"]
    token = csrf_from(client, f"/datasets/{slug}/link")
    response = client.post(
        f"/datasets/{slug}/link",
        data={"csrf_token": token, "version": "1", "name": "", "run": "dry-run"},
    )
    assert response.status_code == 422
    assert "name" in response.text and 'role="alert"' in response.text
    response = client.post(
        f"/datasets/{slug}/link",
        data={"csrf_token": token, "version": "1", "name": "Fabrikname", "run": "dry-run"},
    )
    assert response.status_code == 422
    assert "Fabrikname" in response.text
    assert count(node, Entity) == 0


def test_dry_run_then_link_then_review(client, node, owner, lists):
    sign_in(client, owner)
    dry = link(client, lists["harbor"], "dry-run")
    assert "Dry run finished: nothing was changed." in dry
    outcomes = table_rows(dry, "outcomes")
    assert len(outcomes) == 6 and {row[2] for row in outcomes} == {"new"}
    assert count(node, Entity) == 0 and count(node, RowLink) == 0

    done = link(client, lists["harbor"], "link")
    assert "Done." in done
    assert count(node, Entity) == 6

    velta = link(client, lists["velta"], "link")
    with unit_of_work(node.sessions) as session:
        query = select(RowLink.status, func.count()).group_by(RowLink.status)
        statuses = {status: number for status, number in session.execute(query)}
    assert statuses["linked"] >= 3  # Dhaka, Istanbul, Phnom Penh: same names, same streets
    assert statuses["review"] >= 1  # Saigon at other street numbers: a person decides
    assert '<a class="button" href="/review?dataset=velta-suppliers">' in velta

    queue = client.get("/review", params={"dataset": lists["velta"]})
    fields = form_fields(queue.text, "/review/bulk")
    for candidate_id, name in open_candidates(node):
        action = "reject" if name == "Saigon Apparel Company" else "accept"
        response = client.post(
            f"/review/{candidate_id}/{action}", data=fields, follow_redirects=False
        )
        assert response.status_code == 303
    assert open_candidates(node) == []
    # The rejected row became an entity of its own; the accepted one joined Harbor's.
    saigon = table_rows(client.get("/entities", params={"q": "saigon apparel"}).text, "entities")
    assert len(saigon) == 2
    karachi = client.get("/entities", params={"q": "karachi denim"})
    assert len(table_rows(karachi.text, "entities")) == 1  # only on Velta's list: new
    dhaka = table_rows(client.get("/entities", params={"q": "dhaka knit"}).text, "entities")
    assert len(dhaka) == 1
    page = client.get(f"/entities/{dhaka[0][-1]}").text
    mentions = {row[0] for row in table_rows(page, "mentions")}
    assert mentions == {"Harbor-Suppliers", "Velta-Suppliers"}
    assert "DHAKA KNIT COMPOSITE LIMITED" in {row[0] for row in table_rows(page, "names")}


def open_candidates(node: Node) -> list[tuple[int, str]]:
    with unit_of_work(node.sessions) as session:
        query = select(ReviewCandidate).where(ReviewCandidate.status == "open")
        return [
            (c.id, c.record["name"]) for c in session.scalars(query.order_by(ReviewCandidate.id))
        ]


def count_open(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        query = select(func.count()).where(ReviewCandidate.status == "open")
        return session.scalar(query) or 0


@pytest.fixture
def candidates(node: Node, owner: Member, lists: dict[str, str]) -> list[int]:
    """Both lists linked: Velta's two Saigon rows (other street numbers) need a person."""
    from laborcommons.access import NODE_ADMIN
    from laborcommons.entities.schemas import LinkJobCreate
    from laborcommons.entities.service import create_link_job, execute_link_job

    for slug in (lists["harbor"], lists["velta"]):
        with unit_of_work(node.sessions) as session:
            data = LinkJobCreate(dataset=slug)
            job_id = create_link_job(data, reader=NODE_ADMIN, session=session).id
        execute_link_job(job_id, reader=NODE_ADMIN, node=node)
    with unit_of_work(node.sessions) as session:
        query = select(ReviewCandidate.id).where(ReviewCandidate.status == "open")
        found = list(session.scalars(query.order_by(ReviewCandidate.id)))
    assert len(found) >= 2, "the Saigon rows should need review"
    return found


def candidate_status(node: Node, candidate_id: int) -> str:
    with unit_of_work(node.sessions) as session:
        return session.get_one(ReviewCandidate, candidate_id).status


def test_the_queue_shows_each_pair_field_by_field(client, owner, candidates):
    assert client.get("/review").status_code == 401
    sign_in(client, owner)
    page = client.get("/review")
    assert page.status_code == 200
    assert f"{len(candidates)} candidate" in page.text
    comparison = table_rows(page.text, "comparison")
    assert comparison and comparison[0][0] == "Name"  # field, this row, the entity, agreement
    assert ["Name", "SAIGON APPAREL JSC", "Saigon Apparel Joint Stock Company"] in [
        row[:3] for row in comparison
    ]
    assert any("weight" in row[3] for row in comparison)
    assert 'class="probability"' in page.text and 'class="weight"' in page.text


def test_only_editors_of_the_lists_organization_decide(client, node, candidates):
    make_org(node, "other-union")
    outsider = make_member(node, "editor@other.example", "other-union", "editor")
    viewer = make_member(node, "viewer@union.example", "garment-union", "viewer")
    for member in (outsider, viewer):
        client.cookies.clear()
        sign_in(client, member)
        assert "0 candidates" in client.get("/review").text
        token = csrf_from(client, "/review")
        response = client.post(f"/review/{candidates[0]}/accept", data={"csrf_token": token})
        assert response.status_code == 404  # not 403: the pair is not theirs to see
        bulk = client.post(
            "/review/bulk", data={"csrf_token": token, "ids": candidates[:1], "action": "reject"}
        )
        assert bulk.status_code == 404
    assert candidate_status(node, candidates[0]) == "open"


def test_accept_reject_and_bulk(client, node, owner, candidates):
    sign_in(client, owner)
    fields = form_fields(client.get("/review").text, "/review/bulk")
    assert client.post(f"/review/{candidates[0]}/accept", data={}).status_code == 403  # no CSRF
    assert candidate_status(node, candidates[0]) == "open"
    assert client.post(f"/review/{candidates[0]}/merge", data=fields).status_code == 404

    response = client.post(f"/review/{candidates[0]}/accept", data=fields, follow_redirects=False)
    assert response.status_code == 303
    assert candidate_status(node, candidates[0]) == "accepted"
    with unit_of_work(node.sessions) as session:
        decided = session.get_one(ReviewCandidate, candidates[0])
        link = session.scalars(
            select(RowLink).where(
                RowLink.version_id == decided.version_id,
                RowLink.row_number == decided.row_number,
            )
        ).one()
        assert (link.status, link.method) == ("linked", "decision")
    again = client.post(f"/review/{candidates[0]}/accept", data=fields)
    assert again.status_code == 409  # decided once, never asked again

    rest = [c for c in candidates[1:] if candidate_status(node, c) == "open"]
    response = client.post(
        "/review/bulk",
        data={**fields, "ids": rest, "action": "reject", "reason": "different sites"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert {candidate_status(node, c) for c in rest} == {"rejected"}
    page = client.get(response.headers["location"])
    assert f"Rejected {len(rest)} candidate(s)." in page.text
    assert "0 candidates" in client.get("/review").text
    nothing = client.post("/review/bulk", data={**fields, "action": "accept"})
    assert nothing.status_code == 200 and "Select at least one candidate first." in nothing.text


def test_hidden_datasets_are_never_named_on_entity_pages(client, node, owner, lists, tmp_path):
    from laborcommons.access import NODE_ADMIN
    from laborcommons.entities.schemas import LinkJobCreate
    from laborcommons.entities.service import create_link_job, execute_link_job

    make_dataset(node, "velta-private", "garment-union", title="Velta private list")
    path = tmp_path / "private.csv"
    path.write_text(VELTA, encoding="utf-8")
    ingest(node, "velta-private", path)
    for slug in (lists["harbor"], "velta-private"):
        with unit_of_work(node.sessions) as session:
            job_id = create_link_job(
                LinkJobCreate(dataset=slug), reader=NODE_ADMIN, session=session
            ).id
        execute_link_job(job_id, reader=NODE_ADMIN, node=node)
    lcid = table_rows(client.get("/entities", params={"q": "dhaka knit"}).text, "entities")[0][-1]

    def mentions() -> set[str]:
        return {row[0] for row in table_rows(client.get(f"/entities/{lcid}").text, "mentions")}

    assert mentions() == {"Harbor-Suppliers"}  # anonymous
    make_org(node, "other-union")
    client.cookies.clear()
    sign_in(client, make_member(node, "editor@other.example", "other-union", "editor"))
    assert mentions() == {"Harbor-Suppliers"}
    client.cookies.clear()
    sign_in(client, owner)
    assert mentions() == {"Harbor-Suppliers", "Velta private list"}


def test_a_running_job_page_shows_progress_and_refreshes(client, node, owner, lists):
    from laborcommons.access import NODE_ADMIN
    from laborcommons.entities.schemas import LinkJobCreate
    from laborcommons.entities.service import create_link_job

    with unit_of_work(node.sessions) as session:  # created, not yet run
        job_id = create_link_job(
            LinkJobCreate(dataset=lists["velta"]), reader=NODE_ADMIN, session=session
        ).id
    sign_in(client, owner)
    page = client.get(f"/datasets/{lists['velta']}/link/jobs/{job_id}")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "Pending: 0 of 6 rows" in page.text
    assert '<progress max="6" value="0"' in page.text
    other = client.get(f"/datasets/{lists['harbor']}/link/jobs/{job_id}")
    assert other.status_code == 404  # a job is shown under its own dataset only
    client.cookies.clear()
    make_dataset(node, "case-notes", "garment-union")
    assert client.get(f"/datasets/case-notes/link/jobs/{job_id}").status_code == 404
