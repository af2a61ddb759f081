"""What a column header says it holds: an ID document number, a person's key, a person.

Headers come in the languages of the node's data (English, French, Spanish, Portuguese,
German, Indonesian, Turkish, Vietnamese, Bengali, Hindi, Urdu, Khmer, Burmese, Chinese,
Sinhala, Tamil, Amharic). Latin-script headers are compared as ASCII words after
``anyascii`` and ``casefold`` (``Số CCCD`` → ``so cccd``); other scripts are compared as
written (NFC, casefolded), since their transliterations are lossy (``পরিচয়পত্র`` →
``pricy'ptr``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii


def native(header: str) -> str:
    return unicodedata.normalize("NFC", header).casefold().strip()


def ascii_words(header: str) -> str:
    """``N° de Pasaporte`` → ``no de pasaporte``: lowercase ASCII words, single spaces."""
    text = anyascii(native(header)).casefold().replace("ndeg", "no ")
    return " ".join(re.findall(r"[a-z0-9#]+", text))


def _phrases(words: Iterable[str]) -> str:
    """An alternation of phrases; a space inside a phrase may be absent (``passportno``)."""
    return "|".join(re.escape(w).replace(r"\ ", " ?") for w in sorted(words, key=len, reverse=True))


def _native(words: str) -> tuple[str, ...]:
    return tuple(native(w) for w in words.split())


_NUMBER = "no nr num number numbers nummer numara numarasi nomor numero so code id ids #"
_ID_SUFFIX = rf"(?: ?(?:{_phrases(_NUMBER.split())}))?"
# National ID cards and numbers (ASCII forms after anyascii).
NATIONAL_ID_WORDS = (
    "national id", "national identity", "national identification", "nid", "nic", "cnic",
    "nicop", "nin", "nik", "ktp", "e ktp", "nomor induk kependudukan", "identity card",
    "identity number", "identity no", "identification number", "citizen id",
    "citizenship number", "ssn", "social security", "aadhaar", "aadhar", "adhar", "uidai",
    "pan card", "pan no", "pan number", "tc kimlik", "tckn", "tc no", "kimlik", "cccd", "cmnd",
    "can cuoc", "chung minh nhan dan", "chung minh thu", "so dinh danh", "dinh danh ca nhan",
    "dni", "cedula", "documento de identidad", "numero de identidad", "curp", "cpf", "rut",
    "carte d identite", "numero d identite", "cni", "personalausweis", "ausweis", "ausweisnummer",
    "shenfenzheng", "shenfen zheng", "fayda", "nrc", "voter id", "epic",
)  # fmt: skip
NATIONAL_ID_NATIVE = _native(
    "জাতীয়_পরিচয় পরিচয়পত্র এনআইডি আইডি_কার্ড ভোটার_আইডি आधार पहचान_पत्र पैन_कार्ड "
    "شناختی_کارڈ قومی_شناختی អត្តសញ្ញាណប័ណ្ណ អត្តសញ្ញាណ မှတ်ပုံတင် "
    "နိုင်ငံသားစိစစ်ရေး 身份证 身份證 公民身份 居民身份 ජාතික_හැඳුනුම්පත හැඳුනුම්පත "
    "அடையாள_அட்டை ஆதார் መታወቂያ ፋይዳ บัตรประชาชน".replace("_", "\u00a0")
)
PASSPORT_WORDS = ("passport", "pasaporte", "passaporte", "passeport", "reisepass", "pasaport",
                  "paspor", "ho chieu")  # fmt: skip
PASSPORT_NATIVE = _native("পাসপোর্ট पासपोर्ट پاسپورٹ លិខិតឆ្លងដែន ပတ်စ်ပို့ နိုင်ငံကူးလက်မှတ် "
                          "护照 護照 ගමන්_බලපත්‍ර கடவுச்சீட்டு ፓስፖርት".replace("_", "\u00a0"))  # fmt: skip
# ``ID card``, ``ID number``: a national ID, unless the header names another thing's ID
# (``order id no``, ``facility id number``).
_GENERIC_ID = re.compile(r"(?<![a-z0-9])id ?(?:card|number|no|nr)(?![a-z0-9])")
_NATIONAL_ID = re.compile(
    rf"(?<![a-z0-9])(?:{_phrases(NATIONAL_ID_WORDS)}){_ID_SUFFIX}(?![a-z0-9])"
)
_PASSPORT = re.compile(rf"(?<![a-z0-9])(?:{_phrases(PASSPORT_WORDS)}){_ID_SUFFIX}(?![a-z0-9])")

# Persons whose own number a column may hold (an employee number, a member's card).
PERSON_WORDS = (
    "worker", "employee", "emp", "staff", "member", "personnel", "personel", "payroll", "badge",
    "respondent", "participant", "interviewee", "beneficiary", "complainant", "survivor",
    "trabajador", "empleado", "funcionario", "colaborador", "trabalhador", "travailleur",
    "salarie", "employe", "ouvrier", "mitarbeiter", "arbeitnehmer", "beschaftigte", "pekerja",
    "karyawan", "buruh", "pegawai", "calisan", "isci", "nhan vien", "cong nhan",
    "nguoi lao dong", "nld",
)  # fmt: skip
_KEY_AFTER = (
    "id",
    "no",
    "nr",
    "num",
    "number",
    "code",
    "key",
    "ref",
    "card",
    "card no",
    "card number",
)  # ``worker no``: the person first (English, Indonesian ``ID``)
_KEY_BEFORE = (
    "id",
    "code",
    "numero",
    "codigo",
    "matricula",
    "nomor",
    "kode",
    "nummer",
    "ma",
    "ma so",
    "so the",
    "sicil no",
)  # ``Mã nhân viên``: singular person after
_PERSON_KEY = re.compile(
    rf"(?<![a-z0-9])(?:(?:{_phrases(w + s for w in PERSON_WORDS for s in ('', 's'))}) ?"
    rf"(?:{_phrases(_KEY_AFTER)})|(?:{_phrases(_KEY_BEFORE)}) ?(?:(?:de|du|d|do|da|del) )?"
    rf"(?:{_phrases(PERSON_WORDS)})|payroll|badge|matricule|matricula|legajo|personalnummer|"
    rf"personalnr|mitarbeiternummer|mitarbeiternr|empid|empno|staffno|sicil no|sicil|nip|"
    rf"card no|card number)(?![a-z0-9])"
)
PERSON_KEY_NATIVE = _native(
    "工号 工號 员工编号 員工編號 员工号 員工號 职工号 職工號 কর্মী_আইডি শ্রমিক_আইডি কার্ড_নং "
    "কার্ড_নম্বর আইডি_নং আইডি_নম্বর कर्मचारी_संख्या कर्मचारी_आईडी कर्मचारी_कोड ملازم_نمبر "
    "ملازم_آئی_ڈی អត្តលេខ លេខបុគ្គលិក ဝန်ထမ်းအမှတ် ဝန်ထမ်းနံပါတ် සේවක_අංකය ஊழியர்_எண் "
    "የሰራተኛ_መለያ".replace("_", "\u00a0")
)
# A header that is nothing but a key word (``ID``, ``Mã``, ``Code``) keys whatever a row is.
_BARE_KEY = re.compile(rf"^(?:{_phrases(('id', 'uid', 'code', 'key', 'ref', 'ma', 'ma so'))})$")
# A header naming something that is not a person: its numbers identify that thing.
_OTHER_ENTITY = re.compile(
    r"(?<![a-z0-9])(?:facility|factory|factories|supplier|vendor|site|plant|mill|audit|"
    r"finding|case|order|invoice|po|purchase|certificate|cert|license|licence|product|sku|"
    r"item|style|batch|lot|shipment|container|transaction|ticket|document|file|report|"
    r"company|brand|buyer|business|branch|store|shop|postcode|postal|zip|tax|vat|registration|"
    r"serial|row|index|stt|sl|sr|sno|line|phone|mobile|tel|account|iban)(?![a-z0-9])"
)
# Columns that only a row about one person has (sex, age), and one that a row about a
# person has but a facility's row may too (a wage: one worker's, or a facility's average).
_PERSON_TRAIT = re.compile(
    r"(?<![a-z0-9])(?:gender|sex|age|age band|date of birth|dob|birth ?date|birthday|"
    r"year of birth|gioi tinh|tuoi|ngay sinh|jenis kelamin|umur|usia|cinsiyet|yas|dogum|"
    r"sexo|edad|idade|genre|geschlecht|alter|geburtsdatum)(?![a-z0-9])"
)
_PERSON_PAY = re.compile(
    r"(?<![a-z0-9])(?:wage|salary|pay|income|earnings|luong|gaji|upah|maas|ucret|salario|"
    r"salaire|lohn|gehalt)(?![a-z0-9])"
)
_AGGREGATE = re.compile(
    r"(?<![a-z0-9])(?:minimum|min|living|average|avg|mean|median|total|reference|estimate|"
    r"benchmark|sum|count|number of|share|percent|pct|rate)(?![a-z0-9])"
)
# A column that makes a row a facility's: its name, its workforce.
_FACILITY = re.compile(
    r"(?<![a-z0-9])(?:facility|factory|supplier|site|plant|mill|workers|employees|headcount|"
    r"workforce)(?![a-z0-9])"
)
PERSON_TRAIT_NATIVE = _native("লিঙ্গ বয়স लिंग उम्र عمر ភេទ អាយុ ကျား/မ အသက် 性别 性別 年龄 年齡")
PERSON_PAY_NATIVE = _native("বেতন मजदूरी वेतन تنخواہ ប្រាក់ខែ လစာ 工资 工資 薪资")


def _native_has(header: str, words: tuple[str, ...]) -> bool:
    text = native(header).replace(" ", "\u00a0").replace("_", "\u00a0")
    return any(word in text for word in words)


def id_document(header: str) -> str | None:
    """``passport`` or ``national-id`` when the header names an ID document or its number."""
    words = ascii_words(header)
    if _PASSPORT.search(words) or _native_has(header, PASSPORT_NATIVE):
        return "passport"
    if _NATIONAL_ID.search(words) or _native_has(header, NATIONAL_ID_NATIVE):
        return "national-id"
    if _GENERIC_ID.search(words) and not _OTHER_ENTITY.search(words):
        return "national-id"
    return None


def person_key(header: str) -> bool:
    """The header names a person's own number (``worker_id``, ``Mã nhân viên``, ``工号``)."""
    words = ascii_words(header)
    return bool(_PERSON_KEY.search(words)) or _native_has(header, PERSON_KEY_NATIVE)


def bare_key(header: str) -> bool:
    return bool(_BARE_KEY.match(ascii_words(header)))


def other_entity(header: str) -> bool:
    """The header names a facility, order, case...: its numbers are not a person's."""
    return bool(_OTHER_ENTITY.search(ascii_words(header)))


def person_attribute(header: str) -> str | None:
    """``trait`` for sex or age (only a person has them), ``pay`` for one person's wage
    (a facility may have one too), None for anything else or an aggregate."""
    words = ascii_words(header)
    if _AGGREGATE.search(words):
        return None
    if _PERSON_TRAIT.search(words) or _native_has(header, PERSON_TRAIT_NATIVE):
        return "trait"
    if _PERSON_PAY.search(words) or _native_has(header, PERSON_PAY_NATIVE):
        return "pay"
    return None


def facility_column(header: str) -> bool:
    """A facility's name or workforce: the rows are facilities, not persons."""
    return bool(_FACILITY.search(ascii_words(header)))
