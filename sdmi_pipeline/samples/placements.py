"""Generator of KP2MI record-level placement files calibrated to published figures.

The 2023 margins are BP2MI's figures as reported in its January 2024 release: 274,965
placements; women 167,863, men 107,102; formal 152,760, informal 122,205; the ten main
destinations and five main provinces of origin below. Margins hold exactly at scale 1 (and at
any integer scale, multiplied); other destinations and provinces share the remainder with
illustrative weights. Sector, sex, occupation and scheme are coupled to the destination (Hong
Kong informal and female, Korea G2G and male, ...) by ranking, which keeps every margin exact.

Files are written in the variants of spec §2.1 (delimiter, encoding, date format, code column,
header case and order, name variants), and `bad_rows` extra rows per file are each wrong in one
way, so they are rejected and the published figures still come back exactly.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sdmi_pipeline.ingest.sample_marker import mark
from sdmi_pipeline.reference.provinces import PROVINCES
from sdmi_pipeline.samples.calibration import apportion, top

PUBLISHED_2023 = {
    "total": 274_965,
    "sex": {"F": 167_863, "M": 107_102},
    "sector": {"FORMAL": 152_760, "INFORMAL": 122_205},
    "destination": {
        "TWN": 83_216,
        "MYS": 72_260,
        "HKG": 65_916,
        "KOR": 12_580,
        "JPN": 9_673,
        "SGP": 7_898,
        "SAU": 6_310,
        "ITA": 3_519,
        "BRN": 2_872,
        "TUR": 2_289,
    },
    "province": {"35": 68_069, "33": 59_009, "32": 52_961, "52": 33_949, "18": 21_539},
}
# Illustrative weights for the remainder (not published figures).
OTHER_DESTINATIONS = {
    "POL": 20,
    "ARE": 13,
    "QAT": 9,
    "KWT": 7,
    "DEU": 6,
    "NLD": 5,
    "USA": 5,
    "AUS": 5,
    "OMN": 4,
    "NZL": 3,
    "BHR": 3,
    "MAC": 3,
    "ESP": 2,
    "FJI": 2,
    "MDV": 2,
    "ZMB": 1,
}
OTHER_PROVINCE_WEIGHTS = {"36": 9, "12": 8, "53": 7, "51": 6, "73": 5, "61": 4, "16": 4, "13": 3}

INFORMAL_PROPENSITY = {
    "HKG": 0.97,
    "SAU": 0.9,
    "KWT": 0.9,
    "SGP": 0.85,
    "OMN": 0.8,
    "ARE": 0.7,
    "TWN": 0.55,
    "BRN": 0.55,
    "QAT": 0.5,
    "MAC": 0.9,
    "MYS": 0.35,
    "BHR": 0.6,
    "TUR": 0.15,
    "ITA": 0.05,
}
G2G_SHARE = {"KOR": 0.88, "JPN": 0.1, "DEU": 0.3}
FORMAL_OCCUPATIONS = {
    "MYS": ["Plantation Worker", "Operator Produksi", "Construction Worker"],
    "TWN": ["Factory Worker", "Fishing Crew", "Caregiver"],
    "KOR": ["Production Operator", "Fisherman", "Agriculture Worker"],
    "JPN": ["Caregiver", "Operator", "Welder"],
    "ITA": ["ABK", "Hotel Staff", "Cook"],
    "TUR": ["Hotel Staff", "Cook", "Nurse"],
}
DEFAULT_FORMAL_OCCUPATIONS = ["Worker", "Operator", "Welder", "Driver", "Cleaner", "Nurse", "Juru Las"]

DESTINATION_LABELS = {
    "TWN": ["Taiwan", "TAIWAN", "Chinese Taipei", "Taiwan, Province of China"],
    "MYS": ["Malaysia", "MALAYSIA"],
    "HKG": ["Hong Kong", "Hongkong", "HONGKONG", "Hong Kong SAR"],
    "KOR": ["Korea Selatan", "Korsel", "South Korea", "Republic of Korea"],
    "JPN": ["Jepang", "Japan", "JEPANG"],
    "SGP": ["Singapura", "Singapore"],
    "SAU": ["Arab Saudi", "Saudi Arabia", "KSA"],
    "ITA": ["Italia", "Italy"],
    "BRN": ["Brunei Darussalam", "Brunei"],
    "TUR": ["Turki", "Türkiye", "Turkey"],
    "POL": ["Polandia", "Poland"],
    "ARE": ["Uni Emirat Arab", "UEA"],
    "QAT": ["Qatar", "Katar"],
    "DEU": ["Jerman", "Germany"],
    "NLD": ["Belanda"],
    "USA": ["Amerika Serikat"],
    "MAC": ["Makau", "Macao"],
    "NZL": ["Selandia Baru"],
}
PROVINCE_LABELS = {
    "35": ["Jawa Timur", "JAWA TIMUR", "Jatim"],
    "33": ["Jawa Tengah", "Jateng"],
    "32": ["Jawa Barat", "Jabar", "JAWA BARAT"],
    "52": ["Nusa Tenggara Barat", "NTB"],
    "53": ["Nusa Tenggara Timur", "NTT"],
    "31": ["DKI Jakarta", "D.K.I. Jakarta"],
    "34": ["DI Yogyakarta", "D.I. Yogyakarta", "DIY"],
    "21": ["Kepulauan Riau", "Kepri"],
    "19": ["Kep. Bangka Belitung", "Babel"],
}
REGENCIES = {
    "35": ["Kab. Malang", "Kab. Blitar", "Kab. Tulungagung", "Kab. Ponorogo"],
    "33": ["Kab. Cilacap", "Kab. Kendal", "Kab. Brebes"],
    "32": ["Kab. Indramayu", "Kab. Cirebon", "Kab. Subang"],
    "52": ["Kab. Lombok Timur", "Kab. Lombok Tengah"],
    "18": ["Kab. Lampung Timur", "Kab. Lampung Tengah"],
}
SEX_LABELS = {"F": ["P", "Perempuan", "F", "Female"], "M": ["L", "Laki-laki", "M", "Male"]}
SECTOR_LABELS = {"FORMAL": ["Formal", "FORMAL"], "INFORMAL": ["Informal", "INFORMAL"]}
SCHEME_LABELS = {
    "P2P": ["P to P", "P3MI", "PPTKIS", "P2P"],
    "G2G": ["G to G", "G2G"],
    "MANDIRI": ["Mandiri", "Perseorangan"],
    "UKPS": ["UKPS"],
}
EDUCATION_LEVELS = ["SD", "SMP", "SMA", "SMK", "D3", "S1", "Tidak Sekolah", "Paket C"]
EDUCATION_WEIGHTS = {
    "INFORMAL": [0.22, 0.45, 0.22, 0.06, 0.01, 0.01, 0.02, 0.01],
    "FORMAL": [0.08, 0.30, 0.32, 0.22, 0.04, 0.03, 0.005, 0.005],
}
MONTH_WEIGHTS = [0.072, 0.078, 0.085, 0.070, 0.082, 0.088, 0.086, 0.090, 0.088, 0.090, 0.086, 0.085]


def _margin(published: dict[str, int], others: dict[str, float], scale: float, total: int) -> dict[str, int]:
    """Published counts (scaled) plus the remainder shared among `others` by weight."""
    published_scaled = {key: round(value * scale) for key, value in published.items()}
    rest = total - sum(published_scaled.values())
    return published_scaled | apportion(others, rest)


def _repeat(counts: dict[str, int], rng: np.random.Generator) -> np.ndarray:
    values = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    return rng.permutation(values)


def _labels(
    codes: np.ndarray,
    variants: dict[str, list[str]],
    rng: np.random.Generator,
    default: dict[str, str] | None = None,
) -> np.ndarray:
    """A delivered label for each code, picked among that code's variants."""
    labels = np.empty(len(codes), dtype=object)
    for code in np.unique(codes):
        mask = codes == code
        options = variants.get(code) or [(default or {})[code]]
        labels[mask] = rng.choice(options, size=int(mask.sum()))
    return labels


