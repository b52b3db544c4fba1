"""The SDMX part of a release: `structure.xml` (SDMX-ML 2.1, code lists in English and Indonesian,
concepts, DSDs, dataflows) and `data/<DATAFLOW>.csv` (SDMX-CSV 2.0), from the public tables."""

from pathlib import Path

import duckdb

from sdmi_pipeline.release.carry import Carry
from sdmi_pipeline.release.sdmx_codes import code_lists
from sdmi_pipeline.release.sdmx_data import write_data
from sdmi_pipeline.release.sdmx_structure import write_structure

STRUCTURE_NAME, DATA_DIR = "structure.xml", "data"


def write_sdmx(
    public: duckdb.DuckDBPyConnection, out_dir: Path, vintage: str, carry: Carry | None = None
) -> None:
    """Write the SDMX structure (always: it names the vintage) and one SDMX-CSV 2.0 file per
    dataflow under `out_dir`; with `carry`, a dataflow of unchanged rows is carried over."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lists = code_lists(public)
    write_structure(lists, out_dir / STRUCTURE_NAME, vintage)
    write_data(public, lists, out_dir / DATA_DIR, carry)
