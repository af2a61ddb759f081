"""Evidence through the pages: the entity's evidence panel and its chart, the metrics and
their answers, the mapping form, the deviations and the verification buttons.

The pages call the evidence service, so they show exactly what the API shows a reader:
an outsider's page never carries the internal payslips, nor a consensus weighed by them.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import Entity
from laborcommons.evidence import service as evidence
from tests.evidence.conftest import Sources, map_all
from tests.evidence.conftest import sources as sources  # the fixture
from tests.factories import Member
from tests.web.steps import TOKEN, form_fields, sign_in, table_rows

MAPPINGS = "/datasets/survey/versions/1/metric-mappings"
GEOMETRY = re.compile(r'\b(points|viewBox|[xy][12]?|c[xy]|width|height)="[^"]*"')


@pytest.fixture
def mapped(sources: Sources) -> Sources:
    map_all(sources.node)
    return sources


def lcid_of(client: TestClient, name: str = "Dhaka Knit") -> str:
    return str(client.get("/api/v1/entities", params={"q": name}).json()["items"][0]["lcid"])


def wage_sources(client: TestClient, member: Member) -> dict[str, dict[str, Any]]:
    groups = client.get(f"/api/v1/entities/{lcid_of(client)}/evidence", headers=member.headers)
    wage = next(g for g in groups.json() if g["metric"] == "monthly-gross-wage")
    return {s["dataset"]: s for s in wage["sources"]}


def browser(client: TestClient, member: Member | None = None) -> TestClient:
    """A fresh browser (its own cookies), signed in as ``member`` when given."""
    tab = TestClient(client.app)
    if member is not None:
        sign_in(tab, member)
        tab.get("/")  # shows (and so clears) the "signed in" notice
    return tab


def test_the_panel_shows_the_sources_side_by_side_a_chart_and_the_explanation(
    client: TestClient, mapped: Sources
) -> None:
    page = client.get(f"/entities/{lcid_of(client)}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    rows = {row[0].split()[0]: row for row in table_rows(page.text, "evidence-sources")}
    assert rows["compliance"][1:5] == [
        "250.00 USD/month",
        "250 USD/month",
        "self-declared",
        "unverified",
    ]
    assert rows["compliance"][6].startswith("deviates") and rows["survey"][6] == "no"
    assert rows["survey"][2] == "640000 IDR/week"
    assert "gives 250.00 USD/month, 44% above the worker survey (survey v1) at 173.33" in page.text
    assert '<title id="evidence-chart-1-title">Monthly gross wage: sources over time' in page.text
    assert "compliance v1 deviates</text>" in page.text  # said in text, not only by shape
    assert "Flag" not in page.text  # anonymous readers get no buttons


def test_an_outsider_never_sees_the_internal_payslips_while_their_owner_does(
    client: TestClient, mapped: Sources
) -> None:
    path = f"/entities/{lcid_of(client)}"
    for member in (None, mapped.outsider, mapped.union):
        text = GEOMETRY.sub("", browser(client, member).get(path).text)  # not a chart's pixel
        assert "178" not in text and "payslips" not in text
    brand = browser(client, mapped.brand).get(path).text
    assert "payslips v1" in brand and "178.00 USD/month" in brand


def test_the_metric_page_lists_the_vocabulary_and_filters_the_answers(
    client: TestClient, mapped: Sources
) -> None:
    listed = client.get("/metrics")
    assert listed.status_code == 200 and 'href="/metrics/monthly-gross-wage"' in listed.text
    lcid = lcid_of(client)
    with unit_of_work(mapped.node.sessions) as session:  # only Dhaka Knit is in Cambodia
        session.execute(update(Entity).where(Entity.lcid == lcid).values(country="KH"))
    every = client.get("/metrics/monthly-gross-wage", params={"period": "2024"})
    answers = table_rows(every.text, "metric-answers")
    assert sorted(r[5] for r in answers) == ["compliance v1"] * 3 + ["survey v1"] * 2
    assert sum(int(r[1]) for r in table_rows(every.text, "distribution")) == 5
    page = client.get("/metrics/monthly-gross-wage", params={"country": "kh"})
    assert page.status_code == 200 and "Distribution of Monthly gross wage in KH" in page.text
    assert [(r[0], r[5]) for r in table_rows(page.text, "metric-answers")] == [
        ("Dhaka Knit", "compliance v1"),
        ("Dhaka Knit", "survey v1"),
    ]
    assert sum(int(r[1]) for r in table_rows(page.text, "distribution")) == 2
    empty = client.get("/metrics/monthly-gross-wage", params={"period": "2023"})
    assert table_rows(empty.text, "metric-answers") == [] and "0 answers" in empty.text
    refused = client.get("/metrics/monthly-gross-wage", params={"period": "last year"})
    assert refused.status_code == 422 and "Period: give a year" in refused.text
    assert client.get("/metrics/no-such-metric").status_code == 404


def test_an_owner_maps_a_column_and_a_bad_form_changes_nothing(
    client: TestClient, sources: Sources
) -> None:
    assert browser(client).get(MAPPINGS).status_code == 401
    assert browser(client, sources.outsider).get(MAPPINGS).status_code == 403
    sign_in(client, sources.union)
    assert f'href="{MAPPINGS}"' in client.get("/datasets/survey").text
    fields = form_fields(client.get(MAPPINGS).text, MAPPINGS)
    assert fields["column"] == "median_wage_idr_week"  # the suggestion, pre-filled
    refused = client.post(MAPPINGS, data={**fields, "column": "no_such_column"})
    assert refused.status_code == 422 and "has no column" in refused.text
    with unit_of_work(sources.node.sessions) as session:
        listed = evidence.list_mappings("survey", 1, reader=NODE_ADMIN, session=session)
    assert listed.mappings == []
    sent = {
        **fields,
        "unit": "IDR/week",
        "period_column": "year",
        "rates": "fx-rates",
        "method": "worker-survey",
    }
    done = client.post(MAPPINGS, data=sent)
    assert done.status_code == 200, done.text
    assert "2 answers added, 0 already there, 1 unreadable." in done.text
    assert table_rows(done.text, "skipped")[0][:2] == ["3", "median_wage_idr_week"]
    again = client.post(MAPPINGS, data=sent)
    assert "0 answers added, 2 already there, 1 unreadable." in again.text
    assert table_rows(again.text, "mappings")[0][6] == "2"


def test_the_deviations_page_explains_each_group_and_links_its_csv(
    client: TestClient, mapped: Sources
) -> None:
    page = client.get("/deviations", params={"metric": "monthly-gross-wage"})
    assert page.status_code == 200
    assert "Dhaka Knit" in page.text and "44% above the worker survey" in page.text
    assert f'href="/entities/{lcid_of(client)}#evidence-heading"' in page.text
    csv_url = "/deviations?metric=monthly-gross-wage&amp;format=csv"
    assert f'href="{csv_url}"' in page.text
    csv = client.get(csv_url.replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.text.count("Dhaka Knit") == 2
    assert "payslips" not in page.text and "payslips" not in csv.text
    # The download is what the signed-in reader sees: brand-watch reads its payslips.
    brand = browser(client, mapped.brand).get(csv_url.replace("&amp;", "&"))
    assert brand.text.count("Dhaka Knit") == 3 and "payslips" in brand.text
    assert brand.headers["cache-control"] == "private, no-store"


def post_verification(tab: TestClient, answer_id: int, status: str) -> httpx.Response:
    """As a form would: the session's token (the sign-out form's, or the sign-in page's)."""
    token = TOKEN.search(tab.get("/").text) or TOKEN.search(tab.get("/login").text)
    assert token
    data = {"status": status, "next": "https://elsewhere.example/", "csrf_token": token.group(1)}
    return tab.post(f"/answers/{answer_id}/verification", data=data, follow_redirects=False)


