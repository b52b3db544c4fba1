"""The sources the pipeline loads, one entry per delivery type of the spec."""

from sdmi_pipeline.ingest import Source
from sdmi_pipeline.readers.kemnaker_permits import read_permit_file
from sdmi_pipeline.readers.kp2mi_placements import file_period, read_placement_file

KP2MI_PLACEMENTS = Source(
    name="kp2mi_placements",
    publisher="KP2MI",
    pattern="kp2mi/penempatan/*.csv",
    table="staging.kp2mi_placements",
    read=read_placement_file,
    period=file_period,
)

KEMNAKER_PERMITS = Source(
    name="kemnaker_permits",
    publisher="Kemnaker",
    pattern="kemnaker/tka/*.csv",
    table="staging.kemnaker_permits",
    read=read_permit_file,
    unique_across_files="permit_id",
)

SOURCES = (KP2MI_PLACEMENTS, KEMNAKER_PERMITS)
