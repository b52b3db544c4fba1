"""Contracts in `schemas/`: one YAML file per source or table.

A contract gives each column its type, its checks and its description in English and
Indonesian. Pandera validation of deliveries, the warehouse DDL, the SQL checks on published
tables and the data dictionary (`COMMENT ON`) are all derived from it, so they cannot drift.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from sdmi_pipeline.paths import SCHEMAS_DIR
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import REST_OF_WORLD, country_table
from sdmi_pipeline.reference.provinces import province_table

PANDAS_DTYPES = {
    "VARCHAR": "string",
    "INTEGER": "Int64",
    "BIGINT": "Int64",
    "DOUBLE": "Float64",
    "DATE": "datetime64[ns]",
    "TIMESTAMP": "datetime64[ns]",
    "BOOLEAN": "boolean",
}
DECIMAL_DTYPE = "object"  # DECIMAL(p,s): exact values as decimal.Decimal, None where missing


def pandas_dtype(sql_type: str) -> str:
    """The pandas dtype a reader gives a column of this SQL type."""
    return DECIMAL_DTYPE if sql_type.startswith("DECIMAL") else PANDAS_DTYPES[sql_type]


def reference_values(name: str) -> list[str]:
    """The allowed codes a contract names with `isin: ref:<name>`."""
    sets = {
        "countries": lambda: country_table()["iso3"].tolist(),
        "countries_and_rest_of_world": lambda: [*country_table()["iso3"], REST_OF_WORLD],
        "countries_and_total": lambda: [*country_table()["iso3"], "_T"],
        "provinces": lambda: province_table()["province_code"].tolist(),
        "sex": lambda: sorted(set(codes.SEX.values())),
        "pmi_scheme": lambda: sorted(set(codes.PMI_SCHEME.values())),
        "pmi_sector": lambda: sorted(set(codes.PMI_SECTOR.values())),
        "education": lambda: sorted(codes.EDUCATION_LABELS),
        "occupation": lambda: sorted(codes.OCCUPATION_LABELS),
        "age_groups": lambda: [group for group, _, _ in codes.AGE_GROUPS],
        "tka_provinces": lambda: [*province_table()["province_code"], codes.ACROSS_PROVINCES],
        "provinces_and_total": lambda: [*province_table()["province_code"], "_T"],
        "tka_sector": lambda: sorted(codes.TKA_SECTOR_LABELS),
        "tka_position": lambda: sorted(codes.TKA_POSITION_LABELS),
        "population_type": lambda: sorted(codes.POPULATION_TYPE_LABELS),
        "refugee_age_group": lambda: sorted(codes.REFUGEE_AGE_GROUP_LABELS),
        "mgi_level": lambda: sorted(codes.MGI_LEVEL_LABELS),
        "mgi_answer": lambda: sorted(codes.MGI_ANSWER_LABELS),
    }
    return sets[name]()


@dataclass(frozen=True)
class ColumnCheck:
    """One value check on a column, with the reason a failing row is given."""

    kind: str  # isin | ge | gt | le | pattern (anchored: `anchored`) | max_length
    argument: Any
    reason: str

    def allowed(self) -> list[str]:
        """The allowed values of an `isin` check, references resolved."""
        if isinstance(self.argument, str) and self.argument.startswith("ref:"):
            return reference_values(self.argument.removeprefix("ref:"))
        return list(self.argument)


@dataclass(frozen=True)
class ContractColumn:
    """A column of a contract."""

    name: str
    type: str
    description_en: str
    description_id: str
    nullable: bool = True
    null_reason: str | None = None
    unique: bool = False
    unique_reason: str | None = None
    source: str | None = None
    checks: tuple[ColumnCheck, ...] = ()

    @property
    def comment(self) -> str:
        return f"{self.description_en} | {self.description_id}"


@dataclass(frozen=True)
class Contract:
    """A table's or a delivery's contract."""

    table: str
    description_en: str
    description_id: str
    columns: tuple[ContractColumn, ...]
    primary_key: tuple[str, ...] = ()
    source: dict[str, Any] = field(default_factory=dict)
    # Pseudonymised record-level data (one row per person or permit): never in a public output, and
    # no primary key index (millions of rows; the contract check verifies the key instead).
    record_level: bool = False

    @property
    def schema_name(self) -> str:
        return self.table.split(".")[0]

    @property
    def table_name(self) -> str:
        return self.table.split(".")[1]

    @property
    def comment(self) -> str:
        return f"{self.description_en} | {self.description_id}"

    def column(self, name: str) -> ContractColumn:
        return next(column for column in self.columns if column.name == name)

    def create_table_sql(self) -> str:
        """DDL for a table that Python writes into (staging and bookkeeping tables).

        The primary key is checked by the contract checks, not declared: an index on millions
        of staging rows would cost memory on every build for no query benefit.
        """
        columns = ",\n  ".join(f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n  {columns}\n)"

    def constraint_sql(self) -> list[str]:
        """NOT NULL on every required column, and the primary key when its columns are all required
        and the table is not record-level; clients (DBeaver, R) then show the key."""
        statements = [
            f"ALTER TABLE {self.table} ALTER COLUMN {c.name} SET NOT NULL"
            for c in self.columns
            if not c.nullable
        ]
        key_required = all(not self.column(name).nullable for name in self.primary_key)
        if self.primary_key and key_required and not self.record_level:
            statements.append(f"ALTER TABLE {self.table} ADD PRIMARY KEY ({', '.join(self.primary_key)})")
        return statements

    def comment_sql(self, kind: str = "TABLE") -> list[str]:
        """`COMMENT ON` statements for the table (or VIEW) and every column."""
        statements = [f"COMMENT ON {kind} {self.table} IS {_quote(self.comment)}"]
        statements += [
            f"COMMENT ON COLUMN {self.table}.{c.name} IS {_quote(c.comment)}" for c in self.columns
        ]
        return statements

    def pandera_schema(self) -> pa.DataFrameSchema:
        """The Pandera schema that validates a delivery against this contract."""
        return pa.DataFrameSchema(
            {
                c.name: pa.Column(
                    pandas_dtype(c.type),
                    checks=[pandera_check(check) for check in c.checks],
                    nullable=c.nullable,
                    unique=c.unique,
                    report_duplicates="exclude_first",
                )
                for c in self.columns
                if c.source is not None
            },
            name=self.table,
            strict=False,
        )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def pandera_check(check: ColumnCheck) -> pa.Check:
    """The Pandera (pandas) check of a contract check; `rules.py` is its SQL reading."""
    if check.kind == "isin":
        return pa.Check.isin(check.allowed(), error=check.reason)
    if check.kind == "ge":
        return pa.Check.ge(check.argument, error=check.reason)
    if check.kind == "gt":
        return pa.Check.gt(check.argument, error=check.reason)
    if check.kind == "le":
        return pa.Check.le(check.argument, error=check.reason)
    if check.kind == "pattern":
        return pa.Check(_full_match(check.argument), name="str_matches", error=check.reason)
    if check.kind == "max_length":
        return pa.Check.str_length(max_value=check.argument, error=check.reason)
    raise ValueError(f"unknown check kind {check.kind!r}")


def anchored(pattern: str) -> str:
    """A contract's pattern as it is checked: the whole value must match it, in every engine."""
    return f"^(?:{pattern})$"


