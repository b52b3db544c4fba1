"""Reference tables: the code lists of `sdmi_pipeline.reference`, published for SQL users."""

from collections.abc import Callable

import pandas as pd
from dagster import AssetKey, AssetsDefinition, MaterializeResult, asset

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.metadata import OWNERS, table_metadata
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import country_table
from sdmi_pipeline.reference.provinces import province_table
from sdmi_pipeline.warehouse import WAREHOUSE_POOL, WarehouseResource, create_documented_table


def code_table() -> pd.DataFrame:
    """Every small code list as (code_list, code, label); a label is "English / Indonesian"."""
    lists = {
        "sex": {"M": "Male / Laki-laki", "F": "Female / Perempuan"},
        "pmi_scheme": {
            "P2P": "Through a placement company (P3MI) / Melalui P3MI",
            "G2G": "Government to government / Antarpemerintah",
            "MANDIRI": "Individual / Perseorangan",
            "UKPS": "For the company's own interest / Untuk kepentingan perusahaan sendiri",
        },
        "pmi_sector": {"FORMAL": "Formal / Formal", "INFORMAL": "Informal / Informal"},
        "education": codes.EDUCATION_LABELS,
        "occupation": codes.OCCUPATION_LABELS,
        "tka_sector": codes.TKA_SECTOR_LABELS,
        "tka_position": codes.TKA_POSITION_LABELS,
        "tka_province": {codes.ACROSS_PROVINCES: "Across provinces / Lintas Provinsi (beberapa provinsi)"},
        "population_type": codes.POPULATION_TYPE_LABELS,
        "refugee_age_group": codes.REFUGEE_AGE_GROUP_LABELS,
        "mgi_level": codes.MGI_LEVEL_LABELS,
        "mgi_answer": codes.MGI_ANSWER_LABELS,
        "mgi_domain": codes.MGI_DOMAIN_LABELS,
        "sdmx_special": {
            "_T": "Total / Jumlah",
            "_Z": "Not applicable / Tidak berlaku",
            "_O": "Rest of the world or other / Lainnya",
            "_U": "Unknown or not stated / Tidak diketahui atau tidak disebutkan",
        },
    }
    return pd.DataFrame(
        [(name, code, label) for name, entries in lists.items() for code, label in entries.items()],
        columns=["code_list", "code", "label"],
    )


def age_group_table() -> pd.DataFrame:
    return pd.DataFrame(codes.AGE_GROUPS, columns=["age_group", "min_age", "max_age"])


REFERENCE_TABLES: dict[str, Callable[[], pd.DataFrame]] = {
    "reference.countries": country_table,
    "reference.provinces": province_table,
    "reference.codes": code_table,
    "reference.age_groups": age_group_table,
}


def reference_asset(table: str, frame: Callable[[], pd.DataFrame]) -> AssetsDefinition:
    contract = contract_for(table)
    schema, name = table.split(".")

    @asset(
        key=AssetKey([schema, name]),
        group_name=schema,
        kinds={"duckdb", "python"},
        description=contract.description_en,
        owners=OWNERS,
        metadata={"dagster/table_name": table},
        pool=WAREHOUSE_POOL,
    )
    def _write(warehouse: WarehouseResource) -> MaterializeResult:
        rows = frame()[[column.name for column in contract.columns]]
        with warehouse.connect() as connection:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            create_documented_table(connection, table)
            connection.register("reference_rows", rows)
            connection.execute(f"INSERT INTO {table} SELECT * FROM reference_rows")
            connection.unregister("reference_rows")
            return MaterializeResult(metadata=table_metadata(connection, contract))

    return _write


def reference_assets() -> list[AssetsDefinition]:
    return [reference_asset(table, frame) for table, frame in REFERENCE_TABLES.items()]
