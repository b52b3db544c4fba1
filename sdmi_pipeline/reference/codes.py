"""The small SDMI code lists: sex, placement scheme, sector, education, occupation."""

from sdmi_pipeline.reference.normalise import label_key

OTHER = "OTHER"
UNKNOWN = "_U"


def _keyed(labels: dict[str, str]) -> dict[str, str]:
    return {label_key(label): code for label, code in labels.items()}


SEX = _keyed(
    {
        "L": "M",
        "Laki-laki": "M",
        "Laki laki": "M",
        "Lk": "M",
        "M": "M",
        "Male": "M",
        "Pria": "M",
        "P": "F",
        "Perempuan": "F",
        "Pr": "F",
        "F": "F",
        "Female": "F",
        "Wanita": "F",
    }
)

PMI_SCHEME = _keyed(
    {
        "P to P": "P2P",
        "P2P": "P2P",
        "P3MI": "P2P",
        "PPTKIS": "P2P",
        "G to G": "G2G",
        "G2G": "G2G",
        "Mandiri": "MANDIRI",
        "Perseorangan": "MANDIRI",
        "Perorangan": "MANDIRI",
        "Individu": "MANDIRI",
        "UKPS": "UKPS",
    }
)

PMI_SECTOR = _keyed({"Formal": "FORMAL", "Informal": "INFORMAL"})

# Education: spec §2.1 list; unmapped labels become OTHER and are counted, not rejected.
EDUCATION = _keyed(
    {
        "Tidak Sekolah": "NONE",
        "Tidak Tamat SD": "NONE",
        "Belum Sekolah": "NONE",
        "SD": "SD",
        "SMP": "SMP",
        "SLTP": "SMP",
        "SMA": "SMA",
        "SLTA": "SMA",
        "MA": "SMA",
        "SMK": "SMK",
        "D1": "D1",
        "D2": "D2",
        "D3": "D3",
        "D I": "D1",
        "D II": "D2",
        "D III": "D3",
        "S1": "S1",
        "D4": "S1",
        "S2": "S2",
        "S3": "S3",
    }
)
# Code → (English label, Indonesian label); reference.codes publishes them as label_en, label_id.
EDUCATION_LABELS = {
    "NONE": ("No schooling", "Tidak/belum pernah sekolah"),
    "SD": ("Primary school (SD)", "Sekolah Dasar (SD)"),
    "SMP": ("Lower secondary school (SMP)", "Sekolah Menengah Pertama (SMP)"),
    "SMA": ("Upper secondary school (SMA)", "Sekolah Menengah Atas (SMA)"),
    "SMK": ("Vocational upper secondary school (SMK)", "Sekolah Menengah Kejuruan (SMK)"),
    "D1": ("Diploma 1 (D1)", "Diploma I (D1)"),
    "D2": ("Diploma 2 (D2)", "Diploma II (D2)"),
    "D3": ("Diploma 3 (D3)", "Diploma III (D3)"),
    "S1": ("Bachelor's degree or Diploma 4 (S1)", "Sarjana atau Diploma IV (S1)"),
    "S2": ("Master's degree (S2)", "Magister (S2)"),
    "S3": ("Doctorate (S3)", "Doktor (S3)"),
    OTHER: ("Other (label kept as delivered)", "Lainnya (label disimpan seperti diterima)"),
    UNKNOWN: ("Not stated", "Tidak dinyatakan"),
}

