"""How garment factories are named in each producing country.

Names are assembled from per-country words, sector words and legal forms so that the
variants brands introduce (dropped or abbreviated legal forms, swapped words) have real
structure to work on. A token written ``"Huali|华丽"`` carries its Chinese form, used to
build the local-script name that Chinese supplier lists print next to the Latin one.
"""

# Turkish spelling needs the dotless i (U+0131); it is not a look-alike here.
# ruff: noqa: RUF001

from __future__ import annotations

import random
from dataclasses import dataclass, field

SECTORS: dict[str, tuple[str, ...]] = {
    "Knitwear": ("Knit Composite", "Knitwear", "Knitting", "Knit Fashions", "Knits"),
    "Woven garments": ("Garments", "Apparels", "Fashions", "Clothing", "Apparel"),
    "Denim": ("Denim", "Denims", "Jeans Wear", "Washing"),
    "Sweaters": ("Sweaters", "Knitwear", "Woollen Mills"),
    "Textile mill": ("Textile Mills", "Textiles", "Spinning Mills", "Fabrics"),
    "Dyeing & finishing": ("Dyeing", "Dyeing & Printing", "Processing Mills"),
    "Embroidery & printing": ("Embroidery", "Printing", "Embroidery & Printing"),
    "Intimate apparel": ("Intimates", "Lingerie", "Innerwear"),
    "Sportswear": ("Sportswear", "Activewear", "Sports"),
}


@dataclass(frozen=True)
class NameStyle:
    """The words, name patterns and legal forms one country's factory names are made of."""

    words: tuple[str, ...]
    places: tuple[str, ...]
    patterns: tuple[str, ...]
    legal_forms: tuple[str, ...]
    legal_prefix: bool = False
    sectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    local_suffix: str = ""


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


_CN_SECTORS = {
    "Knitwear": ("Knitting|针织", "Knitwear|针织服装"),
    "Woven garments": ("Garments|服装", "Apparel|服饰", "Clothing|制衣"),
    "Denim": ("Denim|牛仔服装",),
    "Sweaters": ("Woollen Knitting|毛织", "Sweater|毛衫"),
    "Textile mill": ("Textile|纺织",),
    "Dyeing & finishing": ("Printing & Dyeing|印染",),
    "Embroidery & printing": ("Embroidery|绣花",),
    "Intimate apparel": ("Underwear|内衣",),
    "Sportswear": ("Sportswear|运动服饰",),
}
_TR_SECTORS = {
    "Knitwear": ("Örme", "Triko", "Örme Konfeksiyon"),
    "Woven garments": ("Konfeksiyon", "Giyim", "Tekstil"),
    "Denim": ("Denim", "Jean Giyim"),
    "Sweaters": ("Triko",),
    "Textile mill": ("Tekstil", "Dokuma", "İplik"),
    "Dyeing & finishing": ("Boya Apre", "Boyahane"),
    "Embroidery & printing": ("Nakış", "Baskı"),
    "Intimate apparel": ("İç Giyim",),
    "Sportswear": ("Spor Giyim",),
}
_ID_SECTORS = {
    "Knitwear": ("Knitting", "Rajut"),
    "Woven garments": ("Garmindo", "Busana", "Garment", "Apparel"),
    "Sweaters": ("Rajut",),
    "Textile mill": ("Tekstil", "Textile", "Sandang"),
    "Dyeing & finishing": ("Celup", "Dyeing"),
    "Embroidery & printing": ("Bordir", "Printing"),
}
_HN_SECTORS = {
    "Knitwear": ("Tejidos",),
    "Denim": ("Confecciones", "Lavandería"),
    "Woven garments": ("Confecciones", "Manufacturas"),
    "Sweaters": ("Tejidos",),
    "Textile mill": ("Textiles", "Hilanderías"),
    "Dyeing & finishing": ("Lavandería", "Tintorería"),
    "Embroidery & printing": ("Bordados", "Serigrafía"),
    "Intimate apparel": ("Ropa Íntima",),
    "Sportswear": ("Deportivos",),
}

_COMMON = ("{word} {sector}", "{word} {word2} {sector}", "{acronym} {sector}")

