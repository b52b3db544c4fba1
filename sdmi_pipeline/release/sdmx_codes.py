"""The code lists of the SDMX release, in English and Indonesian, from the one label lookup.

Every name comes from `reference` through `sdmi_pipeline.reference.labels`: a dimension's codes are
the codes of the lists it draws on (countries, provinces, age groups, `reference.codes`), and
frequency, observation status and unit are the lists `freq`, `obs_status` and `unit`. Indicators
are named by the catalogue; locations and the sources measured by SDMI_COVERAGE are the values
the observations hold. Every disaggregation list also holds the SDMX special codes `_T`, `_Z`,
`_O` and `_U`.
"""

from dataclasses import dataclass

import duckdb

from sdmi_pipeline.reference.labels import DIMENSION_LISTS, LOOKUP_SQL, SPECIAL_LIST
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


def _labelled(*code_lists: str) -> str:
    """SQL: the codes of lists of the label lookup, with their English and Indonesian labels."""
    names = ", ".join(f"'{name}'" for name in code_lists)
    return f"SELECT code, label_en, label_id FROM ({LOOKUP_SQL}) WHERE code_list IN ({names})"


SPECIALS_SQL = _labelled(SPECIAL_LIST)
# Statuses in SDMX: the codes a release uses (M is `..` in the tables, no OBS_STATUS of its own).
STATUS_CODES = ("A", "P", "E", "B", "C")


def _observed(component: Component, where: str = "TRUE") -> str:
    """SQL: the values of a column of the observations that are no special code, as codes."""
    return f"""SELECT DISTINCT {component.code_expression()}, {component.column}, {component.column}
               FROM indicators.observations
               WHERE {where} AND {component.column} NOT IN (SELECT code FROM reference.codes
                                                           WHERE code_list = '{SPECIAL_LIST}')"""


# Each dimension's code list: the SQL giving its (code, English name, Indonesian name).
DIMENSION_CODES_SQL = {
    "INDICATOR": "SELECT indicator_id, name_en, name_id FROM indicators.catalogue",
    "REF_AREA": f"""SELECT code, label_en, label_id FROM ({_labelled("country")}) WHERE code = 'IDN'
                    UNION ALL SELECT 'ID-' || code, label_en, label_id FROM ({_labelled("province")})""",
    "LOCATION": _observed(DIMENSIONS[-1]),
    "COVERED_SOURCE": _observed(COVERED_SOURCE, "indicator_id = 'SDMI_COVERAGE' AND source <> 'All sources'"),
} | {
    component.id: _labelled(*DIMENSION_LISTS[component.column])
    for component in DIMENSIONS
    if DIMENSION_LISTS.get(component.column)
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


def _units(public: duckdb.DuckDBPyConnection) -> tuple[Code, ...]:
    """The units' SDMX codes, named by reference (list `unit`) with a capital first letter."""
    names = {code: (en, id_) for code, en, id_ in public.execute(_labelled("unit")).fetchall()}
    capital = [(en[:1].upper() + en[1:], id_[:1].upper() + id_[1:]) for en, id_ in (names[u] for u in UNITS)]
    return tuple(Code(code, *pair) for code, pair in zip(UNITS.values(), capital, strict=True))


def code_lists(public: duckdb.DuckDBPyConnection) -> dict[str, CodeList]:
    """Every code list of the DSDs, by id."""
    specials = _codes(public, SPECIALS_SQL, SPECIAL_LIST)
    frequencies = _codes(public, _labelled("freq"), "freq")
    statuses = _codes(public, _labelled("obs_status"), "obs_status")
    lists = {
        "CL_FREQ": CodeList("CL_FREQ", "Frequency", "Frekuensi", tuple(frequencies.values())),
        OBS_STATUS.codelist: CodeList(
            OBS_STATUS.codelist,
            "Observation status",
            "Status observasi",
            tuple(statuses[code] for code in STATUS_CODES),
        ),
        UNIT_MEASURE.codelist: CodeList(UNIT_MEASURE.codelist, "Unit of measure", "Satuan", _units(public)),
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
