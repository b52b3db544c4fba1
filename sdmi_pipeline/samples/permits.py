"""Kemnaker foreign worker permit files (spec §2.3), `kemnaker/tka/tka_2022.csv` and `tka_2023.csv`.

`tka_2023.csv` holds Kemnaker's published 2023 margins exactly (sex, the five main nationalities,
sector, the five main provinces): nationality and province are coupled by iterative proportional
fitting with integer rounding that keeps both margins; sector and sex follow by ranking, which
keeps their margins too. Everything else (position, KBLI, dates, the 2022 file) is illustrative.
`check_tka` reads the files back and fails unless the published figures come back exactly.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdmi_pipeline.ingest.readers.kemnaker_permits import SPEC_COLUMNS
from sdmi_pipeline.samples.calibration import apportion, fit_table, top, with_rest
from sdmi_pipeline.samples.files import expect, expect_counts
from sdmi_pipeline.samples.permit_figures import (
    ACROSS_PROVINCES,
    AGRI_NATIONALITY,
    AGRI_PROVINCE,
    INDUSTRY_NATIONALITY,
    INDUSTRY_PROVINCE,
    KBLI,
    KBLI_SHARE,
    MONTH_WEIGHTS,
    NATIONALITY_LABELS,
    NICKEL_PROVINCES,
    OTHER_NATIONALITIES,
    OTHER_PROVINCES,
    POSITION_WEIGHTS,
    POSITIONS,
    PROVINCE_AFFINITY,
    PROVINCE_LABELS,
    SEX_LABELS,
    TKA_2023,
    WESTERN,
)

TKA_COLUMNS = list(SPEC_COLUMNS)
TKA_2022_PERMITS = 111_537  # about the volume Kemnaker reported for 2022
CROSS_FILE_PERMIT = 1_234  # from this 2022 permit on, the first ending in 2023 is renewed under its number


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
    table = fit_table(
        np.outer(nationality_totals, province_totals) * affinity * rng.gamma(8, 1 / 8, affinity.shape),
        nationality_totals,
        province_totals,
    )
    nationality = np.repeat(np.repeat(np.array(nationalities, dtype=object), len(provinces)), table.ravel())
    province = np.repeat(np.tile(np.array(provinces, dtype=object), len(nationalities)), table.ravel())
    order = rng.permutation(total)
    nationality, province = nationality[order], province[order]

    sectors = margins["sector"]
    agri = top(
        np.log(_lookup(nationality, AGRI_NATIONALITY, 0.5) * _lookup(province, AGRI_PROVINCE, 0.5))
        + rng.gumbel(size=total),
        sectors["Pertanian dan Maritim"],
    )
    industry_score = np.log(
        _lookup(nationality, INDUSTRY_NATIONALITY, 0.4) * _lookup(province, INDUSTRY_PROVINCE, 1)
    )
    industry = top(np.where(agri, -np.inf, industry_score + rng.gumbel(size=total)), sectors["Industri"])
    sector = np.where(agri, "Pertanian dan Maritim", np.where(industry, "Industri", "Jasa")).astype(object)

    nickel = np.isin(province, NICKEL_PROVINCES)
    female_score = np.where(sector == "Jasa", 0.8, np.where(industry, -0.3, 0.0))
    female_score += np.where(np.isin(nationality, ["JPN", "KOR", "TWN", "PHL", "THA", *WESTERN]), 0.5, 0.0)
    female_score += np.where(nationality == "CHN", -0.2, 0.0) + np.where(nickel, -0.8, 0.0)
    female_score += np.where(province == "31", 0.5, 0.0) + rng.normal(0, 1, total)
    female = top(female_score, margins["sex"]["F"])

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
        "nationality": with_rest(TKA_2023["nationality"], OTHER_NATIONALITIES, total),
        "sector": TKA_2023["sector"],
        "province": with_rest(TKA_2023["province"], OTHER_PROVINCES, total),
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


def _read_permits(path: Path) -> pd.DataFrame:
    """A permit file as the spec reads it: codes, dates and whether each row is valid on its own."""
    from sdmi_pipeline.reference import codes
    from sdmi_pipeline.reference.countries import countries_to_iso3
    from sdmi_pipeline.reference.normalise import map_labels
    from sdmi_pipeline.reference.provinces import province_names_to_code

    with path.open(encoding="utf-8-sig") as text:
        delimiter = ";" if ";" in text.readline() else ","
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, sep=delimiter, encoding="utf-8-sig")
    expect(list(raw.columns) == TKA_COLUMNS, f"{path}: columns {list(raw.columns)}")
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
    expect((rows_2022["problems"] == 0).all(), "tka_2022.csv: a row with a problem")
    expect((rows_2022["start"].dt.year == 2022).all(), "tka_2022.csv: a permit not starting in 2022")
    bad = rows_2023[rows_2023["problems"] > 0]
    expect(len(bad) == 4 and (bad["problems"] == 1).all(), f"tka_2023.csv: bad rows {bad['line'].tolist()}")
    expect(bad.index.min() == len(rows_2023) - 4, "tka_2023.csv: the bad rows are not the last four")
    shared = rows_2023.loc[rows_2023["problems"] == 0, "id"].isin(set(rows_2022["id"]))
    expect(int(shared.sum()) == 1, f"tka_2023.csv: {int(shared.sum())} permit ids also in tka_2022.csv")
    # tka_2022.csv is read first and keeps the shared id; the 2023 row is the repeat.
    valid = rows_2023[(rows_2023["problems"] == 0) & ~rows_2023["id"].isin(set(rows_2022["id"]))]
    expect(len(valid) == TKA_2023["total"], f"tka_2023.csv: {len(valid)} valid permits")
    expect((valid["start"].dt.year == 2023).all(), "tka_2023.csv: a valid permit not starting in 2023")
    expect_counts(valid["sex"].value_counts(), TKA_2023["sex"], "sex")
    expect_counts(valid["sector"].value_counts(), TKA_2023["sector"], "sector")
    nationality = valid["nationality"].value_counts()
    expect_counts(nationality, TKA_2023["nationality"], "nationality")
    smallest = min(TKA_2023["nationality"].values())
    expect(
        nationality.drop(list(TKA_2023["nationality"])).max() < smallest, "another nationality above Malaysia"
    )
    province = valid["province"].value_counts()
    expect_counts(province, TKA_2023["province"], "province")
    rest = province.drop(list(TKA_2023["province"]))
    expect(
        rest.drop(ACROSS_PROVINCES).max() < min(TKA_2023["province"].values()),
        "a province above Maluku Utara",
    )
    expect(rest.idxmax() == ACROSS_PROVINCES, "Lintas Provinsi is not the largest remaining chunk")
    kbli = valid["kbli"]
    expect(kbli.eq("").mean() < 0.25 and kbli[kbli != ""].str.fullmatch(r"\d{5}").all(), "kbli codes")
    expect(valid["start"].dt.month.nunique() == 12, "tka_2023.csv: starts not spread over the months")
    still_valid = int((rows_2022["end"] >= pd.Timestamp("2023-12-31")).sum())
    expect(still_valid > 0, "tka_2022.csv: no permit still valid at the end of 2023")
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
