"""BPS WebAPI population answers (spec §2.5) as the API writes them, read and validated."""

import json
from pathlib import Path

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.bps_population import read_population_table
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_rows

FILE_NAME = "penduduk_1975_2023.json"


VERVARS = [(3300, "JAWA TENGAH"), (3500, "JAWA TIMUR"), (9999, "INDONESIA")]
TURVARS = [(1, "Laki-laki"), (2, "Perempuan"), (3, "Jumlah")]


def entries(pairs: list[tuple[object, str]]) -> list[dict]:
    return [{"val": val, "label": label} for val, label in pairs]


def answer(
    datacontent: dict[str, object],
    *,
    var: int = 1975,
    unit: str = "Ribu Jiwa",
    vervar: list[tuple[object, str]] = VERVARS,
    turvar: list[tuple[object, str]] = TURVARS,
    tahun: list[tuple[object, str]] = [(123, "2023")],  # noqa: B006 - never mutated
    **changes: object,
) -> dict:
    """A `list/model/data` answer as the BPS WebAPI writes it, with `changes` to its keys."""
    body = {
        "status": "OK",
        "data-availability": "available",
        "var": [
            {
                "val": var,
                "label": "Jumlah Penduduk Menurut Provinsi dan Jenis Kelamin",
                "unit": unit,
                "subj": "Kependudukan",
                "decimal": "1",
                "note": "",
            }
        ],
        "turvar": entries(turvar),
        "labelvervar": "Provinsi",
        "vervar": entries(vervar),
        "tahun": entries(tahun),
        "turtahun": [{"val": 0, "label": "Tahun"}],
        "datacontent": datacontent,
        "related": [],
    }
    return body | changes


def key(vervar: object, turvar: object, tahun: object = 123, var: object = 1975, turtahun: object = 0) -> str:
    return f"{vervar}{var}{turvar}{tahun}{turtahun}"


def write_json(tmp_path: Path, body: object, name: str = FILE_NAME) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def load(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_population_table(path)
    return read, validate_rows(read.rows, read.raw, contract_for("staging.bps_population"), read.issues)


def rejects_of(validated: ValidatedRows) -> list[tuple]:
    return [
        (r["line"], r["column_name"], r["value"], r["reason"]) for r in validated.rejects.to_dict("records")
    ]
