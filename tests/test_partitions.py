"""Monthly partitions of the KP2MI staging asset: a month's run reads that month's file."""

from pathlib import Path

import pytest
from dagster import AssetKey, BackfillPolicy

from sdmi_pipeline.definitions import defs
from sdmi_pipeline.ingest.partitions import delivered_months, months_of, range_tags
from tests.conftest import query, staging_metadata

PUBLISHED = "sdmi.duckdb"
STAGING = AssetKey(["staging", "kp2mi_placements"])


def test_staging_is_partitioned_by_month_and_backfills_in_one_run():
    node = defs.resolve_asset_graph().get(STAGING)
    assert node.partitions_def.get_partition_keys()[:2] == ["2000-01", "2000-02"]
    assert node.backfill_policy == BackfillPolicy.single_run()
    downstream = defs.resolve_asset_graph().get(AssetKey(["core", "pmi_placements"]))
    assert downstream.partitions_def is None  # rebuilt from every month, published whole


@pytest.mark.slow
def test_a_months_run_reads_only_that_months_file(refresh, warehouse_dir: Path, raw_root: Path):
    assert delivered_months(raw_root) == ["2023-01", "2023-02"]
    january = refresh(["2023-01"])
    assert january.success
    assert sorted(
        e.partition for e in january.get_asset_materialization_events() if e.asset_key == STAGING
    ) == ["2023-01"]
    assert staging_metadata(january)["files_seen"] == 1
    months = query(warehouse_dir / PUBLISHED, "SELECT DISTINCT placement_month FROM core.pmi_placements")
    assert months == [("2023-01",)]

    february = refresh(["2023-02"])
    assert february.success and staging_metadata(february)["files_parsed"] == 1
    months = query(
        warehouse_dir / PUBLISHED, "SELECT DISTINCT placement_month FROM core.pmi_placements ORDER BY 1"
    )
    assert months == [("2023-01",), ("2023-02",)]  # January stays


@pytest.mark.slow
def test_a_file_whose_name_gives_no_month_is_reported_in_every_run(
    refresh, warehouse_dir: Path, raw_root: Path
):
    (raw_root / "kp2mi" / "penempatan" / "penempatan_januari.csv").write_text("id_pmi\n1\n")
    run = refresh(["2023-02"])
    assert run.success
    assert staging_metadata(run)["files_failed"] == 1
    failed = query(
        warehouse_dir / PUBLISHED, "SELECT path, status FROM meta.raw_files WHERE status = 'failed'"
    )
    assert failed == [("kp2mi/penempatan/penempatan_januari.csv", "failed")]


def test_months_of_changed_files(raw_root: Path):
    january = "kp2mi/penempatan/penempatan_pmi_2023_01.csv"
    assert months_of(raw_root, [january]) == ["2023-01"]
    assert months_of(raw_root, [january, "kp2mi/penempatan/penempatan_pmi_2023_02.csv"]) == [
        "2023-01",
        "2023-02",
    ]
    assert months_of(raw_root, [january, "kp2mi/penempatan/salinan.csv"]) is None
    assert months_of(raw_root, ["bps/penduduk.json"]) is None
    assert range_tags(["2023-02", "2023-01"]) == {
        "dagster/asset_partition_range_start": "2023-01",
        "dagster/asset_partition_range_end": "2023-02",
    }


def test_a_partial_run_names_only_the_months_of_the_changed_monthly_files(tmp_path: Path):
    from sdmi_pipeline.ingest.partitions import partial_run_tags

    folder = tmp_path / "kp2mi" / "penempatan"
    folder.mkdir(parents=True)
    for month in ("2023_01", "2023_02", "2024_01"):
        (folder / f"penempatan_pmi_{month}.csv").write_text("id_pmi\n1\n")
    new = "kp2mi/penempatan/penempatan_pmi_2024_01.csv"
    assert partial_run_tags(tmp_path, [new, "unhcr/population_coa_IDN_2023.json"]) == {
        "dagster/asset_partition_range_start": "2024-01",
        "dagster/asset_partition_range_end": "2024-01",
    }
    assert partial_run_tags(tmp_path, ["unhcr/population_coa_IDN_2023.json"]) == {}  # no monthly file