def placements(year: int = 2023, scale: float = 1.0, seed: int = 2023) -> pd.DataFrame:
    """One row per placement with codes (destination, province, sex, sector, scheme ...)."""
    rng = np.random.default_rng(seed)
    total = round(PUBLISHED_2023["total"] * scale)
    destination = _repeat(_margin(PUBLISHED_2023["destination"], OTHER_DESTINATIONS, scale, total), rng)
    other_provinces = {
        code: OTHER_PROVINCE_WEIGHTS.get(code, 1)
        for code, *_ in PROVINCES
        if code not in PUBLISHED_2023["province"]
    }
    province = _repeat(_margin(PUBLISHED_2023["province"], other_provinces, scale, total), rng)
    n_informal = apportion(PUBLISHED_2023["sector"], total)["INFORMAL"]
    n_female = apportion(PUBLISHED_2023["sex"], total)["F"]

    propensity = np.array([INFORMAL_PROPENSITY.get(code, 0.05) for code in destination])
    informal = top(propensity + rng.normal(0, 0.25, total), n_informal)
    female_score = np.where(informal, 2.0, 0.0) + rng.normal(0, 0.6, total)
    female_score += np.where(np.isin(destination, ["KOR", "MYS"]), -0.8, 0.0)
    female = top(female_score, n_female)

    g2g_share = np.array([G2G_SHARE.get(code, 0.0) for code in destination])
    draw = rng.random(total)
    scheme = np.where(~informal & (draw < g2g_share), "G2G", "P2P").astype(object)
    scheme[(scheme == "P2P") & (draw > 0.975)] = "MANDIRI"
    scheme[(scheme == "P2P") & ~informal & (draw > 0.96) & (draw <= 0.965)] = "UKPS"

    occupation = np.where(rng.random(total) < 0.72, "Domestic Worker", "Caregiver").astype(object)
    occupation[informal & (destination == "TWN")] = rng.choice(
        ["Caregiver", "Domestic Worker", "Perawat Lansia"],
        size=int((informal & (destination == "TWN")).sum()),
    )
    for code in np.unique(destination[~informal]):
        mask = ~informal & (destination == code)
        occupation[mask] = rng.choice(
            FORMAL_OCCUPATIONS.get(code, DEFAULT_FORMAL_OCCUPATIONS), size=int(mask.sum())
        )

    age = np.clip(np.round(rng.normal(np.where(informal, 33, 27), 6.5)), 18, 58).astype(int)
    education = np.where(
        informal,
        rng.choice(EDUCATION_LEVELS, size=total, p=EDUCATION_WEIGHTS["INFORMAL"]),
        rng.choice(EDUCATION_LEVELS, size=total, p=EDUCATION_WEIGHTS["FORMAL"]),
    )
    months = _repeat(apportion(dict(enumerate(MONTH_WEIGHTS, start=1)), total), rng).astype(int)
    days_in_month = pd.to_datetime([f"{year}-{m:02d}-01" for m in months]).days_in_month.to_numpy()
    day = (rng.random(total) * days_in_month).astype(int) + 1

    return pd.DataFrame(
        {
            "month": months,
            "date": pd.to_datetime({"year": year, "month": months, "day": day}),
            "sex": np.where(female, "F", "M"),
            "age": age,
            "education": education,
            "province": province,
            "destination": destination,
            "occupation": occupation,
            "sector": np.where(informal, "INFORMAL", "FORMAL"),
            "scheme": scheme,
        }
    )


