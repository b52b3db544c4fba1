"""UNHCR refugee population files (spec §2.4) under `unhcr/`.

- `population_coa_IDN_YYYY.json` (2015-2020): refugees and asylum-seekers in Indonesia by
  origin; the yearly totals are UNHCR's published end-year figures, the split is illustrative.
- `population_coo_IDN_YYYY.json` (2015-2020): refugees from Indonesia by country of asylum,
  illustrative.
- `snapshot_indonesia_2023_07.csv`: the country office's snapshot; the total and the three
  main origins are the July 2023 fact sheet's, the breakdown is illustrative.

`check_unhcr` reads the files back and fails unless the published figures come back exactly.
"""

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdmi_pipeline.samples.calibration import apportion, with_rest
from sdmi_pipeline.samples.files import expect, expect_counts, write_json

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
        written.append(write_json(folder / f"population_coa_IDN_{year}.json", answer))
    for year in UNHCR_YEARS:
        written.append(
            write_json(
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
    origins = with_rest(main, SNAPSHOT_OTHER_ORIGINS, SNAPSHOT_2023_07["total"])
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


def _load_pages(path: Path) -> list[dict[str, Any]]:
    answer = json.loads(path.read_text(encoding="utf-8"))
    pages = answer if isinstance(answer, list) else [answer]
    for page in pages:
        expect(page["total"] == sum(len(p["items"]) for p in pages), f"{path.name}: total")
        expect(page["maxPages"] == len(pages), f"{path.name}: maxPages")
    return pages


def check_unhcr(raw_root: Path) -> dict[str, Any]:
    folder = raw_root / "unhcr"
    summary: dict[str, Any] = {}
    refugee_share = []
    for year in UNHCR_YEARS:
        path = folder / f"population_coa_IDN_{year}.json"
        answer = json.loads(path.read_text(encoding="utf-8"))
        expect(isinstance(answer, dict) == (year == 2015), f"{path.name}: a page object only in 2015")
        items = [item for page in _load_pages(path) for item in page["items"]]
        texts = [item for item in items if isinstance(item["refugees"], str)]
        expect(bool(texts) == (year == 2016), f"{path.name}: counts as text only in 2016")
        expect(all(item["coa_iso"] == "IDN" and item["coa"] == "INS" for item in items), f"{path.name}: coa")
        refugees = sum(int(item["refugees"]) for item in items)
        hosted = refugees + sum(int(item["asylum_seekers"]) for item in items)
        expect(
            hosted == REFUGEES_IN_INDONESIA[year],
            f"{path.name}: {hosted}, published {REFUGEES_IN_INDONESIA[year]}",
        )
        afghans = sum(int(i["refugees"]) + int(i["asylum_seekers"]) for i in items if i["coo_iso"] == "AFG")
        expect(0.45 < afghans / hosted < 0.6, f"{path.name}: Afghans {afghans}")
        refugee_share.append(refugees / hosted)
        summary[f"REF_HOSTED {year}"] = hosted
        coo_items = [
            item for page in _load_pages(folder / f"population_coo_IDN_{year}.json") for item in page["items"]
        ]
        expect(all(item["coo_iso"] == "IDN" for item in coo_items), f"population_coo_IDN_{year}.json: coo")
        summary[f"refugees from Indonesia {year} (illustrative)"] = sum(
            item["refugees"] for item in coo_items
        )
    expect(
        all(a < b for a, b in pairwise(refugee_share)),
        "refugee share not growing",
    )

    rows = pd.read_csv(folder / "snapshot_indonesia_2023_07.csv", keep_default_na=False)
    dimensions = ["country_of_origin", "population_type", "sex", "age_group", "location"]
    expect(
        not rows.duplicated(dimensions).any() and (rows["count"] > 0).all(),
        "snapshot: repeated or empty rows",
    )
    expect(int(rows["count"].sum()) == SNAPSHOT_2023_07["total"], f"snapshot total {rows['count'].sum()}")
    expect_counts(
        rows.groupby("country_of_origin")["count"].sum(), SNAPSHOT_2023_07["origin"], "snapshot origin"
    )
    by_type = rows.groupby("population_type")["count"].sum()
    by_sex = rows.groupby("sex")["count"].sum()
    expect(
        by_type["Refugee"] > 2 * by_type["Asylum-seeker"] and by_sex["Male"] > by_sex["Female"],
        "snapshot mix",
    )
    summary["snapshot 2023-07 total"] = int(rows["count"].sum())
    return summary
