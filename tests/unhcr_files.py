"""UNHCR population API answers and monthly snapshots as they are delivered, read and validated."""

import json
from pathlib import Path

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
from sdmi_pipeline.ingest.readers.unhcr_snapshot import read_snapshot_file
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_rows
from tests.kp2mi_rows import write_csv as write_delimited

COA_FILE = "population_coa_IDN_2023.json"
COO_FILE = "population_coo_IDN_2023.json"
SNAPSHOT_FILE = "snapshot_indonesia_2024_03.csv"


# --- Population answers: helpers ----------------------------------------------------------------


def coa_item(**changes: object) -> dict:
    """An item of a coa=IDN answer (refugees in Indonesia from Afghanistan), with `changes`."""
    item = {
        "year": 2023,
        "coo_id": 1,
        "coo_name": "Afghanistan",
        "coo": "AFG",
        "coo_iso": "AFG",
        "coa_id": 96,
        "coa_name": "Indonesia",
        "coa": "INS",
        "coa_iso": "IDN",
        "refugees": 7103,
        "asylum_seekers": 151,
        "oip": 0,
    }
    return item | changes


def coo_item(**changes: object) -> dict:
    """An item of a coo=IDN answer (refugees from Indonesia in Australia), with `changes`."""
    item = coa_item(coo_name="Indonesia", coo="INS", coo_iso="IDN", coa_name="Australia", coa="AUL")
    return item | {"coa_iso": "AUS", "refugees": 45, "asylum_seekers": 12, "oip": 3} | changes


def page(items: list[dict], number: int = 1, max_pages: int = 1, total: int | None = None) -> dict:
    return {
        "page": number,
        "maxPages": max_pages,
        "total": len(items) if total is None else total,
        "items": items,
    }


def write_json(tmp_path: Path, answer: object, name: str = COA_FILE) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path


def validate(read: ReadFile, table: str) -> ValidatedRows:
    return validate_rows(read.rows, read.raw, contract_for(table), read.issues)


def load_answer(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_population_answer(path)
    return read, validate(read, "staging.unhcr_population")


def rejects_of(validated: ValidatedRows) -> list[tuple]:
    return [
        (r["line"], r["column_name"], r["value"], r["reason"]) for r in validated.rejects.to_dict("records")
    ]


NOT_WHOLE = "is not a whole number (plain digits, without thousands separators)"


# --- Snapshots: helpers --------------------------------------------------------------------------

HEADER = ["country_of_origin", "population_type", "sex", "age_group", "location", "count"]
VALID = ["Afghanistan", "Refugee", "Male", "18-59", "Medan", "1890"]


def snapshot_row(**changes: str) -> list[str]:
    return [changes.get(column, value) for column, value in zip(HEADER, VALID, strict=True)]


def write_csv(
    tmp_path: Path,
    rows: list[list[str]],
    header: list[str] = HEADER,
    *,
    name: str = SNAPSHOT_FILE,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """The country office's snapshot, as it would deliver it (header first)."""
    return write_delimited(tmp_path, header, rows, name=name, delimiter=delimiter, encoding=encoding)


def load_snapshot(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_snapshot_file(path)
    return read, validate(read, "staging.unhcr_snapshot")