def _full_match(pattern: str) -> Callable[[pd.Series], pd.Series]:
    """pandas' reading of an anchored pattern that agrees with DuckDB's `regexp_full_match` (RE2):
    the whole value (a trailing newline included), ASCII classes (`\\d` is 0-9 only)."""
    return lambda values: values.str.fullmatch(pattern, flags=re.ASCII)


# libyaml's loader where PyYAML was built with it: every start of `sdmi` loads every contract.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # a safe loader, C or Python


@cache
def _model_spec(table: str) -> dict[str, Any]:
    return _load_yaml(SCHEMAS_DIR / (table.replace(".", "/") + ".yaml"))


def _column(spec: dict[str, Any]) -> ContractColumn:
    while "like" in spec:  # `- name: line` + `like: schema.table`: that contract's column of the same name
        model = next(c for c in _model_spec(spec["like"])["columns"] if c["name"] == spec["name"])
        spec = {key: value for key, value in spec.items() if key != "like"} | model
    description = spec["description"]
    checks = tuple(
        ColumnCheck(kind, anchored(value) if kind == "pattern" else value, check["reason"])
        for check in spec.get("checks", [])
        for kind, value in check.items()
        if kind != "reason"
    )
    return ContractColumn(
        name=spec["name"],
        type=spec["type"].upper(),
        description_en=description["en"],
        description_id=description["id"],
        nullable=spec.get("nullable", True),
        null_reason=spec.get("null_reason"),
        unique=spec.get("unique", False),
        unique_reason=spec.get("unique_reason"),
        source=spec.get("source"),
        checks=checks,
    )


def load_contract(path: Path) -> Contract:
    """Parse one contract file; `like: schema.table` takes the columns of another contract."""
    spec = _load_yaml(path)
    if "like" in spec:
        model = _model_spec(spec["like"])
        spec = {"columns": model["columns"], "primary_key": model.get("primary_key", [])} | spec
    return Contract(
        table=spec["table"],
        description_en=spec["description"]["en"],
        description_id=spec["description"]["id"],
        columns=tuple(_column(column) for column in spec["columns"]),
        primary_key=tuple(spec.get("primary_key", [])),
        source=spec.get("source", {}),
        record_level=spec.get("record_level", False),
    )


@cache
def contracts() -> dict[str, Contract]:
    """Every contract in `schemas/`, keyed by `schema.table`."""
    loaded = [load_contract(path) for path in sorted(SCHEMAS_DIR.glob("*/*.yaml"))]
    return {contract.table: contract for contract in loaded}


def contract_for(table: str) -> Contract:
    """The contract of `schema.table`; a table without one is a defect."""
    try:
        return contracts()[table]
    except KeyError:
        raise KeyError(f"no contract in schemas/ for {table}") from None
