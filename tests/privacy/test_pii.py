"""The PII scanner finds direct identifiers in messy columns, and nothing in clean ones."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from stdnum import verhoeff
from stdnum.cn import ric
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.demo import generate_demo
from laborcommons.privacy import PiiReport, scan_columns, scan_table
from tests.conftest import shared_data

COUNTRIES = ["BD", "VN", "ID", "KH", "CN", "IN", "US"]


def _kinds(report: PiiReport) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.column, set()).add(finding.kind)
    return found


def _aadhaar(stem: str) -> str:
    return stem + verhoeff.calc_check_digit(stem)


def _ric(stem: str) -> str:
    return next(stem + c for c in "0123456789X" if ric.is_valid(stem + c))


def test_finds_each_kind_in_messy_columns_and_masks_examples() -> None:
    report = scan_columns(
        {
            "notes": [
                "Worker says call her sister, mail: lan.nguyen+case@gmail.com",
                "No contact given",
                None,
                "Supervisor (TANVIR.H@factory-mail.com.bd) shouted",
            ],
            "Số điện thoại": ["0912 345 678", "+84 912 345 679", "", "0912-345-680"],
            "mobile": ["+880 1712-345678", "01712-345679", "n/a", "+880 1812 345678"],
            "bank_account": [
                "DE89 3704 0044 0532 0130 00",
                "GB82 WEST 1234 5698 7654 32",
                "",
                "cash",
            ],
            "nik": ["3171011708450001", "3171011708450002", "3171015708450003", "unknown"],
            "aadhaar_no": [_aadhaar("23412341234"), _aadhaar("56781234567"), "", "-"],
            "id_card": [_ric("11010519491231002"), _ric("44030019850612341"), "", ""],
            "Họ tên": ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hồng", "Phạm Văn Đức"],
            "姓名": ["王芳", "李娜", "张伟", "刘洋"],
            "complainant": ["Maria Lopez", "RICHARDSON, TIMOTHY B", "Siti Aminah", "anonymous"],
        },
        countries=COUNTRIES,
    )
    assert _kinds(report) == {
        "notes": {"email"},
        "Số điện thoại": {"phone"},
        "mobile": {"phone"},
        "bank_account": {"iban"},
        "nik": {"national-id"},
        "aadhaar_no": {"national-id"},
        "id_card": {"national-id"},
        "Họ tên": {"person-name"},
        "姓名": {"person-name"},
        "complainant": {"person-name"},
    }
    by_column = {f.column: f for f in report.findings}
    assert by_column["notes"].examples == ["l***@g***.com", "T***@f***.c***.bd"]
    assert by_column["notes"].matches == 2 and by_column["notes"].checked == 3
    assert by_column["mobile"].examples == ["+880 *** *** 678", "*** *** 679"]
    assert by_column["bank_account"].examples[0] == "DE89 **** **** 3000"
    assert by_column["nik"].detail == "id.nik" and by_column["id_card"].detail == "cn.ric"
    assert by_column["Họ tên"].detail == "header" and by_column["Họ tên"].share == 1.0
    shown = json.dumps([f.examples for f in report.findings], ensure_ascii=False)
    for secret in ("lan.nguyen", "345678", "0532 0130", "3171011708450001", "Nguyễn Thị"):
        assert secret not in shown


def test_clean_and_aggregate_columns_have_no_findings() -> None:
    report = scan_columns(
        {
            "facility_code": ["4403123456", "4403123457", "6281234567", "8801712345"],
            "monthly_wage": ["7200000", "6900000", "12500", "8100000"],
            "factory": [
                "Rahman Knit Composite Ltd",
                "Lakshmi Lingerie",
                "Ravi Chenab Washing",
                "Hung Thinh Knits",
            ],
            "country": ["Sri Lanka", "Viet Nam", "Bangladesh", "Cambodia"],
            "district": ["Duc Hoa", "Dennis Port", "Gazipur", "Phnom Penh"],
            "interview_date": ["2025-03-01", "2025-03-02", "2025-03-04", "2025-03-09"],
            "case_uuid": [
                "6dce0ba3-0ecb-439e-bca2-0f4c4c38ab25",
                "d9639963-01b3-4c02-bec2-298053d80a8e",
                "",
                "",
            ],
            "category": ["Wages & benefits", "Working hours", "Harassment", "Leave"],
            "workers": ["1200", "85", "4300", "610"],
        },
        countries=COUNTRIES,
    )
    assert report.findings == []
    assert report.rows_scanned == 4


def test_streams_duckdb_relations_and_stops_at_max_rows() -> None:
    connection = duckdb.connect()
    relation = connection.sql(
        "select 'worker' || i || '@example.org' as contact, i as n from range(50000) t(i)"
    )
    report = scan_table(relation, max_rows=1_000)
    assert report.rows_scanned == 1_000
    assert [(f.column, f.kind, f.matches) for f in report.findings] == [("contact", "email", 1000)]
    reader = pa.RecordBatchReader.from_batches(
        pa.schema([("mobile", pa.string())]),
        [pa.record_batch({"mobile": ["+62 812-3456-7890"] * 10}) for _ in range(5)],
    )
    streamed = scan_table(reader, max_rows=None)
    assert streamed.rows_scanned == 50 and _kinds(streamed) == {"mobile": {"phone"}}


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("maine", {"employer_name": {"person-name"}}),
        ("massachusetts", {"employer_name": {"person-name"}}),
        ("colorado", {}),
        ("nebraska", {}),
    ],
)
def test_wage_theft_cases_employers_that_are_private_persons(
    state: str, expected: dict[str, set[str]]
) -> None:
    table = pacsv.read_csv(shared_data(f"violations/wage-theft/{state}.csv"))
    report = scan_table(table, countries=["US"])
    assert _kinds(report) == expected
    for finding in report.findings:
        assert finding.matches >= 3 and all("***" in e for e in finding.examples)


def test_the_demo_finds_only_the_wage_surveys_respondent_ids(tmp_path: Path) -> None:
    """The internal wage survey keys each worker by a respondent number (an identifier);
    the grievance log's case numbers, the audits' finding numbers and the registers'
    facility IDs identify no person."""
    bundle = generate_demo(tmp_path, seed=2026)
    scanned = 0
    for file in bundle.files:
        if file.path.suffix not in (".csv", ".jsonl"):
            continue
        reader = duckdb.read_json if file.path.suffix == ".jsonl" else duckdb.read_csv
        try:
            relation = reader(str(file.path))
        except duckdb.Error:
            continue  # the demo's deliberately broken encodings are the ingest tests' business
        report = scan_table(relation, countries=COUNTRIES)
        expected = (
            {"respondent_id": {"identifier"}}
            if file.path.name == "garment-wage-survey-2025.csv"
            else {}
        )
        assert _kinds(report) == expected, file.path.name
        scanned += 1
    assert scanned >= 4


def test_scan_command_reports_and_exits_1_on_findings(tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_text(
        "case;worker_name;phone\n1;Nguyễn Thị Lan;+84 912 345 678\n2;Trần Văn Minh;0912 345 679\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["privacy", "scan", str(source), "--countries", "VN"])
    assert result.exit_code == 1
    assert "worker_name: person-name" in result.output and "phone: phone" in result.output
    assert "Nguyễn" not in result.output and "345 678" not in result.output
    clean = tmp_path / "clean.csv"
    clean.write_text("country,workers\nBangladesh,1200\nViet Nam,85\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["privacy", "scan", str(clean), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["findings"] == []
