"""KP2MI placement rows and files as a publisher writes them, read and validated (spec §2.1)."""

import csv
import io
from pathlib import Path

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.kp2mi_placements import SPEC_COLUMNS, read_placement_file
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_file

FILE_NAME = "penempatan_pmi_2023_01.csv"

HEADER = list(SPEC_COLUMNS)
HEADER_WITHOUT_CODE = [column for column in HEADER if column != "kode_provinsi"]
HEADER_KEMENDAGRI = ["kode_provinsi_kemendagri" if c == "kode_provinsi" else c for c in HEADER]

VALID = {
    "id_pmi": "PMI-001",
    "tanggal_penempatan": "2023-01-10",
    "jenis_kelamin": "L",
    "usia": "30",
    "pendidikan": "SMA",
    "kode_provinsi": "33",
    "provinsi_asal": "Jawa Tengah",
    "kabupaten_asal": "Cilacap",
    "negara_penempatan": "Taiwan",
    "jabatan": "Caregiver",
    "sektor": "Informal",
    "skema": "P2P",
}

BLANK: list[str] = []  # a row that writes as an empty line


def record(header: list[str] = HEADER, **changes: str) -> list[str]:
    """A valid placement row in `header` order, with `changes` applied (keys: canonical names)."""
    values = VALID | {"kode_provinsi_kemendagri": VALID["kode_provinsi"]} | changes
    return [values[column.lower()] for column in header]


def write_csv(
    tmp_path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    name: str = FILE_NAME,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write a delimited file as a publisher would; `BLANK` rows become empty lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def validate(read: ReadFile) -> ValidatedRows:
    return validate_file(read, contract_for("staging.kp2mi_placements"))


def load(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_placement_file(path)
    return read, validate(read)


def reject_records(validated: ValidatedRows) -> list[dict]:
    return validated.rejects.to_dict("records")


def placement_dates(validated: ValidatedRows) -> list[str]:
    return validated.accepted["placement_date"].dt.strftime("%Y-%m-%d").tolist()


def only_reject(validated: ValidatedRows) -> dict:
    rejects = reject_records(validated)
    assert len(rejects) == 1, rejects
    return rejects[0]
