"""Sample KP2MI published monthly tables for 2022 (spec §2.2), calibrated to KP2MI's published figures.

Five workbooks, `kp2mi/publikasi/penempatan_menurut_<negara|provinsi|jenis_kelamin|sektor|skema>_2022.xlsx`,
laid out as KP2MI prints them (title rows, a `Jumlah` / `Total` row, Indonesian number format,
`-` for nil, a note under the table, a `Catatan` sheet in one of them) and in the variants of the
spec (month names in Indonesian, short, English, as dates; a table without its total column).

What is published and what is calibrated (see data/raw/README.md):

- Published (BP2MI's 2022 figures as reported in its releases): 200,761 placements; by
  destination Hong Kong 60,096, Taiwan 53,459, Malaysia 43,163, South Korea 11,554, Singapore
  6,624, Japan 5,832, Brunei Darussalam 513; by province Jawa Timur 51,348, Jawa Tengah 47,480,
  Jawa Barat 33,285, Nusa Tenggara Barat 22,790, Lampung 14,052; formal 115,944 and informal
  84,817 (January-June 32,104 and 30,083); G to G 11,445, perseorangan (Mandiri) 14,079, UKPS
  114; the months February 5,658, August 21,018, September 21,739 and October 24,088, January-June
  62,187 and January-October 146,955 (so July is 17,923); in August, September and October the
  five main destinations, and in October the five main provinces and the split by sex.
- Calibrated: the other months, countries and provinces, the split by sex outside October
  (about 60% women), P to P (the remainder: the four published schemes add up to 189,337), and
  every other cell. Cells come from iterative proportional fitting with integer rounding
  (`calibration.fit_table`) that keeps the annual and monthly totals and the published cells.

`check_published_samples` reads the files back with the pipeline's reader and raises
SampleCheckError unless every published figure comes back exactly. The same code writes the same
bytes.
"""

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from sdmi_pipeline.ingest.readers.kp2mi_published import read_published_table
from sdmi_pipeline.ingest.sample_marker import mark
from sdmi_pipeline.samples.calibration import apportion, fit_table
from sdmi_pipeline.samples.files import expect, write_and_check

YEAR = 2022
TOTAL = 200_761
MONTHS = range(1, 13)

# Monthly totals: February, August, September and October are published; July follows from the
# published January-June and January-October totals; the others are calibrated.
PUBLISHED_MONTHS = {2: 5_658, 8: 21_018, 9: 21_739, 10: 24_088}
FIRST_HALF, JANUARY_TO_OCTOBER = 62_187, 146_955
MONTH_TOTALS = {
    1: 7_012,
    2: 5_658,
    3: 8_347,
    4: 9_115,
    5: 13_120,
    6: 18_935,
    7: 17_923,
    8: 21_018,
    9: 21_739,
    10: 24_088,
    11: 26_117,
    12: 27_689,
}

DESTINATIONS_PUBLISHED = {
    "HKG": 60_096,
    "TWN": 53_459,
    "MYS": 43_163,
    "KOR": 11_554,
    "SGP": 6_624,
    "JPN": 5_832,
    "BRN": 513,
}
DESTINATIONS_CALIBRATED = {
    "SAU": 4_100,
    "ITA": 2_900,
    "TUR": 2_100,
    "POL": 1_600,
    "GBR": 1_500,
    "ARE": 1_100,
    "QAT": 800,
    "KWT": 600,
}
REST_OF_WORLD = "_O"
DESTINATION_CELLS = {  # published monthly figures of the five main destinations
    8: {"HKG": 6_165, "MYS": 6_038, "TWN": 4_139, "KOR": 1_771, "SGP": 690},
    9: {"MYS": 6_847, "HKG": 5_839, "TWN": 4_498, "KOR": 1_551, "SGP": 644},
    10: {"MYS": 7_094, "HKG": 6_448, "TWN": 6_055, "KOR": 1_806, "SAU": 570},
}
# Malaysia reopened to new placements in 2022: few in the first half.
LATE_START = {"MYS": [0.1, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 1, 1, 1, 1.2, 1.2]}
DESTINATION_LABELS = {
    "HKG": "Hongkong",
    "TWN": "Taiwan",
    "MYS": "Malaysia",
    "KOR": "Korea Selatan",
    "SGP": "Singapura",
    "JPN": "Jepang",
    "SAU": "Arab Saudi",
    "ITA": "Italia",
    "TUR": "Turki",
    "POL": "Polandia",
    "GBR": "Inggris",
    "ARE": "Uni Emirat Arab",
    "QAT": "Qatar",
    "KWT": "Kuwait",
    "BRN": "Brunei Darussalam",
    REST_OF_WORLD: "Negara Lainnya",
}

