"""The alternative spellings real supplier lists use for the same legal form, word or place.

Collected from how published brand disclosures write them: ``Co.,Ltd`` next to
``Company Limited``, ``EPZ`` for ``Export Processing Zone``, ``Chittagong`` for
``Chattogram``. The variant generator draws from these tables.
"""

# Turkish spelling needs the dotless i (U+0131); it is not a look-alike here.
# ruff: noqa: RUF001

from __future__ import annotations

LEGAL_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "Ltd": ("Limited", "Ltd.", "LTD"),
    "Ltd.": ("Ltd", "Limited"),
    "Limited": ("Ltd", "Ltd.", "LIMITED"),
    "Co., Ltd.": ("Co., Ltd", "Co.,Ltd", "Co Ltd", "Co. Ltd.", "Company Limited", "CO.,LTD."),
    "Co., Ltd": ("Co., Ltd.", "Co.,Ltd", "Co Ltd", "Company Limited"),
    "Co. Ltd": ("Co., Ltd.", "Co Ltd", "Company Limited"),
    "Company Limited": ("Co., Ltd", "Co. Ltd", "Co Ltd"),
    "JSC": ("Joint Stock Company", "J.S.C", "Jsc"),
    "Joint Stock Company": ("JSC", "Joint Stock Co."),
    "Pvt Ltd": ("Private Limited", "Pvt. Ltd.", "(P) Ltd", "Pvt Limited"),
    "Private Limited": ("Pvt Ltd", "Pvt. Ltd.", "Private Ltd"),
    "Pvt. Ltd.": ("Pvt Ltd", "Private Limited", "Pvt.Ltd."),
    "(Pvt) Ltd": ("(Pvt.) Ltd.", "(Private) Limited", "Pvt Ltd", "(PVT) LTD"),
    "(Private) Limited": ("(Pvt) Ltd", "Private Limited", "(Pvt.) Ltd"),
    "PT": ("PT.", "P.T."),
    "CV": ("CV.", "C.V."),
    "Sanayi ve Ticaret A.Ş.": (
        "San. ve Tic. A.Ş.",
        "San. Tic. A.Ş.",
        "Sanayi ve Ticaret AS",
        "Sanayi Ticaret A.Ş.",
    ),
    "San. ve Tic. Ltd. Şti.": (
        "Sanayi ve Ticaret Ltd. Şti.",
        "San. Tic. Ltd. Şti.",
        "San. ve Tic. Ltd. Sti.",
    ),
    "A.Ş.": ("AŞ", "A.S.", "Anonim Şirketi"),
    "Ltd. Şti.": ("Ltd.Şti.", "Limited Şirketi", "Ltd. Sti."),
    "PLC": ("P.L.C.", "Plc", "Private Limited Company"),
    "P.L.C.": ("PLC", "Plc"),
    "Share Company": ("S.C.", "Share Co."),
    "S.A. de C.V.": ("SA de CV", "S.A. DE C.V.", "S.A."),
    "S. de R.L.": ("S de RL", "S. DE R.L."),
    "S. de R.L. de C.V.": ("S. de R.L.", "S de RL de CV"),
}

NAME_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Garments", "Gmts"),
    ("Industries", "Inds."),
    ("Textiles", "Tex"),
    ("Textile", "Tex"),
    ("Fashions", "Fashion"),
    ("Apparels", "Apparel"),
    ("Knit Composite", "Knit Comp."),
    ("Mills", "Mill"),
    ("Sweaters", "Sweater"),
    ("Spinning", "Spg."),
    ("Processing", "Proc."),
    ("Konfeksiyon", "Konf."),
    ("Tekstil", "Tekst."),
    (" & ", " and "),
    ("Company", "Co."),
)

ADDRESS_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Road", "Rd"),
    ("Road", "Rd."),
    ("Street", "St."),
    ("Industrial Zone", "IZ"),
    ("Industrial Zone", "Ind. Zone"),
    ("Industrial Park", "IP"),
    ("Industrial Park", "Ind. Park"),
    ("Export Processing Zone", "EPZ"),
    ("Special Economic Zone", "SEZ"),
    ("Industrial Estate", "Ind. Estate"),
    ("Industrial Area", "I/A"),
    ("Plot No.", "Plot #"),
    ("No. ", "#"),
    ("District", "Dist."),
    ("Avenue", "Ave"),
    ("Highway", "Hwy"),
    ("Township", "Tsp"),
    ("Organize Sanayi Bölgesi", "OSB"),
    ("Kawasan Industri", "KI"),
    ("Boulevard", "Blvd"),
    ("National Road", "NR"),
    ("Sector ", "Sec-"),
    ("Holding", "H#"),
)

CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "Chattogram": ("Chittagong", "Ctg"),
    "Savar": ("Savar, Dhaka", "Ashulia"),
    "Gazipur": ("Gazipur Sadar", "Dhaka"),
    "Bengaluru": ("Bangalore",),
    "Gurugram": ("Gurgaon",),
    "Tiruppur": ("Tirupur",),
    "Ho Chi Minh City": ("HCMC", "Ho Chi Minh", "Saigon"),
    "Thuan An": ("Thuan An City", "Binh Duong"),
    "Bien Hoa": ("Bien Hoa City", "Dong Nai"),
    "İstanbul": ("Istanbul",),
    "İzmir": ("Izmir",),
    "Phnom Penh": ("Phnom Phen", "PP"),
    "Yangon": ("Yangon City",),
    "Addis Ababa": ("Addis",),
    "San Pedro Sula": ("SPS", "S.P.S."),
    "Quanzhou": ("Jinjiang",),
    "Dongguan": ("DongGuan", "Dongguan City"),
    "Shenzhen": ("ShenZhen", "Shenzhen City"),
}

COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "VN": ("Viet Nam", "Vietnam"),
    "TR": ("Turkey", "Turkiye"),
    "CN": ("PRC", "People's Republic of China", "China"),
    "MM": ("Myanmar (Burma)", "Burma"),
    "KH": ("Kingdom of Cambodia",),
    "LK": ("Sri-Lanka",),
    "BD": ("Bangladesh",),
    "IN": ("India",),
    "ID": ("Republic of Indonesia",),
    "PK": ("Pakistan",),
    "ET": ("Ethiopia",),
    "HN": ("Honduras",),
}

# Characters cp1252 cannot hold; an ERP export in that code page drops their accents.
CP1252_FALLBACK = str.maketrans({"ş": "s", "Ş": "S", "ğ": "g", "Ğ": "G", "ı": "i", "İ": "I"})
