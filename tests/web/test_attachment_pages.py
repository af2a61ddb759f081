"""An answer's attachments on the web: listed and attached by signed-in readers who see the
answer, downloaded with the session, a hidden answer's page like a missing one's."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.core.db import unit_of_work
from laborcommons.evidence.models import EvidenceAnswer
from tests.evidence.conftest import Sources, map_all
from tests.evidence.conftest import sources as sources  # the fixture
from tests.web.test_evidence_pages import browser

PHOTO = b"\x89PNG payslip photo: net 178 USD"


def _answer(sources: Sources, method: str) -> int:
    with unit_of_work(sources.node.sessions) as session:
        query = select(EvidenceAnswer.id).where(EvidenceAnswer.method == method)
        return int(session.scalars(query.order_by(EvidenceAnswer.id)).first() or 0)


def _token(tab: TestClient, path: str) -> str:
    page = tab.get(path).text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_steward_attaches_a_photo_and_only_readers_of_the_answer_get_it(
    client: TestClient, sources: Sources
) -> None:
    map_all(sources.node)
    payslip = _answer(sources, "payslip")
    path = f"/answers/{payslip}/attachments"
    brand = browser(client, sources.brand)
    page = brand.get(path)
    assert page.status_code == 200 and "No files yet." in page.text
    assert page.headers["cache-control"] == "private, no-store"
    sent = brand.post(
        path,
        data={"csrf_token": _token(brand, path), "comment": "March"},
        files={"file": ("photo.png", PHOTO, "image/png")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    listed = brand.get(path).text
    assert "Attached photo.png." in listed and "photo.png" in listed
    link = listed.split(f'href="{path}/', 1)[1].split('"', 1)[0]
    download = brand.get(f"{path}/{link}")
    assert download.status_code == 200 and download.content == PHOTO
    outsider = browser(client, sources.outsider)
    hidden, missing = outsider.get(path), outsider.get("/answers/999999/attachments")
    assert hidden.status_code == missing.status_code == 404
    assert outsider.get(f"{path}/{link}").status_code == 404
    anonymous_upload = client.post(path, files={"file": ("x.png", b"x")})
    assert anonymous_upload.status_code == 401  # refused before the body is read
    lcid = client.get("/api/v1/entities", params={"q": "Dhaka Knit"}).json()["items"][0]["lcid"]
    panel = brand.get(f"/entities/{lcid}").text
    assert f'href="{path}">1 file<span' in panel
