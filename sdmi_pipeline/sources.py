"""The sources the pipeline loads, one entry per delivery type of the spec."""

from sdmi_pipeline.ingest import Source
from sdmi_pipeline.readers.kp2mi_placements import file_period, read_placement_file

KP2MI_PLACEMENTS = Source(
    name="kp2mi_placements",
    publisher="KP2MI",
    pattern="kp2mi/penempatan/*.csv",
    table="staging.kp2mi_placements",
    read=read_placement_file,
    period=file_period,
)

SOURCES = (KP2MI_PLACEMENTS,)
