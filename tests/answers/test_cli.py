"""`laborcommons answers`: enable, list, ask and log, asserting the state they leave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.answers.models import CachedAnswer, Ledger, Question
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.answers.survey import make_survey, worker_rows
from tests.factories import ingest, make_dataset

runner = CliRunner()


@pytest.fixture
def env(node: Node, settings: Settings, tmp_path: Path) -> dict[str, str]:
    make_survey(node, tmp_path, worker_rows({"A": 14, "B": 12, "C": 3}))
    values = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


def run(env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, ["answers", *args], env=env)


def enable(env: dict[str, str], *extra: str) -> Result:
    return run(
        env,
        "enable",
        "payslips",
        "mean-wage",
        "--algorithm",
        "mean",
        "--subject",
        "worker_id",
        "--value",
        "wage",
        "--by",
        "facility;facility,gender",
        "--bounds",
        "0,1000",
        "--budget",
        "2",
        *extra,
    )


def questions(node: Node) -> list[Question]:
    with unit_of_work(node.sessions) as session:
        return list(session.scalars(select(Question)))


def test_enable_stores_the_question(env: dict[str, str], node: Node) -> None:
    result = enable(env, "--epsilon", "0.5", "--min-subjects", "12", "--dominance-p", "20")
    assert result.exit_code == 0, result.output
    assert "Enabled mean-wage (mean@1) on payslips for anyone" in result.output
    (stored,) = questions(node)
    assert stored.breakdowns == [["facility"], ["facility", "gender"]]
    assert (stored.bounds, stored.epsilon, stored.budget) == ([0.0, 1000.0], 0.5, 2.0)
    assert (stored.min_subjects, stored.dominance_p, stored.audience_kind) == (12, 20.0, "anyone")
    listed = run(env, "list", "payslips", "--json")
    assert [q["name"] for q in json.loads(listed.output)] == ["mean-wage"]
    assert "mean-wage" in run(env, "list", "payslips").output


def test_enable_refusals_change_nothing(env: dict[str, str], node: Node) -> None:
    low = enable(env, "--min-subjects", "3")
    assert low.exit_code == 2 and "min_subjects" in low.output
    both = enable(env, "--below", "5", "--below-column", "wage")
    assert both.exit_code == 2 and "not both" in both.output
    nested = run(
        env,
        "enable",
        "payslips",
        "x",
        "--algorithm",
        "count",
        "--subject",
        "worker_id",
        "--by",
        "facility;gender",
    )
    assert nested.exit_code == 7 and "not nested" in nested.output
    bad = enable(env, "--bounds", "0,lots")
    assert bad.exit_code == 2 and "--bounds" in bad.output
    assert questions(node) == []


def test_ask_caches_and_spends_the_admins_own_budget(env: dict[str, str], node: Node) -> None:
    assert enable(env).exit_code == 0
    first = run(env, "ask", "payslips", "mean-wage", "--by", "facility", "--json")
    assert first.exit_code == 0, first.output
    answer = json.loads(first.output)
    assert (answer["algorithm"], answer["version"], answer["cached"]) == ("mean@1", 1, False)
    again = json.loads(
        run(env, "ask", "payslips", "mean-wage", "--by", "facility", "--json").output
    )
    assert again["cached"] and again["cells"] == answer["cells"]
    table = run(env, "ask", "payslips", "mean-wage", "--by", "facility")
    assert "threshold" in table.output and "(cached)" in table.output
    assert run(env, "ask", "payslips", "mean-wage", "--by", "gender,facility").exit_code == 0
    spent = run(env, "ask", "payslips", "mean-wage", "--by", "facility")  # cached: free
    assert spent.exit_code == 0
    with unit_of_work(node.sessions) as session:
        (ledger,) = session.scalars(select(Ledger)).all()
        assert (ledger.reader_name, ledger.spent, ledger.answers) == ("node-admin (cli)", 2.0, 2)
        assert len(session.scalars(select(CachedAnswer)).all()) == 2


def test_budget_spent_exits_9_and_log_shows_it(
    env: dict[str, str], node: Node, tmp_path: Path
) -> None:
    assert enable(env, "--budget", "1").exit_code == 0
    assert run(env, "ask", "payslips", "mean-wage").exit_code == 0
    refused = run(env, "ask", "payslips", "mean-wage", "--by", "facility,gender")
    assert refused.exit_code == 9 and "renews" in refused.output
    log = json.loads(run(env, "log", "payslips", "mean-wage", "--json").output)
    assert [e["outcome"] for e in log["entries"]] == ["refused", "ok"]
    assert log["budgets"][0]["spent"] == 1.0
    assert "node-admin (cli)" in run(env, "log", "payslips", "mean-wage").output


def test_below_column_from_another_dataset(env: dict[str, str], node: Node, tmp_path: Path) -> None:
    rows = "worker_id,country,wage\n" + "".join(f"w{i},BD,{300 + 10 * i}\n" for i in range(12))
    make_dataset(node, "survey", "union")
    (tmp_path / "s.csv").write_text(rows, encoding="utf-8")
    ingest(node, "survey", tmp_path / "s.csv")
    make_dataset(node, "reference-wages", "union", access="open", license="CC0-1.0")
    (tmp_path / "r.csv").write_text("country,living\nBD,360\n", encoding="utf-8")
    ingest(node, "reference-wages", tmp_path / "r.csv")
    result = run(
        env,
        "enable",
        "survey",
        "below",
        "--algorithm",
        "share-below",
        "--subject",
        "worker_id",
        "--value",
        "wage",
        "--by",
        "country",
        "--below-column",
        "reference-wages:living@country",
    )
    assert result.exit_code == 0, result.output
    (stored,) = [q for q in questions(node) if q.name == "below"]
    assert stored.below_column == "union~reference-wages:living@country"
    assert run(env, "ask", "survey", "below", "--json").exit_code == 0


def test_publish_makes_an_open_dataset_from_the_answer(env: dict[str, str], node: Node) -> None:
    assert enable(env).exit_code == 0
    args = ["publish", "payslips", "mean-wage", "--by", "facility", "--as", "wage-indications"]
    result = run(env, *args, "--license", "CC-BY-4.0", "--access", "open")
    assert result.exit_code == 0, result.output
    assert "wage-indications version 1: published" in result.output
    assert "2 suppressed" in result.output  # C under the threshold, B to protect it
    again = run(env, *args, "--license", "CC-BY-4.0", "--access", "open")
    assert "unchanged" in again.output
    bad = run(env, *args, "--license", "CC-BY-4.0", "--access", "everyone")
    assert bad.exit_code == 2 and "access" in bad.output
