"""Is a column about people's names? Header words in several languages, and value shapes.

No model and no download: a short list of common given names and family names from the
countries the node's data comes from (South and South-East Asia, China, Latin America,
Europe, North America, Africa), compared after transliteration to ASCII; Vietnamese
family + middle names; common Chinese surnames; and words that mark an organization or a
place ("Ltd", "Garments", "Restaurant", "Port") so that factories named after their owner
("Rahman Knit Composite Ltd") or a deity ("Lakshmi Lingerie") are not taken for people.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry
from anyascii import anyascii


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN = _wordset(
    """
aaron abdul abdullah abu adam adriana agnes agus ahmad ahmed aisha akash alan albert alejandro
alex alexander alexandra alfredo ali alice alicia amanda amina amir amit amy ana andrea andrew
angela angelica anita ann anna anne anthony antonio anwar april arjun arnold arun asha ashley
barbara ben benjamin beth betty bill billy bob bobby bonnie brandon brenda brian bruce budi
carl carla carlos carmen carol caroline catherine charles charlie cheryl chris christina
christine christopher cindy claudia cynthia daniel danielle david dawn debbie deborah dennis
denise devi dewi diana diane diego dina dolores don donald donna doris dorothy douglas dwi
eddie edward eka elena elizabeth ellen emily emma eric erik erin ernest esther eugene eva
evelyn fatima fernando florence frances francisco frank fred gary george gerald gina gloria
grace greg gregory gustavo hannah harold harry hasan hassan heather helen henry herbert hussain
ibrahim irene isabel ismail jack jacob james jamal jane janet janice jason javier jean jeff
jeffrey jennifer jeremy jerry jesse jessica jesus jimmy joan joe joel john johnny jon jonathan
jorge jose joseph joshua joyce juan judith judy julia julie justin karen kate katherine
kathleen kathy keith kelly kenneth kevin kim kimberly kumar kyle lakshmi larry laura lauren
lawrence leonard leslie lina linda lisa lori louis luis lynn manuel marcus margaret maria marie
marilyn mario mark martha martin mary matthew md megan melissa michael michelle mike mohammad
mohammed mohamed muhammad nancy naomi nathan nicholas nicole nur omar oscar pablo pamela
patricia patrick paul paula pedro peter philip phyllis priya putri rachel rafael rahul rajesh
ralph ramesh randy ravi raymond rebecca richard rina rita robert roberto roger ronald rosa rose
ruby russell ruth ryan sally samantha samuel sandra sara sarah scott sean sharon shirley siti
sok sophia sri srey stephanie stephen steve steven sunil susan tammy teresa terry thomas tim
timothy tina todd tom tony tracy tyler valerie vanessa victor victoria vincent virginia walter
wayne wendy william willie yolanda yusuf zainab
"""
)
# Vietnamese names start with the family name, then a middle name (Văn for men, Thị for women).
VIET_FAMILY = _wordset("nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly")
VIET_MIDDLE = frozenset(("van", "thi"))
ORGANIZATION = _wordset(
    """