def test_verification_buttons_follow_who_stewards_the_answer(
    client: TestClient, mapped: Sources
) -> None:
    compliance = wage_sources(client, mapped.union)["compliance"]["answer_id"]
    path = f"/entities/{lcid_of(client)}"
    assert post_verification(browser(client), compliance, "flagged").status_code == 401

    outsider = browser(client, mapped.outsider)
    text = outsider.get(path).text
    assert "Flag" in text and "Community-verify" in text and "Steward-verify" not in text
    assert post_verification(outsider, compliance, "steward-verified").status_code == 403

    union = browser(client, mapped.union)
    fields = form_fields(union.get(path).text, f"/answers/{compliance}/verification")
    assert fields["next"] == f"{path}#answer-{compliance}"
    done = union.post(
        f"/answers/{compliance}/verification",
        data={**fields, "status": "steward-verified"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == fields["next"]
    rows = {r[0].split()[0]: r for r in table_rows(union.get(path).text, "evidence-sources")}
    assert rows["compliance"][4] == "steward-verified"
    assert post_verification(outsider, compliance, "community-verified").status_code == 409


def test_a_hidden_answer_answers_like_a_missing_one(client: TestClient, mapped: Sources) -> None:
    payslip = wage_sources(client, mapped.brand)["payslips"]["answer_id"]
    outsider = browser(client, mapped.outsider)
    hidden = post_verification(outsider, payslip, "flagged")
    missing = post_verification(outsider, 999_999, "flagged")
    assert hidden.status_code == missing.status_code == 404
    assert f"no answer {payslip}" in hidden.text  # the id, never anything of the answer
    assert hidden.text.replace(f"no answer {payslip}", "no answer 999999") == missing.text
