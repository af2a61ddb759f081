"""The generated demo as a node operator and a matching researcher would check it."""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree as ET

import pycountry
import pytest
from openpyxl import load_workbook

import laborcommons.demo
from laborcommons.catalog.licenses import LICENSES
from laborcommons.catalog.vocabulary import ARCHETYPES, DATA_TYPES
from laborcommons.demo import DemoBundle, DemoFile, generate_demo

OPEN_LICENSES = {code for code, lic in LICENSES.items() if lic.open}

SUPPLIER_LISTS = (
    "harbor-pine-suppliers-2025",
    "velta-sport-suppliers-2025",
    "lumen-basics-suppliers-2025",
)


def supplier_names(path: Path) -> list[str]:
    """The facility-name column of a brand list, whatever its format."""
    if path.suffix == ".xlsx":
        sheet = load_workbook(path).active
        assert sheet is not None
        return [str(row[0]) for row in sheet.iter_rows(min_row=4, values_only=True)]
    if "velta" in path.name:
        text = path.read_bytes().decode("cp1252")
        return [row["supplier_name"] for row in csv.DictReader(text.splitlines(), delimiter=";")]
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["Factory Name"] for row in csv.DictReader(handle)]


def _file(bundle: DemoBundle, slug: str) -> DemoFile:
    return next(f for f in bundle.files if f.dataset_slug == slug)


