"""The 38 provinces with BPS codes, the Kemendagri crosswalk and the name variants of spec §1."""

from functools import cache

import pandas as pd

from sdmi_pipeline.reference.normalise import label_key, map_labels

# BPS code, name, ISO 3166-2 code, Kemendagri code (differs from BPS only for Papua).
PROVINCES: tuple[tuple[str, str, str, str], ...] = (
    ("11", "Aceh", "ID-AC", "11"),
    ("12", "Sumatera Utara", "ID-SU", "12"),
    ("13", "Sumatera Barat", "ID-SB", "13"),
    ("14", "Riau", "ID-RI", "14"),
    ("15", "Jambi", "ID-JA", "15"),
    ("16", "Sumatera Selatan", "ID-SS", "16"),
    ("17", "Bengkulu", "ID-BE", "17"),
    ("18", "Lampung", "ID-LA", "18"),
    ("19", "Kepulauan Bangka Belitung", "ID-BB", "19"),
    ("21", "Kepulauan Riau", "ID-KR", "21"),
    ("31", "DKI Jakarta", "ID-JK", "31"),
    ("32", "Jawa Barat", "ID-JB", "32"),
    ("33", "Jawa Tengah", "ID-JT", "33"),
    ("34", "DI Yogyakarta", "ID-YO", "34"),
    ("35", "Jawa Timur", "ID-JI", "35"),
    ("36", "Banten", "ID-BT", "36"),
    ("51", "Bali", "ID-BA", "51"),
    ("52", "Nusa Tenggara Barat", "ID-NB", "52"),
    ("53", "Nusa Tenggara Timur", "ID-NT", "53"),
    ("61", "Kalimantan Barat", "ID-KB", "61"),
    ("62", "Kalimantan Tengah", "ID-KT", "62"),
    ("63", "Kalimantan Selatan", "ID-KS", "63"),
    ("64", "Kalimantan Timur", "ID-KI", "64"),
    ("65", "Kalimantan Utara", "ID-KU", "65"),
    ("71", "Sulawesi Utara", "ID-SA", "71"),
    ("72", "Sulawesi Tengah", "ID-ST", "72"),
    ("73", "Sulawesi Selatan", "ID-SN", "73"),
    ("74", "Sulawesi Tenggara", "ID-SG", "74"),
    ("75", "Gorontalo", "ID-GO", "75"),
    ("76", "Sulawesi Barat", "ID-SR", "76"),
    ("81", "Maluku", "ID-MA", "81"),
    ("82", "Maluku Utara", "ID-MU", "82"),
    ("91", "Papua Barat", "ID-PB", "92"),
    ("92", "Papua Barat Daya", "ID-PD", "96"),
    ("94", "Papua", "ID-PA", "91"),
    ("95", "Papua Selatan", "ID-PS", "93"),
    ("96", "Papua Tengah", "ID-PT", "94"),
    ("97", "Papua Pegunungan", "ID-PE", "95"),
)

NAME_VARIANTS: dict[str, str] = {
    "D.K.I. Jakarta": "31",
    "Jakarta": "31",
    "DKI": "31",
    "D.I. Yogyakarta": "34",
    "DIY": "34",
    "Yogyakarta": "34",
    "Daerah Istimewa Yogyakarta": "34",
    "Kep. Bangka Belitung": "19",
    "Bangka Belitung": "19",
    "Babel": "19",
    "Kep. Riau": "21",
    "Kepri": "21",
    "NTB": "52",
    "NTT": "53",
    "Jatim": "35",
    "Jateng": "33",
    "Jabar": "32",
    "Sumut": "12",
    "Sumbar": "13",
    "Sumsel": "16",
    "Kalbar": "61",
    "Kalteng": "62",
    "Kalsel": "63",
    "Kaltim": "64",
    "Kaltara": "65",
    "Sulut": "71",
    "Sulteng": "72",
    "Sulsel": "73",
    "Sultra": "74",
    "Sulbar": "76",
    "Malut": "82",
    "Nanggroe Aceh Darussalam": "11",
}


# The official Indonesian name where it differs from the BPS name above (Kepmendagri
# 100.1.1-6117/2022, the Ministry of Home Affairs list of regional codes and names).
OFFICIAL_NAMES: dict[str, str] = {"34": "Daerah Istimewa Yogyakarta"}
ENGLISH_NAMES: dict[str, str] = {
    "11": "Aceh",
    "12": "North Sumatra",
    "13": "West Sumatra",
    "14": "Riau",
    "15": "Jambi",
    "16": "South Sumatra",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Bangka Belitung Islands",
    "21": "Riau Islands",
    "31": "Jakarta",
    "32": "West Java",
    "33": "Central Java",
    "34": "Special Region of Yogyakarta",
    "35": "East Java",
    "36": "Banten",
    "51": "Bali",
    "52": "West Nusa Tenggara",
    "53": "East Nusa Tenggara",
    "61": "West Kalimantan",
    "62": "Central Kalimantan",
    "63": "South Kalimantan",
    "64": "East Kalimantan",
    "65": "North Kalimantan",
    "71": "North Sulawesi",
    "72": "Central Sulawesi",
    "73": "South Sulawesi",
    "74": "Southeast Sulawesi",
    "75": "Gorontalo",
    "76": "West Sulawesi",
    "81": "Maluku",
    "82": "North Maluku",
    "91": "West Papua",
    "92": "Southwest Papua",
    "94": "Papua",
    "95": "South Papua",
    "96": "Central Papua",
    "97": "Highland Papua",
}


@cache
def province_table() -> pd.DataFrame:
    """The 38 provinces: BPS code, official Indonesian and English names, ISO 3166-2 and Kemendagri codes."""
    rows = [
        (code, OFFICIAL_NAMES.get(code, name), ENGLISH_NAMES[code], iso, kemendagri)
        for code, name, iso, kemendagri in PROVINCES
    ]
    return pd.DataFrame(
        rows, columns=["province_code", "name_id", "name_en", "iso_3166_2", "kemendagri_code"]
    )


@cache
def province_name_lookup() -> dict[str, str]:
    """Normalised province name → BPS code."""
    lookup = {label_key(name): code for code, name, _, _ in PROVINCES}
    for name, code in NAME_VARIANTS.items():
        lookup[label_key(name)] = code
    return lookup


def province_names_to_code(names: pd.Series) -> pd.Series:
    """BPS code of each province name; NA where unknown."""
    return map_labels(names, province_name_lookup())


def province_codes_to_bps(codes: pd.Series, kemendagri: bool) -> pd.Series:
    """BPS code of each BPS or Kemendagri code (a spreadsheet's `33.0` read as 33); NA where unknown."""
    if kemendagri:
        valid = {kemendagri_code: bps for bps, _, _, kemendagri_code in PROVINCES}
    else:
        valid = {bps: bps for bps, _, _, _ in PROVINCES}
    cleaned = codes.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    return cleaned.map(valid).astype("string")


def province_name(code: str) -> str:
    """Official name of a BPS province code."""
    return dict((c, n) for c, n, _, _ in PROVINCES)[code]
