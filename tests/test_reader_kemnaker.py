"""Kemnaker foreign worker permit files (spec §2.3): reading, typing and row validation."""

from pathlib import Path

import pandas as pd
import pytest

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers.kemnaker_permits import SPEC_COLUMNS, read_permit_file
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_rows

VALID = {
    "no_notifikasi": "KT-2023-000001",
    "kewarganegaraan": "Tiongkok",
    "jenis_kelamin": "L",
    "jabatan": "Teknisi / Supervisor",
    "sektor": "Industri",
    "kbli": "24202",
    "provinsi_kerja": "Sulawesi Tengah",
    "tanggal_mulai": "2023-01-05",
    "tanggal_akhir": "2024-01-04",
}


def write(tmp_path: Path, rows: list[dict], name: str = "tka_2023.csv", delimiter: str = ",") -> Path:
    header = list(rows[0]) if rows else list(SPEC_COLUMNS)
    lines = [delimiter.join(header)] + [delimiter.join(row.get(c, "") for c in header) for row in rows]
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path


def read(path: Path) -> ValidatedRows:
    file = read_permit_file(path)
    return validate_rows(file.rows, file.raw, contract_for("staging.kemnaker_permits"), file.issues)


def rejects_of(result: ValidatedRows) -> list[tuple]:
    return list(result.rejects[["line", "column_name", "value", "reason"]].itertuples(index=False, name=None))


def test_a_valid_permit_is_typed_to_reference_codes(tmp_path: Path) -> None:
    result = read(write(tmp_path, [VALID]))
    assert result.rejects.empty
    row = result.accepted.loc[2]
    assert (row["permit_id"], row["nationality"], row["sex"], row["position"], row["sector"]) == (
        "KT-2023-000001",
        "CHN",
        "M",
        "TECHNICIAN",
        "INDUSTRY",
    )
    assert (row["province"], row["kbli"]) == ("72", "24202")
    assert row["start_date"] == pd.Timestamp("2023-01-05") and row["end_date"] == pd.Timestamp("2024-01-04")


@pytest.mark.parametrize(
    ("field", "delivered", "column", "expected"),
    [
        ("provinsi_kerja", "Lintas Provinsi", "province", "LP"),
        ("provinsi_kerja", "LINTAS  PROVINSI", "province", "LP"),
        ("provinsi_kerja", "D.K.I. Jakarta", "province", "31"),
        ("kewarganegaraan", "Korea Selatan", "nationality", "KOR"),
        ("kewarganegaraan", "RRT", "nationality", "CHN"),
        ("jenis_kelamin", "Perempuan", "sex", "F"),
        ("jabatan", "Konsultan / Advisor", "position", "CONSULTANT"),
        ("jabatan", "DIREKSI", "position", "DIRECTOR"),
        ("sektor", "Pertanian dan Maritim", "sector", "AGRI_MARITIME"),
        ("sektor", "Jasa", "sector", "SERVICES"),
        ("tanggal_mulai", "05/01/2023", "start_date", pd.Timestamp("2023-01-05")),
    ],
)
def test_variants_map_to_codes(
    tmp_path: Path, field: str, delivered: str, column: str, expected: object
) -> None:
    result = read(write(tmp_path, [VALID | {field: delivered}]))
    assert result.rejects.empty
    assert result.accepted.loc[2, column] == expected


def test_semicolon_windows_1252_and_without_kbli_column(tmp_path: Path) -> None:
    row = {key: value for key, value in VALID.items() if key != "kbli"} | {"kewarganegaraan": "Türkiye"}
    result = read(write(tmp_path, [row], delimiter=";"))
    assert result.rejects.empty
    assert result.accepted.loc[2, "nationality"] == "TUR"
    assert pd.isna(result.accepted.loc[2, "kbli"])


@pytest.mark.parametrize(
    ("field", "delivered", "reason"),
    [
        ("kewarganegaraan", "Narnia", "nationality is missing or not a known country name"),
        ("tanggal_akhir", "2022-12-31", "permit ends (tanggal_akhir) before it starts (tanggal_mulai)"),
        (
            "tanggal_mulai",
            "2023-02-30",
            "start of validity (tanggal_mulai) is neither YYYY-MM-DD nor DD/MM/YYYY",
        ),
        ("kbli", "2420", "KBLI business code is not five digits"),
        ("jenis_kelamin", "X", "sex is missing or not one of L/P/M/F/Laki-laki/Perempuan/Male/Female"),
        ("sektor", "Tambang", "sector is missing or not Jasa / Industri / Pertanian dan Maritim"),
        ("provinsi_kerja", "Atlantis", "province of work is missing or not a known province name"),
    ],
)
def test_each_reject_reason_names_line_column_and_value(
    tmp_path: Path, field: str, delivered: str, reason: str
) -> None:
    second = VALID | {"no_notifikasi": "KT-2023-000002", field: delivered}
    result = read(write(tmp_path, [VALID, second]))
    assert rejects_of(result) == [(3, field, delivered, reason)]
    assert list(result.accepted.index) == [2]


def test_a_permit_id_repeated_within_the_file_keeps_the_first(tmp_path: Path) -> None:
    result = read(write(tmp_path, [VALID, VALID | {"kewarganegaraan": "Jepang"}]))
    assert rejects_of(result) == [
        (3, "no_notifikasi", "KT-2023-000001", "permit id (no_notifikasi) repeated within the file")
    ]


@pytest.mark.parametrize(
    ("name", "rows", "message"),
    [
        ("tka_23.csv", [VALID], "name does not match tka_YYYY.csv"),
        ("tka_2023.csv", [{k: v for k, v in VALID.items() if k != "tanggal_akhir"}], "tanggal_akhir"),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(
    tmp_path: Path, name: str, rows: list, message: str
) -> None:
    with pytest.raises(FileFormatError, match=message):
        read_permit_file(write(tmp_path, rows, name=name))
