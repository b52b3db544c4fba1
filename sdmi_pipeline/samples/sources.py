"""Sample raw files for Kemnaker, UNHCR and BPS (spec §2.3-2.5), calibrated to published figures.

Written in the formats of the spec, with the name variants that occur in deliveries and a few
deliberate bad rows, so that the pipeline must give the published figures back exactly:

- `kemnaker/tka/tka_2023.csv`: 168,048 foreign worker permits, Kemnaker's published 2023 count,
  with its published margins by sex, the five main nationalities, sector and the five main
  provinces held exactly. Nationality and province are coupled by iterative proportional fitting
  with integer rounding that keeps both margins; sector and sex follow by ranking, which keeps
  their margins too. Everything below the published margins (other nationalities, other
  provinces, `Lintas Provinsi`, position, KBLI, dates) is illustrative.
- `kemnaker/tka/tka_2022.csv`: about 2,000 illustrative 2022 permits (some still valid in 2023).
- `unhcr/population_coa_IDN_YYYY.json` (2015-2020): refugees and asylum-seekers in Indonesia by
  origin; the yearly totals are UNHCR's published end-year figures, the split is illustrative.
- `unhcr/population_coo_IDN_YYYY.json` (2015-2020): refugees from Indonesia by country of
  asylum, illustrative.
- `unhcr/snapshot_indonesia_2023_07.csv`: the country office's snapshot; the total and the three
  main origins are the July 2023 fact sheet's, the breakdown is illustrative.
- `bps/penduduk_1975_YYYY.json` (2015-2020, 2023): population by province and sex; the national
  totals are BPS's published figures, the province and sex splits approximations calibrated to them.

`check_source_samples` reads the files back and raises `SampleCheckError` when a published
figure does not come back exactly. The same seed writes identical bytes.
"""

import json
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdmi_pipeline.readers.kemnaker_permits import SPEC_COLUMNS
from sdmi_pipeline.reference.provinces import PROVINCES
from sdmi_pipeline.samples.placements import apportion

# ---------------------------------------------------------------------------------------------
# Kemnaker: foreign worker permits (spec §2.3)
# ---------------------------------------------------------------------------------------------

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
TKA_COLUMNS = list(SPEC_COLUMNS)
TKA_2022_PERMITS = 2_000
CROSS_FILE_PERMIT = 1_234  # from this 2022 permit on, the first ending in 2023 is renewed under its number


def _with_rest(published: dict[str, int], others: dict[str, float], total: int) -> dict[str, int]:
    """Published counts plus the remainder of `total` shared among `others` by weight."""
    return published | apportion(others, total - sum(published.values()))


