"""indicators.figures: a figure's status and comparison, computed once in the warehouse, and every
page, file and view of a release saying the same of it.

The rules are checked on hand-made observations; the shipped sample's TKA_STOCK 2023 and
PMI_PLACED 2023 are then followed through the warehouse, the report view, the portal, SDMX, Open SDG
and the workbook of one real `sdmi export`.
"""

import csv
import json
import re
from html import unescape
from pathlib import Path

import duckdb
import pytest
import yaml
from python_calamine import CalamineWorkbook

from sdmi_pipeline.paths import SQL_ASSETS_DIR
from sdmi_pipeline.reference.code_lists import code_table
from tests.conftest import query
from tests.test_export_outputs import sheet_table, workbook_path

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

pytest_plugins = ["tests.export_fixtures"]

DIMENSIONS = ("counterpart_area", "sex", "age", "province", "education", "sector", "occupation", "scheme",
              "population_type", "location")  # fmt: skip
BREAK_EN = "Series break: the source or method changed (e.g. printed tables to record-level files)"
BREAK_ID = "Patahan seri: sumber atau metode berubah (mis. tabel cetak ke berkas tingkat catatan)"
LOWER_EN = "The year before is a lower bound (permits issued earlier missing)"
LOWER_ID = "Tahun sebelumnya adalah batas bawah (izin yang terbit lebih awal tidak tercakup)"


def figures_of(rows: list[tuple], units: dict[str, str]) -> dict[tuple[str, str, str], tuple]:
    """indicators.figures built from `rows` (indicator, freq, period, value, status, source) at the total."""
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA reference; CREATE SCHEMA indicators; CREATE SCHEMA meta")
    connection.execute(
        "CREATE TABLE meta.raw_files (source VARCHAR, is_current BOOLEAN, illustrative VARCHAR)"
    )
    connection.register("codes", code_table())
    connection.execute("CREATE TABLE reference.codes AS SELECT * FROM codes")
    connection.execute("CREATE TABLE indicators.catalogue (indicator_id VARCHAR, unit VARCHAR)")
    connection.executemany("INSERT INTO indicators.catalogue VALUES (?, ?)", list(units.items()))
    dimensions = ", ".join(f"'_T' AS {d}" for d in DIMENSIONS)
    connection.execute(
        "CREATE TABLE given (indicator_id VARCHAR, freq VARCHAR, time_period VARCHAR, value DOUBLE, "
        "obs_status VARCHAR, source VARCHAR)"
    )
    connection.executemany("INSERT INTO given VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.execute(
        f"""CREATE TABLE indicators.observations AS
            SELECT indicator_id, freq, time_period, 'IDN' AS ref_area, {dimensions}, value, obs_status, source
            FROM given"""
    )
    sql = (SQL_ASSETS_DIR / "indicators" / "figures.sql").read_text(encoding="utf-8")
    found = connection.execute(
        f"""SELECT indicator_id, freq, time_period, period_label_en, comparison, comparison_reason,
                   previous_period_label_en, previous_value, change, series_break, lower_bound
            FROM ({sql})"""
    ).fetchall()
    return {row[:3]: row[3:] for row in found}