@dataclass(frozen=True)
class FileVariant:
    """How one month's file is written: the variants of spec §2.1 it exercises."""

    delimiter: str
    encoding: str
    date_format: str
    code_column: str | None
    shout_headers: bool
    extra_column: bool

    @classmethod
    def for_month(cls, month: int) -> "FileVariant":
        return cls(
            delimiter=";" if month % 2 else ",",
            encoding={2: "cp1252", 0: "utf-8-sig"}.get(month % 3, "utf-8"),
            date_format="%d/%m/%Y" if month % 3 == 0 else "%Y-%m-%d",
            code_column={0: "kode_provinsi_kemendagri", 1: "kode_provinsi"}.get(month % 4),
            shout_headers=month % 2 == 0,
            extra_column=month % 3 == 1,
        )


def _delivered(
    rows: pd.DataFrame, year: int, month: int, variant: FileVariant, rng: np.random.Generator
) -> pd.DataFrame:
    """The rows of one month as KP2MI would write them."""
    from sdmi_pipeline.reference.countries import country_table

    country_names = dict(zip(country_table()["iso3"], country_table()["name_en"], strict=True))
    province_names = {code: name for code, name, _, _ in PROVINCES}
    kemendagri = {code: kemendagri_code for code, _, _, kemendagri_code in PROVINCES}
    province = rows["province"].to_numpy()
    codes = (
        province
        if variant.code_column != "kode_provinsi_kemendagri"
        else np.array([kemendagri[code] for code in province], dtype=object)
    )
    codes = np.where(rng.random(len(rows)) < 0.05, "", codes)
    destination_labels = DESTINATION_LABELS
    if variant.encoding == "cp1252":  # a Windows-1252 file shows its encoding in Türkiye's ü
        destination_labels = DESTINATION_LABELS | {"TUR": ["Türkiye"]}
    regency = np.array([f"Kota {province_names[code]}" for code in province], dtype=object)
    for code, names in REGENCIES.items():
        mask = province == code
        regency[mask] = rng.choice(names, size=int(mask.sum()))
    delivered = pd.DataFrame(
        {
            "id_pmi": [f"PMI{year}{month:02d}{index:07d}" for index in range(1, len(rows) + 1)],
            "tanggal_penempatan": rows["date"].dt.strftime(variant.date_format).to_numpy(),
            "jenis_kelamin": _labels(rows["sex"].to_numpy(), SEX_LABELS, rng),
            "usia": rows["age"].astype(str).to_numpy(),
            "pendidikan": rows["education"].to_numpy(),
            "kode_provinsi": codes,
            "provinsi_asal": _labels(province, PROVINCE_LABELS, rng, province_names),
            "kabupaten_asal": regency,
            "negara_penempatan": _labels(
                rows["destination"].to_numpy(), destination_labels, rng, country_names
            ),
            "jabatan": rows["occupation"].to_numpy(),
            "sektor": _labels(rows["sector"].to_numpy(), SECTOR_LABELS, rng),
            "skema": _labels(rows["scheme"].to_numpy(), SCHEME_LABELS, rng),
        }
    )
    return delivered


