"""The components of the SDMI data structure definitions: which column of `indicators.observations`
each dimension, attribute and measure is, its concept names in English and Indonesian, and its
code list.

Two DSDs share the components. `DSD_SDMI` describes every indicator; `DSD_SDMI_COVERAGE` adds the
dimension COVERED_SOURCE, because SDMI_COVERAGE gives one value per source measured (its `source`
is in the key, not a note on where the value comes from).
"""

from dataclasses import dataclass

AGENCY = "BPS"
VERSION = "1.0"
CONCEPT_SCHEME = "CS_SDMI"
DSD_SDMI, DSD_SDMI_COVERAGE = "DSD_SDMI", "DSD_SDMI_COVERAGE"
COVERAGE_DATAFLOW = "DF_SDMI_COVERAGE"

# A text turned into an SDMX id: upper case, every run of other characters one `_`.
SDMX_ID_SQL = "rtrim(regexp_replace(upper(trim({})), '[^A-Z0-9_]+', '_', 'g'), '_')"


@dataclass(frozen=True)
class Component:
    """One component of a DSD: its id, the column it comes from, its concept and code list."""

    id: str
    column: str
    name_en: str
    name_id: str
    codelist: str | None = None  # None: free text (the time period, the value, the source)
    # SQL that turns the column into the code id; the column itself when None.
    code_sql: str | None = None

    def code_expression(self, table_alias: str = "") -> str:
        column = f"{table_alias}.{self.column}" if table_alias else self.column
        return self.code_sql.format(column) if self.code_sql else column


# The units of the warehouse (catalogue and observations) as codes, in English and Indonesian.
# The SDMX code of each unit of indicators.catalogue; its names are reference.codes, list `unit`.
UNITS: dict[str, str] = {
    "persons": "PS",
    "permits": "PERMIT",
    "percent": "PT",
    "per 100,000": "PER_100000",
    "USD million": "USD_MN",
}
UNIT_SQL = "CASE {} " + " ".join(f"WHEN '{text}' THEN '{code}'" for text, code in UNITS.items()) + " END"

DIMENSIONS = (
    Component("INDICATOR", "indicator_id", "Indicator", "Indikator", "CL_SDMI_INDICATOR"),
    Component("FREQ", "freq", "Frequency", "Frekuensi", "CL_FREQ"),
    Component("REF_AREA", "ref_area", "Reference area", "Wilayah acuan", "CL_SDMI_REF_AREA"),
    Component("COUNTERPART_AREA", "counterpart_area", "Partner country", "Negara mitra", "CL_SDMI_COUNTRY"),
    Component("SEX", "sex", "Sex", "Jenis kelamin", "CL_SEX"),
    Component("AGE", "age", "Age group", "Kelompok umur", "CL_SDMI_AGE"),
    Component("PROVINCE", "province", "Province", "Provinsi", "CL_SDMI_PROVINCE"),
    Component("EDUCATION", "education", "Education", "Pendidikan", "CL_SDMI_EDUCATION"),
    Component("SECTOR", "sector", "Sector", "Sektor", "CL_SDMI_SECTOR"),
    Component("OCCUPATION", "occupation", "Occupation or position", "Jabatan", "CL_SDMI_OCCUPATION"),
    Component("SCHEME", "scheme", "Placement scheme", "Skema penempatan", "CL_SDMI_SCHEME"),
    Component(
        "POPULATION_TYPE", "population_type", "Population type", "Jenis populasi", "CL_SDMI_POPULATION_TYPE"
    ),
    Component("LOCATION", "location", "Location", "Lokasi", "CL_SDMI_LOCATION", SDMX_ID_SQL),
)
COVERED_SOURCE = Component(
    "COVERED_SOURCE",
    "source",
    "Source measured",
    "Sumber yang diukur",
    "CL_SDMI_SOURCE",
    f"CASE {{0}} WHEN 'All sources' THEN '_T' ELSE {SDMX_ID_SQL.format('{0}')} END",
)
TIME_PERIOD = Component("TIME_PERIOD", "time_period", "Time period", "Periode waktu")
OBS_VALUE = Component("OBS_VALUE", "value", "Observation value", "Nilai observasi")
OBS_STATUS = Component("OBS_STATUS", "obs_status", "Observation status", "Status observasi", "CL_OBS_STATUS")
UNIT_MEASURE = Component("UNIT_MEASURE", "unit", "Unit of measure", "Satuan", "CL_SDMI_UNIT", UNIT_SQL)
SOURCE_DETAIL = Component("SOURCE_DETAIL", "source", "Source", "Sumber")


@dataclass(frozen=True)
class Structure:
    """A DSD: its dimensions in key order, then TIME_PERIOD, OBS_VALUE and its (mandatory) attributes."""

    id: str
    name_en: str
    name_id: str
    dimensions: tuple[Component, ...]
    attributes: tuple[Component, ...]

    @property
    def components(self) -> tuple[Component, ...]:
        return (*self.dimensions, TIME_PERIOD, OBS_VALUE, *self.attributes)


STRUCTURES = {
    DSD_SDMI: Structure(
        DSD_SDMI,
        "SDMI observations",
        "Observasi SDMI",
        DIMENSIONS,
        (OBS_STATUS, UNIT_MEASURE, SOURCE_DETAIL),
    ),
    DSD_SDMI_COVERAGE: Structure(
        DSD_SDMI_COVERAGE,
        "SDMI coverage by source",
        "Cakupan SDMI menurut sumber",
        (*DIMENSIONS, COVERED_SOURCE),
        (OBS_STATUS, UNIT_MEASURE),
    ),
}


def structure_of(dataflow: str) -> Structure:
    """The DSD a dataflow uses."""
    return STRUCTURES[DSD_SDMI_COVERAGE if dataflow == COVERAGE_DATAFLOW else DSD_SDMI]


def concepts() -> dict[str, Component]:
    """Every concept of the concept scheme, by id."""
    return {
        component.id: component for structure in STRUCTURES.values() for component in structure.components
    }
