"""ID document numbers, names in other scripts and persons' keys: found by header and by
shape, and not found in order numbers, facility lists or counts."""

from __future__ import annotations

import pytest

from laborcommons.privacy import PiiReport, scan_columns

DEMO = ["BD", "VN", "KH", "IN", "CN", "ID", "TR", "PK", "LK", "ET", "MM", "HN"]


def _kinds(report: PiiReport) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.column, set()).add(finding.kind)
    return found


# Values none of python-stdnum's checksums accept (no Aadhaar starts with 0 or 1), so only
# the header can tell.
ID_HEADERS = [
    ("জাতীয় পরিচয়পত্র নম্বর", ["1990123456789", "1234567890", "19901234567890123"]),
    ("পরিচয়পত্র", ["1990123456780", "1234567891", "1234567892"]),
    ("এনআইডি নং", ["1990123456781", "1234567893", "1234567894"]),
    ("NID", ["1234567890", "1234567891", "1990123456789"]),
    ("nid_no", ["1234567890", "1234567891", "1234567895"]),
    ("national id", ["1234567890", "1234567896", "1234567897"]),
    ("số CCCD", ["001089012345", "079190123456", "048300123456"]),
    ("Căn cước công dân", ["001089012346", "079190123457", "048300123458"]),
    ("CMND", ["012345678", "023456789", "034567890"]),
    ("Số chứng minh nhân dân", ["012345679", "023456780", "034567891"]),
    ("hộ chiếu", ["C1234567", "B7654321", "N1234567"]),
    ("passport no", ["EB1234567", "BX0123456", "A01234567"]),
    ("N° de pasaporte", ["PA1234567", "PB7654321", "PC1234567"]),
    ("numéro de passeport", ["12AB34567", "13AB34568", "14AB34569"]),
    ("Reisepassnummer", ["C01X00T47", "C01X00T48", "C01X00T49"]),
    ("পাসপোর্ট নম্বর", ["A01234567", "A01234568", "A01234569"]),
    ("护照号码", ["E12345678", "E12345679", "EA1234567"]),
    ("Aadhaar", ["1234 5678 9012", "1234 5678 9013", "1234 5678 9014"]),
    ("आधार संख्या", ["1234 5678 9015", "1234 5678 9016", "1234 5678 9017"]),
    ("CNIC", ["92345-1234567-0", "92345-1234567-9", "92345-7654321-8"]),
    ("شناختی کارڈ نمبر", ["92345-1234567-1", "92345-1234567-2", "92345-7654321-3"]),
    ("KTP/NIK", ["0000000000000001", "0000000000000002", "0000000000000003"]),
    ("TC kimlik no", ["00000000001", "00000000002", "00000000003"]),
    ("DNI", ["00000001", "00000002", "00000003"]),
    ("CPF", ["000.000.001-00", "000.000.002-00", "000.000.003-00"]),
    ("身份证号", ["000000000000000001", "000000000000000002", "000000000000000003"]),
    ("អត្តសញ្ញាណប័ណ្ណ", ["010203040", "110203041", "210203042"]),
    ("မှတ်ပုံတင်အမှတ်", ["12/OuKaMa(N)123456", "9/MaHtaLa(N)654321", "12/DaGaNa(N)111222"]),
    ("ජාතික හැඳුනුම්පත් අංකය", ["199012345678", "199112345679", "851234567V"]),
    ("መታወቂያ ቁጥር", ["123456789012", "223456789012", "323456789012"]),
    ("Personalausweisnummer", ["L01X00T47", "L01X00T48", "L01X00T49"]),
    ("número do passaporte", ["FZ1234567", "FZ1234568", "FZ1234569"]),
]


@pytest.mark.parametrize(("header", "values"), ID_HEADERS, ids=[h for h, _ in ID_HEADERS])
def test_a_header_naming_an_id_document_flags_plausible_numbers(
    header: str, values: list[str]
) -> None:
    report = scan_columns({header: [*values, ""]}, countries=DEMO)
    assert _kinds(report) == {header: {"national-id"}}
    finding = report.findings[0]
    assert finding.matches == 3 and all("*" in e for e in finding.examples)
    assert not any(v in e for v in values for e in finding.examples)