def _fit_table(seed: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Integer table near `seed` whose row and column sums are exactly `rows` and `columns`.

    Iterative proportional fitting, then the fractional parts are rounded up, largest first,
    where both the row and the column still miss a unit. A cell whose seed is 0 stays 0.
    """
    table = seed.astype(float)
    for _ in range(500):
        table *= (rows / table.sum(axis=1))[:, None]
        table *= (columns / table.sum(axis=0))[None, :]
    counts = np.floor(table + 1e-9).astype(int)
    row_need, column_need = rows - counts.sum(axis=1), columns - counts.sum(axis=0)
    open_cells = seed > 0
    for flat in np.argsort(-(table - counts), axis=None, kind="stable"):
        i, j = divmod(int(flat), table.shape[1])
        if row_need[i] > 0 and column_need[j] > 0 and open_cells[i, j]:
            counts[i, j] += 1
            row_need[i] -= 1
            column_need[j] -= 1
    while row_need.sum() > 0:  # units the fractional parts could not place
        i, j = np.flatnonzero(row_need > 0)[0], np.flatnonzero(column_need > 0)[0]
        if open_cells[i, j]:
            counts[i, j] += 1
        else:  # through a cell (k, m) that gives up a unit: +1 at (i, m) and (k, j), -1 at (k, m)
            k, m = next(
                (k, m)
                for k, m in np.argwhere(open_cells & (counts > 0))
                if open_cells[i, m] and open_cells[k, j]
            )
            counts[i, m] += 1
            counts[k, j] += 1
            counts[k, m] -= 1
        row_need[i] -= 1
        column_need[j] -= 1
    assert (counts.sum(axis=1) == rows).all() and (counts.sum(axis=0) == columns).all()
    return counts


def _top(score: np.ndarray, count: int) -> np.ndarray:
    """True for the `count` rows with the highest score (exact count, any score)."""
    chosen = np.zeros(len(score), dtype=bool)
    chosen[np.argsort(-score, kind="stable")[:count]] = True
    return chosen


def _lookup(values: np.ndarray, table: dict[str, float], default: float) -> np.ndarray:
    return np.array([table.get(value, default) for value in values], dtype=float)


def _labels(codes: np.ndarray, variants: dict[str, list[str]], rng: np.random.Generator) -> np.ndarray:
    """A delivered label for each code, picked among that code's variants."""
    labels = np.empty(len(codes), dtype=object)
    for code in sorted(set(codes.tolist())):
        mask = codes == code
        labels[mask] = rng.choice(variants[code], size=int(mask.sum()))
    return labels


def permits(
    margins: dict[str, dict[str, int]], year: int, durations: dict[int, float], seed: int
) -> pd.DataFrame:
    """One row per permit (codes, not labels) with every margin in `margins` exact."""
    rng = np.random.default_rng(seed)
    margins = {
        name: {key: count for key, count in counts.items() if count > 0} for name, counts in margins.items()
    }
    nationalities, provinces = list(margins["nationality"]), list(margins["province"])
    nationality_totals = np.array([margins["nationality"][code] for code in nationalities])
    province_totals = np.array([margins["province"][code] for code in provinces])
    total = int(nationality_totals.sum())
    affinity = np.array(
        [[PROVINCE_AFFINITY.get(n, {}).get(p, 1.0) for p in provinces] for n in nationalities], dtype=float
    )
    table = _fit_table(
        np.outer(nationality_totals, province_totals) * affinity * rng.gamma(8, 1 / 8, affinity.shape),
        nationality_totals,
        province_totals,
    )
    nationality = np.repeat(np.repeat(np.array(nationalities, dtype=object), len(provinces)), table.ravel())
    province = np.repeat(np.tile(np.array(provinces, dtype=object), len(nationalities)), table.ravel())
    order = rng.permutation(total)
    nationality, province = nationality[order], province[order]

    sectors = margins["sector"]
    agri = _top(
        np.log(_lookup(nationality, AGRI_NATIONALITY, 0.5) * _lookup(province, AGRI_PROVINCE, 0.5))
        + rng.gumbel(size=total),
        sectors["Pertanian dan Maritim"],
    )
    industry_score = np.log(
        _lookup(nationality, INDUSTRY_NATIONALITY, 0.4) * _lookup(province, INDUSTRY_PROVINCE, 1)
    )
    industry = _top(np.where(agri, -np.inf, industry_score + rng.gumbel(size=total)), sectors["Industri"])
    sector = np.where(agri, "Pertanian dan Maritim", np.where(industry, "Industri", "Jasa")).astype(object)

    nickel = np.isin(province, NICKEL_PROVINCES)
    female_score = np.where(sector == "Jasa", 0.8, np.where(industry, -0.3, 0.0))
    female_score += np.where(np.isin(nationality, ["JPN", "KOR", "TWN", "PHL", "THA", *WESTERN]), 0.5, 0.0)
    female_score += np.where(nationality == "CHN", -0.2, 0.0) + np.where(nickel, -0.8, 0.0)
    female_score += np.where(province == "31", 0.5, 0.0) + rng.normal(0, 1, total)
    female = _top(female_score, margins["sex"]["F"])

    position = np.empty(total, dtype=object)
    executive = (sector == "Jasa") & np.isin(nationality, ["JPN", "KOR", *WESTERN])
    for profile, mask in [(name, (sector == name) & ~executive) for name in sectors] + [
        ("executive", executive)
    ]:
        position[mask] = rng.choice(POSITIONS, size=int(mask.sum()), p=POSITION_WEIGHTS[profile])

    kbli = np.full(total, "", dtype=object)
    for group in KBLI:
        mask = (nickel & industry) if group == "nickel" else (sector == group) & ~(nickel & industry)
        codes, weights = KBLI[group]
        kbli[mask] = rng.choice(codes, size=int(mask.sum()), p=weights)
    kbli[rng.random(total) >= KBLI_SHARE] = ""

    months = np.repeat(np.arange(1, 13), list(apportion(dict(enumerate(MONTH_WEIGHTS, 1)), total).values()))
    months = rng.permutation(months)
    first = pd.to_datetime({"year": np.full(total, year), "month": months, "day": np.ones(total, dtype=int)})
    day = (rng.random(total) * first.dt.days_in_month.to_numpy()).astype(int)
    start = first + pd.to_timedelta(day, unit="D")
    length = rng.choice(list(durations), size=total, p=list(durations.values()))
    end = start.copy()
    for months_valid in durations:
        mask = length == months_valid
        end[mask] = start[mask] + pd.DateOffset(months=int(months_valid)) - pd.Timedelta(days=1)

    frame = pd.DataFrame(
        {
            "nationality": nationality,
            "sex": np.where(female, "F", "M"),
            "position": position,
            "sector": sector,
            "kbli": kbli,
            "province": province,
            "start": start,
            "end": end,
        }
    )
    return frame.sort_values("start", kind="stable", ignore_index=True)


def _delivered(rows: pd.DataFrame, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Permit rows as Kemnaker writes them: numbered in order of start, names in their variants."""
    return pd.DataFrame(
        {
            "no_notifikasi": [f"KT-{year}-{number:06d}" for number in range(1, len(rows) + 1)],
            "kewarganegaraan": _labels(rows["nationality"].to_numpy(), NATIONALITY_LABELS, rng),
            "jenis_kelamin": _labels(rows["sex"].to_numpy(), SEX_LABELS, rng),
            "jabatan": rows["position"].to_numpy(),
            "sektor": rows["sector"].to_numpy(),
            "kbli": rows["kbli"].to_numpy(),
            "provinsi_kerja": _labels(rows["province"].to_numpy(), PROVINCE_LABELS, rng),
            "tanggal_mulai": rows["start"].dt.strftime("%Y-%m-%d").to_numpy(),
            "tanggal_akhir": rows["end"].dt.strftime("%Y-%m-%d").to_numpy(),
        }
    )


def _bad_permits(delivered: pd.DataFrame, year: int) -> pd.DataFrame:
    """Four rows after the valid ones, each copying a valid row and wrong in one way."""
    bad = delivered.iloc[[100, 200, 300, 400]].copy().reset_index(drop=True)
    bad["no_notifikasi"] = [f"KT-{year}-{len(delivered) + number:06d}" for number in range(1, 5)]
    start = pd.Timestamp(bad.at[0, "tanggal_mulai"])
    bad.at[0, "tanggal_akhir"] = (start - pd.Timedelta(days=31)).strftime("%Y-%m-%d")  # ends before it starts
    bad.at[1, "kewarganegaraan"] = "Narnia"  # no such country
    bad.at[2, "no_notifikasi"] = delivered.at[41, "no_notifikasi"]  # repeats an earlier line
    bad.at[3, "jenis_kelamin"] = "X"  # no such sex
    return bad


def write_tka(raw_root: Path, seed: int) -> list[Path]:
    folder = raw_root / "kemnaker" / "tka"
    folder.mkdir(parents=True, exist_ok=True)
    total = TKA_2023["total"]
    margins_2023 = {
        "sex": TKA_2023["sex"],
        "nationality": _with_rest(TKA_2023["nationality"], OTHER_NATIONALITIES, total),
        "sector": TKA_2023["sector"],
        "province": _with_rest(TKA_2023["province"], OTHER_PROVINCES, total),
    }
    rows_2023 = permits(margins_2023, 2023, {6: 0.3, 12: 0.6, 24: 0.1}, seed)
    margins_2022 = {name: apportion(counts, TKA_2022_PERMITS) for name, counts in margins_2023.items()}
    rows_2022 = permits(margins_2022, 2022, {12: 0.7, 24: 0.3}, seed + 1)

    rng = np.random.default_rng(seed + 2)
    delivered_2022 = _delivered(rows_2022, 2022, rng)
    delivered_2023 = _delivered(rows_2023, 2023, rng)
    # A 2023 renewal that kept its 2022 permit number: one row more in tka_2023.csv, in date
    # order, which the pipeline rejects as a repeat across files (tka_2022.csv, read first, keeps it).
    ends_2023 = np.flatnonzero(rows_2022["end"].dt.year.to_numpy() == 2023)
    renewal = delivered_2022.iloc[[ends_2023[ends_2023 >= CROSS_FILE_PERMIT - 1][0]]].copy()
    start = pd.Timestamp(renewal["tanggal_akhir"].iloc[0]) + pd.Timedelta(days=1)
    renewal["tanggal_mulai"] = start.strftime("%Y-%m-%d")
    renewal["tanggal_akhir"] = (start + pd.DateOffset(months=12) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    position = int(
        np.searchsorted(delivered_2023["tanggal_mulai"].to_numpy(), renewal["tanggal_mulai"].iloc[0])
    )
    with_renewal = pd.concat(
        [delivered_2023.iloc[:position], renewal, delivered_2023.iloc[position:]], ignore_index=True
    )
    file_2023 = pd.concat([with_renewal, _bad_permits(delivered_2023, 2023)], ignore_index=True)

    path_2023, path_2022 = folder / "tka_2023.csv", folder / "tka_2022.csv"
    file_2023[TKA_COLUMNS].to_csv(path_2023, index=False, encoding="utf-8", lineterminator="\n")
    # The 2022 delivery came from another desk: semicolons and a byte order mark (spec §0).
    delivered_2022[TKA_COLUMNS].to_csv(
        path_2022, index=False, sep=";", encoding="utf-8-sig", lineterminator="\n"
    )
    return [path_2022, path_2023]


# ---------------------------------------------------------------------------------------------
# UNHCR: refugee population statistics (spec §2.4)
# ---------------------------------------------------------------------------------------------

# UNHCR's published end-year totals of refugees plus asylum-seekers in Indonesia.
REFUGEES_IN_INDONESIA = {2015: 13_548, 2016: 14_405, 2017: 13_840, 2018: 14_016, 2019: 13_657, 2020: 13_912}
# Illustrative: the refugees' share of that total (recognition catching up with the backlog).
REFUGEE_SHARE = {2015: 0.39, 2016: 0.52, 2017: 0.67, 2018: 0.73, 2019: 0.76, 2020: 0.78}
# Illustrative origin shares at the ends of the period (interpolated in between), and how far
# each origin's share of refugees exceeds its share of the total.
ORIGIN_SHARES = {
    "AFG": (0.49, 0.555),
    "SOM": (0.10, 0.105),
    "MMR": (0.085, 0.065),
    "IRQ": (0.065, 0.045),
    "LKA": (0.045, 0.035),
    "PAK": (0.035, 0.035),
    "IRN": (0.035, 0.022),
    "PSE": (0.03, 0.022),
    "SDN": (0.028, 0.045),
    "YEM": (0.02, 0.033),
    "ETH": (0.012, 0.015),
    "ERI": (0.008, 0.006),
    "SYR": (0.012, 0.007),
    "EGY": (0.006, 0.003),
    "BGD": (0.004, 0.002),
    "JOR": (0.003, 0.002),
    "NGA": (0.003, 0.002),
    "SSD": (0.002, 0.001),
}
RECOGNITION = {"AFG": 1.1, "MMR": 1.4, "SOM": 1.1, "PSE": 1.2, "SYR": 1.4, "IRQ": 1.0, "LKA": 0.9, "ERI": 1.0}
RECOGNITION |= {
    "PAK": 0.5,
    "IRN": 0.8,
    "SDN": 0.6,
    "YEM": 0.7,
    "ETH": 0.7,
    "EGY": 0.3,
    "BGD": 0.3,
    "NGA": 0.3,
}
# Illustrative: refugees and asylum-seekers from Indonesia, by country of asylum.
FROM_INDONESIA = {
    "refugees": {2015: 3_910, 2016: 3_760, 2017: 3_620, 2018: 3_480, 2019: 3_350, 2020: 3_240},
    "asylum_seekers": {2015: 1_980, 2016: 2_240, 2017: 2_510, 2018: 2_390, 2019: 2_150, 2020: 1_870},
}
HOST_WEIGHTS = {
    "refugees": {"AUS": 22, "USA": 20, "PNG": 18, "NLD": 9, "CAN": 6, "DEU": 5, "GBR": 5, "MYS": 4}
    | {"JPN": 2, "NZL": 2, "SWE": 2, "CHE": 2, "FRA": 1.5, "KOR": 1, "HKG": 0.5},
    "asylum_seekers": {"USA": 40, "AUS": 18, "JPN": 12, "KOR": 10, "HKG": 6, "MYS": 4, "CAN": 3, "GBR": 2}
    | {"DEU": 2, "NLD": 1, "CHE": 1, "NZL": 1, "FRA": 0.5, "SWE": 0.5},
}
# UNHCR's own country codes and names, as the population API writes them.
UNHCR_COUNTRIES = {
    "AFG": ("AFG", "Afghanistan"),
    "SOM": ("SOM", "Somalia"),
    "MMR": ("MYA", "Myanmar"),
    "IRQ": ("IRQ", "Iraq"),
    "LKA": ("LKA", "Sri Lanka"),
    "PAK": ("PAK", "Pakistan"),
    "IRN": ("IRN", "Iran (Islamic Rep. of)"),
    "PSE": ("GAZ", "State of Palestine"),
    "SDN": ("SUD", "Sudan"),
    "YEM": ("YEM", "Yemen"),
    "ETH": ("ETH", "Ethiopia"),
    "ERI": ("ERT", "Eritrea"),
    "SYR": ("SYR", "Syrian Arab Rep."),
    "EGY": ("ARE", "Egypt"),
    "BGD": ("BGD", "Bangladesh"),
    "JOR": ("JOR", "Jordan"),
    "NGA": ("NIG", "Nigeria"),
    "SSD": ("SSD", "South Sudan"),
    "IDN": ("INS", "Indonesia"),
    "AUS": ("AUL", "Australia"),
    "USA": ("USA", "United States of America"),
    "PNG": ("PNG", "Papua New Guinea"),
    "NLD": ("NET", "Netherlands"),
    "CAN": ("CAN", "Canada"),
    "DEU": ("GFR", "Germany"),
    "GBR": ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    "MYS": ("MLS", "Malaysia"),
    "JPN": ("JPN", "Japan"),
    "NZL": ("NZL", "New Zealand"),
    "SWE": ("SWE", "Sweden"),
    "CHE": ("SWI", "Switzerland"),
    "FRA": ("FRA", "France"),
    "KOR": ("KOR", "Rep. of Korea"),
    "HKG": ("HKG", "China, Hong Kong SAR"),
}
PAGE_SIZE = 10
UNHCR_YEARS = range(2015, 2021)


def _share_split(totals: dict[str, int], weights: dict[str, float], count: int) -> dict[str, int]:
    """Split `count` over `totals` in proportion to total × weight, each part at most its total.

    A logistic share per key, shifted until the expected parts add up to `count`, then
    largest-remainder rounding (which never rounds a part above its total).
    """
    keys = list(totals)
    n = np.array([totals[key] for key in keys], dtype=float)
    logit = np.log([weights.get(key, 1.0) for key in keys])
    low, high = -30.0, 30.0
    for _ in range(200):
        shift = (low + high) / 2
        expected = n / (1 + np.exp(-(logit + shift)))
        low, high = (shift, high) if expected.sum() < count else (low, shift)
    return apportion(dict(zip(keys, expected.tolist(), strict=True)), count)


def _item(
    year: int, origin: str, asylum: str, refugees: int | str, asylum_seekers: int | str
) -> dict[str, Any]:
    coo, coo_name = UNHCR_COUNTRIES[origin]
    coa, coa_name = UNHCR_COUNTRIES[asylum]
    return {
        "year": year,
        "coo_name": coo_name,
        "coa_name": coa_name,
        "coo": coo,
        "coa": coa,
        "coo_iso": origin,
        "coa_iso": asylum,
        "refugees": refugees,
        "asylum_seekers": asylum_seekers,
        "returned_refugees": 0,
        "idps": 0,
        "returned_idps": 0,
        "stateless": 0,
        "ooc": 0,
        "oip": 0,
        "hst": 0,
    }


def _pages(items: list[dict[str, Any]], page_size: int = PAGE_SIZE) -> list[dict[str, Any]]:
    chunks = [items[start : start + page_size] for start in range(0, len(items), page_size)]
    return [
        {"page": number, "maxPages": len(chunks), "total": len(items), "items": chunk}
        for number, chunk in enumerate(chunks, 1)
    ]


def _write_json(path: Path, answer: Any) -> Path:
    path.write_text(json.dumps(answer, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def refugees_in_indonesia(year: int, seed: int) -> list[dict[str, Any]]:
    """Items of the `coa=IDN, coo_all=true` answer for one year."""
    rng = np.random.default_rng(seed * 10 + year)
    step = (year - 2015) / 5
    shares = {code: (a + (b - a) * step) * rng.gamma(400, 1 / 400) for code, (a, b) in ORIGIN_SHARES.items()}
    total = REFUGEES_IN_INDONESIA[year]
    by_origin = apportion(shares, total)
    refugees = _share_split(by_origin, RECOGNITION, round(total * REFUGEE_SHARE[year]))
    assert all(refugees[origin] <= by_origin[origin] for origin in by_origin)
    return [
        _item(year, origin, "IDN", refugees[origin], by_origin[origin] - refugees[origin])
        for origin in sorted(by_origin, key=lambda code: UNHCR_COUNTRIES[code][1])
        if by_origin[origin] > 0
    ]


def refugees_from_indonesia(year: int, seed: int) -> list[dict[str, Any]]:
    """Items of the `coo=IDN, coa_all=true` answer for one year (illustrative)."""
    rng = np.random.default_rng(seed * 10 + year + 5000)
    counts = {
        kind: apportion(
            {host: weight * rng.gamma(30, 1 / 30) for host, weight in HOST_WEIGHTS[kind].items()},
            FROM_INDONESIA[kind][year],
        )
        for kind in HOST_WEIGHTS
    }
    hosts = sorted(
        set(counts["refugees"]) | set(counts["asylum_seekers"]), key=lambda code: UNHCR_COUNTRIES[code][1]
    )
    items = [
        _item(year, "IDN", host, counts["refugees"].get(host, 0), counts["asylum_seekers"].get(host, 0))
        for host in hosts
    ]
    return [item for item in items if item["refugees"] + item["asylum_seekers"] > 0]


def write_unhcr(raw_root: Path, seed: int) -> list[Path]:
    folder = raw_root / "unhcr"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year in UNHCR_YEARS:
        items = refugees_in_indonesia(year, seed)
        if year == 2016:  # this year's answer came through a tool that wrote some counts as text
            for position, item in enumerate(items):
                if position % 3 == 0:
                    item["refugees"], item["asylum_seekers"] = (
                        str(item["refugees"]),
                        str(item["asylum_seekers"]),
                    )
        # 2015 was fetched with a page size that held the whole answer: one page object, no list.
        answer: Any = _pages(items, len(items))[0] if year == 2015 else _pages(items)
        written.append(_write_json(folder / f"population_coa_IDN_{year}.json", answer))
    for year in UNHCR_YEARS:
        written.append(
            _write_json(
                folder / f"population_coo_IDN_{year}.json", _pages(refugees_from_indonesia(year, seed))
            )
        )
    written.append(write_snapshot(folder / "snapshot_indonesia_2023_07.csv", seed))
    return written


# UNHCR Indonesia fact sheet, July 2023: total and the three main origins.
SNAPSHOT_2023_07 = {"total": 12_097, "origin": {"Afghanistan": 6_572, "Somalia": 1_248, "Myanmar": 879}}
# Illustrative weights for the other origins.
SNAPSHOT_OTHER_ORIGINS = {
    "Sudan": 640,
    "Yemen": 560,
    "Iraq": 520,
    "Sri Lanka": 400,
    "Pakistan": 380,
    "Palestine": 240,
    "Iran": 230,
    "Ethiopia": 180,
    "Eritrea": 80,
    "Syria": 70,
    "Egypt": 40,
    "South Sudan": 20,
    "Bangladesh": 18,
    "Jordan": 12,
    "Nigeria": 8,
}
REFUGEE_PROPENSITY = {"Afghanistan": 0.88, "Myanmar": 0.92, "Somalia": 0.82, "Iraq": 0.78, "Sri Lanka": 0.7}
REFUGEE_PROPENSITY |= {"Palestine": 0.75, "Syria": 0.8, "Eritrea": 0.7, "Iran": 0.65, "Ethiopia": 0.6}
REFUGEE_PROPENSITY |= {"Sudan": 0.55, "Yemen": 0.6, "Pakistan": 0.5, "Egypt": 0.4}
ADULT_MALE_SHARE = {"Afghanistan": 0.68, "Somalia": 0.62, "Myanmar": 0.6, "Iraq": 0.6, "Sri Lanka": 0.62}
ADULT_MALE_SHARE |= {"Iran": 0.6, "Sudan": 0.85, "Yemen": 0.85, "Pakistan": 0.75, "Palestine": 0.78}
FAMILY_ORIGINS = ("Afghanistan", "Somalia", "Myanmar", "Iraq", "Sri Lanka", "Iran")
AGE_GROUPS = ("0-4", "5-11", "12-17", "18-59", "60+")
AGE_WEIGHTS = {"family": [0.07, 0.11, 0.09, 0.70, 0.03], "single": [0.02, 0.03, 0.06, 0.87, 0.02]}
LOCATIONS = (
    "Jakarta",
    "Bogor",
    "Medan",
    "Makassar",
    "Pekanbaru",
    "Tanjung Pinang",
    "Batam",
    "Kupang",
    "Surabaya",
    "Semarang",
    "Aceh",
)
LOCATION_WEIGHTS = {
    "Afghanistan": [0.22, 0.14, 0.12, 0.13, 0.10, 0.09, 0.06, 0.03, 0.05, 0.04, 0.02],
    "Somalia": [0.35, 0.15, 0.12, 0.08, 0.08, 0.06, 0.06, 0.02, 0.04, 0.03, 0.01],
    "Myanmar": [0.10, 0.03, 0.25, 0.15, 0.05, 0.01, 0.03, 0.01, 0.01, 0.01, 0.35],
    "other": [0.45, 0.15, 0.08, 0.06, 0.05, 0.05, 0.05, 0.02, 0.05, 0.03, 0.01],
}


def snapshot(seed: int) -> pd.DataFrame:
    """The July 2023 snapshot: one row per origin × type × sex × age group × location with people."""
    rng = np.random.default_rng(seed + 7)
    main = SNAPSHOT_2023_07["origin"]
    origins = _with_rest(main, SNAPSHOT_OTHER_ORIGINS, SNAPSHOT_2023_07["total"])
    frames = []
    for origin, total in origins.items():
        refugee = REFUGEE_PROPENSITY.get(origin, 0.5)
        adult_male = ADULT_MALE_SHARE.get(origin, 0.78)
        ages = AGE_WEIGHTS["family" if origin in FAMILY_ORIGINS else "single"]
        places = LOCATION_WEIGHTS.get(origin, LOCATION_WEIGHTS["other"])
        cells = pd.MultiIndex.from_product(
            [["Refugee", "Asylum-seeker"], ["Male", "Female"], AGE_GROUPS, LOCATIONS],
            names=["population_type", "sex", "age_group", "location"],
        ).to_frame(index=False)
        type_weight = np.where(cells["population_type"] == "Refugee", refugee, 1 - refugee)
        male = np.where(cells["age_group"].isin(["18-59", "60+"]), adult_male, 0.52)
        sex_weight = np.where(cells["sex"] == "Male", male, 1 - male)
        age_weight = cells["age_group"].map(dict(zip(AGE_GROUPS, ages, strict=True))).to_numpy()
        place_weight = cells["location"].map(dict(zip(LOCATIONS, places, strict=True))).to_numpy()
        weight = type_weight * sex_weight * age_weight * place_weight * rng.gamma(20, 1 / 20, len(cells))
        cells["count"] = list(apportion(dict(enumerate(weight)), total).values())
        frames.append(cells.assign(country_of_origin=origin))
    rows = pd.concat(frames, ignore_index=True)
    columns = ["country_of_origin", "population_type", "sex", "age_group", "location", "count"]
    return rows.loc[rows["count"] > 0, columns].reset_index(drop=True)


def write_snapshot(path: Path, seed: int) -> Path:
    snapshot(seed).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


# ---------------------------------------------------------------------------------------------
# BPS: population by province and sex (spec §2.5)
# ---------------------------------------------------------------------------------------------

# BPS's published national totals, thousands (mid-year projections; 2020 the SP2020 census).
POPULATION_TOTAL = {
    2015: 255_461.7,
    2016: 258_705.0,
    2017: 261_890.9,
    2018: 265_015.3,
    2019: 268_074.6,
    2020: 270_203.9,
    2023: 278_696.2,
}
# Men per 100 women nationally: about 101 in the SUPAS 2015 projections; SP2020 counted 136.66
# million men and 133.54 million women (about 102.3), and the projections since keep about 102.
NATIONAL_SEX_RATIO = {
    2015: 101.0,
    2016: 101.0,
    2017: 101.0,
    2018: 101.0,
    2019: 101.0,
    2020: None,
    2023: 102.0,
}
MEN_2020 = 136_661.9  # SP2020: 136.66 million men (women then 133,542.0 thousand)
# Approximate provincial populations around 2020, thousands: shares only, not published figures.
PROVINCE_BASE_2020 = {
    "11": 5274.9,
    "12": 14799.4,
    "13": 5534.5,
    "14": 6394.1,
    "15": 3548.2,
    "16": 8467.4,
    "17": 2010.7,
    "18": 9007.8,
    "19": 1455.7,
    "21": 2064.6,
    "31": 10562.1,
    "32": 48274.2,
    "33": 36516.0,
    "34": 3668.7,
    "35": 40665.7,
    "36": 11904.6,
    "51": 4317.4,
    "52": 5320.1,
    "53": 5325.6,
    "61": 5414.4,
    "62": 2669.9,
    "63": 4073.6,
    "64": 3766.0,
    "65": 701.8,
    "71": 2621.9,
    "72": 2985.7,
    "73": 9073.5,
    "74": 2624.9,
    "75": 1171.7,
    "76": 1419.2,
    "81": 1848.9,
    "82": 1282.9,
    "91": 1134.1,
    "94": 4303.7,
}
# Approximate annual growth (percent) relative to the national rate, for the shares of other years.
RELATIVE_GROWTH = {
    "31": -0.3,
    "33": -0.3,
    "35": -0.35,
    "34": -0.1,
    "32": 0.2,
    "36": 0.6,
    "21": 0.9,
    "14": 0.7,
}
RELATIVE_GROWTH |= {"64": 0.6, "65": 1.1, "91": 0.8, "94": 0.6, "62": 0.4, "15": 0.3, "61": 0.2, "13": -0.1}
# 2023: the Papua provinces created in 2022, as fractions of their mother provinces (approximate).
PAPUA_SPLIT = {"91": {"91": 0.49, "92": 0.51}, "94": {"94": 0.245, "95": 0.12, "96": 0.335, "97": 0.30}}
PROVINCE_SEX_RATIO = {
    "11": 100.5,
    "12": 99.8,
    "13": 100.4,
    "14": 104.3,
    "15": 103.6,
    "16": 103.0,
    "17": 103.6,
    "18": 104.2,
    "19": 106.5,
    "21": 104.0,
    "31": 101.6,
    "32": 102.5,
    "33": 100.8,
    "34": 99.3,
    "35": 99.5,
    "36": 103.4,
    "51": 100.8,
    "52": 99.1,
    "53": 99.7,
    "61": 104.5,
    "62": 106.8,
    "63": 102.6,
    "64": 108.0,
    "65": 110.5,
    "71": 103.6,
    "72": 103.9,
    "73": 97.6,
    "74": 101.0,
    "75": 100.3,
    "76": 101.5,
    "81": 101.5,
    "82": 104.0,
    "91": 109.6,
    "92": 108.5,
    "94": 110.6,
    "95": 109.0,
    "96": 110.0,
    "97": 108.0,
}
BPS_LABELS = {code: name.upper() for code, name, _, _ in PROVINCES} | {
    "19": "KEP. BANGKA BELITUNG",
    "21": "KEP. RIAU",
}
POPULATION_VAR = {
    "val": 1975,
    "label": "Jumlah Penduduk Hasil Proyeksi Menurut Provinsi dan Jenis Kelamin",
    "unit": "Ribu Jiwa",
    "subj": "Kependudukan",
    "def": "Jumlah penduduk pertengahan tahun menurut provinsi dan jenis kelamin",
    "decimal": "1",
    "note": "",
}
TURVAR = [{"val": 1, "label": "Laki-laki"}, {"val": 2, "label": "Perempuan"}, {"val": 3, "label": "Jumlah"}]
NATIONAL = 9999


def _tenths(value: float) -> int:
    return round(value * 10)


def population(year: int) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """Men and women (tenths of thousands) per province and nationally; sums exact."""
    total = _tenths(POPULATION_TOTAL[year])
    ratio = NATIONAL_SEX_RATIO[year]
    men = _tenths(MEN_2020) if ratio is None else round(total * ratio / (100 + ratio))
    weights = {
        code: value * (1 + RELATIVE_GROWTH.get(code, 0.0) / 100) ** (year - 2020)
        for code, value in PROVINCE_BASE_2020.items()
    }
    if year >= 2023:
        weights = {
            part: weights[code] * fraction
            for code in weights
            for part, fraction in PAPUA_SPLIT.get(code, {code: 1.0}).items()
        }
    weights = dict(sorted(weights.items()))
    totals = apportion(weights, total)
    men_expected = {
        code: totals[code] * PROVINCE_SEX_RATIO[code] / (100 + PROVINCE_SEX_RATIO[code]) for code in totals
    }
    men_by_province = apportion(men_expected, men)
    rows = {code: (men_by_province[code], totals[code] - men_by_province[code]) for code in totals}
    return rows, (men, total - men)


def population_answer(year: int) -> dict[str, Any]:
    """The WebAPI `list/model/data` answer for var 1975 and one year."""
    rows, national = population(year)
    tahun = year - 1900
    vervar = [{"val": int(code) * 100, "label": BPS_LABELS[code]} for code in rows]
    vervar.append({"val": NATIONAL, "label": "INDONESIA"})
    content: dict[str, float] = {}
    for entry, (men, women) in zip(vervar, [*rows.values(), national], strict=True):
        for turvar, value in ((1, men), (2, women), (3, men + women)):
            content[f"{entry['val']}{POPULATION_VAR['val']}{turvar}{tahun}0"] = value / 10
    return {
        "status": "OK",
        "data-availability": "available",
        "var": [POPULATION_VAR],
        "turvar": TURVAR,
        "labelvervar": "Provinsi",
        "vervar": vervar,
        "tahun": [{"val": tahun, "label": str(year)}],
        "turtahun": [{"val": 0, "label": "Tahun"}],
        "datacontent": content,
    }


def write_bps(raw_root: Path) -> list[Path]:
    folder = raw_root / "bps"
    folder.mkdir(parents=True, exist_ok=True)
    return [
        _write_json(folder / f"penduduk_1975_{year}.json", population_answer(year))
        for year in POPULATION_TOTAL
    ]


def write_source_samples(raw_root: Path, seed: int = 2023) -> list[Path]:
    """Write the Kemnaker, UNHCR and BPS sample files under `raw_root`; return their paths."""
    raw_root = Path(raw_root)
    return [*write_tka(raw_root, seed), *write_unhcr(raw_root, seed), *write_bps(raw_root)]


# ---------------------------------------------------------------------------------------------
# Reading the files back
# ---------------------------------------------------------------------------------------------


class SampleCheckError(ValueError):
    """A generated file does not give a published figure back."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SampleCheckError(message)


def _expect_counts(actual: pd.Series, expected: dict[str, int], what: str) -> None:
    for key, count in expected.items():
        _expect(
            int(actual.get(key, 0)) == count, f"{what} {key}: {int(actual.get(key, 0))}, published {count}"
        )


def _read_permits(path: Path) -> pd.DataFrame:
    """A permit file as the spec reads it: codes, dates and whether each row is valid on its own."""
    from sdmi_pipeline.reference import codes
    from sdmi_pipeline.reference.countries import countries_to_iso3
    from sdmi_pipeline.reference.normalise import map_labels
    from sdmi_pipeline.reference.provinces import province_names_to_code

    with path.open(encoding="utf-8-sig") as text:
        delimiter = ";" if ";" in text.readline() else ","
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, sep=delimiter, encoding="utf-8-sig")
    _expect(list(raw.columns) == TKA_COLUMNS, f"{path}: columns {list(raw.columns)}")
    province = province_names_to_code(raw["provinsi_kerja"]).fillna(
        map_labels(raw["provinsi_kerja"], codes.ACROSS_PROVINCES_LABELS)
    )
    rows = pd.DataFrame(
        {
            "id": raw["no_notifikasi"],
            "nationality": countries_to_iso3(raw["kewarganegaraan"]),
            "sex": map_labels(raw["jenis_kelamin"], codes.SEX),
            "position": map_labels(raw["jabatan"], codes.TKA_POSITION),
            "sector": raw["sektor"].where(map_labels(raw["sektor"], codes.TKA_SECTOR).notna()),
            "province": province,
            "kbli": raw["kbli"],
            "start": pd.to_datetime(raw["tanggal_mulai"], format="%Y-%m-%d", errors="coerce"),
            "end": pd.to_datetime(raw["tanggal_akhir"], format="%Y-%m-%d", errors="coerce"),
        }
    )
    rows["line"] = rows.index + 2
    rows["problems"] = (
        rows[["nationality", "sex", "position", "sector", "province", "start", "end"]].isna().sum(axis=1)
        + (rows["end"] < rows["start"]).astype(int)
        + rows["id"].duplicated().astype(int)
    )
    return rows


def check_tka(raw_root: Path) -> dict[str, Any]:
    folder = raw_root / "kemnaker" / "tka"
    rows_2022, rows_2023 = _read_permits(folder / "tka_2022.csv"), _read_permits(folder / "tka_2023.csv")
    _expect((rows_2022["problems"] == 0).all(), "tka_2022.csv: a row with a problem")
    _expect((rows_2022["start"].dt.year == 2022).all(), "tka_2022.csv: a permit not starting in 2022")
    bad = rows_2023[rows_2023["problems"] > 0]
    _expect(len(bad) == 4 and (bad["problems"] == 1).all(), f"tka_2023.csv: bad rows {bad['line'].tolist()}")
    _expect(bad.index.min() == len(rows_2023) - 4, "tka_2023.csv: the bad rows are not the last four")
    shared = rows_2023.loc[rows_2023["problems"] == 0, "id"].isin(set(rows_2022["id"]))
    _expect(int(shared.sum()) == 1, f"tka_2023.csv: {int(shared.sum())} permit ids also in tka_2022.csv")
    # tka_2022.csv is read first and keeps the shared id; the 2023 row is the repeat.
    valid = rows_2023[(rows_2023["problems"] == 0) & ~rows_2023["id"].isin(set(rows_2022["id"]))]
    _expect(len(valid) == TKA_2023["total"], f"tka_2023.csv: {len(valid)} valid permits")
    _expect((valid["start"].dt.year == 2023).all(), "tka_2023.csv: a valid permit not starting in 2023")
    _expect_counts(valid["sex"].value_counts(), TKA_2023["sex"], "sex")
    _expect_counts(valid["sector"].value_counts(), TKA_2023["sector"], "sector")
    nationality = valid["nationality"].value_counts()
    _expect_counts(nationality, TKA_2023["nationality"], "nationality")
    smallest = min(TKA_2023["nationality"].values())
    _expect(
        nationality.drop(list(TKA_2023["nationality"])).max() < smallest, "another nationality above Malaysia"
    )
    province = valid["province"].value_counts()
    _expect_counts(province, TKA_2023["province"], "province")
    rest = province.drop(list(TKA_2023["province"]))
    _expect(
        rest.drop(ACROSS_PROVINCES).max() < min(TKA_2023["province"].values()),
        "a province above Maluku Utara",
    )
    _expect(rest.idxmax() == ACROSS_PROVINCES, "Lintas Provinsi is not the largest remaining chunk")
    kbli = valid["kbli"]
    _expect(kbli.eq("").mean() < 0.25 and kbli[kbli != ""].str.fullmatch(r"\d{5}").all(), "kbli codes")
    _expect(valid["start"].dt.month.nunique() == 12, "tka_2023.csv: starts not spread over the months")
    still_valid = int((rows_2022["end"] >= pd.Timestamp("2023-12-31")).sum())
    _expect(still_valid > 0, "tka_2022.csv: no permit still valid at the end of 2023")
    return {
        "tka_2023 valid permits": len(valid),
        "tka_2023 rejected lines": [
            *rows_2023.loc[shared[shared].index, "line"].tolist(),
            *bad["line"].tolist(),
        ],
        "tka_2023 Lintas Provinsi": int(province[ACROSS_PROVINCES]),
        "tka_2022 permits": len(rows_2022),
        "tka_2022 permits valid on 2023-12-31": still_valid,
    }


def _load_pages(path: Path) -> list[dict[str, Any]]:
    answer = json.loads(path.read_text(encoding="utf-8"))
    pages = answer if isinstance(answer, list) else [answer]
    for page in pages:
        _expect(page["total"] == sum(len(p["items"]) for p in pages), f"{path.name}: total")
        _expect(page["maxPages"] == len(pages), f"{path.name}: maxPages")
    return pages


def check_unhcr(raw_root: Path) -> dict[str, Any]:
    folder = raw_root / "unhcr"
    summary: dict[str, Any] = {}
    refugee_share = []
    for year in UNHCR_YEARS:
        path = folder / f"population_coa_IDN_{year}.json"
        answer = json.loads(path.read_text(encoding="utf-8"))
        _expect(isinstance(answer, dict) == (year == 2015), f"{path.name}: a page object only in 2015")
        items = [item for page in _load_pages(path) for item in page["items"]]
        texts = [item for item in items if isinstance(item["refugees"], str)]
        _expect(bool(texts) == (year == 2016), f"{path.name}: counts as text only in 2016")
        _expect(all(item["coa_iso"] == "IDN" and item["coa"] == "INS" for item in items), f"{path.name}: coa")
        refugees = sum(int(item["refugees"]) for item in items)
        hosted = refugees + sum(int(item["asylum_seekers"]) for item in items)
        _expect(
            hosted == REFUGEES_IN_INDONESIA[year],
            f"{path.name}: {hosted}, published {REFUGEES_IN_INDONESIA[year]}",
        )
        afghans = sum(int(i["refugees"]) + int(i["asylum_seekers"]) for i in items if i["coo_iso"] == "AFG")
        _expect(0.45 < afghans / hosted < 0.6, f"{path.name}: Afghans {afghans}")
        refugee_share.append(refugees / hosted)
        summary[f"REF_HOSTED {year}"] = hosted
        coo_items = [
            item for page in _load_pages(folder / f"population_coo_IDN_{year}.json") for item in page["items"]
        ]
        _expect(all(item["coo_iso"] == "IDN" for item in coo_items), f"population_coo_IDN_{year}.json: coo")
        summary[f"refugees from Indonesia {year} (illustrative)"] = sum(
            item["refugees"] for item in coo_items
        )
    _expect(
        all(a < b for a, b in pairwise(refugee_share)),
        "refugee share not growing",
    )

    rows = pd.read_csv(folder / "snapshot_indonesia_2023_07.csv", keep_default_na=False)
    dimensions = ["country_of_origin", "population_type", "sex", "age_group", "location"]
    _expect(
        not rows.duplicated(dimensions).any() and (rows["count"] > 0).all(),
        "snapshot: repeated or empty rows",
    )
    _expect(int(rows["count"].sum()) == SNAPSHOT_2023_07["total"], f"snapshot total {rows['count'].sum()}")
    _expect_counts(
        rows.groupby("country_of_origin")["count"].sum(), SNAPSHOT_2023_07["origin"], "snapshot origin"
    )
    by_type = rows.groupby("population_type")["count"].sum()
    by_sex = rows.groupby("sex")["count"].sum()
    _expect(
        by_type["Refugee"] > 2 * by_type["Asylum-seeker"] and by_sex["Male"] > by_sex["Female"],
        "snapshot mix",
    )
    summary["snapshot 2023-07 total"] = int(rows["count"].sum())
    return summary


def check_bps(raw_root: Path) -> dict[str, Any]:
    summary = {}
    for year, published in POPULATION_TOTAL.items():
        path = raw_root / "bps" / f"penduduk_1975_{year}.json"
        answer = json.loads(path.read_text(encoding="utf-8"))
        ids = {
            name: [entry["val"] for entry in answer[name]]
            for name in ("vervar", "var", "turvar", "tahun", "turtahun")
        }
        _expect(ids["tahun"] == [year - 1900], f"{path.name}: tahun")
        provinces = [val for val in ids["vervar"] if val != NATIONAL]
        _expect(len(provinces) == (38 if year >= 2023 else 34), f"{path.name}: {len(provinces)} provinces")
        keys = {}
        for vervar in ids["vervar"]:
            for var in ids["var"]:
                for turvar in ids["turvar"]:
                    for tahun in ids["tahun"]:
                        for turtahun in ids["turtahun"]:
                            key = f"{vervar}{var}{turvar}{tahun}{turtahun}"
                            _expect(key not in keys, f"{path.name}: two combinations give key {key}")
                            keys[key] = (vervar, turvar)
        _expect(set(keys) == set(answer["datacontent"]), f"{path.name}: datacontent keys")
        value = {keys[key]: _tenths(number) for key, number in answer["datacontent"].items()}
        _expect(
            value[(NATIONAL, 3)] == _tenths(published), f"{path.name}: INDONESIA {value[(NATIONAL, 3)] / 10}"
        )
        for vervar in ids["vervar"]:
            _expect(
                value[(vervar, 1)] + value[(vervar, 2)] == value[(vervar, 3)],
                f"{path.name}: L + P at {vervar}",
            )
        for turvar in (1, 2, 3):
            total = sum(value[(vervar, turvar)] for vervar in provinces)
            _expect(
                total == value[(NATIONAL, turvar)],
                f"{path.name}: provinces do not add up for turvar {turvar}",
            )
        ratio = 100 * value[(NATIONAL, 1)] / value[(NATIONAL, 2)]
        _expect(100.5 < ratio < 102.5, f"{path.name}: sex ratio {ratio:.1f}")
        summary[f"population {year} (thousands)"] = value[(NATIONAL, 3)] / 10
    return summary


def check_source_samples(raw_root: Path) -> dict[str, Any]:
    """Read the sample files back; raise SampleCheckError unless every published figure holds."""
    raw_root = Path(raw_root)
    return check_tka(raw_root) | check_unhcr(raw_root) | check_bps(raw_root)


def write_and_check(
    write: Callable[[Path], list[Path]], check: Callable[[Path], dict[str, Any]], argv: list[str] | None
) -> None:
    """Write a sample into the raw root (first argument, else the default), then read it back."""
    from sdmi_pipeline.paths import default_raw_dir

    args = sys.argv[1:] if argv is None else argv
    raw_root = Path(args[0]) if args else Path(default_raw_dir())
    for path in write(raw_root):
        print(f"{path}  {path.stat().st_size:,} bytes")
    for name, value in check(raw_root).items():
        print(f"{name}: {value}")


def main(argv: list[str] | None = None) -> None:
    """`python -m sdmi_pipeline.samples.sources [raw_root]`: write the files, then check them."""
    write_and_check(write_source_samples, check_source_samples, argv)


if __name__ == "__main__":
    main()