def test_like_is_compared_with_like_and_nothing_else():
    months = [("FLOW", "M", f"2022-{m:02d}", 10.0 * m, "A", "S") for m in range(1, 13)]
    rows = [
        *months,
        ("FLOW", "A", "2022", 780.0, "A", "S"),
        ("FLOW", "M", "2023-01", 11.0, "A", "S"),
        ("FLOW", "M", "2023-02", 22.0, "A", "S"),
        ("FLOW", "A", "2023", 33.0, "P", "S"),
        # a stock's year to date is set against the same last month a year before
        *[("REF_HOSTED", freq, period, value, status, "S") for (_, freq, period, value, status, _) in months],
        ("REF_HOSTED", "M", "2023-01", 12.0, "A", "S"),
        ("REF_HOSTED", "M", "2023-02", 25.0, "A", "S"),
        ("REF_HOSTED", "A", "2023", 25.0, "P", "S"),
        # the same months, but another source: a series break
        *[("BROKEN", "M", p, v, s, "Printed") for (_, _, p, v, s, _) in months],
        ("BROKEN", "M", "2023-01", 1.0, "A", "S"),
        ("BROKEN", "A", "2023", 1.0, "P", "S"),
        # a stock counted from permits, in the first year delivered: a lower bound
        ("TKA_STOCK", "A", "2022", 10.0, "P", "S"),
        ("TKA_STOCK", "A", "2023", 100.0, "A", "S"),
        ("RATE", "A", "2022", 50.0, "A", "S"),
        ("RATE", "M", "2023-01", 55.0, "A", "S"),
        ("RATE", "A", "2023", 55.0, "P", "S"),
        ("QUARTERLY", "Q", "2021-Q4", 4.0, "A", "S"),
        ("QUARTERLY", "Q", "2022-Q4", 5.0, "A", "S"),
    ]
    units = {"FLOW": "persons", "REF_HOSTED": "persons", "BROKEN": "persons", "TKA_STOCK": "persons",
             "RATE": "percent", "QUARTERLY": "USD million"}  # fmt: skip
    figures = figures_of(rows, units)
    assert figures[("FLOW", "A", "2023")] == (
        "January–February 2023", "SAME_MONTHS", None, "January–February 2022", 30.0, 3.0, False, False
    )  # fmt: skip
    assert figures[("FLOW", "A", "2022")][1:3] == ("NONE", "NO_PREVIOUS")
    assert figures[("REF_HOSTED", "A", "2023")][1:5] == ("SAME_MONTHS", None, "January–February 2022", 20.0)
    assert figures[("BROKEN", "A", "2023")][1:3] == ("NONE", "SERIES_BREAK")
    assert figures[("BROKEN", "M", "2023-01")][1:3] == ("NONE", "SERIES_BREAK")
    assert figures[("BROKEN", "M", "2023-01")][-2] is True  # the first period of the new source
    assert figures[("TKA_STOCK", "A", "2022")][1:3] == ("NONE", "LOWER_BOUND")
    assert figures[("TKA_STOCK", "A", "2022")][-1] is True
    assert figures[("TKA_STOCK", "A", "2023")][1:3] == ("NONE", "PREVIOUS_LOWER_BOUND")
    assert figures[("RATE", "A", "2023")][:3] == ("January 2023", "NONE", "RATE_YEAR_TO_DATE")
    assert figures[("QUARTERLY", "Q", "2022-Q4")][:6] == ("Q4 2022", "SAME_PERIOD", None, "Q4 2021", 4.0, 1.0)
    # a gap in the year before: no same months to compare with
    gap = figures_of([r for r in rows if r[:3] != ("FLOW", "M", "2022-01")], units)
    assert gap[("FLOW", "A", "2023")][1:3] == ("NONE", "NO_SAME_MONTHS")


