"""The sources the pipeline loads, one entry per delivery type of the spec."""

from pathlib import Path

from sdmi_pipeline.ingest import ReadFile, Source
from sdmi_pipeline.readers.kp2mi_placements import read_placement_file


def _read_placements(path: Path, content: bytes) -> ReadFile:
    read = read_placement_file(path, content)
    return ReadFile(read.rows, read.raw, read.issues, read.ignored_columns, read.encoding, read.delimiter)


KP2MI_PLACEMENTS = Source(
    name="kp2mi_placements",
    publisher="KP2MI",
    pattern="kp2mi/penempatan/*.csv",
    table="staging.kp2mi_placements",
    read=_read_placements,
)

SOURCES = (KP2MI_PLACEMENTS,)
