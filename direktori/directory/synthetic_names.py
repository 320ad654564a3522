"""The words of the synthetic directory (`synthetic.py`): the kinds of organisation, the services
each runs and the sentences that describe them, in Malay and English; and the place names read
from the MOH facility list.

Placeholders: {village} and {village_en} (a kampung, taman or town near a real clinic), {town}
and {district}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from itertools import chain, count

from .models import Organization

Sentence = tuple[str, str]  # (Malay, English)


@dataclass(frozen=True)
class ServiceKind:
    name_ms: str
    name_en: str
    # The first target group is always given; up to two more are drawn from the rest.
    target_groups: tuple[str, ...]
    # The first category is always given; sometimes the second as well.
    categories: tuple[str, ...]
    hours: tuple[str, ...]  # keys of HOURS
    descriptions: tuple[Sentence, ...]  # opening sentences: one is drawn


@dataclass(frozen=True)
class OrganizationKind:
    kind: str
    name_ms: str
    name_en: str
    description: Sentence
    services: tuple[str, ...]  # keys of SERVICE_KINDS; the first is the organisation's main one
    weight: int  # how common it is
    alternate_name: str = ""
    confidential_reason: str = ""  # a shelter: its location is never shown


def _service(
    name_ms: str, name_en: str, target_groups: tuple[str, ...], categories: tuple[str, ...],
    hours: tuple[str, ...], *descriptions: Sentence,
) -> ServiceKind:  # fmt: skip
    return ServiceKind(name_ms, name_en, target_groups, categories, hours, descriptions)


SERVICE_KINDS: dict[str, ServiceKind] = {
    "referral": _service(
        "Rujukan kes kepada JKM", "Referrals to the welfare office",
        ("elderly", "children", "disability", "domestic_violence"), ("welfare", "community"),
        ("evening", "weekend", "office"),
        ("Ahli kami mengenal pasti kanak-kanak, OKU, warga emas dan mangsa keganasan rumah tangga "
         "di {village} yang memerlukan bantuan dan merujuk mereka kepada Pejabat Kebajikan "
         "Masyarakat Daerah {district}.",
         "Our members find children, persons with disabilities, older people and survivors of "
         "domestic violence in {village_en} who need help, and refer them to the {district} "
         "district welfare office."),
        ("Laporkan kepada kami keluarga di {village} yang memerlukan bantuan kebajikan; kami "
         "membantu mengisi borang dan membawa kes kepada JKM.",
         "Tell us about families in {village_en} who need welfare support; we help with the forms "
         "and take the case to the welfare department (JKM)."),
    ),
    "home_visits": _service(
        "Ziarah warga emas", "Home visits to older people",
        ("elderly", "disability"), ("community", "welfare"), ("weekend", "twice_weekly"),
        ("Sukarelawan menziarahi warga emas yang tinggal seorang diri di {village}.",
         "Volunteers visit older people who live alone in {village_en}."),
        ("Lawatan mingguan ke rumah warga emas dan OKU yang terlantar di sekitar {town}.",
         "Weekly visits to older people and persons with disabilities who are bedridden around "
         "{town}."),
    ),
    "food_baskets": _service(
        "Bantuan bakul makanan", "Food baskets",
        ("elderly", "children", "disability", "family"), ("financial_aid", "community"),
        ("wednesday_evening", "weekend"),
        ("Bakul makanan untuk keluarga yang memerlukan di {village}, dengan pengesahan ketua "
         "kampung.",
         "Food baskets for families in need in {village_en}, confirmed by the village head."),
        ("Beras, minyak, susu dan barang keperluan asas diagihkan setiap bulan kepada warga emas, "
         "OKU dan ibu tunggal di {town}.",
         "Rice, cooking oil, milk and other basics handed out every month to older people, "
         "persons with disabilities and single mothers in {town}."),
    ),
    "parenting": _service(
        "Program keibubapaan", "Parenting programme",
        ("children", "family"), ("community", "counselling"), ("weekend",),
        ("Bengkel bulanan untuk ibu bapa di {village} tentang keselamatan dan asuhan kanak-kanak.",
         "A monthly workshop for parents in {village_en} on keeping children safe and bringing "
         "them up well."),
        ("Sesi perkongsian untuk ibu bapa muda di {town}: disiplin positif, pemakanan dan "
         "keselamatan dalam talian.",
         "Sessions for young parents in {town}: positive discipline, nutrition and online "
         "safety."),
    ),
    "tuition": _service(
        "Kelas bimbingan kanak-kanak", "Homework club for children",
        ("children",), ("community",), ("evening", "weekend"),
        ("Kelas bimbingan percuma untuk murid sekolah rendah di {village}.",
         "A free homework club for primary school children in {village_en}."),
        ("Guru sukarelawan membantu kanak-kanak {village} membaca, menulis dan mengira.",
         "Volunteer teachers help the children of {village_en} with reading, writing and "
         "arithmetic."),
    ),
    "help_at_home": _service(
        "Khidmat bantu di rumah", "Help at home",
        ("elderly", "disability"), ("welfare", "community"), ("twice_weekly", "office"),
        ("Sukarelawan membantu warga emas dan OKU di {town} dengan kerja rumah, ubat dan temu "
         "janji klinik.",
         "Volunteers help older people and persons with disabilities in {town} with housework, "
         "medicines and clinic appointments."),
        ("Penjaga terlatih datang ke rumah warga emas yang terlantar di sekitar {village}.",
         "Trained carers come to the homes of bedridden older people around {village_en}."),
    ),
    "health_checks": _service(
        "Pemeriksaan kesihatan warga emas", "Health checks for older people",
        ("elderly",), ("health", "elderly_centre"), ("twice_weekly", "weekend"),
        ("Pemeriksaan tekanan darah, gula dan penglihatan untuk warga emas di {town}.",
         "Blood pressure, blood sugar and eyesight checks for older people in {town}."),
        ("Saringan kesihatan bulanan bersama klinik kesihatan berhampiran {village}.",
         "Monthly health screening with the health clinic near {village_en}."),
    ),
    "aids_loan": _service(
        "Pinjaman alat bantuan OKU", "Loan of mobility aids",
        ("disability", "elderly"), ("welfare", "rehabilitation"), ("office", "twice_weekly"),
        ("Kerusi roda, tongkat dan katil hospital dipinjamkan kepada OKU dan warga emas di "
         "{town}.",
         "Wheelchairs, walking frames and hospital beds lent to persons with disabilities and "
         "older people in {town}."),
        ("Pinjaman percuma alat bantuan pergerakan untuk penduduk {district}.",
         "Free loans of mobility aids for people living in {district}."),
    ),
    "day_activities": _service(
        "Aktiviti harian warga emas", "Day activities for older people",
        ("elderly",), ("elderly_centre", "community"), ("office",),
        ("Senaman ringan, kelas agama, makan tengah hari dan rakan berbual untuk warga emas "
         "{town}.",
         "Light exercise, religious classes, lunch and company for older people in {town}."),
        ("Pusat harian untuk warga emas di {village}: riadah, kraf tangan dan rawatan kesihatan "
         "asas.",
         "A day centre for older people in {village_en}: recreation, handicrafts and basic "
         "health care."),
    ),
    "rehab_children": _service(
        "Program pemulihan kanak-kanak OKU", "Rehabilitation for children with disabilities",
        ("disability", "children"), ("rehabilitation", "health"), ("office",),
        ("Latihan pemulihan, terapi dan pendidikan awal untuk kanak-kanak OKU di {town}.",
         "Rehabilitation, therapy and early education for children with disabilities in "
         "{town}."),
        ("Kanak-kanak OKU dari {village} dan kawasan sekitar belajar mengurus diri, bertutur dan "
         "bergerak.",
         "Children with disabilities from {village_en} and around learn self-care, speech and "
         "mobility."),
    ),
    "skills_training": _service(
        "Latihan kemahiran OKU", "Skills training for persons with disabilities",
        ("disability",), ("rehabilitation", "community"), ("office", "twice_weekly"),
        ("Latihan jahitan, masakan dan komputer untuk belia OKU di {town}.",
         "Sewing, cooking and computer training for young persons with disabilities in {town}."),
        ("Bengkel kemahiran dan bantuan mencari kerja untuk OKU dewasa di {district}.",
         "Skills workshops and help finding work for adults with disabilities in {district}."),
    ),
    "childcare": _service(
        "Taska komuniti", "Community nursery",
        ("children",), ("childcare",), ("childcare",),
        ("Jagaan harian untuk kanak-kanak bawah empat tahun di {village}, dengan yuran rendah "
         "untuk keluarga berpendapatan rendah.",
         "Day care for children under four in {village_en}, with low fees for low-income "
         "families."),
        ("Taska berdaftar di {town} untuk anak-anak ibu bapa yang bekerja.",
         "A registered nursery in {town} for the children of working parents."),
    ),
    "family_counselling": _service(
        "Kaunseling keluarga", "Family counselling",
        ("domestic_violence", "children", "family"), ("counselling", "welfare"),
        ("office", "office_saturday"),
        ("Kaunselor berdaftar membantu pasangan dan keluarga di {town} yang menghadapi konflik, "
         "penderaan atau perceraian.",
         "Registered counsellors help couples and families in {town} facing conflict, abuse or "
         "divorce."),
        ("Sesi kaunseling sulit untuk keluarga dan kanak-kanak di {district}.",
         "Confidential counselling for families and children in {district}."),
    ),
    "dv_support_line": _service(
        "Talian sokongan mangsa keganasan rumah tangga",
        "Support line for survivors of domestic violence",
        ("domestic_violence", "women", "children"), ("helpline", "counselling"),
        ("all_day", "office"),
        ("Talian sulit untuk mangsa keganasan rumah tangga di {district}: nasihat, sokongan "
         "emosi dan rujukan kepada polis, hospital dan JKM.",
         "A confidential line for survivors of domestic violence in {district}: advice, "
         "emotional support and referrals to the police, hospitals and JKM."),
        ("Hubungi kami jika anda atau anak anda tidak selamat di rumah; kami membantu wanita di "
         "{town} membuat pelan keselamatan.",
         "Call us if you or your children are not safe at home; we help women in {town} make a "
         "safety plan."),
    ),
    "shelter": _service(
        "Tempat perlindungan sementara", "Temporary shelter for women and children",
        ("domestic_violence", "women", "children"), ("shelter", "emergency"), ("all_day",),
        ("Tempat tinggal sementara yang selamat untuk wanita dan kanak-kanak yang melarikan diri "
         "daripada keganasan di daerah {district}.",
         "Safe temporary accommodation for women and children escaping violence in {district} "
         "district."),
        ("Perlindungan, makanan dan kaunseling untuk mangsa keganasan rumah tangga dari {town} "
         "dan kawasan sekitar.",
         "Shelter, food and counselling for survivors of domestic violence from {town} and "
         "around."),
    ),
    "legal_advice": _service(
        "Khidmat nasihat guaman", "Legal advice",
        ("domestic_violence", "women"), ("legal_aid", "counselling"), ("twice_weekly", "office"),
        ("Peguam sukarelawan memberi nasihat percuma tentang perintah perlindungan, nafkah dan "
         "hak penjagaan anak di {town}.",
         "Volunteer lawyers give free advice on protection orders, maintenance and custody in "
         "{town}."),
        ("Klinik guaman mingguan untuk wanita dan mangsa keganasan rumah tangga di {district}.",
         "A weekly legal clinic for women and survivors of domestic violence in {district}."),
    ),
}  # fmt: skip

TERM_CODES = frozenset(
    code for kind in SERVICE_KINDS.values() for code in (*kind.target_groups, *kind.categories)
)

CBO, NGO = Organization.Kind.CBO, Organization.Kind.NGO
ORGANIZATION_KINDS: tuple[OrganizationKind, ...] = (
    OrganizationKind(
        CBO, "CBO {village}", "{village_en} CBO",
        ("Pertubuhan berasaskan komuniti (CBO) penduduk {village}, daerah {district}.",
         "The community based organisation (CBO) of the people of {village_en}, {district} "
         "district."),
        ("referral", "home_visits", "food_baskets", "parenting", "tuition"), weight=30,
    ),
    OrganizationKind(
        CBO, "Majlis Pengurusan Komuniti Kampung (MPKK) {village}",
        "{village_en} Village Community Management Council (MPKK)",
        ("Jawatankuasa kampung {village} yang menjaga kebajikan penduduknya.",
         "The village committee of {village_en}, looking after its people's welfare."),
        ("referral", "food_baskets", "home_visits"), weight=8, alternate_name="MPKK {village}",
    ),
    OrganizationKind(
        CBO, "Persatuan Penduduk {village}", "{village_en} Residents' Association",
        ("Persatuan penduduk {village} yang membantu jiran yang memerlukan.",
         "The residents' association of {village_en}, helping neighbours in need."),
        ("food_baskets", "tuition", "referral"), weight=6,
    ),
    OrganizationKind(
        NGO, "Persatuan Kebajikan Warga Emas {town}", "{town} Older People's Welfare Association",
        ("Persatuan sukarela yang menjaga kebajikan warga emas di {town} dan kampung sekitarnya.",
         "A voluntary association looking after older people in {town} and the villages "
         "around."),
        ("home_visits", "help_at_home", "health_checks", "food_baskets", "aids_loan"), weight=10,
    ),
    OrganizationKind(
        NGO, "Pusat Aktiviti Warga Emas (PAWE) {town}",
        "{town} Activity Centre for Older People (PAWE)",
        ("Pusat harian untuk warga emas {town}, dengan sokongan Jabatan Kebajikan Masyarakat.",
         "A day centre for the older people of {town}, supported by the Department of Social "
         "Welfare."),
        ("day_activities", "help_at_home", "health_checks"), weight=8,
        alternate_name="PAWE {town}",
    ),
    OrganizationKind(
        NGO, "Pemulihan Dalam Komuniti (PDK) {town}",
        "{town} Community Based Rehabilitation Centre (PDK)",
        ("Pusat pemulihan dalam komuniti untuk kanak-kanak dan orang dewasa OKU di {town}.",
         "A community based rehabilitation centre for children and adults with disabilities in "
         "{town}."),
        ("rehab_children", "skills_training", "aids_loan"), weight=8, alternate_name="PDK {town}",
    ),
    OrganizationKind(
        NGO, "Taska Komuniti {village}", "{village_en} Community Nursery",
        ("Taska komuniti untuk keluarga {village} dan kawasan sekitar.",
         "A community nursery for the families of {village_en} and around."),
        ("childcare", "parenting"), weight=8,
    ),
    OrganizationKind(
        NGO, "Pertubuhan Kaunseling Keluarga {town}", "{town} Family Counselling Society",
        ("Pertubuhan bukan kerajaan yang menyediakan kaunseling dan sokongan untuk keluarga di "
         "{town}.",
         "A non-governmental organisation offering counselling and support to families in "
         "{town}."),
        ("family_counselling", "dv_support_line", "parenting", "legal_advice"), weight=7,
    ),
    OrganizationKind(
        NGO, "Rumah Perlindungan Wanita {town}", "{town} Women's Shelter",
        ("Rumah perlindungan untuk wanita dan kanak-kanak yang melarikan diri daripada keganasan.",
         "A shelter for women and children escaping violence."),
        ("shelter", "dv_support_line", "family_counselling", "legal_advice"), weight=3,
        confidential_reason="Alamat tempat perlindungan dirahsiakan demi keselamatan penghuni.",
    ),
    OrganizationKind(
        NGO, "Persatuan Orang Kurang Upaya (OKU) {town}",
        "{town} Association of Persons with Disabilities",
        ("Persatuan OKU {town}: suara dan sokongan untuk orang kurang upaya dan keluarga mereka.",
         "The {town} association of persons with disabilities: a voice and support for them and "
         "their families."),
        ("skills_training", "aids_loan", "referral", "rehab_children"), weight=6,
        alternate_name="Persatuan OKU {town}",
    ),
)  # fmt: skip

# Sentences added after a service's opening sentence, none to two of them.
MORE_SENTENCES: tuple[Sentence, ...] = (
    ("Terbuka kepada semua penduduk daerah {district}.",
     "Open to everyone in {district} district."),
    ("Sila hubungi kami dahulu untuk temu janji.", "Please call first for an appointment."),
    ("Perkhidmatan ini percuma.", "This service is free of charge."),
    ("Dijalankan oleh sukarelawan setempat dengan sokongan Jabatan Kebajikan Masyarakat.",
     "Run by local volunteers with the support of the Department of Social Welfare."),
    ("Pengangkutan boleh diatur bagi yang tidak dapat datang sendiri.",
     "Transport can be arranged for those who cannot come on their own."),
    ("Kami juga melawat kampung-kampung sekitar {town}.",
     "We also visit the villages around {town}."),
    ("Bawa kad pengenalan atau kad OKU.", "Bring your identity card or OKU card."),
)  # fmt: skip

Hours = tuple[tuple[tuple[int, ...], time, time], ...]


def _hours(*rows: tuple[tuple[int, ...], str, str]) -> Hours:
    return tuple(
        (days, time.fromisoformat(opens), time.fromisoformat(closes))
        for days, opens, closes in rows
    )


# Weekly hours: (ISO weekdays, opens, closes) rows; no rows is open 24 hours every day.
HOURS: dict[str, Hours] = {
    "office": _hours(((1, 2, 3, 4, 5), "08:00", "17:00")),
    "office_saturday": _hours(((1, 2, 3, 4, 5), "08:00", "17:00"), ((6,), "08:00", "13:00")),
    "evening": _hours(((1, 2, 3, 4, 5), "20:00", "22:00")),
    "weekend": _hours(((6, 7), "09:00", "12:00")),
    "twice_weekly": _hours(((2, 4), "09:00", "12:00")),
    "wednesday_evening": _hours(((3,), "17:00", "19:00")),
    "childcare": _hours(((1, 2, 3, 4, 5), "07:00", "18:30")),
    "all_day": (),
}
# Kedah, Kelantan and Terengganu rest on Friday and Saturday: their working week starts on Sunday.
SUNDAY_TO_THURSDAY_STATES = frozenset({"Kedah", "Kelantan", "Terengganu"})

# The street address of a fictional organisation at a real place.
STREETS: tuple[str, ...] = (
    "Balai Raya {village}",
    "Dewan Orang Ramai {village}",
    "No. {number}, Jalan Besar {town}",
    "Lot {number}, Jalan {village}",
    "No. {number}, Lorong {small}, {village}",
    "Bangunan Serbaguna {village}",
)

# Place names in the MOH list -----------------------------------------------------------------

# How the list shortens place names, and the words that start a settlement's name.
ABBREVIATIONS = {
    "kg": "Kampung", "kpg": "Kampung", "kmpg": "Kampung", "kampong": "Kampung", "sg": "Sungai",
    "sgai": "Sungai", "bt": "Batu", "tmn": "Taman", "bdr": "Bandar", "bkt": "Bukit",
    "spg": "Simpang", "ldg": "Ladang", "pkn": "Pekan", "tg": "Tanjung", "tjg": "Tanjung",
}  # fmt: skip
SETTLEMENT_WORDS = frozenset(
    {"kampung", "taman", "felda", "felcra", "pekan", "bandar", "desa", "ladang", "rps", "rumah"}
)
STREET_WORDS = frozenset(
    {
        "jalan", "jln", "lorong", "lrg", "persiaran", "lebuh", "lebuhraya", "peti", "karung", "lot",
        "no", "blok", "aras", "tingkat", "km", "off", "presint", "w.d.t", "wdt", "kilometer", "pt",
        "kawasan", "kompleks", "bangunan", "pejabat", "klinik", "hospital", "pusat", "unit", "ppr",
        "pangsapuri", "flat", "sek", "seksyen", "mukim",
    }
)  # fmt: skip
# Names an address may end with that are states, not towns.
NOT_TOWNS = frozenset(
    {
        "johor", "kedah", "kelantan", "negeri sembilan", "pahang", "perak", "perlis", "sabah",
        "sarawak", "selangor", "terengganu", "wilayah persekutuan", "wilayah persekutuan labuan",
        "wilayah persekutuan kuala lumpur", "wilayah persekutuan putrajaya", "malaysia",
    }
)  # fmt: skip
POSTCODE = re.compile(r"\b(\d{5})\b")
PLACE = re.compile(r"[A-Za-z][A-Za-z .'’-]*")


def postcode_in(address: str) -> str:
    """The last five-digit number of an address, when it is a Malaysian postcode (01000–98859)."""
    found = POSTCODE.findall(address)
    return found[-1] if found and 1000 <= int(found[-1]) <= 98859 else ""


def town_in(address: str) -> str:
    """The town an address ends with, when it ends with one (not a street or a box number)."""
    for part in reversed(address.split(",")):
        text = _expand(POSTCODE.sub("", part))
        if _is_place(text) and not _is_settlement(text) and text.casefold() not in NOT_TOWNS:
            return text
    return ""


def villages_of(
    name: str, address: str, town: str, towns: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The kampung, taman or town a facility serves: "Klinik Desa (KD) Kpg.Genting" → "Kampung
    Genting", any kampung or taman its address names, else its town. A bare name ("Sri Menanti")
    is taken for a kampung unless it is a town (`towns`, casefolded)."""
    found: list[str] = []
    if ")" in name and name.lower().startswith(("klinik", "kkom", "kkia")):
        place = _expand(re.sub(r"\(.*?\)", "", name.split(")", 1)[1]))
        if _is_place(place):
            found.append(place)
    for part in address.split(","):
        text = _expand(POSTCODE.sub("", part))
        if _is_place(text) and _is_settlement(text):
            found.append(text)
    villages: list[str] = []
    for place in found or [town]:
        if not _is_settlement(place) and place.casefold() not in {town.casefold(), *towns}:
            place = f"Kampung {place}"
        if place not in villages:
            villages.append(place)
    return tuple(villages)