def _all_bytes(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def test_public_surface_is_pinned() -> None:
    assert sorted(laborcommons.demo.__all__) == [
        "DemoBundle",
        "DemoFile",
        "DemoOrganization",
        "generate_demo",
        "generate_facility_records",
    ]


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    generate_demo(tmp_path / "a", seed=11, facilities=300)
    generate_demo(tmp_path / "b", seed=11, facilities=300)
    generate_demo(tmp_path / "c", seed=12, facilities=300)
    first, again, other = (_all_bytes(tmp_path / name) for name in "abc")
    assert first == again
    assert len(first) == 13
    differing = [name for name in first if first[name] != other[name]]
    # Only the fixed reference-wage table is allowed to stay the same.
    assert set(first) - set(differing) == {"datasets/reference-wages-2025.csv"}


def test_generate_demo_is_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    generate_demo(tmp_path, seed=5)
    assert time.perf_counter() - started < 5


def test_facilities_span_many_apparel_countries(facilities: dict[str, dict[str, str]]) -> None:
    countries = {row["country"] for row in facilities.values()}
    assert len(facilities) == 2000
    assert len(countries) >= 8
    assert {"BD", "CN", "VN", "KH", "IN"} <= countries


def test_every_archetype_has_an_organization_and_every_org_a_dataset(bundle: DemoBundle) -> None:
    assert {org.archetype for org in bundle.organizations} == set(ARCHETYPES)
    slugs = [org.slug for org in bundle.organizations]
    assert len(slugs) == len(set(slugs)) >= 7
    assert {f.organization for f in bundle.files} == set(slugs)
    for org in bundle.organizations:
        assert (org.api_url is not None) == org.has_api
        assert set(org.data_types) <= set(DATA_TYPES)
        assert all(pycountry.countries.get(alpha_2=code) for code in org.countries)


def test_metadata_is_complete_and_consistent(bundle: DemoBundle) -> None:
    for file in bundle.files:
        assert file.path.is_file() and file.path.stat().st_size > 0
        assert file.data_type in DATA_TYPES
        assert file.license is None or file.license in LICENSES
        if file.access == "open":
            assert file.license in OPEN_LICENSES, file.dataset_slug
        if file.access == "public":
            assert file.license is not None, file.dataset_slug
        assert file.period_start <= file.period_end
        assert file.coverage and all(pycountry.countries.get(alpha_2=c) for c in file.coverage)
        for text in (file.methodology, file.sample_description, file.description):
            assert text.count(".") >= 1 and len(text) > 40
        assert "{" not in file.sample_description
        assert file.keywords and file.contact and file.source and file.citation


def test_brand_lists_overlap_by_about_forty_percent(
    truth: dict[str, list[tuple[int, str]]],
) -> None:
    brands_of: dict[str, set[str]] = defaultdict(set)
    for slug in SUPPLIER_LISTS:
        for _, key in truth[slug]:
            brands_of[key].add(slug)
    shared = sum(len(brands) >= 2 for brands in brands_of.values()) / len(brands_of)
    assert 0.33 <= shared <= 0.47


@pytest.mark.parametrize("slug", SUPPLIER_LISTS)
def test_ground_truth_covers_every_supplier_list_row(
    bundle: DemoBundle,
    truth: dict[str, list[tuple[int, str]]],
    facilities: dict[str, dict[str, str]],
    slug: str,
) -> None:
    names = supplier_names(_file(bundle, slug).path)
    rows = truth[slug]
    assert [number for number, _ in rows] == list(range(1, len(names) + 1))
    assert all(key in facilities for _, key in rows)


@pytest.mark.parametrize("slug", SUPPLIER_LISTS)
def test_names_differ_from_canonical_in_a_realistic_share(
    bundle: DemoBundle,
    truth: dict[str, list[tuple[int, str]]],
    facilities: dict[str, dict[str, str]],
    slug: str,
) -> None:
    names = supplier_names(_file(bundle, slug).path)
    canonical = [facilities[key]["name"] for _, key in truth[slug]]
    pairs = list(zip(names, canonical, strict=True))
    differ = sum(a != b for a, b in pairs) / len(pairs)
    beyond_case = sum(a.strip().casefold() != b.casefold() for a, b in pairs) / len(pairs)
    assert 0.25 <= differ <= 0.9
    assert beyond_case >= 0.2


def test_cp1252_list_is_not_utf8_and_has_accents(bundle: DemoBundle) -> None:
    raw = _file(bundle, "velta-sport-suppliers-2025").path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert any(ord(ch) > 127 for ch in text)
    assert text.splitlines()[0].split(";")[:2] == ["supplier_id", "supplier_name"]


def test_xlsx_has_a_title_row_above_the_header(bundle: DemoBundle) -> None:
    file = _file(bundle, "lumen-basics-suppliers-2025")
    sheet = load_workbook(file.path)[file.sheet or ""]
    rows = list(sheet.iter_rows(max_row=3, values_only=True))
    assert isinstance(rows[0][0], str) and "Lumen Basics" in rows[0][0]
    assert all(cell is None for cell in rows[0][1:])
    assert all(cell is None for cell in rows[1])
    assert rows[2][:4] == ("Facility", "Full address", "Country", "# Workers")


def test_chinese_facilities_carry_local_script_names(bundle: DemoBundle) -> None:
    path = _file(bundle, "harbor-pine-suppliers-2025").path
    with path.open(newline="", encoding="utf-8") as handle:
        local = [row["Factory Name (Local Language)"] for row in csv.DictReader(handle)]
    assert any(name.endswith("有限公司") for name in local)


def test_country_is_written_as_code_name_and_capitals(bundle: DemoBundle) -> None:
    harbor = _file(bundle, "harbor-pine-suppliers-2025").path.read_text(encoding="utf-8")
    lumen = load_workbook(_file(bundle, "lumen-basics-suppliers-2025").path).active
    assert lumen is not None
    assert ",Bangladesh," in harbor
    assert ";BD;" in _file(bundle, "velta-sport-suppliers-2025").path.read_bytes().decode("cp1252")
    assert "BANGLADESH" in {row[2] for row in lumen.iter_rows(min_row=4, values_only=True)}


@pytest.mark.parametrize(
    "slug",
    [
        "garment-wage-survey-2025",
        "social-audit-findings-2024-2025",
        "worker-grievances-2025",
        "facility-certifications-2025",
    ],
)
def test_rows_naming_a_facility_have_ground_truth(
    bundle: DemoBundle, truth: dict[str, list[tuple[int, str]]], slug: str
) -> None:
    path = _file(bundle, slug).path
    if path.suffix == ".jsonl":
        count = len(path.read_text(encoding="utf-8").splitlines())
    elif path.suffix == ".xml":
        count = len(ET.parse(path).getroot())
    else:
        count = len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert [number for number, _ in truth[slug]] == list(range(1, count + 1))


def test_wage_survey_is_sensitive_and_sized_like_a_survey(bundle: DemoBundle) -> None:
    file = _file(bundle, "garment-wage-survey-2025")
    assert (file.access, file.license) == ("internal", None)
    with file.path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 2000 <= len(rows) <= 4500
    assert {"respondent_id", "gender", "monthly_wage_local", "overtime_paid"} <= set(rows[0])
    assert len({row["respondent_id"] for row in rows}) == len(rows)


def test_audits_scorecard_grievances_and_certificates_parse(bundle: DemoBundle) -> None:
    audits = _file(bundle, "social-audit-findings-2024-2025")
    assert (audits.access, audits.license) == ("group", "CC-BY-NC-4.0")
    assert audits.path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel-style BOM
    scores = json.loads(_file(bundle, "brand-policy-scorecard-2023-2025").path.read_text("utf-8"))
    assert isinstance(scores, list) and all(0 <= s["score"] <= 100 for s in scores)
    grievances = _file(bundle, "worker-grievances-2025").path.read_text("utf-8").splitlines()
    assert all(json.loads(line)["case_id"] for line in grievances)
    certificates = ET.parse(_file(bundle, "facility-certifications-2025").path).getroot()
    assert {child.tag for child in certificates} == {"certificate"}
    assert _file(bundle, "facility-certifications-2025").license == "CC0-1.0"