inc incorporated llc llp ltd limited co corp corporation company companies plc gmbh ag sa
sas srl spa bv nv pty pvt private public sdn bhd pt cv tbk jsc ojsc tnhh kft oy ab as
group holdings holding enterprise enterprises industries industry industrial international
global services service solutions systems associates partners trust foundation union
factory factories mill mills garment garments apparel apparels textile textiles knit knitting
knitwear composite fashion fashions clothing wear denim dyeing spinning weaving leather
footwear shoes manufacturing manufacturer works workshop plant
restaurant restaurants cafe bar grill pizza diner bakery kitchen catering food foods market
farm farms dairy ranch construction builders building roofing plumbing electric electrical
painting cleaning cleaners landscaping lawn auto motors transport trucking logistics
hotel motel inn resort salon spa studio clinic hospital health care home homes center centre
school university college academy church city county state department office agency
bank store stores shop mart supply supplies sales trading exports export imports import
club staffing staff nails nail salon barber masonry floors flooring floor drywall roofing
repair repairs promotions management consulting law legal pc pa md dds cpa esq bros
brothers sons design designs architects architecture media marketing realty properties
property rental rentals maintenance installation contracting contractors contractor
carpentry concrete paving excavation moving storage security insurance financial tax
accounting medical dental pharmacy care daycare childcare nursing senior living
port harbor harbour beach falls springs heights hills lake river valley village town city
junction bay point ridge park creek island county street road avenue square lanka
lingerie washing knits vina sweaters sweater hosiery socks
the of and &
"""
)
_HEADER_PERSON = re.compile(
    r"^(?:(?:first|last|given|family|full|sur|fore|middle|maiden|nick)[ _-]?name|surname|"
    r"forename|nombres?|apellidos?|prenoms?|nome|cognome|sobrenome|nama(?:[ _-]lengkap)?|"
    r"ho[ _-]?ten|ten|xingming|mingzi|isim|ad[ _-]?soyad|soyad|naam|imya|familiya|"
    r"(?:worker|employee|person|contact|respondent|complainant|interviewee|staff|member|"
    r"trabajador|empleado|travailleur|pekerja|karyawan|buruh|nhan[ _-]?vien|cong[ _-]?nhan|"
    r"victim|witness|caller|reporter|applicant|claimant)s?[ _-]?(?:full[ _-]?)?(?:name|nombre|"
    r"nom|nama|ten)s?)$"
)
_LETTERS = re.compile(r"^[^\W\d_]+(?:['\u2019.\-][^\W\d_]*)*\.?$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
HAN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)


# Name headers in other scripts, matched as written (NFC, casefolded, spaces collapsed):
# the whole header is a name word, alone or with a word for the person or "full".
_NATIVE_PERSON_HEADER = re.compile(
    r"^(?:"
    r"(?:শ্রমিকের|শ্রমিক|কর্মীর|কর্মী|কর্মচারীর|কর্মচারী|উত্তরদাতার|অভিযোগকারীর|সদস্যের|"
    r"ব্যক্তির|পুরো|পূর্ণ)? ?নাম"  # Bengali
    r"|(?:कर्मचारी का|कर्मचारी|मजदूर का|मज़दूर का|श्रमिक का|कामगार का|पूरा|पूर्ण)? ?नाम"  # Hindi
    r"|(?:ملازم کا|مزدور کا|کارکن کا|پورا)? ?نام"  # Urdu
    r"|ឈ្មោះ ?(?:បុគ្គលិក|កម្មករ|កម្មការិនី|និយោជិត|ពេញ)?|នាមត្រកូល|នាមខ្លួន"  # Khmer
    r"|(?:ဝန်ထမ်း|အလုပ်သမား)? ?(?:အမည်|နာမည်)"  # Burmese
    r"|(?:员工|員工|工人|职工|職工|雇员|僱員)?(?:姓名|名字|全名)|名前|氏名"  # Chinese, Japanese
    r"|(?:සේවකයාගේ|සම්පූර්ණ)? ?නම|(?:ஊழியர்|தொழிலாளர்)? ?பெயர்|(?:የሰራተኛው )?ስም"
    r")$"
)
# Name-first headers in Latin scripts: ``tên nhân viên``, ``nama karyawan``, ``nom de l'employé``.
_NAME_OF_PERSON = re.compile(
    r"^(?:ho (?:va )?ten|ten|nama|nombre|nom|nome|name|adi|isim)(?: (?:de|du|d|do|da|del|l))* "
    r"(?:nhan vien|cong nhan|nguoi lao dong|nld|karyawan|pekerja|buruh|pegawai|trabajador|"
    r"empleado|travailleur|employe|salarie|funcionario|trabalhador|calisan|isci|personel)$"
)
_MORE_LATIN_HEADERS = re.compile(
    r"^(?:ho va ten|ho ten day du|nama lengkap|ad soyad|adi soyadi|isim soyisim|nom complet|"
    r"nome completo|nombre completo|vorname|nachname|familienname|mitarbeitername|"
    r"prenom|calisan adi)$"
)


def person_header(header: str) -> bool:
    """A column header that says it holds people's names (``worker_name``, ``Họ tên``,
    ``শ্রমিকের নাম``, ``ឈ្មោះបុគ្គលិក``)."""
    written = " ".join(unicodedata.normalize("NFC", header).casefold().split())
    if _NATIVE_PERSON_HEADER.match(written):
        return True
    text = anyascii(unicodedata.normalize("NFC", header)).strip().lower()
    words = " ".join(re.findall(r"[a-z]+", text))
    return bool(
        _HEADER_PERSON.match(text)
        or _NAME_OF_PERSON.match(words)
        or _MORE_LATIN_HEADERS.match(words)
    )


def name_shaped(value: str) -> bool:
    """Two to four words of letters, no organization word: could be a person's name. In
    scripts written without spaces between a name's parts (Burmese, Khmer, Thai), one word
    will do."""
    text = unicodedata.normalize("NFC", value).strip()
    if _HAN.match(text):
        return True
    words = _words(text)
    if not words or len(words) > 4 or len(text) > 60:
        return False
    if all(_LETTERS.match(w) for w in words):
        shaped = len(words) >= 2
    else:
        shaped = all(_script_word(w) for w in words) and (
            len(words) >= 2 or _UNSPACED.match(text) is not None
        )
    return shaped and not _org(words)


_UNSPACED = re.compile(r"^[\u1000-\u109f\u1780-\u17ff\u0e00-\u0e7f]+$")  # Myanmar, Khmer, Thai


def _script_word(word: str) -> bool:
    """Letters with their combining vowel signs (Bengali, Devanagari, Khmer...), no digit."""
    return any(unicodedata.category(ch).startswith("L") for ch in word) and all(
        unicodedata.category(ch)[0] in "LM" or ch in "'\u2019.-:\u200c\u200d" for ch in word
    )


def person_name(value: str) -> bool:
    """A name shape that starts with a known given name (``Maria Lopez``) or is written
    ``Family, Given`` (``RICHARDSON, TIMOTHY B``); a known family name alone is not enough,
    since businesses and places are named after families (``Gonzalez Drywall``)."""
    text = unicodedata.normalize("NFC", value).strip()
    if _HAN.match(text):
        return text[0] in HAN_SURNAMES
    if not name_shaped(text):
        return False
    if "," in text:
        _, _, given = text.partition(",")
        first = _words(given)
        return bool(first) and _ascii(first[0]) in GIVEN
    words = [_ascii(w) for w in _words(text)]
    if words[0] in VIET_FAMILY and words[1] in VIET_MIDDLE:
        return True
    return words[0] in GIVEN and len(words[-1]) > 1 and _ascii(text) not in _countries()


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            names.add(_ascii(getattr(country, attribute, "") or ""))
    return frozenset(names)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text) if w]


def _ascii(word: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(word).lower())


def _org(words: list[str]) -> bool:
    """An organization word, or a trade word such as ``...wear`` (``Knotwear`` typos too)."""
    return any(_ascii(w) in ORGANIZATION or _ascii(w).endswith("wear") or w == "&" for w in words)


def mask_name(value: str) -> str:
    return " ".join(w[:1] + "***" for w in _words(value.strip())) or "***"
