"""The sources the pipeline loads, one entry per delivery type of the spec."""

from sdmi_pipeline.ingest.loading import Source
from sdmi_pipeline.ingest.readers.bi_remittances import read_remittance_table
from sdmi_pipeline.ingest.readers.bps_gdp import read_gdp_file
from sdmi_pipeline.ingest.readers.bps_population import read_population_table
from sdmi_pipeline.ingest.readers.kemnaker_permits import read_permit_file
from sdmi_pipeline.ingest.readers.kp2mi_placements import file_period, read_placement_file
from sdmi_pipeline.ingest.readers.kp2mi_published import read_published_table
from sdmi_pipeline.ingest.readers.mgi_assessment import read_mgi_file
from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
from sdmi_pipeline.ingest.readers.unhcr_snapshot import read_snapshot_file

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

UNHCR_POPULATION = Source(
    name="unhcr_population",
    publisher="UNHCR",
    pattern="unhcr/population_*.json",
    table="staging.unhcr_population",
    read=read_population_answer,
    whole_file=True,
)

UNHCR_SNAPSHOT = Source(
    name="unhcr_snapshot",
    publisher="UNHCR Indonesia",
    pattern="unhcr/snapshot_*.csv",
    table="staging.unhcr_snapshot",
    read=read_snapshot_file,
    whole_file=True,
)

BPS_POPULATION = Source(
    name="bps_population",
    publisher="BPS",
    pattern="bps/penduduk_*.json",
    table="staging.bps_population",
    read=read_population_table,
    whole_file=True,
)

KP2MI_PUBLISHED = Source(
    name="kp2mi_published",
    publisher="KP2MI",
    pattern="kp2mi/publikasi/*.xlsx",
    table="staging.kp2mi_published",
    read=read_published_table,
    whole_file=True,
)

MGI_ASSESSMENTS = Source(
    name="mgi_assessments",
    publisher="IOM MGI",
    pattern="mgi/mgi_*",  # .csv or .xlsx; any other name under mgi_ is reported as unreadable
    table="staging.mgi_assessments",
    read=read_mgi_file,
    formats=("csv", "xlsx"),
)

BI_REMITTANCES = Source(
    name="bi_remittances",
    publisher="Bank Indonesia",
    pattern="bi/remitansi_pmi*.xlsx",
    table="staging.bi_remittances",
    read=read_remittance_table,
    whole_file=True,
)

BPS_GDP = Source(
    name="bps_gdp",
    publisher="BPS",
    pattern="bps/pdb_usd*.csv",
    table="staging.bps_gdp",
    read=read_gdp_file,
    whole_file=True,
)

SOURCES = (
    KP2MI_PLACEMENTS,
    KEMNAKER_PERMITS,
    UNHCR_POPULATION,
    UNHCR_SNAPSHOT,
    BPS_POPULATION,
    KP2MI_PUBLISHED,
    MGI_ASSESSMENTS,
    BI_REMITTANCES,
    BPS_GDP,
)
