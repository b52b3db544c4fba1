"""Kemnaker's published 2023 permit figures, and the illustrative weights and name variants the
permit sample draws with (spec §2.3; data/raw/README.md says which is which).
"""

from sdmi_pipeline.reference.provinces import PROVINCES

# Kemnaker's published 2023 figures (permits issued in 2023).
TKA_2023 = {
    "total": 168_048,
    "sex": {"M": 144_334, "F": 23_714},
    "nationality": {"CHN": 82_623, "JPN": 15_961, "KOR": 15_660, "IND": 8_747, "MYS": 5_794},
    "sector": {"Jasa": 82_649, "Industri": 80_661, "Pertanian dan Maritim": 4_738},
    "province": {"72": 18_678, "31": 13_862, "32": 10_807, "81": 6_382, "82": 6_364},
}
ACROSS_PROVINCES = "LP"  # `Lintas Provinsi`: a permit for work in several provinces
# Illustrative weights for the remainder (not published figures).
OTHER_NATIONALITIES = {
    "TWN": 12,
    "PHL": 11,
    "USA": 10,
    "AUS": 7.5,
    "SGP": 7,
    "GBR": 6.5,
    "THA": 5.2,
    "VNM": 4.8,
    "FRA": 4.2,
    "DEU": 3.9,
    "NLD": 3.1,
    "HKG": 2.8,
    "RUS": 2.6,
    "CAN": 2.1,
    "ITA": 1.9,
    "TUR": 1.7,
    "BGD": 1.6,
    "PAK": 1.5,
    "NZL": 1.1,
    "BRA": 0.9,
}
OTHER_PROVINCES = {
    ACROSS_PROVINCES: 54,
    "36": 6,
    "35": 5.6,
    "74": 5.3,
    "21": 4.9,
    "51": 4.2,
    "14": 3.9,
    "64": 3.6,
    "12": 3.4,
    "33": 3.2,
    "73": 2.9,
    "16": 2.4,
    "62": 2.1,
    "63": 1.9,
    "61": 1.8,
    "19": 1.55,
    "96": 1.45,
    "65": 1.25,
    "71": 1.15,
    "52": 1.05,
    "91": 0.95,
    "15": 0.8,
    "18": 0.7,
    "94": 0.62,
    "11": 0.57,
    "13": 0.52,
    "34": 0.47,
    "53": 0.42,
    "92": 0.37,
    "75": 0.32,
    "76": 0.28,
    "17": 0.25,
    "95": 0.2,
    "97": 0.1,
}
NICKEL_PROVINCES = ("72", "82", "81", "74")  # coupled to nickel mining and smelting (illustrative)
WESTERN = ("USA", "GBR", "AUS", "FRA", "DEU", "NLD", "CAN", "ITA", "NZL")
# Affinity of a nationality for a province of work (multiplies the independent table).
PROVINCE_AFFINITY: dict[str, dict[str, float]] = {
    "CHN": {"72": 14, "82": 14, "81": 14, "74": 10, "65": 4, "61": 3, "62": 2, "64": 2, "36": 2, "LP": 2.5}
    | {"31": 0.3, "51": 0.2, "34": 0.2, "32": 0.5},
    "JPN": {
        "32": 7,
        "31": 6,
        "36": 4,
        "35": 3,
        "33": 2,
        "LP": 1.5,
        "72": 0.05,
        "82": 0.05,
        "81": 0.05,
        "74": 0.1,
    },
    "KOR": {
        "32": 7,
        "31": 4,
        "36": 5,
        "33": 5,
        "35": 2,
        "LP": 1.5,
        "72": 0.05,
        "82": 0.05,
        "81": 0.05,
        "74": 0.1,
    },
    "IND": {"31": 4, "32": 3, "35": 3, "12": 3, "36": 2, "14": 2, "LP": 1.5, "72": 0.3, "82": 0.3, "81": 0.3},
    "MYS": {"14": 6, "61": 5, "62": 5, "12": 4, "21": 4, "63": 3, "15": 3, "16": 3, "31": 2, "72": 0.2},
    "TWN": {"33": 5, "32": 4, "35": 4, "36": 3, "31": 2, "72": 0.3, "82": 0.3},
    "PHL": {"21": 4, "31": 3, "64": 3, "51": 2, "LP": 2},
    "SGP": {"21": 5, "31": 4, "32": 2},
    "HKG": {"21": 3, "31": 4, "32": 2},
    "THA": {"31": 2, "32": 2, "64": 2, "63": 2},
    "VNM": {"31": 2, "32": 2, "64": 2, "21": 2},
} | {code: {"31": 5, "51": 4, "96": 4, "64": 2, "LP": 2, "72": 0.3, "82": 0.3} for code in WESTERN}
# Sector propensities (ranking scores, not shares).
AGRI_NATIONALITY = {"MYS": 8, "THA": 3, "VNM": 3, "PHL": 2, "SGP": 2, "IND": 1.5, "CHN": 0.3, "JPN": 0.4}
AGRI_PROVINCE = {"14": 6, "61": 5, "62": 6, "15": 4, "16": 4, "12": 4, "63": 3, "81": 1.5, "21": 2}
AGRI_PROVINCE |= {"65": 2, "53": 2, "91": 2, "94": 2, "31": 0.2, "72": 0.3, "82": 0.3, "32": 0.4}
INDUSTRY_NATIONALITY = {"CHN": 6, "TWN": 3, "KOR": 2.5, "JPN": 1.8, "IND": 1.2, "VNM": 1}
INDUSTRY_PROVINCE = {"72": 10, "82": 10, "81": 9, "74": 7, "65": 3, "36": 3, "32": 2.5, "33": 2.5, "35": 2}
INDUSTRY_PROVINCE |= {"61": 2, "64": 1.5, "31": 0.3, "51": 0.15, "LP": 0.8}
POSITIONS = ("Direksi", "Komisaris", "Manajer", "Profesional", "Konsultan / Advisor", "Teknisi / Supervisor")
POSITION_WEIGHTS = {
    "Industri": [0.03, 0.01, 0.09, 0.40, 0.03, 0.44],
    "Jasa": [0.09, 0.03, 0.17, 0.46, 0.10, 0.15],
    "Pertanian dan Maritim": [0.06, 0.02, 0.15, 0.36, 0.06, 0.35],
    "executive": [0.16, 0.05, 0.27, 0.34, 0.08, 0.10],  # Japanese, Korean and Western staff in services
}
# Plausible KBLI 2020 codes: (codes, weights).
KBLI = {
    "nickel": (["24202", "24101", "07291", "20119"], [0.6, 0.25, 0.1, 0.05]),
    "Industri": (
        ["29100", "14111", "20111", "10431", "17011", "23941", "22111", "24101"],
        [0.2, 0.15, 0.12, 0.12, 0.1, 0.1, 0.08, 0.13],
    ),
    "Jasa": (
        ["70209", "46100", "71102", "62019", "41011", "42101", "55110", "09100", "35101"],
        [0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05, 0.1],
    ),
    "Pertanian dan Maritim": (["01262", "03111", "50131", "01140"], [0.55, 0.2, 0.15, 0.1]),
}
KBLI_SHARE = 0.8
MONTH_WEIGHTS = [0.075, 0.078, 0.085, 0.072, 0.088, 0.086, 0.085, 0.088, 0.087, 0.088, 0.085, 0.083]
NATIONALITY_LABELS = {
    "CHN": ["Tiongkok", "RRT", "China", "Republik Rakyat Tiongkok"],
    "JPN": ["Jepang", "Japan"],
    "KOR": ["Korea Selatan", "South Korea", "Korsel"],
    "IND": ["India"],
    "MYS": ["Malaysia"],
    "TWN": ["Taiwan", "Chinese Taipei"],
    "PHL": ["Filipina", "Philippines"],
    "USA": ["Amerika Serikat", "United States"],
    "SGP": ["Singapura", "Singapore"],
    "AUS": ["Australia"],
    "GBR": ["Inggris", "United Kingdom"],
    "THA": ["Thailand"],
    "VNM": ["Vietnam", "Viet Nam"],
    "FRA": ["Prancis", "France"],
    "DEU": ["Jerman", "Germany"],
    "NLD": ["Belanda", "Netherlands"],
    "HKG": ["Hong Kong", "Hongkong"],
    "RUS": ["Rusia", "Russian Federation"],
    "CAN": ["Kanada", "Canada"],
    "ITA": ["Italia", "Italy"],
    "TUR": ["Turki", "Turkey"],
    "BGD": ["Bangladesh"],
    "PAK": ["Pakistan"],
    "NZL": ["Selandia Baru", "New Zealand"],
    "BRA": ["Brasil", "Brazil"],
}
PROVINCE_LABELS = {code: [name] for code, name, _, _ in PROVINCES} | {
    "31": ["DKI Jakarta", "D.K.I. Jakarta"],
    "72": ["Sulawesi Tengah", "SULAWESI TENGAH"],
    "82": ["Maluku Utara", "MALUKU UTARA"],
    "32": ["Jawa Barat", "JAWA BARAT"],
    "21": ["Kepulauan Riau", "Kep. Riau"],
    "19": ["Kepulauan Bangka Belitung", "Kep. Bangka Belitung"],
    "34": ["DI Yogyakarta", "D.I. Yogyakarta"],
    ACROSS_PROVINCES: ["Lintas Provinsi"],
}
SEX_LABELS = {"M": ["L", "Laki-laki"], "F": ["P", "Perempuan"]}
