"""BPS population by province and sex (spec §2.5), `bps/penduduk_1975_YYYY.json` (2015-2020, 2023).

The national totals are BPS's published figures; the province and sex splits are approximations
calibrated to them. `check_bps` reads the files back and fails unless the totals come back exactly.
"""

import json
from pathlib import Path
from typing import Any

from sdmi_pipeline.reference.provinces import PROVINCES
from sdmi_pipeline.samples.calibration import apportion
from sdmi_pipeline.samples.files import expect, write_json

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
        write_json(folder / f"penduduk_1975_{year}.json", population_answer(year))
        for year in POPULATION_TOTAL
    ]


def check_bps(raw_root: Path) -> dict[str, Any]:
    summary = {}
    for year, published in POPULATION_TOTAL.items():
        path = raw_root / "bps" / f"penduduk_1975_{year}.json"
        answer = json.loads(path.read_text(encoding="utf-8"))
        ids = {
            name: [entry["val"] for entry in answer[name]]
            for name in ("vervar", "var", "turvar", "tahun", "turtahun")
        }
        expect(ids["tahun"] == [year - 1900], f"{path.name}: tahun")
        provinces = [val for val in ids["vervar"] if val != NATIONAL]
        expect(len(provinces) == (38 if year >= 2023 else 34), f"{path.name}: {len(provinces)} provinces")
        keys = {}
        for vervar in ids["vervar"]:
            for var in ids["var"]:
                for turvar in ids["turvar"]:
                    for tahun in ids["tahun"]:
                        for turtahun in ids["turtahun"]:
                            key = f"{vervar}{var}{turvar}{tahun}{turtahun}"
                            expect(key not in keys, f"{path.name}: two combinations give key {key}")
                            keys[key] = (vervar, turvar)
        expect(set(keys) == set(answer["datacontent"]), f"{path.name}: datacontent keys")
        value = {keys[key]: _tenths(number) for key, number in answer["datacontent"].items()}
        expect(
            value[(NATIONAL, 3)] == _tenths(published), f"{path.name}: INDONESIA {value[(NATIONAL, 3)] / 10}"
        )
        for vervar in ids["vervar"]:
            expect(
                value[(vervar, 1)] + value[(vervar, 2)] == value[(vervar, 3)],
                f"{path.name}: L + P at {vervar}",
            )
        for turvar in (1, 2, 3):
            total = sum(value[(vervar, turvar)] for vervar in provinces)
            expect(
                total == value[(NATIONAL, turvar)],
                f"{path.name}: provinces do not add up for turvar {turvar}",
            )
        ratio = 100 * value[(NATIONAL, 1)] / value[(NATIONAL, 2)]
        expect(100.5 < ratio < 102.5, f"{path.name}: sex ratio {ratio:.1f}")
        summary[f"population {year} (thousands)"] = value[(NATIONAL, 3)] / 10
    return summary