PROVINCES_PUBLISHED = {"35": 51_348, "33": 47_480, "32": 33_285, "52": 22_790, "18": 14_052}
# The other 29 provinces of 2022 (before Papua was split) share the rest by these weights.
PROVINCE_WEIGHTS = {
    "12": 9_500, "51": 6_800, "36": 2_300, "16": 1_500, "73": 1_500, "53": 1_300, "61": 1_100,
    "34": 1_000, "31": 950, "13": 900, "14": 800, "21": 700, "11": 600, "15": 550, "17": 500,
    "71": 450, "19": 400, "63": 350, "64": 300, "62": 250, "72": 200, "74": 150, "76": 120, "81": 90,
    "65": 70, "75": 30, "82": 20, "94": 15, "91": 12,
}  # fmt: skip
PROVINCE_CELLS = {10: {"35": 5_757, "33": 5_220, "52": 3_905, "32": 3_744, "12": 1_873}}
PROVINCE_LABELS = {  # as the table prints them, 2022 order of BPS codes
    "11": "ACEH", "12": "SUMATERA UTARA", "13": "SUMATERA BARAT", "14": "RIAU", "15": "JAMBI",
    "16": "SUMATERA SELATAN", "17": "BENGKULU", "18": "LAMPUNG", "19": "KEP. BANGKA BELITUNG",
    "21": "KEP. RIAU", "31": "DKI JAKARTA", "32": "JAWA BARAT", "33": "JAWA TENGAH",
    "34": "D.I. YOGYAKARTA", "35": "JAWA TIMUR", "36": "BANTEN", "51": "BALI", "52": "NUSA TENGGARA BARAT",
    "53": "NUSA TENGGARA TIMUR", "61": "KALIMANTAN BARAT", "62": "KALIMANTAN TENGAH",
    "63": "KALIMANTAN SELATAN", "64": "KALIMANTAN TIMUR", "65": "KALIMANTAN UTARA",
    "71": "SULAWESI UTARA", "72": "SULAWESI TENGAH", "73": "SULAWESI SELATAN", "74": "SULAWESI TENGGARA",
    "75": "GORONTALO", "76": "SULAWESI BARAT", "81": "MALUKU", "82": "MALUKU UTARA", "91": "PAPUA BARAT",
    "94": "PAPUA",
}  # fmt: skip

SEX = {"M": 80_304, "F": 120_457}  # calibrated: about 60% women
SEX_CELLS = {10: {"F": 14_238, "M": 9_850}}
SEX_LABELS = {"M": "Laki-laki", "F": "Perempuan"}

SECTOR = {"FORMAL": 115_944, "INFORMAL": 84_817}
SECTOR_FIRST_HALF = {"FORMAL": 32_104, "INFORMAL": 30_083}
SECTOR_LABELS = {"FORMAL": "Formal", "INFORMAL": "Informal"}

SCHEME_PUBLISHED = {"G2G": 11_445, "MANDIRI": 14_079, "UKPS": 114}
SCHEME = {"P2P": TOTAL - sum(SCHEME_PUBLISHED.values())} | SCHEME_PUBLISHED
SCHEME_LABELS = {"P2P": "P to P", "G2G": "G to G", "MANDIRI": "Perseorangan", "UKPS": "UKPS"}

MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember"]  # fmt: skip
SHORT_NAMES = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des"]
ENGLISH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]  # fmt: skip
TITLE = "DATA PENEMPATAN PEKERJA MIGRAN INDONESIA"
PERIOD = f"Periode Januari - Desember {YEAR}"
NOTE = (
    "Sumber: Pusat Data dan Informasi KP2MI. Data sampel SDMI: angka terbitan KP2MI dan angka "
    "kalibrasi (lihat data/raw/README.md)."
)
FIXED_TIME = (2023, 3, 1, 0, 0, 0)  # every zip entry and the document properties: same code, same bytes


def monthly_table(
    annual: dict[str, int], cells: dict[int, dict[str, int]] | None = None, profiles: dict | None = None
) -> dict[str, list[int]]:
    """Code → 12 monthly counts that sum to `annual` and, each month, to MONTH_TOTALS, keeping `cells`."""
    codes = list(annual)
    fixed = np.zeros((len(codes), 12), dtype=int)
    for month, published in (cells or {}).items():
        for code, count in published.items():
            fixed[codes.index(code), month - 1] = count
    shares = np.array([annual[code] for code in codes], dtype=float) / TOTAL
    months = np.array([MONTH_TOTALS[month] for month in MONTHS], dtype=float)
    seed = np.outer(shares, months)
    for code, profile in (profiles or {}).items():
        seed[codes.index(code)] *= profile
    seed = np.where(fixed > 0, 0.0, seed + 1e-6)  # a published cell takes no share of the rest
    rows = np.array([annual[code] for code in codes]) - fixed.sum(axis=1)
    columns = months.astype(int) - fixed.sum(axis=0)
    free_rows, free_columns = rows > 0, columns > 0  # a month whose every cell is published is done
    fitted = fixed.copy()
    fitted[np.ix_(free_rows, free_columns)] += fit_table(
        seed[np.ix_(free_rows, free_columns)], rows[free_rows], columns[free_columns]
    )
    return {code: fitted[index].tolist() for index, code in enumerate(codes)}


def by_destination() -> dict[str, list[int]]:
    listed = DESTINATIONS_PUBLISHED | DESTINATIONS_CALIBRATED
    annual = listed | {REST_OF_WORLD: TOTAL - sum(listed.values())}
    return monthly_table(annual, DESTINATION_CELLS, LATE_START)


def by_province() -> dict[str, list[int]]:
    rest = apportion(PROVINCE_WEIGHTS, TOTAL - sum(PROVINCES_PUBLISHED.values()))
    table = monthly_table(PROVINCES_PUBLISHED | rest, PROVINCE_CELLS)
    return {code: table[code] for code in PROVINCE_LABELS}


def by_sector() -> dict[str, list[int]]:
    """Fitted half-year by half-year: the January-June split is published."""
    halves = []
    for months, annual in (
        (range(1, 7), SECTOR_FIRST_HALF),
        (range(7, 13), {code: SECTOR[code] - SECTOR_FIRST_HALF[code] for code in SECTOR}),
    ):
        seed = np.outer(np.array(list(annual.values()), dtype=float), [MONTH_TOTALS[m] for m in months])
        columns = np.array([MONTH_TOTALS[m] for m in months])
        halves.append(fit_table(seed, np.array(list(annual.values())), columns))
    fitted = np.hstack(halves)
    return {code: fitted[index].tolist() for index, code in enumerate(SECTOR)}


def _indonesian(count: int) -> str:
    """A count as KP2MI prints it: `.` groups thousands, `-` for nil."""
    return "-" if count == 0 else f"{count:,}".replace(",", ".")


