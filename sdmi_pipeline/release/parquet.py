"""The Parquet part of a release: every public table as Parquet (zstd) and a Frictionless data package.

`datapackage.json` describes each table from its contract in `schemas/` (types, English and
Indonesian descriptions, primary key) and declares foreign keys: indicators to the catalogue,
GCM objectives to their list, and every coded dimension of the observations to a code list
written beside the tables (`codelist.<dimension>.parquet`: the codes of `reference` plus the
SDMX special codes `_T`, `_Z`, `_O`, `_U`).
"""

import json
from pathlib import Path

import duckdb

from sdmi_pipeline.contracts.contract import Contract, contract_for
from sdmi_pipeline.release.carry import Carry, copy_query, writer_code
from sdmi_pipeline.release.public import PUBLIC_TABLES, public_columns
from sdmi_pipeline.warehouse.report_views import report_view_names

# The reading layer: every `report` view, each documented by its contract in schemas/report/.
REPORT_VIEWS: tuple[str, ...] = tuple(report_view_names())

FRICTIONLESS_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "DOUBLE": "number",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "BOOLEAN": "boolean",
}
SPECIAL = "SELECT code FROM reference.codes WHERE code_list = 'sdmx_special'"
# Observation dimension -> the SELECT of its code list (codes from `reference`, with the special codes).
CODE_LISTS = {
    "counterpart_area": "SELECT iso3 FROM reference.countries",
    "province": "SELECT province_code FROM reference.provinces "
    "UNION SELECT code FROM reference.codes WHERE code_list = 'tka_province'",
    "sex": "SELECT code FROM reference.codes WHERE code_list = 'sex'",
    "age": "SELECT age_group FROM reference.age_groups "
    "UNION SELECT code FROM reference.codes WHERE code_list = 'refugee_age_group'",
    "education": "SELECT code FROM reference.codes WHERE code_list = 'education'",
    "sector": "SELECT code FROM reference.codes WHERE code_list IN ('pmi_sector', 'tka_sector')",
    "occupation": "SELECT code FROM reference.codes WHERE code_list IN ('occupation', 'tka_position')",
    "scheme": "SELECT code FROM reference.codes WHERE code_list = 'pmi_scheme'",
    "population_type": "SELECT code FROM reference.codes WHERE code_list = 'population_type'",
}
# (table, fields) -> (referenced table, fields), beyond the code lists.
FOREIGN_KEYS = {
    ("indicators.observations", "indicator_id"): ("indicators.catalogue", "indicator_id"),
    ("indicators.gcm_indicator_map", "objective"): ("indicators.gcm_objectives", "objective"),
    ("indicators.gcm_progress", "objective"): ("indicators.gcm_objectives", "objective"),
}
# Columns of the public copy that may be NULL although the warehouse's are not (suppressed cells).
NULLABLE_IN_RELEASE = {("indicators.observations", "value")}


def resource_name(table: str) -> str:
    return table.replace("_", "-")


def write_parquet(
    public: duckdb.DuckDBPyConnection, out_dir: Path, vintage: str, carry: Carry | None = None
) -> None:
    """Write every public table and the code lists as Parquet, and their datapackage.json (always
    written: it names the vintage). With `carry`, a table of unchanged rows is carried over."""
    resources = []
    for table in (*PUBLIC_TABLES, *REPORT_VIEWS):
        _copy(public, f"SELECT * FROM {table}", out_dir / f"{table}.parquet", carry)
        resources.append(_table_resource(contract_for(table)))
    for dimension, codes in CODE_LISTS.items():
        table = f"codelist.{dimension}"
        _copy(
            public,
            f"SELECT * FROM ({codes} UNION {SPECIAL}) AS c(code) ORDER BY code",
            out_dir / f"{table}.parquet",
            carry,
        )
        resources.append(_code_list_resource(dimension))
    package = {
        "name": "sdmi",
        "title": "SDMI: Satu Data Migrasi Internasional (One International Migration Data)",
        "version": vintage,
        "description": "Public SDMI tables after disclosure control: a suppressed count has no value "
        "and obs_status C. | Tabel publik SDMI setelah pengendalian keterbukaan: jumlah yang "
        "disembunyikan tidak bernilai dan berstatus obs_status C.",
        "resources": resources,
    }
    (out_dir / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )


def _copy(public: duckdb.DuckDBPyConnection, query: str, path: Path, carry: Carry | None) -> None:
    code = writer_code("sdmi_pipeline.release.parquet")
    copy_query(carry, public, query, path, "FORMAT parquet, COMPRESSION zstd", code)


def _table_resource(contract: Contract) -> dict:
    fields = []
    columns = public_columns(contract)
    for column in columns:
        field = {
            "name": column.name,
            "type": FRICTIONLESS_TYPES.get(column.type, "number"),  # DECIMAL(p,s): number
            "description": column.comment,
        }
        if not column.nullable and (contract.table, column.name) not in NULLABLE_IN_RELEASE:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields}
    if any(c.nullable and c.type in ("INTEGER", "BIGINT") for c in columns):
        # Frictionless reads Parquet through pandas, where a NULL integer arrives as NaN.
        schema["missingValues"] = ["", "nan"]
    if contract.primary_key:
        schema["primaryKey"] = list(contract.primary_key)
    keys = [
        {"fields": field, "reference": {"resource": resource_name(target), "fields": target_field}}
        for (table, field), (target, target_field) in FOREIGN_KEYS.items()
        if table == contract.table
    ]
    if contract.table == "indicators.observations":
        keys += [
            {
                "fields": dimension,
                "reference": {"resource": resource_name(f"codelist.{dimension}"), "fields": "code"},
            }
            for dimension in CODE_LISTS
        ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": resource_name(contract.table),
        "path": f"{contract.table}.parquet",
        "format": "parquet",
        "description": contract.comment,
        "schema": schema,
    }


def _code_list_resource(dimension: str) -> dict:
    return {
        "name": resource_name(f"codelist.{dimension}"),
        "path": f"codelist.{dimension}.parquet",
        "format": "parquet",
        "description": f"Codes of the observation column {dimension}, with the SDMX special codes. | "
        f"Kode kolom observasi {dimension}, dengan kode khusus SDMX.",
        "schema": {
            "fields": [{"name": "code", "type": "string", "constraints": {"required": True}}],
            "primaryKey": ["code"],
        },
    }