# Occupation (jabatan): the labels most PMI placements carry, grouped into stable codes.
OCCUPATION = _keyed(
    {
        "Domestic Worker": "DOMESTIC_WORKER",
        "Housemaid": "DOMESTIC_WORKER",
        "Penata Laksana Rumah Tangga": "DOMESTIC_WORKER",
        "PLRT": "DOMESTIC_WORKER",
        "Pekerja Rumah Tangga": "DOMESTIC_WORKER",
        "House Keeper": "DOMESTIC_WORKER",
        "Housekeeper": "DOMESTIC_WORKER",
        "Caregiver": "CAREGIVER",
        "Care Giver": "CAREGIVER",
        "Perawat Lansia": "CAREGIVER",
        "Nurse": "NURSE",
        "Perawat": "NURSE",
        "Plantation Worker": "PLANTATION_WORKER",
        "Pekerja Perkebunan": "PLANTATION_WORKER",
        "Worker": "GENERAL_WORKER",
        "General Worker": "GENERAL_WORKER",
        "Labour": "GENERAL_WORKER",
        "Operator": "PRODUCTION_OPERATOR",
        "Production Operator": "PRODUCTION_OPERATOR",
        "Factory Worker": "PRODUCTION_OPERATOR",
        "Operator Produksi": "PRODUCTION_OPERATOR",
        "Manufacturing Worker": "PRODUCTION_OPERATOR",
        "Fisherman": "FISHER",
        "Fishing Crew": "FISHER",
        "Nelayan": "FISHER",
        "ABK": "FISHER",
        "Anak Buah Kapal": "FISHER",
        "Construction Worker": "CONSTRUCTION_WORKER",
        "Pekerja Konstruksi": "CONSTRUCTION_WORKER",
        "Agriculture Worker": "AGRICULTURE_WORKER",
        "Farm Worker": "AGRICULTURE_WORKER",
        "Pekerja Pertanian": "AGRICULTURE_WORKER",
        "Driver": "DRIVER",
        "Sopir": "DRIVER",
        "Supir": "DRIVER",
        "Cook": "COOK",
        "Juru Masak": "COOK",
        "Waiter": "HOSPITALITY_WORKER",
        "Hotel Staff": "HOSPITALITY_WORKER",
        "Welder": "WELDER",
        "Tukang Las": "WELDER",
        "Cleaner": "CLEANER",
        "Cleaning Service": "CLEANER",
    }
)
OCCUPATION_LABELS = {
    "DOMESTIC_WORKER": ("Domestic worker", "Penata laksana rumah tangga"),
    "CAREGIVER": ("Caregiver", "Perawat lansia (caregiver)"),
    "NURSE": ("Nurse", "Perawat"),
    "PLANTATION_WORKER": ("Plantation worker", "Pekerja perkebunan"),
    "GENERAL_WORKER": ("General worker", "Pekerja umum"),
    "PRODUCTION_OPERATOR": ("Production operator or factory worker", "Operator produksi atau pekerja pabrik"),
    "FISHER": ("Fisher or ship crew", "Nelayan atau anak buah kapal"),
    "CONSTRUCTION_WORKER": ("Construction worker", "Pekerja konstruksi"),
    "AGRICULTURE_WORKER": ("Agriculture worker", "Pekerja pertanian"),
    "DRIVER": ("Driver", "Pengemudi"),
    "COOK": ("Cook", "Juru masak"),
    "HOSPITALITY_WORKER": ("Hospitality worker", "Pekerja perhotelan dan restoran"),
    "WELDER": ("Welder", "Tukang las"),
    "CLEANER": ("Cleaner", "Petugas kebersihan"),
    OTHER: ("Other (label kept as delivered)", "Lainnya (label disimpan seperti diterima)"),
    UNKNOWN: ("Not stated", "Tidak dinyatakan"),
}

AGE_GROUPS = (
    ("Y18T24", 18, 24),
    ("Y25T29", 25, 29),
    ("Y30T34", 30, 34),
    ("Y35T39", 35, 39),
    ("Y40T44", 40, 44),
    ("Y45T49", 45, 49),
    ("Y_GE50", 50, 200),
)

# Foreign worker permits (spec §1, §2.3). `Lintas Provinsi` (work in several provinces) is kept
# as a province value of its own, ACROSS_PROVINCES, beside the 38 BPS codes.
ACROSS_PROVINCES = "LP"
ACROSS_PROVINCES_LABELS = _keyed({"Lintas Provinsi": ACROSS_PROVINCES, "Lintas Propinsi": ACROSS_PROVINCES})
TKA_SECTOR = _keyed(
    {
        "Jasa": "SERVICES",
        "Services": "SERVICES",
        "Industri": "INDUSTRY",
        "Industry": "INDUSTRY",
        "Pertanian dan Maritim": "AGRI_MARITIME",
        "Pertanian & Maritim": "AGRI_MARITIME",
        "Agriculture and Maritime": "AGRI_MARITIME",
    }
)
TKA_SECTOR_LABELS = {
    "SERVICES": ("Services", "Jasa"),
    "INDUSTRY": ("Industry", "Industri"),
    "AGRI_MARITIME": ("Agriculture and maritime", "Pertanian dan maritim"),
}
TKA_POSITION = _keyed(
    {
        "Direksi": "DIRECTOR",
        "Direktur": "DIRECTOR",
        "Director": "DIRECTOR",
        "Komisaris": "COMMISSIONER",
        "Commissioner": "COMMISSIONER",
        "Manajer": "MANAGER",
        "Manager": "MANAGER",
        "Profesional": "PROFESSIONAL",
        "Professional": "PROFESSIONAL",
        "Konsultan / Advisor": "CONSULTANT",
        "Konsultan/Advisor": "CONSULTANT",
        "Konsultan": "CONSULTANT",
        "Advisor": "CONSULTANT",
        "Consultant": "CONSULTANT",
        "Teknisi / Supervisor": "TECHNICIAN",
        "Teknisi/Supervisor": "TECHNICIAN",
        "Teknisi": "TECHNICIAN",
        "Supervisor": "TECHNICIAN",
        "Technician": "TECHNICIAN",
    }
)
TKA_POSITION_LABELS = {
    "DIRECTOR": ("Director", "Direksi"),
    "COMMISSIONER": ("Commissioner", "Komisaris"),
    "MANAGER": ("Manager", "Manajer"),
    "PROFESSIONAL": ("Professional", "Profesional"),
    "CONSULTANT": ("Consultant or advisor", "Konsultan atau advisor"),
    "TECHNICIAN": ("Technician or supervisor", "Teknisi atau supervisor"),
}

