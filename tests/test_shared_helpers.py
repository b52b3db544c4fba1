"""The helpers every domain shares: one sha256, one "table exists", one "process alive"."""

import subprocess
import sys

import duckdb

from sdmi_pipeline.digests import sha256
from sdmi_pipeline.processes import is_alive
from sdmi_pipeline.warehouse.catalog import table_exists

ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2's "abc"


def test_sha256_of_bytes_text_and_a_file_read_in_blocks(tmp_path, monkeypatch):
    assert sha256(b"abc") == sha256("abc") == ABC
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    monkeypatch.setattr("sdmi_pipeline.digests.BLOCK", 1)  # one byte a block: the blocks add up
    assert sha256(path) == ABC
    assert sha256("abd") != ABC


def test_table_exists_in_its_schema_only():
    with duckdb.connect() as connection:
        connection.execute(
            "CREATE SCHEMA meta; CREATE TABLE meta.runs (x INT); CREATE VIEW meta.v AS SELECT 1"
        )
        assert table_exists(connection, "meta.runs")
        assert not table_exists(connection, "main.runs")
        assert not table_exists(connection, "meta.v")  # a view is not a table
        assert not table_exists(connection, "meta.gone")


def test_a_process_is_alive_until_it_ends():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert is_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not is_alive(child.pid)
    assert not is_alive(0)  # kill(0, 0) would signal our own process group
