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
EDUCATION_LABELS = {
    "NONE": "Tidak Sekolah (no schooling)",
    "SD": "SD (primary)",
    "SMP": "SMP (lower secondary)",
    "SMA": "SMA (upper secondary)",
    "SMK": "SMK (vocational upper secondary)",
    "D1": "D1 (diploma 1)",
    "D2": "D2 (diploma 2)",
    "D3": "D3 (diploma 3)",
    "S1": "S1 (bachelor)",
    "S2": "S2 (master)",
    "S3": "S3 (doctorate)",
    OTHER: "Other (label kept as delivered)",
    UNKNOWN: "Not stated",
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
    "DOMESTIC_WORKER": "Domestic worker",
    "CAREGIVER": "Caregiver",
    "NURSE": "Nurse",
    "PLANTATION_WORKER": "Plantation worker",
    "GENERAL_WORKER": "General worker",
    "PRODUCTION_OPERATOR": "Production operator / factory worker",
    "FISHER": "Fisher / ship crew",
    "CONSTRUCTION_WORKER": "Construction worker",
    "AGRICULTURE_WORKER": "Agriculture worker",
    "DRIVER": "Driver",
    "COOK": "Cook",
    "HOSPITALITY_WORKER": "Hospitality worker",
    "WELDER": "Welder",
    "CLEANER": "Cleaner",
    OTHER: "Other (label kept as delivered)",
    UNKNOWN: "Not stated",
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
