"""`sdmi export` end to end on the shipped sample: one real release, read back in every format.

The release is written once a session through the CLI (a subprocess, as a user runs it), from the
warehouse `sdmi build` publishes from data/raw. The figures are measured on the shipped sample at
the threshold 5 of sdmi.toml and hand-checked.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sdmi_pipeline.release.excel import CONTENTS_SHEET, COVER_SHEET, HEADER_ROW, REPORT_SCHEMA
from sdmi_pipeline.release.parquet import REPORT_VIEWS
from sdmi_pipeline.release.public import open_public

pytestmark = pytest.mark.slow

COUNT_INDICATORS = ("PMI_PLACED", "TKA_NEW", "TKA_STOCK", "REF_HOSTED")
# Columns of the report views that hold counts of persons.
COUNT_COLUMNS = ("placed", "new_permits", "permit_holders", "refugees_and_asylum_seekers")
RECORD_LEVEL_COLUMNS = {"id_pmi", "no_notifikasi", "source_line"}
SUBFOLDERS = {"sdmx", "open-sdg", "parquet", "xlsx", "site"}
THRESHOLD = 5


def sdmi_export(warehouse: Path, export_root: Path) -> subprocess.CompletedProcess:
    """`sdmi export --out export_root` on the published warehouse `warehouse`, in a subprocess."""
    environment = os.environ | {
        "SDMI_WAREHOUSE_DIR": str(warehouse.parent),
        "DAGSTER_HOME": str(export_root.parent / "dagster_home"),
    }
    return subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", "export", "--out", str(export_root)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def exported(shipped_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    """The export root of one real `sdmi export`, what it printed, and how long it took."""
    export_root = tmp_path_factory.mktemp("export") / "exports"
    started = time.monotonic()
    completed = sdmi_export(shipped_warehouse, export_root)
    seconds = time.monotonic() - started
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return export_root, completed.stdout, seconds


@pytest.fixture(scope="session")
def release(exported: tuple[Path, str, float]) -> Path:
    return (exported[0] / "latest").resolve()


@pytest.fixture(scope="session")
def public(shipped_warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The public connection the release was written from (disclosure-controlled, with the report views)."""
    return open_public(shipped_warehouse, THRESHOLD)


@pytest.fixture(scope="session")
def observations(release: Path) -> duckdb.DuckDBPyConnection:
    """The release's own observations (parquet), with its SDMX-CSV and portal CSVs, in one connection."""
    connection = duckdb.connect()
    connection.execute(f"""CREATE VIEW released AS
        SELECT * FROM read_parquet('{release}/parquet/indicators.observations.parquet')""")
    connection.execute(f"""CREATE VIEW sdmx AS SELECT * FROM read_csv('{release}/sdmx/data/*.csv',
        all_varchar = true, union_by_name = true, filename = true)""")
    connection.execute(f"""CREATE VIEW portal AS SELECT * FROM read_csv('{release}/site/downloads/*.csv',
        all_varchar = true, union_by_name = true)""")
    return connection


def manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text("utf-8"))


# 1. The release folder, the manifest, re-exports and revisions.


def test_export_writes_every_part_and_points_latest_at_it(exported, release, shipped_warehouse):
    export_root, printed, _ = exported
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name}
    assert (export_root / "latest").is_symlink()
    assert {p.name for p in release.iterdir()} == SUBFOLDERS | {"manifest.json", "CHANGES.md"}
    assert all(any((release / folder).rglob("*.*")) for folder in SUBFOLDERS)
    assert (release / "xlsx" / f"sdmi_{release.name}.xlsx").is_file()
    assert (release / "sdmx" / "structure.xml").is_file() and (release / "site" / "index.html").is_file()
    assert f"Release {release.name} written: {release}" in printed
    assert "disclosure control (threshold 5): 4090 cells suppressed, 993 more to protect them" in printed
    assert "first release: nothing to compare with" in printed and "observations added" not in printed
    assert "First release." in (release / "CHANGES.md").read_text("utf-8")