# Refugee statistics (spec §2.4): UNHCR population types and the snapshot's age groups.
POPULATION_TYPE = _keyed(
    {
        "Refugee": "REF",
        "Refugees": "REF",
        "Pengungsi": "REF",
        "Asylum-seeker": "ASY",
        "Asylum-seekers": "ASY",
        "Asylum seeker": "ASY",
        "Asylum seekers": "ASY",
        "Pencari Suaka": "ASY",
    }
)
POPULATION_TYPE_LABELS = {"REF": ("Refugees", "Pengungsi"), "ASY": ("Asylum-seekers", "Pencari suaka")}
REFUGEE_AGE_GROUP = _keyed(
    {"0-4": "Y0T4", "5-11": "Y5T11", "12-17": "Y12T17", "18-59": "Y18T59", "60+": "Y_GE60", ">=60": "Y_GE60"}
)
REFUGEE_AGE_GROUP_LABELS = {
    "Y0T4": ("0-4 years", "0-4 tahun"),
    "Y5T11": ("5-11 years", "5-11 tahun"),
    "Y12T17": ("12-17 years", "12-17 tahun"),
    "Y18T59": ("18-59 years", "18-59 tahun"),
    "Y_GE60": ("60 years and over", "60 tahun ke atas"),
}

# Migration Governance Indicators (spec §2.7): assessment levels, answers and the six domains.
MGI_LEVEL = _keyed({"nasional": "NATIONAL", "lokal": "LOCAL"})
MGI_LEVEL_LABELS = {"NATIONAL": ("National", "Nasional"), "LOCAL": ("Local (province)", "Lokal (provinsi)")}
MGI_ANSWER = _keyed(
    {"Ya": "YES", "Yes": "YES", "Sebagian": "PARTIAL", "Partially": "PARTIAL", "Tidak": "NO", "No": "NO"}
)
MGI_ANSWER_LABELS = {"YES": ("Yes", "Ya"), "PARTIAL": ("Partially", "Sebagian"), "NO": ("No", "Tidak")}
# Domain number → (English name, Indonesian name), reference.codes list mgi_domain.
MGI_DOMAINS: dict[int, tuple[str, str]] = {
    1: ("Migrants' rights", "Hak-hak migran"),
    2: ("Whole-of-government approach", "Pendekatan seluruh pemerintahan"),
    3: ("Partnerships", "Kemitraan"),
    4: ("Socioeconomic well-being of migrants", "Kesejahteraan sosial ekonomi migran"),
    5: ("Mobility dimensions of crises", "Dimensi mobilitas dalam krisis"),
    6: ("Safe, orderly and regular migration", "Migrasi yang aman, tertib dan teratur"),
}
MGI_DOMAIN_LABELS = {str(number): names for number, names in MGI_DOMAINS.items()}
# A domain by its name: English or Indonesian, with the short forms in use.
MGI_DOMAIN_NAMES = _keyed(
    {name: str(number) for number, names in MGI_DOMAINS.items() for name in names}
    | {
        "Migrant rights": "1",
        "Hak migran": "1",
        "Whole of government": "2",
        "Pendekatan seluruh pemerintah": "2",
        "Pendekatan whole-of-government": "2",
        "Well-being of migrants": "4",
        "Socioeconomic well-being": "4",
        "Kesejahteraan sosial-ekonomi migran": "4",
        "Kesejahteraan migran": "4",
        "Mobility dimensions of crisis": "5",
        "Dimensi mobilitas krisis": "5",
        "Safe orderly and regular migration": "6",
        "Migrasi yang aman, tertib, dan teratur": "6",
        "Migrasi aman, tertib dan teratur": "6",
        "Migrasi yang aman, tertib dan reguler": "6",
    }
)