def test_an_id_header_over_values_that_are_no_numbers_is_not_flagged() -> None:
    report = scan_columns({"has_nid": ["yes", "no", "yes"], "passport": ["yes", "no", "no"]})
    assert report.findings == []


def _cccd(count: int) -> list[str]:
    """Valid CCCD shapes: province 079, century/sex digit, birth year, 6 digits."""
    return [f"079{i % 4}{90 + i % 10:02d}{100000 + i * 37:06d}" for i in range(count)]


def test_twelve_digit_numbers_are_cccd_only_in_vietnam_or_under_a_cccd_header() -> None:
    numbers = _cccd(40)
    elsewhere = scan_columns({"order_number": numbers, "reference": numbers}, countries=["BD"])
    assert elsewhere.findings == []
    headed = scan_columns({"Số CCCD": numbers}, countries=["BD"])
    assert _kinds(headed) == {"Số CCCD": {"national-id"}}
    in_vietnam = scan_columns({"reference": numbers}, countries=["VN"])
    assert [(f.column, f.kind, f.detail) for f in in_vietnam.findings] == [
        ("reference", "national-id", "vn.cccd")
    ]
    order_numbers = scan_columns({"order_no": numbers, "Order ID No": numbers}, countries=["VN"])
    assert order_numbers.findings == []


def test_a_shape_without_header_needs_nearly_every_value() -> None:
    mixed = _cccd(16) + [f"2025000{i:05d}" for i in range(4)]  # 80% CCCD-shaped
    assert scan_columns({"reference": mixed}, countries=["VN"]).findings == []


def test_strong_shapes_of_bangladesh_sri_lanka_myanmar_and_honduras() -> None:
    report = scan_columns(
        {
            "bd": [f"1990{2612345678901 + i}" for i in range(10)],
            "lk": [f"{1985 + i}{150 + i:03d}{12340 + i:05d}" for i in range(10)],
            "mm": [f"12/OuKaMa(N){123450 + i}" for i in range(10)],
            "hn": [f"0801-{1980 + i}-{12340 + i:05d}" for i in range(10)],
        },
        countries=["BD", "LK", "MM", "HN"],
    )
    details = {f.column: (f.kind, f.detail) for f in report.findings}
    assert details == {
        "bd": ("national-id", "bd.nid"),
        "lk": ("national-id", "lk.nic"),
        "mm": ("national-id", "mm.nrc"),
        "hn": ("national-id", "hn.dni"),
    }


