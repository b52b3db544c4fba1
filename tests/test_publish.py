"""Publishing while a statistician holds the published warehouse open read-only."""

import subprocess
import sys
from pathlib import Path

import pytest

from sdmi_pipeline.samples.placements import generate
from tests.conftest import SMALL_SCALE, query

READER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
count = lambda: connection.execute("SELECT count(*) FROM core.pmi_placements").fetchone()[0]
print(count(), flush=True)
sys.stdin.readline()
print(count(), flush=True)
"""


@pytest.mark.slow
def test_build_publishes_while_another_process_holds_the_file_open(
    refresh, warehouse_dir: Path, raw_root: Path
):
    assert refresh().success
    published = warehouse_dir / "sdmi.duckdb"
    old_count = query(published, "SELECT count(*) FROM core.pmi_placements")[0][0]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert int(reader.stdout.readline()) == old_count
        generate(raw_root, scale=SMALL_SCALE, bad_rows=0, months=[3])  # a new month arrives
        result = refresh()
        assert result.success
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert int(reader.stdout.readline()) == old_count  # the open connection keeps its version
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0
    new_count = query(published, "SELECT count(*) FROM core.pmi_placements")[0][0]
    assert new_count > old_count