def test_manifest_hashes_every_file_of_the_release(release):
    files = manifest(release)["files"]
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert set(files) == on_disk - {"manifest.json"}
    for name, digest in files.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_manifest_counts_the_cells_disclosure_control_suppressed(release, observations):
    control = manifest(release)["disclosure_control"]
    # Measured on the shipped sample at threshold 5.
    assert (control["threshold"], control["primary"], control["secondary"]) == (5, 4090, 993)
    assert control["total"] == 5083
    assert control["by_indicator"]["PMI_PLACED"] == {"primary": 579, "secondary": 107}
    assert control["by_indicator"]["TKA_NEW"] == {"primary": 1190, "secondary": 363}
    # Every count in the manifest is a confidential row of the released observations, and back.
    released = dict(
        observations.execute(
            "SELECT indicator_id, count(*) FROM released WHERE obs_status = 'C' GROUP BY ALL"
        ).fetchall()
    )
    counted = {k: v["primary"] + v["secondary"] for k, v in control["by_indicator"].items()}
    assert released == counted
    assert observations.execute("SELECT count(*) FROM released WHERE obs_status = 'C' AND value IS NOT NULL")
    assert observations.execute(
        "SELECT count(*) FROM released WHERE (obs_status = 'C') <> (value IS NULL)"
    ).fetchone() == (0,)


def test_exporting_the_same_warehouse_again_writes_nothing(exported, release, shipped_warehouse):
    export_root = exported[0]
    before = {p: p.stat().st_mtime_ns for p in release.rglob("*")}
    completed = sdmi_export(shipped_warehouse, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert f"Release {release.name} already written" in completed.stdout
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name}
    assert {p: p.stat().st_mtime_ns for p in release.rglob("*")} == before


def test_a_newer_warehouse_with_the_same_public_tables_is_reported_unchanged(
    exported, release, shipped_warehouse, tmp_path
):
    export_root = tmp_path / "exports"
    shutil.copytree(exported[0], export_root, symlinks=True)
    rebuilt = tmp_path / "warehouse" / "sdmi.duckdb"  # a no-op build: written again, nothing new
    rebuilt.parent.mkdir()
    shutil.copyfile(shipped_warehouse, rebuilt)
    os.utime(rebuilt, (shipped_warehouse.stat().st_mtime + 3600,) * 2)
    completed = sdmi_export(rebuilt, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.splitlines()[:2] == [
        f"Release {release.name} unchanged: {export_root / release.name}",
        "  the published warehouse holds the same public tables as this release; nothing written",
    ]
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name}
    assert (export_root / "latest").resolve() == export_root / release.name


