"""SDMX-CSV 2.0 data of a release: one file per dataflow, written by DuckDB from the observations.

Columns: STRUCTURE (`dataflow`), STRUCTURE_ID (`BPS:DF_SDMI_PMI(1.0)`), ACTION (`I`, information),
the dimensions in key order, TIME_PERIOD, OBS_VALUE, then the attributes. A whole number is
written without decimals (`1234`, not `1234.0`); a suppressed cell has an empty OBS_VALUE and
OBS_STATUS `C`; the first period after a series break has OBS_STATUS `B` (release/figures.py).
Every code is checked against its code list before a file is written.
"""

from pathlib import Path

import duckdb

from sdmi_pipeline.release.carry import Carry, copy_query, writer_code
from sdmi_pipeline.release.figures import OBSERVATIONS
from sdmi_pipeline.release.layout import DATAFLOWS, dataflow_of
from sdmi_pipeline.release.sdmx_codes import CodeList
from sdmi_pipeline.release.sdmx_dsd import AGENCY, OBS_VALUE, VERSION, structure_of

VALUE_SQL = """CASE WHEN value = trunc(value) AND abs(value) < 1e15
                    THEN CAST(CAST(value AS HUGEINT) AS VARCHAR) ELSE CAST(value AS VARCHAR) END"""


def structure_id(dataflow: str) -> str:
    return f"{AGENCY}:{dataflow}({VERSION})"


def _rows(dataflow: str) -> str:
    indicators = ", ".join(f"'{indicator}'" for indicator in DATAFLOWS[dataflow])
    return f"FROM {OBSERVATIONS} AS observations WHERE indicator_id IN ({indicators})"


def _check_codes(public: duckdb.DuckDBPyConnection, dataflow: str, code_lists: dict[str, CodeList]) -> None:
    """Raise when a value of the dataflow's observations has no code in its component's list."""
    for component in structure_of(dataflow).components:
        if not component.codelist:
            continue
        values = public.execute(
            f"SELECT DISTINCT {component.column}, {component.code_expression()} {_rows(dataflow)}"
        ).fetchall()
        unknown = sorted(
            str(value) for value, code in values if code not in code_lists[component.codelist].ids()
        )
        if unknown:
            raise ValueError(
                f"{dataflow}: indicators.observations.{component.column} holds {unknown}, "
                f"not in code list {component.codelist} of {component.id}"
            )


def _check_indicators(public: duckdb.DuckDBPyConnection) -> None:
    """Raise when an indicator with observations is in no dataflow."""
    for (indicator,) in public.execute(
        "SELECT DISTINCT indicator_id FROM indicators.observations"
    ).fetchall():
        dataflow_of(indicator)


def select_sql(dataflow: str) -> str:
    """The query giving a dataflow's SDMX-CSV 2.0 rows, ordered by key and period."""
    structure = structure_of(dataflow)
    columns = [
        "'dataflow' AS STRUCTURE",
        f"'{structure_id(dataflow)}' AS STRUCTURE_ID",
        "'I' AS ACTION",
        *(
            f"{VALUE_SQL if component is OBS_VALUE else component.code_expression()} AS {component.id}"
            for component in structure.components
        ),
    ]
    order = ", ".join(component.id for component in structure.dimensions)
    return f"SELECT {', '.join(columns)} {_rows(dataflow)} ORDER BY {order}, TIME_PERIOD"


def write_data(
    public: duckdb.DuckDBPyConnection,
    code_lists: dict[str, CodeList],
    data_dir: Path,
    carry: Carry | None = None,
) -> dict[str, int]:
    """Write `<data_dir>/<DATAFLOW>.csv` for every dataflow; the number of observations of each.
    The codes are checked whether or not a file is carried over."""
    _check_indicators(public)
    data_dir.mkdir(parents=True, exist_ok=True)
    code = writer_code("sdmi_pipeline.release.sdmx_data", "sdmi_pipeline.release.sdmx_dsd")
    counts = {}
    for dataflow in DATAFLOWS:
        _check_codes(public, dataflow, code_lists)
        path = data_dir / f"{dataflow}.csv"
        copy_query(carry, public, select_sql(dataflow), path, "HEADER, DELIMITER ','", code)
        counts[dataflow] = public.execute(f"SELECT count(*) {_rows(dataflow)}").fetchall()[0][0]
    return counts
