"""Safe answers through the pages: an owner enables a question with the editor, anyone asks
it with a form and reads hidden cells explained, the owner reads the log and publishes.

The pages call the same services as the API: the same strict checks (a bad form changes
nothing), the same 404 for what a reader may not see, the same 429 when a budget is spent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.answers.deps import answer_noise
from laborcommons.answers.noise import SeededNoise
from laborcommons.core.node import Node
from tests.answers.survey import make_survey, worker_rows
from tests.factories import Member, make_member
from tests.web.steps import csrf_from, form_fields, sign_in, table_rows

PAGE = "/datasets/payslips/questions"
EDITOR = {
    "name": "mean-wage",
    "algorithm": "mean",
    "subject": "worker_id",
    "value": "wage",
    "by": "facility; facility,gender",
    "bounds": "0,1000",
    "budget": "2",
}


@pytest.fixture
def owner(node: Node, client: TestClient, tmp_path: Path) -> Member:
    make_survey(node, tmp_path, worker_rows({"A": 14, "B": 12, "C": 3}))
    client.app.dependency_overrides[answer_noise] = lambda: SeededNoise(7)  # type: ignore[attr-defined]
    return make_member(node, "owner@union.example", "union", "owner")


def enable_with_editor(client: TestClient, owner: Member, **changes: str):
    sign_in(client, owner)
    fields = {**form_fields(client.get(PAGE).text, PAGE), **EDITOR, **changes}
    return client.post(PAGE, data=fields, follow_redirects=False)


def test_owner_enables_with_the_editor_and_anyone_asks_with_a_form(
    client: TestClient, owner: Member
) -> None:
    enabled = enable_with_editor(client, owner)
    assert enabled.status_code == 303, enabled.text
    assert enabled.headers["location"] == f"{PAGE}/mean-wage"
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})

    dataset = client.get("/datasets/payslips")  # internal, listed for its question
    assert dataset.status_code == 200
    assert f'href="{PAGE}/mean-wage"' in dataset.text
    assert "table rows" not in dataset.text and "Download version" not in dataset.text
    page = client.get(f"{PAGE}/mean-wage")
    assert page.status_code == 200 and "Answer log" not in page.text
    fields = form_fields(page.text, f"{PAGE}/mean-wage/answers")
    assert fields["by"] == "facility"
    answered = client.post(f"{PAGE}/mean-wage/answers", data=fields)
    assert answered.status_code == 200, answered.text
    assert answered.headers["cache-control"] == "private, no-store"
    rows = {row[0]: row for row in table_rows(answered.text, "answer-table")}
    assert rows["C"][1:] == ["hidden", "fewer than 10 workers"]
    assert rows["A"][1] != "hidden" and rows["A"][2] == ""
    assert "at 95%" in answered.text and "Your budget: 1 left of 2" in answered.text

    again = client.post(f"{PAGE}/mean-wage/answers", data=fields)
    assert {r[0]: r for r in table_rows(again.text, "answer-table")} == rows
    assert "Your budget: 1 left of 2" in again.text  # the stored answer costs nothing


def test_a_breakdown_outside_the_question_is_refused_on_the_page(
    client: TestClient, owner: Member
) -> None:
    enable_with_editor(client, owner)
    token = csrf_from(client, f"{PAGE}/mean-wage")
    refused = client.post(f"{PAGE}/mean-wage/answers", data={"by": "gender", "csrf_token": token})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "gender" in refused.text
    assert not table_rows(refused.text, "answer-table")


def test_a_spent_budget_is_429_with_when_it_renews(client: TestClient, owner: Member) -> None:
    enable_with_editor(client, owner, budget="1")
    token = csrf_from(client, f"{PAGE}/mean-wage")
    first = client.post(f"{PAGE}/mean-wage/answers", data={"by": "facility", "csrf_token": token})
    assert first.status_code == 200
    spent = client.post(
        f"{PAGE}/mean-wage/answers", data={"by": "facility,gender", "csrf_token": token}
    )
    assert spent.status_code == 429 and int(spent.headers["retry-after"]) > 0
    assert "budget" in spent.text and "renews at" in spent.text


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"min_subjects": "3"}, "min_subjects"),
        ({"value": "salary"}, "salary"),
        ({"bounds": "0,ten"}, "Bounds takes numbers"),
        ({"algorithm": "sum"}, "algorithm"),
    ],
)
def test_a_bad_editor_form_says_why_and_enables_nothing(
    client: TestClient, owner: Member, changes: dict[str, str], says: str
) -> None:
    refused = enable_with_editor(client, owner, **changes)
    assert refused.status_code == 422, refused.text
    assert says in refused.text
    assert f'value="{changes.get("value", "wage")}"' in refused.text  # the form is kept
    assert client.get(f"{PAGE}/mean-wage").status_code == 404


def test_the_owner_reads_the_log_and_publishes_the_answer(
    client: TestClient, owner: Member
) -> None:
    enable_with_editor(client, owner)
    anonymous = TestClient(client.app)
    token = csrf_from(anonymous, f"{PAGE}/mean-wage")
    anonymous.post(f"{PAGE}/mean-wage/answers", data={"by": "facility", "csrf_token": token})

    page = client.get(f"{PAGE}/mean-wage")
    budgets = table_rows(page.text, "budgets")
    assert [row[0] for row in budgets] == ["anonymous"]
    log = table_rows(page.text, "answer-log")
    assert log[0][1:3] == ["anonymous", "answered"]
    fields = form_fields(page.text, f"{PAGE}/mean-wage/publish")
    fields.update(slug="wage-indications", title="Wage indications")
    published = client.post(f"{PAGE}/mean-wage/publish", data=fields, follow_redirects=False)
    assert published.status_code == 303, published.text
    assert published.headers["location"] == "/datasets/wage-indications"
    landing = client.get("/datasets/wage-indications")
    flash = re.search(r'class="flash"[^>]*>([^<]*)<', landing.text)
    # C is under the threshold, and one more facility hides it from the total.
    assert (
        flash and flash.group(1) == "Published: wage-indications version 1, 3 rows (2 suppressed)."
    )
    meta = client.get("/api/v1/datasets/wage-indications").json()
    assert (meta["access"], meta["license"]["id"]) == ("open", "CC-BY-4.0")


def test_outsiders_cannot_use_the_owners_forms(client: TestClient, owner: Member) -> None:
    enable_with_editor(client, owner)
    anonymous = TestClient(client.app)
    token = csrf_from(anonymous, f"{PAGE}/mean-wage")
    assert "Publish as dataset" not in anonymous.get(f"{PAGE}/mean-wage").text
    publish = {"by": "facility", "slug": "stolen", "license": "CC-BY-4.0", "access": "open"}
    refused = anonymous.post(f"{PAGE}/mean-wage/publish", data={**publish, "csrf_token": token})
    assert refused.status_code == 401
    assert anonymous.post(PAGE, data={**EDITOR, "csrf_token": token}).status_code == 401
    assert anonymous.get(f"{PAGE}/no-such-question").status_code == 404
