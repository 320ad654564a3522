"""The fictional organisations of the Sepang demo directory.

Every one is visibly demo: "(Demo)" in its name, `is_demo` set, phone numbers from one made-up
block (see `demo.demo_number`). Places are real localities of Sepang; coordinates are near them, not
at any real building.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Organization

Hours = tuple[tuple[tuple[int, ...], datetime.time, datetime.time], ...]
ALL_DAY: Hours = ()

MON_FRI = (1, 2, 3, 4, 5)
SAT = (6,)


def hours(
    days: tuple[int, ...], opens: str, closes: str
) -> tuple[tuple[int, ...], datetime.time, datetime.time]:
    return days, datetime.time.fromisoformat(opens), datetime.time.fromisoformat(closes)


@dataclass(frozen=True)
class DemoService:
    name: str
    name_en: str
    description_ms: str
    description_en: str
    terms: tuple[str, ...]
    hours: Hours


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    kind: str
    name: str
    name_en: str
    locality: str  # the Area code of the locality the organisation works from
    latitude: float
    longitude: float
    street: str
    serves: tuple[str, ...]  # Area codes of the localities or mukim it serves
    services: tuple[DemoService, ...]
    verified_days_ago: int
    description_ms: str = ""
    description_en: str = ""
    confidential_reason: str = (
        ""  # a shelter: its location, address and direct line are confidential
    )


D = "10_7:dengkil"
S = "10_7:sepang"

REFERRAL = DemoService(
    name="Rujukan kes kepada JKM",
    name_en="Referrals to the welfare office",
    description_ms=(
        "Ahli CBO mengenal pasti kanak-kanak, OKU, warga emas dan mangsa keganasan rumah tangga "
        "yang memerlukan bantuan dan merujuk mereka kepada Pejabat Kebajikan Masyarakat Daerah."
    ),
    description_en=(
        "CBO members find children, persons with disabilities, older people and survivors of "
        "domestic violence who need help, and refer them to the district welfare office."
    ),
    terms=("children", "disability", "elderly", "domestic_violence", "community", "welfare"),
    hours=(hours(MON_FRI, "20:00", "22:00"), hours(SAT, "09:00", "13:00")),
)
HOME_VISITS = DemoService(
    name="Ziarah warga emas dan OKU",
    name_en="Home visits to older people and persons with disabilities",
    description_ms="Lawatan ke rumah warga emas dan OKU yang tinggal seorang diri.",
    description_en="Visits to older people and persons with disabilities who live alone.",
    terms=("elderly", "disability", "community"),
    hours=(hours((6, 7), "09:00", "12:00"),),
)
PARENTING = DemoService(
    name="Program keibubapaan",
    name_en="Parenting programme",
    description_ms="Bengkel bulanan untuk ibu bapa tentang keselamatan kanak-kanak.",
    description_en="A monthly workshop for parents on keeping children safe.",
    terms=("children", "family", "community"),
    hours=(hours(SAT, "14:00", "17:00"),),
)
FOOD_AID = DemoService(
    name="Bantuan bakul makanan",
    name_en="Food baskets",
    description_ms="Bakul makanan untuk keluarga yang memerlukan, dengan rujukan ketua kampung.",
    description_en="Food baskets for families in need, on the village head's referral.",
    terms=("family", "financial_aid", "community"),
    hours=(hours((3,), "17:00", "19:00"),),
)
CBO_EXTRA_SERVICES = (HOME_VISITS, PARENTING, FOOD_AID)


def cbo(
    key: str,
    place: str,
    place_en: str,
    locality: str,
    latitude: float,
    longitude: float,
    serves: tuple[str, ...],
    verified_days_ago: int,
    number: int,
) -> DemoOrganization:
    return DemoOrganization(
        key=f"cbo:{key}",
        kind=Organization.Kind.CBO,
        name=f"CBO {place} (Demo)",
        name_en=f"{place_en} CBO (Demo)",
        locality=locality,
        latitude=latitude,
        longitude=longitude,
        street=f"Balai Raya {place}",
        serves=(locality, *serves),
        services=(REFERRAL, CBO_EXTRA_SERVICES[number % len(CBO_EXTRA_SERVICES)]),
        verified_days_ago=verified_days_ago,
        description_ms=f"Pertubuhan berasaskan komuniti (CBO) rekaan untuk {place}.",
        description_en=f"A fictional community based organisation (CBO) for {place_en}.",
    )


CBOS = tuple(
    cbo(*row, number=number)
    for number, row in enumerate(
        (
            ("jenderam-hulu", "Kampung Jenderam Hulu", "Jenderam Hulu Village",
             f"{D}:jenderam-hulu", 2.8712, 101.7281, (), 20),
            ("pekan-dengkil", "Pekan Dengkil", "Dengkil Town",
             f"{D}:pekan-dengkil", 2.8625, 101.6790, (f"{D}:pulau-meranti",), 45),
            ("sungai-buah", "Kampung Sungai Buah", "Sungai Buah Village",
             f"{D}:sungai-buah", 2.8815, 101.7610,
             (f"{D}:sungai-merab", "10_7:dato-bakar-baginda"), 400),
            ("cyberjaya", "Cyberjaya", "Cyberjaya",
             f"{D}:cyberjaya", 2.9190, 101.6520, (f"{D}:taman-putra-perdana",), 75),
            ("salak-tinggi", "Bandar Baru Salak Tinggi", "Bandar Baru Salak Tinggi",
             f"{S}:bandar-baru-salak-tinggi", 2.8180, 101.7365, (), 120),
            ("pekan-salak", "Pekan Salak", "Salak Town",
             f"{S}:pekan-salak", 2.7920, 101.7515, ("10_7:geching",), 200),
            ("klia", "Kuarters KLIA", "KLIA Quarters",
             f"{S}:bandar-lapangan-terbang-antarabangsa-sepang-klia", 2.7560, 101.7050, (), 520),
            ("bandar-sepang", "Bandar Sepang", "Sepang Town",
             f"{S}:bandar-sepang", 2.6915, 101.7475, ("10_7:bukit-bisa",), 30),
            ("sungai-pelek", "Pekan Sungai Pelek", "Sungai Pelek Town",
             f"{S}:pekan-sungai-pelek", 2.6470, 101.7160, ("10_7:tanjung-mas",), 380),
            ("bukit-bangkong", "Kampung Bukit Bangkong", "Bukit Bangkong Village",
             f"{S}:bukit-bangkong", 2.6600, 101.6750, ("10_7:bukit-prang",), 150),
            ("ulu-chucuh", "Kampung Ulu Chucuh", "Ulu Chucuh Village",
             f"{S}:ulu-chucuh", 2.6550, 101.6920, (), 600),
            ("pantai-sepang-putra", "Pantai Sepang Putra", "Pantai Sepang Putra",
             f"{S}:pantai-sepang-putra", 2.6260, 101.7045, (), 10),
        )
    )
)  # fmt: skip


def pawe(
    key: str, place: str, locality: str, latitude: float, longitude: float,
    serves: tuple[str, ...], verified_days_ago: int,
) -> DemoOrganization:  # fmt: skip
    return DemoOrganization(
        key=f"pawe:{key}",
        kind=Organization.Kind.NGO,
        name=f"Pusat Aktiviti Warga Emas (PAWE) {place} (Demo)",
        name_en=f"{place} Activity Centre for Older People (PAWE) (Demo)",
        locality=locality,
        latitude=latitude,
        longitude=longitude,
        street=f"Lot Demo, Jalan Besar {place}",
        serves=serves,
        verified_days_ago=verified_days_ago,
        services=(
            DemoService(
                name="Aktiviti harian warga emas",
                name_en="Day activities for older people",
                description_ms="Senaman ringan, kelas agama, makan tengah hari dan rakan berbual.",
                description_en="Light exercise, religious classes, lunch and company.",
                terms=("elderly", "elderly_centre", "community"),
                hours=(hours(MON_FRI, "08:00", "17:00"),),
            ),
            DemoService(
                name="Khidmat bantu di rumah",
                name_en="Help at home",
                description_ms="Sukarelawan membantu warga emas yang terlantar di rumah.",
                description_en="Volunteers help older people who are bedridden at home.",
                terms=("elderly", "disability", "welfare"),
                hours=(hours((2, 4), "09:00", "12:00"),),
            ),
        ),
    )


def pdk(
    key: str, place: str, locality: str, latitude: float, longitude: float,
    serves: tuple[str, ...], verified_days_ago: int,
) -> DemoOrganization:  # fmt: skip
    return DemoOrganization(
        key=f"pdk:{key}",
        kind=Organization.Kind.NGO,
        name=f"Pemulihan Dalam Komuniti (PDK) {place} (Demo)",
        name_en=f"{place} Community Based Rehabilitation Centre (PDK) (Demo)",
        locality=locality,
        latitude=latitude,
        longitude=longitude,
        street=f"Bangunan PDK, Jalan Demo, {place}",
        serves=serves,
        verified_days_ago=verified_days_ago,
        services=(
            DemoService(
                name="Program pemulihan kanak-kanak OKU",
                name_en="Rehabilitation for children with disabilities",
                description_ms="Terapi, kemahiran harian dan pendidikan awal kanak-kanak OKU.",
                description_en="Therapy, everyday skills and early learning for disabled children.",
                terms=("children", "disability", "rehabilitation"),
                hours=(hours(MON_FRI, "08:30", "16:30"),),
            ),
            DemoService(
                name="Latihan vokasional OKU dewasa",
                name_en="Vocational training for adults with disabilities",
                description_ms="Latihan kemahiran kerja untuk OKU dewasa.",
                description_en="Job skills training for adults with disabilities.",
                terms=("disability", "rehabilitation"),
                hours=(hours((2, 4), "09:00", "13:00"),),
            ),
        ),
    )


CENTRES = (
    pawe("dengkil", "Dengkil", f"{D}:pekan-dengkil", 2.8580, 101.6845, (D,), 60),
    pawe("sungai-pelek", "Sungai Pelek", f"{S}:pekan-sungai-pelek", 2.6425, 101.7205,
         (f"{S}:pekan-sungai-pelek", f"{S}:bukit-bangkong", f"{S}:ulu-chucuh",
          f"{S}:pantai-sepang-putra"), 420),
    pawe("salak-tinggi", "Salak Tinggi", f"{S}:bandar-baru-salak-tinggi", 2.8135, 101.7310,
         (f"{S}:bandar-baru-salak-tinggi", f"{S}:pekan-salak", "10_7:geching"), 90),
    pdk("salak-tinggi", "Salak Tinggi", f"{S}:bandar-baru-salak-tinggi", 2.8170, 101.7300,
        (S,), 250),
    pdk("dengkil", "Dengkil", f"{D}:pekan-dengkil", 2.8610, 101.6835, (D,), 35),
)  # fmt: skip

NGOS = (
    DemoOrganization(
        key="ngo:oku-sepang",
        kind=Organization.Kind.NGO,
        name="Persatuan Kebajikan OKU Sepang (Demo)",
        name_en="Sepang Disability Welfare Association (Demo)",
        locality=f"{S}:bandar-baru-salak-tinggi",
        latitude=2.8200,
        longitude=101.7330,
        street="No. 1 (Demo), Jalan Seroja",
        serves=("10_7",),
        verified_days_ago=180,
        description_ms="Persatuan rekaan yang membantu OKU dan keluarga mereka di daerah Sepang.",
        description_en="A fictional association helping disabled people and their families.",
        services=(
            DemoService(
                name="Pinjaman alat bantuan OKU",
                name_en="Mobility aids on loan",
                description_ms="Kerusi roda, tongkat dan katil hospital dipinjamkan tanpa bayaran.",
                description_en="Wheelchairs, walking aids and hospital beds lent free of charge.",
                terms=("disability", "elderly", "welfare"),
                hours=(hours(MON_FRI, "09:00", "17:00"),),
            ),
            DemoService(
                name="Kumpulan sokongan keluarga OKU",
                name_en="Support group for families of persons with disabilities",
                description_ms="Pertemuan bulanan untuk penjaga dan keluarga OKU.",
                description_en="A monthly meeting for carers and families.",
                terms=("disability", "family", "counselling"),
                hours=(hours(SAT, "10:00", "12:00"),),
            ),
        ),
    ),
    DemoOrganization(
        key="ngo:kaunseling-cyberjaya",
        kind=Organization.Kind.NGO,
        name="Pertubuhan Kaunseling Keluarga Cyberjaya (Demo)",
        name_en="Cyberjaya Family Counselling Society (Demo)",
        locality=f"{D}:cyberjaya",
        latitude=2.9225,
        longitude=101.6580,
        street="Aras 2 (Demo), Persiaran Multimedia",
        serves=(D,),
        verified_days_ago=14,
        description_ms="Pertubuhan rekaan yang memberi kaunseling kepada keluarga dan remaja.",
        description_en="A fictional society counselling families and young people.",
        services=(
            DemoService(
                name="Kaunseling keluarga",
                name_en="Family counselling",
                description_ms="Sesi kaunseling bersemuka dengan temu janji.",
                description_en="Face-to-face counselling by appointment.",
                terms=("family", "children", "women", "counselling"),
                hours=(hours(MON_FRI, "10:00", "18:00"), hours(SAT, "10:00", "14:00")),
            ),
            DemoService(
                name="Talian sokongan malam",
                name_en="Night support line",
                description_ms="Talian sokongan emosi pada malam hujung minggu, hingga 1 pagi.",
                description_en="An emotional support line on weekend nights, until 1 a.m.",
                terms=("women", "domestic_violence", "helpline", "counselling"),
                hours=(hours((5, 6), "20:00", "01:00"),),
            ),
        ),
    ),
    DemoOrganization(
        key="ngo:guaman-wanita",
        kind=Organization.Kind.NGO,
        name="Persatuan Bantuan Guaman Wanita Sepang (Demo)",
        name_en="Sepang Women's Legal Aid Association (Demo)",
        locality=f"{S}:bandar-sepang",
        latitude=2.6930,
        longitude=101.7460,
        street="No. 7 (Demo), Jalan Kelab",
        serves=("10_7",),
        verified_days_ago=300,
        description_ms="Persatuan rekaan yang memberi nasihat guaman percuma kepada wanita.",
        description_en="A fictional association giving women free legal advice.",
        services=(
            DemoService(
                name="Klinik guaman percuma",
                name_en="Free legal clinic",
                description_ms="Nasihat tentang perintah perlindungan, cerai dan hak jagaan anak.",
                description_en="Advice on protection orders, divorce and child custody.",
                terms=("women", "domestic_violence", "family", "legal_aid"),
                hours=(hours(SAT, "09:00", "13:00"),),
            ),
        ),
    ),
)  # fmt: skip

SHELTER = DemoOrganization(
    key="ngo:rumah-perlindungan",
    kind=Organization.Kind.NGO,
    name="Rumah Perlindungan Wanita Sepang (Demo)",
    name_en="Sepang Women's Shelter (Demo)",
    locality=f"{D}:sungai-buah",
    latitude=2.8890,
    longitude=101.7560,
    street="Lot 12 (Demo), Jalan Sungai Buah",
    serves=("10_7",),
    verified_days_ago=40,
    description_ms="Tempat perlindungan rekaan untuk wanita dan anak-anak mangsa keganasan.",
    description_en="A fictional shelter for women and children escaping violence.",
    confidential_reason="Alamat tempat perlindungan dirahsiakan demi keselamatan penghuni.",
    services=(
        DemoService(
            name="Tempat perlindungan sementara",
            name_en="Emergency shelter",
            description_ms=(
                "Tempat tinggal selamat untuk wanita dan anak-anak mereka. Hubungi talian "
                "pertanyaan; alamat diberikan hanya kepada penghuni dan pegawai."
            ),
            description_en=(
                "Safe accommodation for women and their children. Call the enquiry line; the "
                "address is given only to residents and officers."
            ),
            terms=("women", "domestic_violence", "children", "shelter", "crisis_centre"),
            hours=ALL_DAY,
        ),
    ),
)

DEMO_ORGANIZATIONS: tuple[DemoOrganization, ...] = (*CBOS, *CENTRES, *NGOS, SHELTER)
