"""The SDMX release of the shipped sample, read back with pysdmx (and sdmx1 for the Indonesian names).

Written from `release.public.open_public`, after disclosure control (threshold 5): a suppressed
cell has value NULL and obs_status 'C'.
"""

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sdmx
from pysdmx.io import get_datasets, read_sdmx
from pysdmx.model import Role

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.release.figures import OBSERVATIONS
from sdmi_pipeline.release.layout import DATAFLOWS, dataflow_of
from sdmi_pipeline.release.public import open_public
from sdmi_pipeline.release.sdmx import write_sdmx
from sdmi_pipeline.release.sdmx_codes import code_lists
from sdmi_pipeline.release.sdmx_data import write_data
from sdmi_pipeline.release.sdmx_dsd import UNITS

VINTAGE = "2025-06-01"
KEY = list(contract_for("indicators.observations").primary_key)


@pytest.fixture(scope="session")
def public(shipped_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return open_public(shipped_warehouse)  # after disclosure control (threshold 5)


@pytest.fixture(scope="session")
def release(public: duckdb.DuckDBPyConnection, tmp_path_factory) -> Path:
    out_dir = tmp_path_factory.mktemp("release") / "sdmx"
    write_sdmx(public, out_dir, VINTAGE)
    return out_dir


@pytest.fixture(scope="session")
def datasets(release: Path) -> dict:
    """Every data file read back by pysdmx with the structure, by dataflow."""
    read = {}
    for dataflow in DATAFLOWS:
        (dataset,) = get_datasets(release / "data" / f"{dataflow}.csv", release / "structure.xml")
        read[dataflow] = dataset
    return read


def test_structure_holds_code_lists_concepts_two_dsds_and_a_dataflow_per_family(release: Path):
    structures = read_sdmx(release / "structure.xml").structures
    kinds: dict[str, set[str]] = {}
    for artefact in structures:
        kinds.setdefault(type(artefact).__name__, set()).add(artefact.id)
    assert kinds["Dataflow"] == set(DATAFLOWS)
    assert kinds["DataStructureDefinition"] == {"DSD_SDMI", "DSD_SDMI_COVERAGE"}
    assert kinds["ConceptScheme"] == {"CS_SDMI"}
    assert {
        "CL_SDMI_INDICATOR",
        "CL_FREQ",
        "CL_SDMI_COUNTRY",
        "CL_SEX",
        "CL_SDMI_AGE",
        "CL_OBS_STATUS",
    } <= kinds["Codelist"]
    assert all(artefact.agency == "BPS" and artefact.version == "1.0" for artefact in structures)


def test_every_name_is_in_english_and_indonesian(release: Path):
    message = sdmx.read_sdmx(release / "structure.xml")
    artefacts = [
        *message.codelist.values(),
        *message.concept_scheme.values(),
        *message.structure.values(),
        *message.dataflow.values(),
    ]
    items = [item for artefact in artefacts if hasattr(artefact, "items") for item in artefact.items.values()]
    missing = [
        thing.id
        for thing in artefacts + items
        if set(thing.name.localizations) != {"en", "id"} or not all(thing.name.localizations.values())
    ]
    assert missing == []
    names = {
        (codelist, code): message.codelist[codelist][code].name.localizations
        for codelist, code in [
            ("CL_SEX", "F"),
            ("CL_SDMI_COUNTRY", "DEU"),
            ("CL_SDMI_AGE", "Y_GE50"),
            ("CL_SDMI_AGE", "Y0T4"),
            ("CL_SDMI_EDUCATION", "_U"),
            ("CL_SDMI_SECTOR", "_T"),
            ("CL_OBS_STATUS", "C"),
            ("CL_SDMI_LOCATION", "TANJUNG_PINANG"),
        ]
    }
    assert names == {
        ("CL_SEX", "F"): {"en": "Female", "id": "Perempuan"},
        ("CL_SDMI_COUNTRY", "DEU"): {"en": "Germany", "id": "Jerman"},
        ("CL_SDMI_AGE", "Y_GE50"): {"en": "50 years and over", "id": "50 tahun ke atas"},
        ("CL_SDMI_AGE", "Y0T4"): {"en": "0-4 years", "id": "0-4 tahun"},
        ("CL_SDMI_EDUCATION", "_U"): {"en": "Not stated", "id": "Tidak dinyatakan"},
        ("CL_SDMI_SECTOR", "_T"): {"en": "Total", "id": "Jumlah"},
        ("CL_OBS_STATUS", "C"): {"en": "Confidential", "id": "Dirahasiakan"},  # reference.codes obs_status
        ("CL_SDMI_LOCATION", "TANJUNG_PINANG"): {"en": "Tanjung Pinang", "id": "Tanjung Pinang"},
    }
    assert {"_T", "_Z", "_O", "_U"} <= set(message.codelist["CL_SDMI_PROVINCE"].items)


def test_every_value_is_a_code_of_its_list_and_mandatory_attributes_are_present(datasets: dict):
    for dataflow, dataset in datasets.items():
        data = dataset.data
        for component in dataset.structure.components:
            column = data[component.id]
            if component.local_codes is not None:
                codes = {code.id for code in component.local_codes}
                assert set(column.unique()) <= codes, (dataflow, component.id, set(column.unique()) - codes)
            if component.role == Role.ATTRIBUTE:
                assert component.required and column.notna().all(), (dataflow, component.id)
        empty = data["OBS_VALUE"].isna()
        assert (data.loc[empty, "OBS_STATUS"] == "C").all() and (data.loc[~empty, "OBS_STATUS"] != "C").all()


def _as_warehouse(dataset) -> pd.DataFrame:
    """A dataset read back, in the warehouse's columns: codes turned back into the values they stand for."""
    data = dataset.data.copy()
    names = {
        component.id: {code.id: code.name for code in component.local_codes if not code.id.startswith("_")}
        for component in dataset.structure.components
        if component.id in ("LOCATION", "COVERED_SOURCE")
    }
    data["LOCATION"] = data["LOCATION"].map(lambda code: names["LOCATION"].get(code, code))
    if "COVERED_SOURCE" in data:
        data["SOURCE_DETAIL"] = data["COVERED_SOURCE"].map(names["COVERED_SOURCE"]).fillna("All sources")
    data["UNIT_MEASURE"] = data["UNIT_MEASURE"].map({code: text for text, code in UNITS.items()})
    columns = {
        **{name.upper(): name for name in KEY},
        "INDICATOR": "indicator_id",
        "SOURCE_DETAIL": "source",
        "OBS_VALUE": "value",
        "OBS_STATUS": "obs_status",
        "UNIT_MEASURE": "unit",
    }
    released = data.rename(columns=columns)[[*KEY, "value", "obs_status", "unit"]]
    return released.astype({"value": "float64"}).reset_index(drop=True)


def test_values_and_counts_of_every_dataflow_equal_the_warehouse(
    public: duckdb.DuckDBPyConnection, datasets: dict
):
    comparison = duckdb.connect()
    for dataflow, indicators in DATAFLOWS.items():
        released = _as_warehouse(datasets[dataflow])
        expected = public.execute(
            f"""SELECT {", ".join(KEY)}, value, obs_status, unit FROM {OBSERVATIONS}
                WHERE indicator_id IN ?""",  # OBS_STATUS B after a series break (indicators.figures)
            [list(indicators)],
        ).df()
        assert len(released) == len(expected) > 0, dataflow
        # pandas' CSV parser, which pysdmx uses, can miss a double by one ulp: compare to 1e-9.
        comparison.register("released", released.round({"value": 9}))
        comparison.register("expected", expected.round({"value": 9}))
        differences = comparison.execute(
            """SELECT count(*) FROM ((FROM released EXCEPT ALL FROM expected)
                                     UNION ALL (FROM expected EXCEPT ALL FROM released))"""
        ).fetchall()
        assert differences == [(0,)], dataflow


def test_suppressed_cells_are_empty_with_status_c(public: duckdb.DuckDBPyConnection, release: Path):
    suppressed = public.execute(
        """SELECT indicator_id, count(*) FROM indicators.observations WHERE obs_status = 'C'
           GROUP BY ALL ORDER BY 1"""
    ).fetchall()
    assert sum(count for _, count in suppressed) == 978 + 1758  # shipped sample, threshold 5
    for indicator, count in suppressed:
        with (release / "data" / f"{dataflow_of(indicator)}.csv").open(newline="") as file:
            rows = [
                row
                for row in csv.DictReader(file)
                if row["INDICATOR"] == indicator and row["OBS_STATUS"] == "C"
            ]
        assert len(rows) == count, indicator
        assert {row["OBS_VALUE"] for row in rows} == {""}
    # Macao, January 2023: 1 man placed, below the threshold of 5.
    macao = [
        row
        for row in csv.DictReader((release / "data" / "DF_SDMI_PMI.csv").open(newline=""))
        if row["INDICATOR"] == "PMI_PLACED"
        and row["TIME_PERIOD"] == "2023-01"
        and row["COUNTERPART_AREA"] == "MAC"
        and row["SEX"] == "M"
    ]
    assert [(row["OBS_VALUE"], row["OBS_STATUS"]) for row in macao] == [("", "C")]


def _totals(release: Path, dataflow: str) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """Annual all-total rows of a data file as written, (indicator, period, source) -> value, status, unit."""
    with (release / "data" / f"{dataflow}.csv").open(newline="") as file:
        return {
            (row["INDICATOR"], row["TIME_PERIOD"], row["SOURCE_DETAIL"]): (
                row["OBS_VALUE"],
                row["OBS_STATUS"],
                row["UNIT_MEASURE"],
            )
            for row in csv.DictReader(file)
            if row["FREQ"] == "A"
            and all(row[dimension] in ("_T", "_Z") for dimension in list(row)[6:16])
            and row["REF_AREA"] == "IDN"
        }


def test_hand_checked_figures(release: Path):
    placed = _totals(release, "DF_SDMI_PMI")
    assert placed[("PMI_PLACED", "2022", "KP2MI (published table)")] == ("200761", "A", "PS")
    assert placed[("PMI_PLACED", "2023", "KP2MI")] == ("83864", "P", "PS")
    assert _totals(release, "DF_SDMI_TKA")[("TKA_NEW", "2023", "Kemnaker")] == ("168048", "A", "PERMIT")
    assert _totals(release, "DF_SDMI_REMITTANCES")[("REMIT_INFLOW", "2022", "Bank Indonesia")] == (
        "9710",
        "A",
        "USD_MN",
    )


def test_a_value_without_a_code_is_an_error_naming_column_and_code_list(
    public: duckdb.DuckDBPyConnection, tmp_path: Path
):
    public.execute("BEGIN")
    try:
        public.execute("UPDATE indicators.observations SET unit = 'dozens' WHERE indicator_id = 'TKA_STOCK'")
        with pytest.raises(
            ValueError,
            match=r"DF_SDMI_TKA: indicators.observations.unit holds \['dozens'\], not in code list CL_SDMI_UNIT",  # noqa: E501
        ):
            write_data(public, code_lists(public), tmp_path)
    finally:
        public.execute("ROLLBACK")
