"""Normalization: real messy names, addresses and countries from supplier lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborcommons.entities.matching import (
    country_code,
    normalize_address,
    normalize_name,
    transliterate,
)
from laborcommons.entities.matching.normalize import address_numbers, compact


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("QUANZHOU XINXING FOOTWEAR CO., LTD", "quanzhou xinxing footwear"),
        ("Jiangsu Feilong Plastic Co.,Ltd ", "jiangsu feilong plastic"),
        ("Dileep Industries Pvt Limited (wood)", "dileep industries wood"),
        ("PT. Indofood Sukses Makmur Tbk", "indofood sukses makmur"),
        ("CV Batik Keris", "batik keris"),
        ("Industrias Químicas Perlacos, S.L.", "industrias quimicas perlacos"),
        ("Grupo Textil S.A. de C.V.", "grupo textil"),
        ("Tejidos Maya S. de R.L.", "tejidos maya"),
        ("Strickmoden Müller GmbH & Co. KG", "strickmoden muller"),
        ("SLN TEKSTİL KARADENİZ A.Ş.", "sln tekstil karadeniz"),
        ("Akcen Tekstil Konfeksiyon San. ve Tic. Ltd. Şti.", "akcen tekstil konfeksiyon"),
        ("Top Glove Sdn. Bhd.", "top glove"),
        ("ООО Швейная фабрика Заря", "shveynaya fabrika zarya"),  # noqa: RUF001
        ("ZAO Bolshevichka", "bolshevichka"),
        ("Công ty TNHH May Mặc Việt Tiến", "may mac viet tien"),
        ("H & M, Hennes & Mauritz AB", "hm hennes mauritz"),
        ("Marimekko Oyj", "marimekko"),
        ("Inditex S.p.A.", "inditex"),
        ("apple pan  the", "apple pan"),
        ("Printing and Dyeing", "printing dyeing"),
    ],
)
def test_names_lose_case_punctuation_and_legal_forms(given_name: str, expected: str) -> None:
    assert normalize_name(given_name) == expected


def test_chinese_script_and_pinyin_compact_to_the_same_key() -> None:
    script = normalize_name("深圳市华丰服装有限公司")
    pinyin = normalize_name("Shenzhen Huafeng Fuzhuang Co., Ltd.")
    assert script != pinyin  # syllables vs words ...
    assert compact(script) == compact(pinyin) == "shenzhenhuafengfuzhuang"  # ... same letters
    assert compact(normalize_name("株式会社ユニクロ")) == compact(normalize_name("ユニクロ"))


def test_a_name_that_is_only_a_legal_form_keeps_its_words() -> None:
    assert normalize_name("Company Limited") == "company limited"
    assert normalize_name("") == ""
    assert normalize_name(None) == ""


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("435 s. la cienega blv.", "435 south la cienega boulevard"),
        ("2/F BLOCK 1, NO. 79 JINHU ROAD", "2 floor block 1 79 jinhu road"),
        ("Plot B-43, Sec-5, North Karachi", "plot b 43 sector 5 north karachi"),
        ("Jl. Raya Bogor Km. 29, Kec. Cimanggis", "jalan raya bogor km 29 kecamatan cimanggis"),
        (
            "5th Flr, Bldg 30, Chuangye Rd., Shangyu Dist.",
            "5 floor building 30 chuangye road shangyu district",
        ),
        ("Baglar Mah. Cesmealti Sok. No:7", "baglar mahallesi cesmealti sokak 7"),
        ("Rua São João, Nº 12", "rua sao joao 12"),
    ],
)
def test_addresses_expand_abbreviations_and_drop_number_signs(address: str, expected: str) -> None:
    assert normalize_address(address) == expected


def test_address_numbers_are_distinct_sorted_and_without_leading_zeros() -> None:
    assert address_numbers("Holding 44/5, Bago IZ, 08011") == ("5", "44", "8011")
    assert address_numbers("Survey #194", "602105") == ("194", "602105")
    assert address_numbers(None) == ()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CHINA", "CN"),
        ("PRC", "CN"),
        ("中国", "CN"),
        ("cn", "CN"),
        ("Viet Nam", "VN"),
        ("VIETNAM", "VN"),
        ("Türkiye", "TR"),
        ("TÜRKIYE", "TR"),
        ("Turkey", "TR"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("UK", "GB"),
        ("USA", "US"),
        ("Deutschland", "DE"),
        ("SRI LANKA", "LK"),
        ("Bangladesh ", "BD"),
        ("IND", "IN"),
        ("Hong Kong", "HK"),
    ],
)
def test_countries_become_iso_alpha_2(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", [None, "", "   ", "garbage land", "XX", "n/a"])
def test_unknown_countries_are_none_not_an_error(value: str | None) -> None:
    assert country_code(value) is None


def test_transliteration_keeps_latin_and_converts_other_scripts() -> None:
    assert transliterate("Straße") == "Strasse"
    assert transliterate("İstanbul Örme") == "Istanbul Orme"
    assert transliterate("中国") == "Zhong Guo"
    assert transliterate(None) == ""


@given(st.text(max_size=60))
def test_normalized_names_are_ascii_words_and_stable(text: str) -> None:
    once = normalize_name(text)
    assert once.isascii()
    assert once == " ".join(once.split())
    assert normalize_name(once) == normalize_name(once)  # deterministic on its own output


@given(st.text(max_size=60))
def test_normalized_addresses_are_ascii_lower_case(text: str) -> None:
    result = normalize_address(text)
    assert result.isascii()
    assert result == result.lower()