def front_matter(path: Path) -> dict:
    """The YAML front matter of an Open SDG metadata file."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def _card(page: Path, indicator: str) -> str:
    html = page.read_text(encoding="utf-8")
    match = re.search(rf'data-indicator="{indicator}".*?</li>', html, re.S)
    assert match, indicator
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(0))))


def test_every_page_file_and_view_says_the_same_of_a_figure(shipped_warehouse: Path, release: Path):
    # The warehouse: computed once.
    assert query(
        shipped_warehouse,
        """SELECT indicator_id, value, obs_status, period_label_en, comparison, comparison_reason, change,
                  lower_bound, series_break
           FROM indicators.figures WHERE freq = 'A' AND time_period = '2023'
             AND indicator_id IN ('TKA_STOCK', 'PMI_PLACED') ORDER BY 1""",
    ) == [
        ("PMI_PLACED", 83_864.0, "P", "January–April 2023", "NONE", "SERIES_BREAK", None, False, True),
        ("TKA_STOCK", 176822.0, "A", "2023", "NONE", "PREVIOUS_LOWER_BOUND", None, False, False),
    ]
    assert query(
        shipped_warehouse,
        "SELECT obs_status, comparison, comparison_reason FROM indicators.figures "
        "WHERE indicator_id = 'TKA_STOCK' AND freq = 'A' AND time_period = '2022'",
    ) == [("P", "NONE", "LOWER_BOUND")]
    # The views: gcm_progress and report.gcm_progress.
    assert set(
        query(
            shipped_warehouse,
            """SELECT indicator_id, latest_obs_status, latest_period_label_en, comparison,
                      comparison_reason, change
               FROM indicators.gcm_progress WHERE indicator_id IN ('TKA_STOCK', 'PMI_PLACED')""",
        )
    ) == {
        ("PMI_PLACED", "P", "January–April 2023", "NONE", "SERIES_BREAK", None),
        ("TKA_STOCK", "A", "2023", "NONE", "PREVIOUS_LOWER_BOUND", None),
    }
    assert set(
        query(
            shipped_warehouse,
            """SELECT indicator, latest_period_label_id, comparison, comparison_reason_label_id
               FROM report.gcm_progress WHERE indicator IN ('TKA_STOCK', 'PMI_PLACED')""",
        )
    ) == {("PMI_PLACED", "Januari–April 2023", "NONE", BREAK_ID), ("TKA_STOCK", "2023", "NONE", LOWER_ID)}
    # The portal: home cards, indicator pages and the GCM page, in both languages.
    site = release / "site"
    for folder, placed, stock in (("", ("Januari–April 2023", BREAK_ID), ("2023", LOWER_ID)),
                                  ("en/", ("January–April 2023", BREAK_EN), ("2023", LOWER_EN))):  # fmt: skip
        home = site / folder / "index.html"
        assert all(part in _card(home, "PMI_PLACED") for part in placed)
        assert all(part in _card(home, "TKA_STOCK") for part in stock)
        assert "sementara" not in _card(home, "TKA_STOCK") and "provisional" not in _card(home, "TKA_STOCK")
        assert "%" not in _card(home, "TKA_STOCK") and "%" not in _card(home, "PMI_PLACED")
        for indicator, said in (("PMI_PLACED", placed), ("TKA_STOCK", stock)):
            page = _text(site / folder / "indicators" / f"{indicator}.html")
            assert all(part in page for part in said), (folder, indicator)
        gcm = _text(site / folder / "gcm.html")
        assert all(part in gcm for part in (*placed, stock[1]))
    # SDMX: the first month of the record-level files breaks the series (B); the months after it
    # are normal (A), and the provisional year stays P. (A confidential first month would say C,
    # one OBS_STATUS saying C before B, release/figures.py; the footnote below names the break.)
    with (release / "sdmx" / "data" / "DF_SDMI_PMI.csv").open(encoding="utf-8") as handle:
        totals = {
            row["TIME_PERIOD"]: row["OBS_STATUS"]
            for row in csv.DictReader(handle)
            if row["INDICATOR"] == "PMI_PLACED" and all(row[d] in ("_T", "_Z") for d in
               ("COUNTERPART_AREA", "SEX", "AGE", "PROVINCE", "EDUCATION", "SECTOR", "OCCUPATION", "SCHEME"))
        }  # fmt: skip
    assert (totals["2022-12"], totals["2023-01"], totals["2023-02"], totals["2023"]) == ("A", "B", "A", "P")
    # Open SDG: the year to date and the break are in the footnote.
    meta = front_matter(release / "open-sdg" / "meta" / "en" / "sdmi-pmi-placed.md")
    # (the break in the words of reference's comparison_reason SERIES_BREAK, through the one lookup)
    assert (
        "2023: January–April 2023 (year to date); series break: the source or method changed"
        in meta["data_footnote"]
    )
    stock_meta = front_matter(release / "open-sdg" / "meta" / "en" / "sdmi-tka-stock.md")
    assert "2022: Lower bound" in stock_meta["data_footnote"]
    # The workbook: the gcm_progress sheet.
    header, rows = sheet_table(CalamineWorkbook.from_path(str(workbook_path(release))), "gcm_progress")
    shown = {
        (r[header.index("indicator")], r[header.index("comparison")], r[header.index("comparison_reason")])
        for r in rows
        if r[header.index("indicator")] in ("TKA_STOCK", "PMI_PLACED")
    }
    assert shown == {("PMI_PLACED", "NONE", "SERIES_BREAK"), ("TKA_STOCK", "NONE", "PREVIOUS_LOWER_BOUND")}


def test_a_release_from_generated_samples_says_so_everywhere(shipped_warehouse: Path, release: Path):
    # The raw side decides: every shipped raw file is named by its generator's SAMPLE.json.
    assert query(
        shipped_warehouse,
        "SELECT count(*), count(illustrative) FROM meta.raw_files WHERE is_current",
    ) == [(35, 35)]
    assert query(
        shipped_warehouse,
        "SELECT illustrative FROM meta.raw_files WHERE path = 'kp2mi/penempatan/penempatan_pmi_2023_01.csv'",
    )[0][0].startswith("generated by sdmi_pipeline.samples.placements, scale 1:")
    assert query(shipped_warehouse, "SELECT bool_and(illustrative) FROM indicators.figures") == [(True,)]
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["illustrative"]["release"] is True and len(manifest["illustrative"]["files"]) == 35
    pages = sorted((release / "site").rglob("*.html"))
    assert pages and all('id="illustrative-banner"' in page.read_text(encoding="utf-8") for page in pages)
    assert "ilustratif" in _card(release / "site" / "index.html", "PMI_PLACED")
    assert "illustrative" in _card(release / "site" / "en" / "index.html", "TKA_STOCK")
    cover = CalamineWorkbook.from_path(str(workbook_path(release))).get_sheet_by_name("Sampul - Cover")
    assert cover.to_python(skip_empty_area=False)[2][0].startswith("Ilustratif: rilis ini dibangun")
    meta = front_matter(release / "open-sdg" / "meta" / "sdmi-pmi-placed.md")
    assert meta["sdmi_illustrative"] is True
    assert "Illustrative: this release is built from generated sample data" in meta["data_footnote"]
