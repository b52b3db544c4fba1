"""The release's workbook for ministries, read back with python-calamine, against the public tables."""

import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from sdmi_pipeline.release.excel import CONTENTS_SHEET, COVER_SHEET, HEADER_ROW, write_excel
from sdmi_pipeline.release.public import open_public

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

VINTAGE = "20260131T093000Z"
DELIVERED_FORMULA = "=cmd|' /C calc'!A0"
STATUS = """CASE o.obs_status WHEN 'C' THEN 'Rahasia / Confidential' WHEN 'P' THEN 'Sementara / Provisional'
            ELSE 'Tetap / Final' END"""
# Reading-layer views as issue 10 describes them: labels in both languages beside the code, the
# total as a row `Jumlah / Total`, a status column. The real ones live in assets/report/.
REPORT_VIEWS = {
    "tka_new_by_nationality": f"""
        SELECT CAST(o.time_period AS INTEGER) AS year, o.counterpart_area AS nationality,
               coalesce(c.name_id, 'Jumlah / Total') AS nationality_id,
               coalesce(c.name_en, 'Jumlah / Total') AS nationality_en,
               CAST(o.value AS BIGINT) AS permits, {STATUS} AS status
        FROM indicators.observations o LEFT JOIN reference.countries c ON c.iso3 = o.counterpart_area
        WHERE o.indicator_id = 'TKA_NEW' AND o.freq = 'A' AND o.sex = '_T' AND o.province = '_T'
          AND o.sector = '_T' AND o.occupation = '_T'
        ORDER BY year, o.counterpart_area <> '_T', permits DESC""",
    "pmi_placed_by_destination": f"""
        SELECT CAST(o.time_period AS INTEGER) AS year, o.counterpart_area AS destination,
               coalesce(c.name_id, 'Jumlah / Total') AS destination_id,
               coalesce(c.name_en, 'Jumlah / Total') AS destination_en,
               CAST(o.value AS BIGINT) AS placed, CAST(round(f.value, 1) AS DECIMAL(4, 1)) AS pct_women,
               {STATUS} AS status
        FROM indicators.observations o LEFT JOIN reference.countries c ON c.iso3 = o.counterpart_area
        LEFT JOIN indicators.observations f ON f.indicator_id = 'PMI_PLACED_F_SHARE'
          AND (f.freq, f.time_period, f.counterpart_area, f.age, f.province, f.education, f.sector,
               f.occupation, f.scheme, f.source)
            = (o.freq, o.time_period, o.counterpart_area, o.age, o.province, o.education, o.sector,
               o.occupation, o.scheme, o.source)
        WHERE o.indicator_id = 'PMI_PLACED' AND o.freq = 'A' AND o.sex = '_T' AND o.age = '_T'
          AND o.province = '_T' AND o.education = '_T' AND o.sector = '_T' AND o.occupation = '_T'
          AND o.scheme = '_T'
        ORDER BY year, o.counterpart_area <> '_T', o.counterpart_area""",
    "ref_hosted_by_location": f"""
        SELECT o.time_period AS month, CASE o.location WHEN '_T' THEN 'Jumlah / Total' ELSE o.location END
               AS location, CAST(o.value AS BIGINT) AS persons, {STATUS} AS status
        FROM indicators.observations o
        WHERE o.indicator_id = 'REF_HOSTED' AND o.freq = 'M' AND o.counterpart_area = '_T'
          AND o.sex = '_T' AND o.age = '_T' AND o.population_type = '_T'
        ORDER BY month, o.location <> '_T', o.location""",
}


@pytest.fixture(scope="module")
def public(shipped_warehouse: Path) -> duckdb.DuckDBPyConnection:
    connection = open_public(shipped_warehouse)
    # As disclosure control would leave it at a threshold of 50: 2023 placements to Zambia (35),
    # withheld (the sample's smallest annual destination; at the threshold of 5 none is).
    connection.execute("""
        UPDATE indicators.observations SET value = NULL, obs_status = 'C'
        WHERE indicator_id = 'PMI_PLACED' AND freq = 'A' AND time_period = '2023' AND value < 50
          AND counterpart_area NOT IN ('_T', '_Z') AND sex = '_T' AND age = '_T' AND province = '_T'
          AND education = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'""")
    # Delivered city names that Excel would take for formulas, and a nil count.
    cities = connection.execute("""
        SELECT DISTINCT location FROM indicators.observations
        WHERE indicator_id = 'REF_HOSTED' AND location NOT IN ('_T', '_Z') ORDER BY 1 LIMIT 4""").fetchall()
    for (city,), text in zip(cities, (DELIVERED_FORMULA, "-", "@SUM(A1)", "+62 Jakarta"), strict=True):
        connection.execute("UPDATE indicators.observations SET location = ? WHERE location = ?", [text, city])
    # The stand-in views replace the real ones (tests/test_export.py checks those).
    connection.execute("DROP SCHEMA report CASCADE")
    connection.execute("CREATE SCHEMA report")
    for name, sql in REPORT_VIEWS.items():
        connection.execute(f"CREATE VIEW report.{name} AS {sql}")
        connection.execute(
            f"COMMENT ON VIEW report.{name} IS '{name} (English), month NULL is the year "
            f"| {name} (Indonesia), month NULL berarti setahun'"
        )
    return connection


@pytest.fixture(scope="module")
def workbook(public: duckdb.DuckDBPyConnection, tmp_path_factory) -> Path:
    out_dir = tmp_path_factory.mktemp("release") / "xlsx"
    write_excel(public, out_dir, VINTAGE)
    return out_dir / f"sdmi_{VINTAGE}.xlsx"


