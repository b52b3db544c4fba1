"""`sdmi export` end to end on the shipped sample: the workbook against the real report views, one
suppressed cell the same in every output, no small count, the data package
(fixtures: export_fixtures.py).
"""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sdmi_pipeline.release.excel import CONTENTS_SHEET, COVER_SHEET, HEADER_ROW, REPORT_SCHEMA
from sdmi_pipeline.release.parquet import REPORT_VIEWS
from tests.export_command import THRESHOLD

pytest_plugins = ["tests.export_fixtures"]  # one export per session, shared by both files

pytestmark = pytest.mark.slow

COUNT_INDICATORS = ("PMI_PLACED", "TKA_NEW", "TKA_STOCK", "REF_HOSTED")
# Columns of the report views that hold counts of persons.
COUNT_COLUMNS = ("placed", "new_permits", "permit_holders", "refugees_and_asylum_seekers")
RECORD_LEVEL_COLUMNS = {"id_pmi", "no_notifikasi", "source_line"}


# 2. The workbook against the real report views.


def workbook_path(release: Path) -> Path:
    return release / "xlsx" / f"sdmi_{release.name}.xlsx"


@pytest.fixture(scope="session")
def workbook(release: Path) -> CalamineWorkbook:
    return CalamineWorkbook.from_path(str(workbook_path(release)))


def sheet_table(workbook: CalamineWorkbook, name: str) -> tuple[list, list[list]]:
    rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return rows[HEADER_ROW], rows[HEADER_ROW + 1 :]


def test_every_report_view_has_a_sheet(workbook, public):
    views = [
        name
        for (name,) in public.execute(
            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'report' ORDER BY 1"
        ).fetchall()
    ]
    assert len(views) == 25 and [f"report.{v}" for v in views] == list(REPORT_VIEWS)
    names = workbook.sheet_names
    assert names[:2] == [COVER_SHEET, CONTENTS_SHEET]
    assert names[2:] == views  # every view name fits in 31 characters
    assert all(len(name) <= 31 for name in names) and len({n.lower() for n in names}) == len(names)


def expected_cell(value: object, column: str, data_type: str, status: str | None) -> object:
    """What calamine reads for a view's value: numbers as floats, a missing measure as its symbol."""
    key = data_type == "INTEGER" and (
        column in ("year", "month", "quarter", "objective", "domain") or column.endswith("_year")
    )
    if value is None:
        if key or data_type in ("VARCHAR", "BOOLEAN"):
            return ""
        return "C" if status in ("C", "Confidential") else ".."
    if isinstance(value, bool) or data_type == "VARCHAR":
        return str(value)
    return float(value)


def test_every_sheet_holds_its_view_with_the_symbols_of_its_status(workbook, public):
    for (view,) in public.execute(
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'report'"
    ).fetchall():
        described = public.execute(f"DESCRIBE {REPORT_SCHEMA}.{view}").fetchall()
        columns = [(name, data_type) for name, data_type, *_ in described]
        header, rows = sheet_table(workbook, view)
        assert header == [name for name, _ in columns], view
        expected = public.execute(f"SELECT * FROM {REPORT_SCHEMA}.{view}").fetchall()
        names = [name for name, _ in columns]
        # A measure's status: its own column (`women_percent_status`; gcm_progress's latest value has
        # `latest_status_label_en`, its previous value none), else the row's `status`.
        own = {name: f"{name}_status" for name in names} | {"latest_value": "latest_status_label_en"}
        status = [
            names.index(own[name])
            if own[name] in names
            else names.index("status")
            if "status" in names
            else None
            for name in names
        ]
        assert len(rows) == len(expected), view
        for row, values in zip(rows, expected, strict=True):
            assert row == [
                expected_cell(value, name, data_type, None if at is None else values[at])
                for value, (name, data_type), at in zip(values, columns, status, strict=True)
            ], (view, values)


def test_hand_checked_cells_of_the_workbook(workbook, release):
    header, rows = sheet_table(workbook, "pmi_placed_by_destination")
    column = {name: index for index, name in enumerate(header)}
    by_key = {(r[column["year"]], r[column["month"]], r[column["destination"]]): r for r in rows}
    # KP2MI's published 2022 total; a whole year has no month (blank, not `..`).
    assert by_key[(2022.0, "", "_T")][column["placed"]] == 200_761
    # Placements to Macao in January 2023: withheld by disclosure control.
    assert by_key[(2023.0, 1.0, "MAC")][column["placed"]] == "C"
    assert by_key[(2023.0, 1.0, "MAC")][column["status"]] == "C"
    header, rows = sheet_table(workbook, "gcm_progress")
    objective_3 = next(r for r in rows if r[0] == 3.0)
    assert objective_3[header.index("latest_value")] == ".."  # no indicator serves objective 3
    assert objective_3[header.index("latest_year")] == ""