STYLES: dict[str, NameStyle] = {
    "BD": NameStyle(
        _split(
            "Rahman; Karim; Haque; Chowdhury; Hossain; Uddin; Talukder; Bhuiyan; Sonar; "
            "Padma; Meghna; Jamuna; Rupali; Shapla; Ananta; Unique; Crystal; Sunrise; "
            "Pacific; Standard; Delta; Bengal; Tista; Modhumoti; Fortune; Purbachal; Nabila"
        ),
        _split("Dhaka; Gazipur; Savar; Ashulia; Narayanganj; Chittagong; Tongi"),
        (*_COMMON, "{place} {sector}", "{place} {word} {sector}"),
        ("Ltd", "Limited", "Ltd."),
    ),
    "CN": NameStyle(
        _split(
            "Huali|华丽; Xinda|信达; Hengyuan|恒源; Jinlong|金龙; Meihua|美华; Tianyi|天意; "
            "Yongsheng|永盛; Hongxing|宏兴; Dafeng|大丰; Jiahe|嘉禾; Fuxing|富兴; "
            "Ruitai|瑞泰; Shengda|盛达; Lianfa|联发; Kaida|凯达; Baoli|宝利; Mingyang|明阳; "
            "Haida|海达; Jiali|佳丽; Xinyuan|鑫源; Huayu|华宇; Yuxin|裕鑫; Tongda|通达"
        ),
        (),
        ("{place} {word} {sector}", "{word} {sector} ({place})"),
        ("Co., Ltd.",),
        sectors=_CN_SECTORS,
        local_suffix="有限公司",
    ),
    "VN": NameStyle(
        _split(
            "Phuong Dong; Hoa Binh; An Phu; Minh Anh; Song Hong; Sao Mai; Tan Phat; "
            "Hung Thinh; Phu Thinh; Dai Loc; Nam Viet; Thien Long; Hoang Gia; Bao Minh; "
            "Kim Ngan; Truong Son; Lac Hong; Dong Tien; Phuc Loi; Thanh Dat"
        ),
        _split("Saigon; Binh Duong; Dong Nai; Long An; Nam Dinh; Hai Duong; Ha Noi"),
        ("{word} {sector}", "{place} {sector}", "{word} Vina", "{acronym} Vina {sector}"),
        ("JSC", "Co., Ltd", "Joint Stock Company", "Company Limited"),
    ),
    "IN": NameStyle(
        _split(
            "Shree Balaji; Sri Murugan; Lakshmi; Ganesh; Sai Krishna; Kaveri; Ganga; Royal; "
            "Orient; Jyoti; Anand; Shakti; Mahalakshmi; Annapoorna; Kumaran; Navrang; "
            "Sundaram; Velan; Aarti; Pranav"
        ),
        _split("Tiruppur; Bengaluru; Gurgaon; Noida; Chennai; Ludhiana; Karur"),
        (*_COMMON, "{place} {sector}", "{word} Exports", "{word} Overseas"),
        ("Pvt Ltd", "Private Limited", "Pvt. Ltd.", "Ltd"),
    ),
    "KH": NameStyle(
        _split(
            "Angkor; Mekong; Golden Dragon; Tonle; Apsara; New Star; Kingsland; Evergreen; "
            "Lucky; Grand Lotus; Royal Crown; Bayon; Sovann; Jade Ocean; Silver Moon"
        ),
        (),
        ("{word} (Cambodia) {sector}", "{word} {sector}", "{acronym} {sector}"),
        ("Co., Ltd.", "Co. Ltd", "Ltd."),
    ),
    "ID": NameStyle(
        _split(
            "Sinar; Cahaya; Mitra; Karya; Jaya; Abadi; Makmur; Sentosa; Indah; Mulia; "
            "Sejahtera; Utama; Prima; Perkasa; Lestari; Bintang; Mega; Surya; Nusantara; "
            "Buana; Agung; Harapan; Citra"
        ),
        (),
        ("{word} {word2} {sector}", "{word} {sector} {word2}", "{acronym} {sector}"),
        ("PT", "PT", "PT", "CV"),
        legal_prefix=True,
        sectors=_ID_SECTORS,
    ),
    "PK": NameStyle(
        _split(
            "Al-Noor; Indus; Ravi; Chenab; Faisal; Mehran; Shalimar; Zam Zam; Madina; Hilal; "
            "Sitara; Afroze; Zeenat; Haroon; Tariq; Bilal; Crescent Star; Sadiq"
        ),
        _split("Karachi; Lahore; Faisalabad; Sialkot; Multan"),
        (*_COMMON, "{place} {sector}"),
        ("(Pvt) Ltd", "(Private) Limited", "Pvt. Ltd.", "Ltd"),
    ),
    "LK": NameStyle(
        _split(
            "Ceylon; Serendib; Ruhuna; Lotus; Sigiri; Ratna; Kelani; Mahaweli; Rajarata; "
            "Nilwala; Samudra; Sapumal; Amaya; Hela; Kandyan"
        ),
        (),
        (*_COMMON, "{word} Lanka {sector}"),
        ("(Pvt) Ltd", "(Private) Limited", "Ltd"),
    ),
    "TR": NameStyle(
        _split(
            "Anadolu; Ege; Marmara; Boğaziçi; Yıldız; Akdeniz; Kartal; Özgür; Güneş; Doğan; "
            "Aydın; Çınar; Başak; Kardelen; Yeşil; Deniz; Erdem; Bereket; Ünal; Şahin"
        ),
        (),
        _COMMON,
        ("Sanayi ve Ticaret A.Ş.", "San. ve Tic. Ltd. Şti.", "A.Ş.", "Ltd. Şti."),
        sectors=_TR_SECTORS,
    ),
    "MM": NameStyle(
        _split(
            "Shwe; Golden Land; Aung; Mya; Thiri; Ayeyar; Hlaing; Yadanar; Myint; Zaw; "
            "Thuriya; Pyinsa; Moe; Nandaw; Shwe Taung"
        ),
        _split("Yangon; Bago; Mandalay"),
        ("{word} {sector}", "{word} {word2} {sector}", "{place} {sector}"),
        ("Co., Ltd.", "Company Limited"),
    ),
    "ET": NameStyle(
        _split(
            "Abyssinia; Addis; Blue Nile; Entoto; Sheba; Rift Valley; Axum; Lalibela; "
            "Awash; Tana; Meskel; Gondar; Zema"
        ),
        _split("Hawassa; Addis; Adama; Kombolcha"),
        ("{word} {sector}", "{place} {sector}", "{word} {word2} {sector}"),
        ("PLC", "P.L.C.", "Share Company"),
    ),
    "HN": NameStyle(
        _split(
            "Maya; Sula; Copán; Ulúa; Caribe; Lempira; Atlántida; Pinos; Merendón; "
            "Río Blanco; Olancho; Cuyamel"
        ),
        (),
        ("{sector} {word}", "{sector} {word} {word2}", "{acronym} {sector}"),
        ("S.A. de C.V.", "S. de R.L.", "S. de R.L. de C.V."),
        sectors=_HN_SECTORS,
    ),
}