def _sheet(
    workbook: openpyxl.Workbook,
    title: str,
    header: list,
    rows: list[tuple[str, list[int]]],
    as_text: bool = True,
    total_column: str | None = "Jumlah",
    closing: str = "Jumlah",
) -> None:
    """One printed table: titles, header at row 5, numbered rows, the closing row and a note."""
    sheet = workbook.create_sheet(title)
    number = _indonesian if as_text else (lambda count: count)
    for line in (TITLE, f"BERDASARKAN {header[1].upper()}", PERIOD, None):
        sheet.append([line])
    sheet.append(["No", *header[1:], *([total_column] if total_column else [])])
    totals = [sum(column) for column in zip(*(counts for _, counts in rows), strict=True)]
    for index, (label, counts) in enumerate(rows, start=1):
        sheet.append([index, label, *map(number, counts), *([number(sum(counts))] if total_column else [])])
    sheet.append([None, closing, *map(number, totals), *([number(sum(totals))] if total_column else [])])
    sheet.append([])
    sheet.append([NOTE])


def _reproducible(workbook: openpyxl.Workbook) -> bytes:
    """The workbook's .xlsx bytes with fixed times, so that the same tables give the same file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = datetime(*FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    output = io.BytesIO()
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as fixed:
        for entry in original.infolist():
            content = original.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content
                )
            fixed.writestr(zipfile.ZipInfo(entry.filename, FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _workbook() -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbooks() -> dict[str, bytes]:
    """File name → .xlsx bytes of the five 2022 tables, each in a variant of spec §2.2."""
    files = {}
    destination = by_destination()
    book = _workbook()
    rows = [(DESTINATION_LABELS[code], counts) for code, counts in destination.items()]
    _sheet(book, "Negara", ["No", "Negara Penempatan", *MONTH_NAMES], rows)
    files["negara"] = book

    book = _workbook()
    rows = [(PROVINCE_LABELS[code], counts) for code, counts in by_province().items()]
    _sheet(book, "Provinsi", ["No", "Provinsi Asal", *SHORT_NAMES], rows)
    notes = book.create_sheet("Catatan")
    for line in ("Catatan:", "1. Provinsi asal menurut KTP pekerja migran.", "2. Tanda - berarti nihil."):
        notes.append([line])
    files["provinsi"] = book

    book = _workbook()
    sex = monthly_table(SEX, SEX_CELLS)
    rows = [(SEX_LABELS[code], sex[code]) for code in ("M", "F")]
    _sheet(book, "Sheet1", ["No", "Jenis Kelamin", *ENGLISH_NAMES], rows, as_text=False, total_column="Total",
           closing="TOTAL")  # fmt: skip
    files["jenis_kelamin"] = book

    book = _workbook()
    rows = [(SECTOR_LABELS[code], counts) for code, counts in by_sector().items()]
    months = [datetime(YEAR, month, 1) for month in MONTHS]  # month headers Excel turned into dates
    _sheet(book, "Sektor", ["No", "Sektor", *months], rows, as_text=False, total_column=None)
    for cell in book["Sektor"][5][2:]:
        cell.number_format = "mmm-yy"
    files["sektor"] = book

    book = _workbook()
    scheme = monthly_table(SCHEME)
    rows = [(SCHEME_LABELS[code], scheme[code]) for code in SCHEME]
    _sheet(book, "Skema", ["No", "Skema Penempatan", *(f"{name}-22" for name in SHORT_NAMES)], rows)
    files["skema"] = book
    return {f"penempatan_menurut_{name}_{YEAR}.xlsx": _reproducible(book) for name, book in files.items()}


def write_published_samples(raw_root: Path) -> list[Path]:
    """Write the five tables under `raw_root`/kp2mi/publikasi; return their paths."""
    folder = Path(raw_root) / "kp2mi" / "publikasi"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in workbooks().items():
        (folder / name).write_bytes(content)
        paths.append(folder / name)
    note = "KP2MI 2022 monthly tables generated from published and calibrated figures, not KP2MI's workbooks"
    return mark(paths, "sdmi_pipeline.samples.published", note, 1.0)


# ---------------------------------------------------------------------------------------------
# Reading the files back
# ---------------------------------------------------------------------------------------------


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"penempatan_menurut_{name}_{YEAR}.xlsx"
    read = read_published_table(path)
    expect(read.issues.empty, f"{path.name}: rows with issues {read.issues['line'].tolist()}")
    return read.rows


def _annual(rows: pd.DataFrame) -> dict[str, int]:
    return {code: int(count) for code, count in rows.groupby("code")["count"].sum().items()}


def _month(rows: pd.DataFrame, month: int) -> dict[str, int]:
    chosen = rows[rows["month"] == f"{YEAR}-{month:02d}"]
    return {code: int(count) for code, count in zip(chosen["code"], chosen["count"], strict=True)}


def _expect_figures(found: dict[str, int], published: dict[str, int], what: str) -> None:
    for code, count in published.items():
        expect(found.get(code) == count, f"{what} {code}: {found.get(code)}, published {count}")


def check_published_samples(raw_root: Path) -> dict[str, Any]:
    """Read the tables back; raise SampleCheckError unless every published figure holds."""
    folder = Path(raw_root) / "kp2mi" / "publikasi"
    tables = {
        name: _read(folder, name) for name in ("negara", "provinsi", "jenis_kelamin", "sektor", "skema")
    }
    for name, rows in tables.items():
        expect(_annual(rows)["_T"] == TOTAL, f"{name}: total {_annual(rows)['_T']}")
        for month, total in MONTH_TOTALS.items():
            expect(_month(rows, month)["_T"] == total, f"{name}: month {month} total")
    expect(sum(MONTH_TOTALS[month] for month in range(1, 7)) == FIRST_HALF, "January-June")
    expect(sum(MONTH_TOTALS[month] for month in range(1, 11)) == JANUARY_TO_OCTOBER, "January-October")
    expect(sum(MONTH_TOTALS.values()) == TOTAL, "the months do not add up to the year")
    _expect_figures(_annual(tables["negara"]), DESTINATIONS_PUBLISHED, "destination")
    _expect_figures(_annual(tables["provinsi"]), PROVINCES_PUBLISHED, "province")
    _expect_figures(_annual(tables["sektor"]), SECTOR, "sector")
    _expect_figures(_annual(tables["skema"]), SCHEME_PUBLISHED, "scheme")
    first_half = tables["sektor"][tables["sektor"]["month"] <= f"{YEAR}-06"]
    _expect_figures(_annual(first_half), SECTOR_FIRST_HALF, "sector January-June")
    for name, cells in (
        ("negara", DESTINATION_CELLS),
        ("provinsi", PROVINCE_CELLS),
        ("jenis_kelamin", SEX_CELLS),
    ):
        for month, published in cells.items():
            _expect_figures(_month(tables[name], month), published, f"{name} month {month}")
    for month, published in PUBLISHED_MONTHS.items():
        expect(MONTH_TOTALS[month] == published, f"month {month}")
    destinations = _annual(tables["negara"])
    top = sorted((code for code in destinations if code not in ("_T", REST_OF_WORLD)), key=destinations.get)
    expect(top[-3:] == ["MYS", "TWN", "HKG"], f"top destinations {top[-3:]}")
    return {
        "placements 2022": TOTAL,
        "women 2022 (calibrated)": _annual(tables["jenis_kelamin"])["F"],
        "rest of the world (Negara Lainnya)": destinations[REST_OF_WORLD],
        "nil cells printed -": int(sum((rows["count"] == 0).sum() for rows in tables.values())),
    }


def main(argv: list[str] | None = None) -> None:
    """`python -m sdmi_pipeline.samples.published [raw_root]`: write the tables, then check them."""
    write_and_check(write_published_samples, check_published_samples, argv)


if __name__ == "__main__":
    main()