def test_provisional_values_carry_p_and_years_no_thousands_separator(release):
    sheets = openpyxl.load_workbook(workbook_path(release), read_only=True)
    rows = list(sheets["pmi_placed_by_sex"].iter_rows(min_row=HEADER_ROW + 1))
    header = [cell.value for cell in rows[0]]
    status, placed, year = header.index("status"), header.index("placed"), header.index("year")
    provisional = [r for r in rows[1:] if r[status].value == "P"]
    final = [r for r in rows[1:] if r[status].value == "A"]
    # The sample's 2023 (January-April) is provisional: its total and both sexes; its months are
    # final. 2022: 13 periods x 3; none confidential.
    confidential = [r for r in rows[1:] if r[status].value == "C"]
    assert len(provisional) == 3 and len(final) == 39 + 12 and not confidential
    assert sorted(r[placed].value for r in provisional) == [32_481, 51_383, 83_864]
    assert {r[year].value for r in provisional} == {2023}
    assert all(r[placed].number_format.endswith('" P"') for r in provisional)
    assert not any('" P"' in r[placed].number_format for r in final)
    assert {r[year].number_format for r in rows[1:]} == {'0;-0;"-"'}  # 2023, not 2,023
    # gcm_progress: the latest value of SDMI coverage is provisional, the value compared with is not.
    rows = list(sheets["gcm_progress"].iter_rows(min_row=HEADER_ROW + 1))
    header = [cell.value for cell in rows[0]]
    coverage = next(r for r in rows[1:] if r[header.index("indicator")].value == "SDMI_COVERAGE")
    assert coverage[header.index("latest_status_label_en")].value == "Provisional"
    assert coverage[header.index("latest_value")].number_format.endswith('" P"')
    assert '" P"' not in coverage[header.index("previous_value")].number_format
    sheets.close()


# 3. One suppressed cell, the same in every output; no small count; no record-level column.


def test_a_suppressed_cell_is_confidential_in_every_output(release, observations, workbook):
    confidential = observations.execute("SELECT count(*) FROM released WHERE obs_status = 'C'").fetchone()[0]
    assert confidential == 2736
    # SDMX-CSV and the portal's per-indicator CSVs: every confidential row, empty with status C.
    key = (
        "indicator_id, freq, time_period, counterpart_area, sex, age, province, education, sector, "
        "occupation, scheme, population_type, location"
    )
    sdmx_key = ", ".join(f"s.{c}" for c in key.upper().replace("INDICATOR_ID", "INDICATOR").split(", "))
    key = ", ".join(f"r.{c}" for c in key.split(", "))
    in_sdmx = observations.execute(f"""
        SELECT count(*) FILTER (WHERE s.OBS_VALUE IS NULL AND s.OBS_STATUS = 'C'), count(s.INDICATOR)
        FROM released AS r LEFT JOIN sdmx AS s ON ({sdmx_key}) = ({key})
        WHERE r.obs_status = 'C'""").fetchone()
    assert in_sdmx == (confidential, confidential)
    assert observations.execute(
        "SELECT count(*) FROM sdmx WHERE OBS_STATUS = 'C' OR OBS_VALUE IS NULL"
    ).fetchone() == (confidential,)
    in_portal = observations.execute(f"""
        SELECT count(*) FILTER (WHERE p.value IS NULL AND p.obs_status = 'C'), count(p.indicator_id)
        FROM released AS r LEFT JOIN portal AS p ON ({key}) = ({key.replace("r.", "p.")})
        WHERE r.obs_status = 'C'""").fetchone()
    assert in_portal == (confidential, confidential)
    # The hand-checked cell: 2022 placements from Papua (94), in KP2MI's printed tables.
    cell = """indicator_id = 'PMI_PLACED' AND freq = 'A' AND time_period = '2022' AND counterpart_area = '_T'
        AND sex = '_T' AND age = '_T' AND province = '94' AND education = '_T' AND sector = '_T'
        AND occupation = '_T' AND scheme = '_T'"""
    assert observations.execute(f"SELECT value, obs_status FROM released WHERE {cell}").fetchall() == [
        (None, "C")
    ]
    assert observations.execute(f"SELECT value, obs_status FROM portal WHERE {cell}").fetchall() == [
        (None, "C")
    ]
    # Open SDG: the value blank, the status Confidential; never a blank value otherwise.
    open_sdg = observations.execute(f"""
        SELECT "Value", "OBS_STATUS" FROM read_csv('{release}/open-sdg/data/indicator_sdmi-pmi-placed.csv',
            all_varchar = true)
        WHERE "Year" = '2022' AND "Destination" IS NULL AND "Sex" IS NULL
          AND "Age group" IS NULL AND "Province of origin" = 'Papua' AND "Education" IS NULL
          AND "Sector" IS NULL AND "Occupation" IS NULL AND "Placement scheme" IS NULL""").fetchall()
    assert open_sdg == [(None, "Confidential")]
    for path in sorted((release / "open-sdg" / "data").glob("*.csv")):
        blank = observations.execute(f"""SELECT count(*) FILTER (WHERE "Value" IS NULL),
            count(*) FILTER (WHERE "Value" IS NULL AND "OBS_STATUS" = 'Confidential'),
            count(*) FILTER (WHERE "Value" IS NOT NULL AND "OBS_STATUS" = 'Confidential')
            FROM read_csv('{path}', all_varchar = true)""").fetchone()
        assert blank[0] == blank[1] and blank[2] == 0, path.name
    # Excel: `C` in the sheet of the reading layer (test_hand_checked_cells_of_the_workbook).
    header, rows = sheet_table(workbook, "pmi_placed_by_province")
    assert [
        r[header.index("placed")]
        for r in rows
        if r[header.index("province")] == "94" and r[1] == 2022 and r[2] == ""
    ] == ["C"]