CN_CITIES = {
    "Shenzhen": "深圳",
    "Dongguan": "东莞",
    "Guangzhou": "广州",
    "Ningbo": "宁波",
    "Shaoxing": "绍兴",
    "Suzhou": "苏州",
    "Quanzhou": "泉州",
    "Qingdao": "青岛",
}


@dataclass(frozen=True)
class FactoryName:
    """A canonical name, the legal form inside it, and its local-script form if any."""

    name: str
    legal_form: str
    local: str | None


def _latin(token: str) -> str:
    return token.split("|", 1)[0]


def _local(token: str) -> str:
    return token.split("|", 1)[1] if "|" in token else ""


def _acronym(rng: random.Random) -> str:
    letters = "ABCDEFGHIJKLMNOPRSTUVWYZ"
    return "".join(rng.choice(letters) for _ in range(rng.choice((2, 3, 3, 3))))


def factory_name(rng: random.Random, country: str, sector: str, city: str) -> FactoryName:
    """Draw a plausible name for a factory of ``sector`` in ``city``."""
    style = STYLES[country]
    sector_token = rng.choice(style.sectors.get(sector) or SECTORS[sector])
    word, word2 = rng.sample(style.words, 2)
    # Chinese names lead with the factory's own city; elsewhere any known place will do.
    place = f"{city}|{CN_CITIES[city]}" if country == "CN" else rng.choice((*style.places, city))
    core = rng.choice(style.patterns).format(
        word=_latin(word),
        word2=_latin(word2),
        sector=_latin(sector_token),
        place=_latin(place),
        acronym=_acronym(rng),
    )
    legal = rng.choice(style.legal_forms)
    name = f"{legal} {core}" if style.legal_prefix else f"{core} {legal}"
    local = None
    if style.local_suffix:
        local = _local(place) + _local(word) + _local(sector_token) + style.local_suffix
    return FactoryName(name, legal, local)