BENGALI_NAMES = ["মোঃ রহিম উদ্দিন", "সুমি আক্তার", "নাসরিন বেগম", "মোসাম্মৎ ফাতেমা খাতুন"]
NAME_HEADERS = [
    ("নাম", BENGALI_NAMES),
    ("শ্রমিকের নাম", BENGALI_NAMES),
    ("কর্মীর নাম", BENGALI_NAMES),
    ("कर्मचारी का नाम", ["राम कुमार", "सीता देवी", "मोहन लाल", "गीता शर्मा"]),
    ("ملازم کا نام", ["محمد علی", "فاطمہ بی بی", "احمد خان", "عائشہ نور"]),
    ("ឈ្មោះបុគ្គលិក", ["សុខ ស្រីពៅ", "ចាន់ ធីតា", "សៅ សុភា", "កែវ ចន្ធូ"]),
    ("ဝန်ထမ်းအမည်", ["အောင်ကျော်", "မြမြဝင်း", "သီတာ", "ဇော်ဝင်း"]),
    ("员工姓名", ["王芳", "李娜", "张伟", "刘洋"]),
    ("Tên nhân viên", ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hồng", "Phạm Văn Đức"]),
    ("nama karyawan", ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Salim"]),
    ("nom de l'employé", ["Sok Dara", "Chan Thida", "Sao Sophea", "Keo Chanthou"]),
]


@pytest.mark.parametrize(("header", "values"), NAME_HEADERS, ids=[h for h, _ in NAME_HEADERS])
def test_names_in_other_scripts_under_a_name_header_are_flagged(
    header: str, values: list[str]
) -> None:
    report = scan_columns({header: values}, countries=DEMO)
    assert _kinds(report) == {header: {"person-name"}}
    assert report.findings[0].detail == "header"
    assert not any(v in e for v in values for e in report.findings[0].examples)


def test_a_factory_name_column_in_bengali_is_not_a_person_column() -> None:
    report = scan_columns(
        {"কারখানার নাম": ["ঢাকা নিট লিমিটেড", "রহমান গার্মেন্টস", "গাজীপুর অ্যাপারেলস"]},
        countries=["BD"],
    )
    assert report.findings == []


def _people(n: int) -> dict[str, list[str]]:
    return {
        "gender": ["F", "M"] * (n // 2),
        "age": [str(20 + i % 30) for i in range(n)],
        "monthly_wage": [str(12000 + 37 * i) for i in range(n)],
    }


@pytest.mark.parametrize(
    ("header", "keys"),
    [
        ("worker_id", [f"EMP-{i:05d}" for i in range(1, 21)]),
        ("Employee No", [str(1000 + i) for i in range(20)]),
        ("Mã nhân viên", [f"NV{i:04d}" for i in range(20)]),
        ("工号", [str(880000 + i) for i in range(20)]),
        ("কর্মী আইডি", [f"W{i:04d}" for i in range(20)]),
        ("card_no", [str(i) for i in range(1, 21)]),
        ("Sicil No", [f"{i:06d}" for i in range(20)]),
    ],
)
def test_a_persons_number_under_its_header_is_an_identifier(header: str, keys: list[str]) -> None:
    report = scan_columns({header: keys, "district": ["Gazipur"] * 20}, countries=DEMO)
    assert _kinds(report) == {header: {"identifier"}}
    assert report.findings[0].detail == "header" and report.findings[0].share == 1.0


def test_a_bare_id_or_unnamed_codes_are_identifiers_only_in_rows_about_persons() -> None:
    ids = [str(i) for i in range(1, 41)]
    codes = [f"W{i:04d}" for i in range(40)]
    people = scan_columns({"ID": ids, "tag": codes, **_people(40)}, countries=DEMO)
    assert _kinds(people) == {"ID": {"identifier"}, "tag": {"identifier"}}
    facilities = scan_columns(
        {
            "ID": ids,
            "tag": codes,
            "facility_id": [f"FAC-{i:04d}" for i in range(40)],
            "Factory Name": [f"Factory {i} Ltd" for i in range(40)],
            "Number of Workers": ["250-499", "500-999"] * 20,
        },
        countries=DEMO,
    )
    assert facilities.findings == []


def test_keys_of_other_things_amounts_and_counts_are_not_identifiers() -> None:
    n = 40
    report = scan_columns(
        {
            "case_id": [f"WS-2025-{i:05d}" for i in range(n)],
            "order_no": [f"PO{i:06d}" for i in range(n)],
            "staff_no": [str(100 * (1 + i % 4)) for i in range(n)],  # repeated plain numbers
            "interview_date": [f"2025-03-{1 + i % 28:02d}" for i in range(n)],
            **_people(n),
        },
        countries=DEMO,
    )
    assert report.findings == []


def test_a_workers_code_repeated_in_a_panel_is_still_an_identifier() -> None:
    panel = scan_columns(
        {
            "worker_id": [f"EMP-{i % 8:05d}" for i in range(40)],
            "month": [f"2025-{1 + i // 8:02d}" for i in range(40)],
        }
    )
    assert _kinds(panel) == {"worker_id": {"identifier"}}


def test_a_wage_makes_rows_about_persons_unless_a_column_names_the_facility() -> None:
    ids = [str(i) for i in range(40)]
    wages = [f"{95 + i}.50" for i in range(40)]
    facilities = scan_columns(
        {
            "id": ids,
            "facility": [f"Factory {i}, Ltd" for i in range(40)],
            "wage": wages,
            "workers": [str(20 + 7 * i) for i in range(40)],
        },
    )
    assert facilities.findings == []
    payroll = scan_columns({"id": ids, "wage": wages, "month": ["2025-01"] * 40})
    assert _kinds(payroll) == {"id": {"identifier"}}
