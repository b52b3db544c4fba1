"""The benchmark's peers agree with `sdmi build` on PMI_PLACED, and its equality check sees a difference."""

from pathlib import Path

import duckdb
import pytest

from sdmi_benchmark.benchmark import differing_cells, project_cells
from sdmi_benchmark.peers import duckdb_floor, pandas_script


@pytest.mark.slow
def test_floor_pandas_and_project_give_equal_pmi_placed_cells(refresh, warehouse_dir: Path, raw_root: Path):
    assert refresh().success
    out = warehouse_dir.parent
    project_cells(warehouse_dir / "sdmi.duckdb", out / "project.csv")
    # Two months at 1 % volume, 8 bad rows per file (conftest): 8 rejected rows each.
    assert duckdb_floor.write_cells(raw_root, out / "floor.csv") == 16
    assert pandas_script.write_cells(raw_root, out / "pandas.csv") == 198 + 215
    assert differing_cells(out / "floor.csv", out / "project.csv") == 0
    assert differing_cells(out / "pandas.csv", out / "project.csv") == 0
    totals = duckdb.sql(
        f"""SELECT time_period, value FROM read_csv('{out / "floor.csv"}', all_varchar = true)
            WHERE counterpart_area = '_T' AND sex = '_T' AND age = '_T' AND province = '_T'
              AND education = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'
            ORDER BY time_period"""
    ).fetchall()
    assert totals == [("2023", "413.0"), ("2023-01", "198.0"), ("2023-02", "215.0")]


def test_equality_check_counts_a_changed_cell_both_ways(tmp_path: Path):
    header = "freq,time_period,counterpart_area,sex,age,province,education,sector,occupation,scheme,value\n"
    (tmp_path / "a.csv").write_text(header + "M,2023-01,_T,_T,_T,_T,_T,_T,_T,_T,198.0\n")
    (tmp_path / "b.csv").write_text(header + "M,2023-01,_T,_T,_T,_T,_T,_T,_T,_T,198\n")
    (tmp_path / "c.csv").write_text(header + "M,2023-01,_T,_T,_T,_T,_T,_T,_T,_T,197.0\n")
    assert differing_cells(tmp_path / "a.csv", tmp_path / "b.csv") == 0  # 198 and 198.0 are one count
    assert differing_cells(tmp_path / "a.csv", tmp_path / "c.csv") == 2