def test_no_output_holds_a_count_below_the_threshold(release, observations, workbook):
    counts = ", ".join(f"'{i}'" for i in COUNT_INDICATORS)
    below = f"BETWEEN 0.5 AND {THRESHOLD - 0.5}"  # counts are whole persons: 1 to 4
    assert observations.execute(f"""SELECT count(*) FROM released
        WHERE indicator_id IN ({counts}) AND value {below}""").fetchone() == (0,)
    assert observations.execute(f"""SELECT count(*) FROM sdmx
        WHERE INDICATOR IN ({counts}) AND CAST(OBS_VALUE AS DOUBLE) {below}""").fetchone() == (0,)
    assert observations.execute(f"""SELECT count(*) FROM portal
        WHERE indicator_id IN ({counts}) AND CAST(value AS DOUBLE) {below}""").fetchone() == (0,)
    for indicator in ("pmi-placed", "tka-new", "tka-stock", "ref-hosted"):
        path = release / "open-sdg" / "data" / f"indicator_sdmi-{indicator}.csv"
        assert observations.execute(f"""SELECT count(*) FROM read_csv('{path}', all_varchar = true)
            WHERE CAST("Value" AS DOUBLE) {below}""").fetchone() == (0,), path.name
    checked = 0
    for view in REPORT_VIEWS:
        name = view.split(".")[1]
        header, rows = sheet_table(workbook, name)
        parquet = release / "parquet" / f"{view}.parquet"
        for column in set(header) & set(COUNT_COLUMNS):
            values = [r[header.index(column)] for r in rows]
            assert not [v for v in values if isinstance(v, float) and 0 < v < THRESHOLD], (name, column)
            assert observations.execute(
                f"SELECT count(*) FROM read_parquet('{parquet}') WHERE {column} {below}"
            ).fetchone() == (0,)
            checked += 1
    assert checked == 9 + 6 * 2 + 5  # PMI views, TKA views (new permits and holders), refugee views


def test_no_file_of_the_release_holds_a_record_level_column(release, observations):
    parquet_files = sorted((release / "parquet").glob("*.parquet"))
    assert len(parquet_files) == 14 + 25 + 9  # public tables, report views, code lists
    columns = {
        name
        for (name,) in observations.execute(
            f"SELECT DISTINCT name FROM parquet_schema('{release}/parquet/*.parquet')"
        ).fetchall()
    }
    assert "obs_status" in columns and not columns & RECORD_LEVEL_COLUMNS
    for path in release.rglob("*"):
        if path.suffix in (".csv", ".json", ".md", ".xml", ".html"):
            text = path.read_text("utf-8")
            assert not [c for c in RECORD_LEVEL_COLUMNS if c in text], path


# 4. The data package, report views included.


def test_the_data_package_with_the_report_views_passes_frictionless_validate(release):
    package = release / "parquet" / "datapackage.json"
    resources = {r["name"] for r in json.loads(package.read_text("utf-8"))["resources"]}
    assert {"report.pmi-placed-by-destination", "report.tka-by-sex", "report.gcm-progress"} <= resources
    assert len(resources) == 14 + 25 + 9
    frictionless = Path(sys.executable).parent / "frictionless"
    completed = subprocess.run(
        [str(frictionless), "validate", "--json", str(package)], capture_output=True, text=True, timeout=600
    )
    report = json.loads(completed.stdout)
    errors = [
        (task["name"], error["type"], error["message"][:200])
        for task in report["tasks"]
        for error in task["errors"]
    ]
    assert completed.returncode == 0 and report["valid"], errors[:20]


def test_a_withheld_share_beside_a_published_count_shows_c(workbook, public):
    # 2023 placements to Kuwait: 207 persons, provisional; the share of women is withheld (it
    # protects a small monthly count), so the sheet shows 207 P beside a `C`, not `..`.
    header, rows = sheet_table(workbook, "pmi_placed_by_destination")
    kuwait = next(r for r in rows if r[1] == 2023 and r[2] == "" and r[header.index("destination")] == "KWT")
    assert kuwait[header.index("placed")] == 207 and kuwait[header.index("status")] == "P"
    assert kuwait[header.index("women_percent")] == "C"
    for view in ("age_group", "destination", "education", "occupation", "province", "scheme", "sector"):
        assert public.execute(f"""SELECT count(*) FROM report.pmi_placed_by_{view}
            WHERE (women_percent IS NULL) <> (women_percent_status IN ('C', 'M'))""").fetchone() == (0,)