def test_a_changed_warehouse_gives_a_new_vintage_whose_changes_list_old_and_new_values(
    exported, release, shipped_warehouse, tmp_path
):
    export_root = tmp_path / "exports"
    shutil.copytree(exported[0], export_root, symlinks=True)
    changed = tmp_path / "warehouse" / "sdmi.duckdb"
    changed.parent.mkdir()
    shutil.copyfile(shipped_warehouse, changed)
    with duckdb.connect(str(changed)) as connection:
        old = connection.execute("""
            UPDATE indicators.observations SET value = value + 120 WHERE indicator_id = 'TKA_NEW'
            AND freq = 'A' AND time_period = '2023' AND counterpart_area = 'CHN' AND sex = '_T'
            AND province = '_T' AND sector = '_T' AND occupation = '_T' RETURNING value - 120""").fetchall()
    assert old == [(82_623.0,)]  # Kemnaker's 2023 new permits to Chinese nationals
    os.utime(changed, (shipped_warehouse.stat().st_mtime + 3600,) * 2)
    completed = sdmi_export(changed, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    second = (export_root / "latest").resolve()
    assert second.name > release.name and {p.name for p in export_root.iterdir()} == {
        "latest",
        release.name,
        second.name,
    }
    assert f"since release {release.name}: 0 observations added, 0 removed, 1 revised" in completed.stdout
    changes = (second / "CHANGES.md").read_text("utf-8")
    assert f"Compared with release {release.name}." in changes
    assert "| revised | TKA_NEW | 1 |" in changes
    row = "| TKA_NEW | Kemnaker | A | 2023 | IDN | CHN | _T | _Z | _T | _Z | _T | _T | _Z | _Z | _Z "
    assert row + "| 82623 | A | 82743 | A |" in changes.splitlines()
    assert manifest(second)["changes"] == {"added": 0, "removed": 0, "revised": 1}


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
    assert len(views) == 23 and [f"report.{v}" for v in views] == list(REPORT_VIEWS)
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
    # 2023 placements to the United Arab Emirates: withheld by disclosure control.
    assert by_key[(2023.0, "", "ARE")][column["placed"]] == "C"
    assert by_key[(2023.0, "", "ARE")][column["status"]] == "C"
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
    assert len(provisional) == 3 and len(final) == 45
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
    assert confidential == 5083
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
    # The hand-checked cell: 2023 placements to the United Arab Emirates.
    cell = """indicator_id = 'PMI_PLACED' AND freq = 'A' AND time_period = '2023' AND counterpart_area = 'ARE'
        AND sex = '_T' AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
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
        WHERE "Year" = '2023' AND "Destination" = 'United Arab Emirates' AND "Sex" IS NULL
          AND "Age group" IS NULL AND "Province of origin" IS NULL AND "Education" IS NULL
          AND "Sector" IS NULL AND "Occupation" IS NULL AND "Placement scheme" IS NULL""").fetchall()
    assert open_sdg == [(None, "Confidential")]
    for path in sorted((release / "open-sdg" / "data").glob("*.csv")):
        blank = observations.execute(f"""SELECT count(*) FILTER (WHERE "Value" IS NULL),
            count(*) FILTER (WHERE "Value" IS NULL AND "OBS_STATUS" = 'Confidential'),
            count(*) FILTER (WHERE "Value" IS NOT NULL AND "OBS_STATUS" = 'Confidential')
            FROM read_csv('{path}', all_varchar = true)""").fetchone()
        assert blank[0] == blank[1] and blank[2] == 0, path.name
    # Excel: `C` in the sheet of the reading layer (test_hand_checked_cells_of_the_workbook).
    header, rows = sheet_table(workbook, "pmi_placed_by_destination")
    assert [
        r[header.index("placed")]
        for r in rows
        if r[header.index("destination")] == "ARE" and r[1] == 2023 and r[2] == ""
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
    assert checked == 8 + 5 * 2 + 5  # PMI views, TKA views (new permits and holders), refugee views


def test_no_file_of_the_release_holds_a_record_level_column(release, observations):
    parquet_files = sorted((release / "parquet").glob("*.parquet"))
    assert len(parquet_files) == 13 + 23 + 9  # public tables, report views, code lists
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
    assert len(resources) == 13 + 23 + 9
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
    # 2023 placements to South Korea: 31 persons, provisional; the share of women is withheld
    # (fewer than 5 women or men), so the sheet shows 31 P beside a `C`, not `..`.
    header, rows = sheet_table(workbook, "pmi_placed_by_destination")
    korea = next(r for r in rows if r[1] == 2023 and r[2] == "" and r[header.index("destination")] == "KOR")
    assert korea[header.index("placed")] == 31 and korea[header.index("status")] == "P"
    assert korea[header.index("women_percent")] == "C"
    for view in ("age_group", "destination", "education", "occupation", "province", "scheme", "sector"):
        assert public.execute(f"""SELECT count(*) FROM report.pmi_placed_by_{view}
            WHERE (women_percent IS NULL) <> (women_percent_status IN ('C', 'M'))""").fetchone() == (0,)
