"""The code lists of the SDMX release, in English and Indonesian, built from the public tables.

Most names come from `reference.*`: countries (`name_en`, `name_id`), provinces (a proper name,
official Indonesian and English names), age groups, and the small lists of `reference.codes`
(`label_en`, `label_id`). Locations and the sources measured by
SDMI_COVERAGE are the values the observations hold. Frequency, observation status and unit are
SDMX's own small lists, named here. Every disaggregation list also holds the SDMX special codes
`_T`, `_Z`, `_O` and `_U` of `reference.codes`.
"""

from dataclasses import dataclass

import duckdb

from sdmi_pipeline.release.sdmx_dsd import (
    COVERED_SOURCE,
    DIMENSIONS,
    OBS_STATUS,
    UNIT_MEASURE,
    UNITS,
    Component,
)


@dataclass(frozen=True)
class Code:
    id: str
    name_en: str
    name_id: str


@dataclass(frozen=True)
class CodeList:
    id: str
    name_en: str
    name_id: str
    codes: tuple[Code, ...]

    def ids(self) -> set[str]:
        return {code.id for code in self.codes}


FREQUENCIES = (
    Code("A", "Annual", "Tahunan"),
    Code("Q", "Quarterly", "Triwulanan"),
    Code("M", "Monthly", "Bulanan"),
)
OBSERVATION_STATUSES = (
    Code("A", "Normal value", "Nilai normal"),
    Code("P", "Provisional value", "Nilai sementara"),
    Code("E", "Estimated value", "Nilai estimasi"),
    Code("B", "Break in series (source or method changed)", "Patahan seri (sumber atau metode berubah)"),
    Code(
        "C", "Confidential (suppressed by disclosure control)", "Rahasia (disembunyikan kontrol pengungkapan)"
    ),
)


def _labelled(*code_lists: str) -> str:
    """SQL: the codes of lists of `reference.codes`, with their English and Indonesian labels."""
    names = ", ".join(f"'{name}'" for name in code_lists)
    return f"""SELECT code, label_en, label_id
               FROM reference.codes WHERE code_list IN ({names})"""


SPECIALS_SQL = _labelled("sdmx_special")
AGE_GROUPS_SQL = "SELECT age_group, label_en, label_id FROM reference.age_groups"


def _observed(component: Component, where: str = "TRUE") -> str:
    """SQL: the values of a column of the observations that are no special code, as codes."""
    return f"""SELECT DISTINCT {component.code_expression()}, {component.column}, {component.column}
               FROM indicators.observations
               WHERE {where} AND {component.column} NOT IN (SELECT code FROM reference.codes
                                                           WHERE code_list = 'sdmx_special')"""


# Each dimension's code list: the SQL giving its (code, English name, Indonesian name).
DIMENSION_CODES_SQL = {
    "INDICATOR": "SELECT indicator_id, name_en, name_id FROM indicators.catalogue",
    "REF_AREA": """SELECT iso3, name_en, name_id FROM reference.countries WHERE iso3 = 'IDN'
                   UNION ALL SELECT 'ID-' || province_code, name_en, name_id FROM reference.provinces""",
    "COUNTERPART_AREA": "SELECT iso3, name_en, name_id FROM reference.countries",
    "SEX": _labelled("sex"),
    "AGE": f"{AGE_GROUPS_SQL} UNION ALL {_labelled('refugee_age_group')}",
    "PROVINCE": f"""SELECT province_code, name_en, name_id FROM reference.provinces
                    UNION ALL {_labelled("tka_province")}""",
    "EDUCATION": _labelled("education"),
    "SECTOR": _labelled("pmi_sector", "tka_sector"),
    "OCCUPATION": _labelled("occupation", "tka_position"),
    "SCHEME": _labelled("pmi_scheme"),
    "POPULATION_TYPE": _labelled("population_type"),
    "LOCATION": _observed(DIMENSIONS[-1]),
    "COVERED_SOURCE": _observed(COVERED_SOURCE, "indicator_id = 'SDMI_COVERAGE' AND source <> 'All sources'"),
}
# Lists without the special codes: an indicator, a frequency and a reference area are always given.
WITHOUT_SPECIALS = {"INDICATOR", "FREQ", "REF_AREA"}


def _codes(public: duckdb.DuckDBPyConnection, sql: str, list_id: str) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for code_id, name_en, name_id in public.execute(f"{sql} ORDER BY 1").fetchall():
        if code_id in codes:
            raise ValueError(f"code list {list_id}: two values give the code {code_id!r} ({name_en!r})")
        codes[code_id] = Code(code_id, name_en, name_id)
    return codes


def code_lists(public: duckdb.DuckDBPyConnection) -> dict[str, CodeList]:
    """Every code list of the DSDs, by id."""
    specials = _codes(public, SPECIALS_SQL, "sdmx_special")
    lists = {
        "CL_FREQ": CodeList("CL_FREQ", "Frequency", "Frekuensi", FREQUENCIES),
        OBS_STATUS.codelist: CodeList(
            OBS_STATUS.codelist, "Observation status", "Status observasi", OBSERVATION_STATUSES
        ),
        UNIT_MEASURE.codelist: CodeList(
            UNIT_MEASURE.codelist,
            "Unit of measure",
            "Satuan",
            tuple(Code(*names) for names in UNITS.values()),
        ),
    }
    for dimension in (*DIMENSIONS, COVERED_SOURCE):
        if dimension.codelist in lists:
            continue
        codes = _codes(public, DIMENSION_CODES_SQL[dimension.id], dimension.codelist)
        if dimension.id not in WITHOUT_SPECIALS:
            codes = specials | codes  # a list's own `_U` (not stated) keeps its own name
        lists[dimension.codelist] = CodeList(
            dimension.codelist, dimension.name_en, dimension.name_id, tuple(codes.values())
        )
    return lists