def sheet_rows(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def sheet_xml(path: Path, name: str) -> str:
    """The XML of the sheet called `name`."""
    with zipfile.ZipFile(path) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', workbook_xml)
        number = next(i for i, (sheet, _) in enumerate(names, start=1) if sheet == name)
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode()


def table(path: Path, name: str) -> tuple[list[str], list[list]]:
    rows = sheet_rows(path, name)
    return rows[HEADER_ROW], rows[HEADER_ROW + 1 :]


def test_cover_contents_then_one_sheet_per_view(workbook: Path, public: duckdb.DuckDBPyConnection) -> None:
    assert CalamineWorkbook.from_path(str(workbook)).sheet_names == [
        COVER_SHEET,
        CONTENTS_SHEET,
        "pmi_placed_by_destination",
        "ref_hosted_by_location",
        "tka_new_by_nationality",
    ]
    cover = [" ".join(str(v) for v in row if v != "") for row in sheet_rows(workbook, COVER_SHEET)]
    assert "Rilis / Release 31 Januari 2026, 09.30 UTC / 31 January 2026, 09:30 UTC" in cover
    assert "- nihil: nol (sel berisi angka 0). nil: zero (the cell holds the number 0)." in cover
    # The other symbols are explained by their status's note in reference.codes (obs_status M, C, P).
    notes = dict(
        public.execute(
            "SELECT code, note_id || ' ' || note_en FROM reference.codes WHERE code_list = 'obs_status'"
        ).fetchall()
    )
    assert f".. {notes['M']}" in cover and f"C {notes['C']}" in cover and f"P {notes['P']}" in cover
    assert "too few persons to publish, or to protect another small cell" in notes["C"]
    # The cover never claims that a C or .. cell holds a number.
    (note,) = [line for line in cover if line.startswith("Angka disajikan")]
    assert "a cell showing C or .. holds text, not a number" in note and "values stay numbers" not in note
    sources = {row[1] for row in sheet_rows(workbook, COVER_SHEET)[5:12]}
    assert {"KP2MI", "Kemnaker", "UNHCR", "BPS", "Bank Indonesia"} <= sources
    contents = sheet_rows(workbook, CONTENTS_SHEET)
    assert contents[3][1:] == [
        "pmi_placed_by_destination",
        "pmi_placed_by_destination (Indonesia), month kosong berarti setahun",
        "pmi_placed_by_destination (English), month blank is the year",
    ]
    assert "location=\"'pmi_placed_by_destination'!A1\"" in sheet_xml(workbook, CONTENTS_SHEET)


def test_counts_come_back_as_in_the_public_tables(workbook: Path, public: duckdb.DuckDBPyConnection) -> None:
    header, rows = table(workbook, "tka_new_by_nationality")
    assert header == ["year", "nationality", "nationality_id", "nationality_en", "permits", "status"]
    expected = public.execute("SELECT * FROM report.tka_new_by_nationality").fetchall()
    # A confidential cell would show C in the sheet and be empty (NULL) in the public table; at the
    # published volume no nationality's year is small (test_symbols_for_confidential_... has C cells).
    counts = [(int(r[0]), r[1], r[2], r[3], None if r[4] == "C" else int(r[4]), r[5]) for r in rows]
    assert counts == expected and len(counts) == 52
    total_2023 = next(r for r in rows if r[0] == 2023 and r[1] == "_T")
    assert total_2023[2:5] == ["Jumlah / Total", "Jumlah / Total", 168_048]  # Kemnaker's 2023 figure
    assert next(r for r in rows if r[0] == 2023 and r[1] == "CHN")[4] == 82_623


def test_symbols_for_confidential_provisional_and_nil(
    workbook: Path, public: duckdb.DuckDBPyConnection
) -> None:
    header, rows = table(workbook, "pmi_placed_by_destination")
    placed = header.index("placed")
    confidential = [r for r in rows if r[header.index("status")] == "Rahasia / Confidential"]
    withheld = public.execute("SELECT count(*) FROM report.pmi_placed_by_destination WHERE placed IS NULL")
    assert len(confidential) == withheld.fetchone()[0] > 0
    assert {r[placed] for r in confidential} == {"C"}
    total_2022 = next(r for r in rows if r[0] == 2022 and r[1] == "_T")
    assert total_2022[placed] == 200_761  # KP2MI's published 2022 total
    xml = sheet_xml(workbook, "pmi_placed_by_destination")
    with zipfile.ZipFile(workbook) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="#,##0&quot; P&quot;;-#,##0&quot; P&quot;;&quot;-&quot;&quot; P&quot;"' in styles
    assert 'formatCode="#,##0;-#,##0;&quot;-&quot;"' in styles and 'formatCode="#,##0.0;' in styles
    assert '<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>' in xml
    assert "<cols>" in xml


def test_delivered_text_never_becomes_a_formula(workbook: Path) -> None:
    header, rows = table(workbook, "ref_hosted_by_location")
    locations = [r[header.index("location")] for r in rows]
    for text in (DELIVERED_FORMULA, "-", "@SUM(A1)", "+62 Jakarta"):
        assert text in locations
    with zipfile.ZipFile(workbook) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)
        shared = archive.read("xl/sharedStrings.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<t>=cmd|' /C calc'!A0</t>" in shared
    # The cell is a shared string whose style carries Excel's quote prefix.
    xml = sheet_xml(workbook, "ref_hosted_by_location")
    row = HEADER_ROW + 2 + locations.index(DELIVERED_FORMULA)
    cell = re.search(rf'<c r="B{row}" s="(\d+)" t="s">', xml)
    assert cell, xml[:2000]
    cell_formats = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    assert 'quotePrefix="1"' in re.findall(r"<xf [^>]*?/?>", cell_formats)[int(cell.group(1))]
