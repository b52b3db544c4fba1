"""Materializing the real Definitions into a temporary warehouse: tables, provenance, rejects."""

from pathlib import Path

import duckdb
import pytest

from tests.conftest import BAD_ROWS_PER_FILE, query, staging_metadata

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

PUBLISHED = "sdmi.duckdb"


def test_build_publishes_every_table_documented(refresh, warehouse_dir: Path):
    result = refresh()
    assert result.success
    published = warehouse_dir / PUBLISHED
    assert published.exists()
    assert not (warehouse_dir / "sdmi.build.duckdb").exists()
    tables = query(published, "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables()")
    assert {name for name, _ in tables} >= {
        "core.pmi_placements",
        "indicators.observations",
        "indicators.catalogue",
        "meta.raw_files",
        "meta.rejects",
        "reference.countries",
        "reference.provinces",
        "staging.kp2mi_placements",
    }
    assert all(comment and " | " in comment for _, comment in tables), tables
    undocumented = query(
        published,
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE NOT internal AND (comment IS NULL OR comment = '')",
    )
    assert undocumented == []


def test_provenance_records_every_file(refresh, warehouse_dir: Path, raw_root: Path):
    assert refresh().success
    files = query(
        warehouse_dir / PUBLISHED,
        "SELECT path, sha256, size_bytes, rows_read, rows_accepted, rows_rejected, status, "
        "encoding, delimiter, is_current FROM meta.raw_files ORDER BY path",
    )
    assert [row[0] for row in files] == [
        "kp2mi/penempatan/penempatan_pmi_2023_01.csv",
        "kp2mi/penempatan/penempatan_pmi_2023_02.csv",
    ]
    for path, sha256, size, read, accepted, rejected, status, _encoding, _delimiter, current in files:
        content = (raw_root / path).read_bytes()
        assert size == len(content) and len(sha256) == 64
        assert (status, current) == ("loaded", True)
        assert rejected == BAD_ROWS_PER_FILE and read == accepted + rejected
    assert [row[7:9] for row in files] == [("utf-8", ";"), ("windows-1252", ",")]
    accepted = query(warehouse_dir / PUBLISHED, "SELECT count(*) FROM core.pmi_placements")[0][0]
    assert accepted == sum(row[4] for row in files)


def test_each_bad_row_lands_in_rejects_with_its_reason(refresh, warehouse_dir: Path):
    assert refresh().success
    rejects = query(
        warehouse_dir / PUBLISHED,
        "SELECT column_name, value, reason FROM meta.rejects WHERE path LIKE '%2023_01.csv' ORDER BY line",
    )
    reasons = {(column, value): reason for column, value, reason in rejects}
    assert reasons[("usia", "17")].startswith("age under 18")
    assert reasons[("negara_penempatan", "Atlantis")].startswith("destination country is missing or not")
    assert reasons[("tanggal_penempatan", "2022-12-29")] == "placement date outside the file's month 2023-01"
    assert reasons[("provinsi_asal", "Jawa Utara")] == "unknown province name"
    assert reasons[("id_pmi", "PMI2023010000001")] == "worker id (id_pmi) repeated within the file"
    assert reasons[("jenis_kelamin", "X")].startswith("sex is missing")
    assert reasons[("usia", "dua puluh")] == "age is not a whole number of years"
    assert reasons[("skema", "Kapal Pesiar")] == "placement scheme is missing or unknown"
    assert len(rejects) == BAD_ROWS_PER_FILE


def test_observations_total_equals_accepted_rows(refresh, warehouse_dir: Path):
    assert refresh().success
    published = warehouse_dir / PUBLISHED
    placed = query(published, "SELECT count(*) FROM core.pmi_placements")[0][0]
    total = query(
        published,
        """SELECT value, obs_status FROM indicators.observations
        WHERE indicator_id = 'PMI_PLACED' AND freq = 'A' AND counterpart_area = '_T' AND sex = '_T'
        AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
        AND occupation = '_T' AND scheme = '_T'""",
    )
    assert total == [(placed, "P")]  # two months delivered: the annual value is provisional
    women = query(published, "SELECT count(*) FROM core.pmi_placements WHERE sex = 'F'")[0][0]
    share = query(
        published,
        """SELECT value FROM indicators.observations
        WHERE indicator_id = 'PMI_PLACED_F_SHARE' AND freq = 'A' AND counterpart_area = '_T'
        AND sex = '_Z' AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
        AND occupation = '_T' AND scheme = '_T'""",
    )[0][0]
    assert share == 100.0 * women / placed


def test_failed_blocking_check_publishes_nothing(refresh, warehouse_dir: Path, monkeypatch):
    assert refresh().success
    before = (warehouse_dir / PUBLISHED).read_bytes()
    from sdmi_pipeline.contracts import checks

    broken = checks.Violation("province is not null", 3, checks.pd.DataFrame({"province": [None]}))
    monkeypatch.setattr(
        checks,
        "contract_violations",
        lambda connection, contract, *_: [broken] if contract.table == "core.pmi_placements" else [],
    )
    result = refresh()
    assert not result.success
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.to_user_string(), e.check_name) for e in failed] == [
        ("core/pmi_placements", "meets_contract")
    ]
    assert (warehouse_dir / PUBLISHED).read_bytes() == before


def test_contract_violations_are_found_in_sql():
    from sdmi_pipeline.contracts.checks import contract_violations
    from sdmi_pipeline.contracts.contract import contract_for

    with duckdb.connect() as connection:
        connection.execute("CREATE SCHEMA reference")
        connection.execute(
            "CREATE TABLE reference.provinces (province_code VARCHAR, name_id VARCHAR, name_en VARCHAR, "
            "iso_3166_2 VARCHAR, kemendagri_code VARCHAR)"
        )
        connection.execute(
            "INSERT INTO reference.provinces VALUES ('33', 'Jawa Tengah', 'Central Java', 'ID-JT', '33'), "
            "('33', 'Jawa Tengah', 'Central Java', 'ID-JT', '33'), (NULL, 'X', 'X', 'ID-XX', '99')"
        )
        violations = {
            v.rule: v.count for v in contract_violations(connection, contract_for("reference.provinces"))
        }
    assert violations == {"province_code is not null": 1, "primary key (province_code) is unique": 1}


def test_staging_metadata_reports_files_and_rows(refresh):
    metadata = staging_metadata(refresh())
    assert metadata["files_seen"] == 2 and metadata["files_parsed"] == 2
    assert metadata["rows_rejected"] == 2 * BAD_ROWS_PER_FILE
    assert metadata["rows_read"] == metadata["rows_accepted"] + metadata["rows_rejected"]


def test_unmapped_labels_are_counted_in_the_quality_report(refresh, warehouse_dir: Path):
    assert refresh().success
    published = warehouse_dir / PUBLISHED
    report = query(published, "SELECT column_name, label, rows FROM meta.unmapped_labels ORDER BY ALL")
    # The generator writes 'Paket C' (education) and 'Juru Las' (occupation), which no list maps.
    expected = query(
        published,
        """
        SELECT 'jabatan', occupation_label, count(*) FROM core.pmi_placements WHERE occupation = 'OTHER'
        GROUP BY ALL UNION ALL
        SELECT 'pendidikan', education_label, count(*) FROM core.pmi_placements WHERE education = 'OTHER'
        GROUP BY ALL ORDER BY ALL""",
    )
    assert report == expected
    assert {label for _, label, _ in report} == {"Paket C", "Juru Las"}