# Each bad row copies a good row and breaks one field; the reader must reject it.
BAD_ROW_KINDS = (
    ("usia", "17"),
    ("negara_penempatan", "Atlantis"),
    ("tanggal_penempatan", "outside"),
    ("provinsi_asal", "Jawa Utara"),
    ("id_pmi", "duplicate"),
    ("jenis_kelamin", "X"),
    ("usia", "dua puluh"),
    ("skema", "Kapal Pesiar"),
)


def _bad_rows(
    delivered: pd.DataFrame, count: int, year: int, month: int, variant: FileVariant
) -> pd.DataFrame:
    bad = delivered.iloc[[index % len(delivered) for index in range(count)]].copy()
    bad["id_pmi"] = [f"PMI{year}{month:02d}X{index:06d}" for index in range(count)]
    outside = pd.Timestamp(year=year, month=month, day=1) - pd.Timedelta(days=3)
    for position in range(count):
        column, value = BAD_ROW_KINDS[position % len(BAD_ROW_KINDS)]
        if value == "outside":
            value = outside.strftime(variant.date_format)
        elif value == "duplicate":
            value = delivered["id_pmi"].iloc[0]
        bad.iloc[position, bad.columns.get_loc(column)] = value
    return bad


def write_month_files(
    rows: pd.DataFrame,
    out_dir: Path,
    year: int,
    bad_rows: int = 0,
    seed: int = 2023,
    months: list[int] | None = None,
) -> list[Path]:
    """Write `penempatan_pmi_YYYY_MM.csv` per month into `out_dir`/kp2mi/penempatan."""
    folder = out_dir / "kp2mi" / "penempatan"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for month in months or sorted(rows["month"].unique()):
        rng = np.random.default_rng(seed * 100 + month)
        variant = FileVariant.for_month(month)
        delivered = _delivered(rows[rows["month"] == month], year, month, variant, rng)
        delivered = pd.concat([delivered, _bad_rows(delivered, bad_rows, year, month, variant)])
        if variant.code_column is None:
            delivered = delivered.drop(columns="kode_provinsi")
        else:
            delivered = delivered.rename(columns={"kode_provinsi": variant.code_column})
        if variant.extra_column:
            delivered["keterangan"] = "data sampel"
        if variant.shout_headers:
            delivered = delivered[list(rng.permutation(delivered.columns))]
            delivered.columns = [column.upper() for column in delivered.columns]
        path = folder / f"penempatan_pmi_{year}_{month:02d}.csv"
        delivered.to_csv(path, sep=variant.delimiter, encoding=variant.encoding, index=False)
        written.append(path)
    return written


SAMPLE_SCALE = 1.0  # the shipped sample (data/raw/kp2mi/penempatan): the published 2023 volume


def generate(
    out_dir: Path,
    year: int = 2023,
    scale: float = 1.0,
    seed: int = 2023,
    bad_rows: int = 8,
    months: list[int] | None = None,
) -> list[Path]:
    """Generate a year of placements at `scale` and write the chosen months' files, marked as a sample."""
    written = write_month_files(placements(year, scale, seed), out_dir, year, bad_rows, seed, months)
    note = "placements drawn to BP2MI's published 2023 figures at this scale; not KP2MI records"
    return mark(written, "sdmi_pipeline.samples.placements", note, scale)