def placeholders(village: str, town: str, district: str) -> dict[str, str]:
    district = district.removeprefix("W.P. ")
    return {
        "village": village,
        "village_en": in_english(village),
        "town": town,
        "district": district,
    }


class NameBook:
    """Hands out organisation names never given before. A second association of a kind in a
    town takes a kampung's name instead, further ones a part of the kampung (Hulu, Hilir, …), as
    Malay place names do; a number only when all are taken."""

    PARTS = ("Hulu", "Hilir", "Tengah", "Baru", "Dalam", "Luar", "Darat", "Laut", "Seberang")

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def words(
        self, kind: OrganizationKind, village: str, town: str, district: str
    ) -> dict[str, str]:
        places = chain(
            [(village, town), (village, village)],
            ((f"{village} {part}",) * 2 for part in self.PARTS),
            ((f"{village} {number}",) * 2 for number in count(2)),
        )
        for place, its_town in places:
            words = placeholders(place, its_town, district)
            if (name := kind.name_ms.format(**words)) not in self.taken:
                self.taken.add(name)
                return words
        raise AssertionError("An endless supply of names ran out.")


def in_english(village: str) -> str:
    """ "Kampung Sungai Buah" → "Sungai Buah Village", "Pekan Salak" → "Salak Town"."""
    first, _space, rest = village.partition(" ")
    if rest and first == "Kampung":
        return f"{rest} Village"
    if rest and first == "Pekan":
        return f"{rest} Town"
    return village


def _expand(text: str) -> str:
    """Whole words, abbreviations spelt out, capitals tamed: "KG.GENTING" → "Kampung Genting"."""
    words = []
    for word in re.split(r"\s+|(?<=\.)(?=\S)", text.strip()):
        if bare := word.rstrip(".").casefold():
            words.append(
                ABBREVIATIONS.get(bare)
                or (word.title() if word.isupper() and len(bare) > 3 else word)
            )
    return " ".join(words).strip(" .")


def _is_place(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 4
        and 3 <= len(text) <= 40
        and PLACE.fullmatch(text) is not None
        and words[0].rstrip(".").casefold() not in STREET_WORDS
    )


def _is_settlement(text: str) -> bool:
    return text.split()[0].casefold() in SETTLEMENT_WORDS
