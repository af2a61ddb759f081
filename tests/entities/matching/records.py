"""A small labeled set of messy facility records, shared by the matching tests."""

from __future__ import annotations

import pandas as pd

# (id, name, address, city, country, truth)
RECORDS = [
    (
        "a1",
        "Shenzhen Huafeng Fuzhuang Co., Ltd.",
        "No. 8 Bao'an Avenue, Bao'an District",
        "Shenzhen",
        "CHINA",
        "huafeng",
    ),
    ("a2", "深圳市华丰服装有限公司", "宝安大道8号", "深圳", "中国", "huafeng"),
    (
        "a3",
        "SHENZHEN HUAFENG FUZHUANG CO LTD",
        "8 Baoan Ave., Baoan Dist.",
        "SHENZHEN",
        "PRC",
        "huafeng",
    ),
    ("b1", "ООО Швейная фабрика Заря", "ул. Ленина, 15", "Иваново", "Россия", "zarya"),  # noqa: RUF001
    ("b2", "Shveynaya Fabrika Zarya LLC", "ul. Lenina 15", "Ivanovo", "RU", "zarya"),
    (
        "c1",
        "Akcen Tekstil Konfeksiyon San. ve Tic. Ltd. Şti.",
        "Panayır Mah. Selvi Sk. No:53",  # noqa: RUF001
        "Bursa",
        "Türkiye",
        "akcen",
    ),
    (
        "c2",
        "AKCEN TEKSTIL KONFEKSIYON SAN TIC LTD STI",
        "PANAYIR MAH. SELVI SOK. NO 53 16250",
        "BURSA",
        "TURKEY",
        "akcen",
    ),
    (
        "d1",
        "Công ty TNHH May Mặc Việt Tiến",
        "Lô H-43, Đường số 2, KCN Sóng Thần 2",
        "Thuận An",
        "Việt Nam",
        "viettien",
    ),
    (
        "d2",
        "Viet Tien Garment Company Limited",
        "Lot H-43, Road No. 2, Song Than 2 Industrial Park",
        "Thuan An",
        "VN",
        "viettien",
    ),
    (
        "e1",
        "Navrang Exports Private Limited",
        "Survey No. 194, Mudalipalayam, Ambattur Industrial Estate, 602105",
        "Chennai",
        "INDIA",
        "navrang",
    ),
    (
        "e2",
        "NAVRANG EXPORTS PVT LTD",
        "Survey #194, Mudalipalayam, Ambattur Ind. Estate, 602105",
        "CHENNAI",
        "IN",
        "navrang",
    ),
    (
        "e3",
        "Exports Navrang Private Limited",
        "Survey No. 194, Mudalipalayam, Ambattur Industrial Estate",
        "Chennai",
        None,
        "navrang",
    ),
    (
        "f1",
        "Yangon Sweaters Company Limited",
        "Holding 44/5, Bago Industrial Zone, 08011",
        "Bago",
        "Myanmar",
        "yangon",
    ),
    ("f2", "YANGON SWEATERS CO., LTD", "H# 44/5, BAGO IND. ZONE, 08011", "BAGO", "MM", "yangon"),
    (
        "g1",
        "Lahore Sportswear Ltd",
        "Plot B-43, Sector 5, North Karachi, 75700",
        "Karachi",
        "Pakistan",
        "lahore",
    ),
    (
        "h1",
        "Karachi Knitwear Ltd",
        "Plot C-12, Sector 7, Korangi Industrial Area, 74900",
        "Karachi",
        "PK",
        "karachi",
    ),
    ("i1", "Dhaka Denim Mills Ltd", "Plot 12, DEPZ, Savar", "Savar", "Bangladesh", "dhakadenim"),
    (
        "j1",
        "Savar Knit Composite Ltd",
        "Holding 7, Ashulia Road, Savar",
        "Savar",
        "BD",
        "savarknit",
    ),
    (
        "k1",
        "Perlacos Industrias Químicas, S.L.",
        "c/ Berlin, 33 - Pol. Ind., Torres de la Alameda, 28813",
        "Madrid",
        "ES",
        "perlacos",
    ),
    (
        "k2",
        "Industrias Quimicas Perlacos SL",
        "Calle Berlin 33, Poligono Industrial, 28813 Torres de la Alameda",
        "Madrid",
        "Spain",
        "perlacos",
    ),
]


def records_frame() -> pd.DataFrame:
    columns = ["id", "name", "address", "city", "country", "truth"]
    return pd.DataFrame(RECORDS, columns=columns)
