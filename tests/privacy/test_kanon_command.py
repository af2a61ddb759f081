"""`laborcommons privacy kanon` on files, as a user runs it (no node needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from laborcommons.cli.main import app

runner = CliRunner()

SURVEY = """respondent;gender;age;city;monthly_wage
r01;Female;23;Hà Nội;7200000
r02;Nữ;24;Hà Nội;6900000
r03;Female;27;Hà Nội;7100000
r04;Male;31;TP. Hồ Chí Minh;8100000
r05;Nam;33;TP. Hồ Chí Minh;7800000
r06;Male;38;TP. Hồ Chí Minh;9000000
r07;Female;41;东莞;5400
r08;Female;44;东莞;5600
r09;Female;45;东莞;5100
r10;Male;52;ঢাকা;14500
r11;Female;29;ঢাকা;13800
r12;Female;19;ঢাকা;12500
"""
GENDER = "Female;*\nNữ;*\nMale;*\nNam;*\n"
CITY = "Hà Nội;Vietnam;*\nTP. Hồ Chí Minh;Vietnam;*\n东莞;China;*\nঢাকা;Bangladesh;*\n"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "survey.csv"
    source.write_text(SURVEY, encoding="utf-8")
    hierarchies = tmp_path / "hierarchies"
    hierarchies.mkdir()
    (hierarchies / "survey_hierarchy_gender.csv").write_text(GENDER, encoding="utf-8")
    (hierarchies / "survey_hierarchy_city.csv").write_text(CITY, encoding="utf-8")
    return source, hierarchies


def _run(*args: str | Path, drop: str = "respondent") -> tuple[int, str]:
    """The survey's respondent codes are direct identifiers: every run leaves them out."""
    options = ["--drop", drop] if drop else []
    result = runner.invoke(app, ["privacy", "kanon", *map(str, args), *options])
    return result.exit_code, result.output


def test_a_direct_identifier_left_in_is_refused_and_nothing_written(tmp_path: Path) -> None:
    """Before: the respondent codes went into the "k-anonymous" output unchanged."""
    source, hierarchies = _files(tmp_path)
    out = tmp_path / "out.csv"
    args = (
        source,
        "--hierarchies",
        hierarchies,
        "--generate",
        "age=interval:5",
        "--quasi-identifiers",
        "gender,age,city",
        "--k",
        "3",
        "--max-suppression",
        "0.25",
        "--output",
        out,
    )
    code, output = _run(*args, drop="")
    assert code == 7 and "respondent" in output and "--drop" in output
    assert not out.exists()
    code, output = _run(*args, drop="respondant")
    assert code == 7 and "respondant" in output and not out.exists()


def test_kanon_writes_a_k_anonymous_file_and_its_report(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--generate",
        "age=interval:5",
        "--quasi-identifiers",
        "gender,age,city",
        "--k",
        "3",
        "--max-suppression",
        "0.25",
        "--metric",
        "entropy",
        "--output",
        out,
        "--report",
        report,
    )
    assert code == 0, output
    written = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert set(data["transformation"]) == {"gender", "age", "city"}
    assert written.groupby(["gender", "age", "city"]).size().min() >= 3
    assert data["k_achieved"] >= 3 and data["records_out"] == len(written)
    assert data["suppressed"] == 12 - len(written) <= 3
    assert "respondent" not in written.columns
    assert data["risk_before"]["sample_uniqueness"] == 1.0
    assert data["risk_after"]["highest_risk"] <= 1 / 3
    assert "Transformation:" in output and "gender=" in output


def test_l_diversity_of_a_sensitive_column(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--generate",
        "age=interval",
        "--quasi-identifiers",
        "gender,age",
        "--k",
        "2",
        "--sensitive",
        "city",
        "--l",
        "2",
        "--output",
        out,
        "--report",
        report,
        "--seed",
        "3",
    )
    assert code == 0, output
    written = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    assert written.groupby(["gender", "age"])["city"].nunique().min() >= 2
    assert json.loads(report.read_text())["l_achieved"] >= 2


def test_a_missing_hierarchy_file_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    out = tmp_path / "out.csv"
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender,age",
        "--k",
        "2",
        "--output",
        out,
    )
    assert code == 7
    assert "*_hierarchy_age.csv" in output and "'age'" in output
    assert not out.exists()


def test_a_value_missing_from_a_hierarchy_names_file_value_and_line(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    source.write_text(SURVEY.replace("r05;Nam;", "r05;Mael;"), encoding="utf-8")
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender",
        "--k",
        "2",
        "--output",
        out,
        "--report",
        report,
    )
    assert code == 7
    assert "'Mael'" in output and "line 6" in output
    assert "survey_hierarchy_gender.csv" in output
    assert not out.exists() and not report.exists()


def test_bad_parameters_are_refused(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    out = tmp_path / "out.csv"
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender",
        "--k",
        "0",
        "--output",
        out,
    )
    assert code == 2 and "k" in output
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender",
        "--metric",
        "precision",
        "--output",
        out,
    )
    assert code == 2 and "precision" in output
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender",
        "--l",
        "2",
        "--output",
        out,
    )
    assert code == 2 and "sensitive" in output
    assert not out.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    source, hierarchies = _files(tmp_path)
    legacy = "r13;Female;30;São Paulo;1\n".encode("cp1252")  # a spreadsheet's Windows export
    source.write_bytes(SURVEY.encode("utf-8") + legacy)
    code, output = _run(
        source,
        "--hierarchies",
        hierarchies,
        "--quasi-identifiers",
        "gender",
        "--output",
        tmp_path / "out.csv",
    )
    assert code == 7 and "not UTF-8" in output and "line 14" in output


def test_generated_date_hierarchy_and_comma_files(tmp_path: Path) -> None:
    source = tmp_path / "grievances.csv"
    rows = [
        f"G-{i:03d},2025-0{1 + i % 3}-{1 + i % 27:02d},{'app' if i % 2 else 'hotline'}"
        for i in range(30)
    ]
    source.write_text("case_id,opened_on,channel\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    code, output = _run(
        source,
        "--generate",
        "opened_on=date",
        "--quasi-identifiers",
        "opened_on",
        "--k",
        "5",
        "--output",
        out,
        "--report",
        report,
        drop="",
    )
    assert code == 0, output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)  # still comma-separated
    assert json.loads(report.read_text())["transformation"] == {"opened_on": 1}
    assert set(written["opened_on"]) == {"2025-01", "2025-02", "2025-03"}
    assert len(written) == 30


def test_a_bad_generate_option_is_refused(tmp_path: Path) -> None:
    source, _ = _files(tmp_path)
    code, output = _run(
        source,
        "--generate",
        "age=bins",
        "--quasi-identifiers",
        "age",
        "--output",
        tmp_path / "out.csv",
    )
    assert code == 2 and "COLUMN=interval" in output
