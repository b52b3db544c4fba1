"""`sdmi build` failing: a clear message, a non-zero exit, the published warehouse untouched."""

import pytest
from click.testing import CliRunner

from sdmi_pipeline.cli import main
from sdmi_pipeline.contracts import checks
from sdmi_pipeline.definitions import build_definitions


@pytest.fixture
def cli_environment(raw_root, warehouse_dir, monkeypatch, tmp_path):
    """The variables `sdmi` reads, pointing at the test's raw root, warehouse and instance."""
    monkeypatch.setenv("SDMI_RAW_DIR", str(raw_root))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(warehouse_dir))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))


def test_build_exits_non_zero_naming_the_failed_blocking_check(cli_environment, warehouse_dir, monkeypatch):
    runner = CliRunner()
    first = runner.invoke(main, ["build"])
    assert first.exit_code == 0, first.output
    published = (warehouse_dir / "sdmi.duckdb").read_bytes()

    broken = checks.Violation("sex: sex outside M/F", 2, checks.pd.DataFrame({"sex": ["X", "Y"]}))
    monkeypatch.setattr(
        checks,
        "contract_violations",
        lambda connection, contract, *_: [broken] if contract.table == "core.pmi_placements" else [],
    )
    second = runner.invoke(main, ["build", "--force"])  # no input changed: only a forced build runs
    assert second.exit_code == 1
    assert "Build FAILED; nothing was published." in second.output
    assert "blocking check meets_contract on core/pmi_placements failed:" in second.output
    assert "sex: sex outside M/F (rows): 2" in second.output
    assert "The published warehouse is still the last good version" in second.output
    assert (warehouse_dir / "sdmi.duckdb").read_bytes() == published


def test_generate_writes_the_chosen_months(tmp_path):
    result = CliRunner().invoke(
        main, ["generate", "--out", str(tmp_path), "--scale", "0.001", "--months", "1-2,5"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (tmp_path / "kp2mi" / "penempatan").iterdir())
    assert names == ["penempatan_pmi_2023_01.csv", "penempatan_pmi_2023_02.csv", "penempatan_pmi_2023_05.csv"]


def test_status_names_what_is_published_and_the_failing_checks(cli_environment, raw_root, warehouse_dir):
    runner = CliRunner()
    before = runner.invoke(main, ["status"])
    assert before.exit_code == 0
    assert before.output.startswith(f"Nothing published yet at {warehouse_dir / 'sdmi.duckdb'}")
    check_count = len(build_definitions().resolve_asset_graph().asset_check_keys)  # 91
    assert f"Checks: 0 passed, 0 failing, {check_count} never run" in before.output

    (raw_root / "kp2mi" / "penempatan" / "penempatan_pmi_2023_05.csv").write_text("a,b\n1,2\n")
    build = runner.invoke(main, ["build"])
    assert build.exit_code == 3  # published, but a delivery was refused
    assert (
        "  Not read into the figures (1; a refused or held file's previous vintage, if any, stays "
        "published; delete or correct the file to clear it):\n"
        "    refused, new: kp2mi/penempatan/penempatan_pmi_2023_05.csv: line 1: required column(s) "
        "missing: id_pmi,"
    ) in build.output
    after = runner.invoke(main, ["status"])
    assert after.exit_code == 0, after.output
    lines = after.output.splitlines()
    assert lines[0].startswith(f"Published: {warehouse_dir / 'sdmi.duckdb'}")
    assert lines[1].startswith("  kp2mi_placements: 2 current files, ")
    assert lines[3] == (
        "    refused, still there: kp2mi/penempatan/penempatan_pmi_2023_05.csv: line 1: required "
        "column(s) missing: id_pmi, tanggal_penempatan, jenis_kelamin, usia, pendidikan, provinsi_asal, "
        "kabupaten_asal, negara_penempatan, jabatan, sektor, skema"
    )
    assert f"Checks: {check_count - 2} passed, 2 failing, 0 never run" in lines
    assert any(
        line.startswith("  FAILED (WARN) staging/kp2mi_placements files_readable, run ") for line in lines
    )
    warned = "  FAILED (WARN) published_warehouse deliveries_clean, run "
    assert any(line.startswith(warned) for line in lines)
