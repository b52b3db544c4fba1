"""KP2MI placement files (spec §2.1): rows rejected, with the line, column, value and reason."""

from pathlib import Path

import pytest

from sdmi_pipeline.ingest.validation import ValidatedRows
from tests.kp2mi_rows import HEADER, HEADER_KEMENDAGRI, load, only_reject, record, reject_records, write_csv

# --- Rejects -------------------------------------------------------------------------------------


def assert_rejected(validated: ValidatedRows, line: int, column_name: str, value: str | None, reason: str):
    reject = only_reject(validated)
    assert reject["line"] == line
    assert reject["column_name"] == column_name
    assert reject["value"] == value
    assert reason in reject["reason"], reject["reason"]


def load_with_bad_row(tmp_path: Path, header: list[str] = HEADER, **changes: str) -> ValidatedRows:
    """A file whose line 3 carries `changes` between two valid rows (lines 2 and 4)."""
    rows = [
        record(header, id_pmi="GOOD-1"),
        record(header, **({"id_pmi": "BAD"} | changes)),
        record(header, id_pmi="GOOD-2"),
    ]
    _, validated = load(write_csv(tmp_path, header, rows))
    assert validated.accepted.index.tolist() == [2, 4]
    assert validated.accepted["id_pmi"].tolist() == ["GOOD-1", "GOOD-2"]
    return validated


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param({"usia": "17"}, "usia", "17", "age under 18", id="age-under-18"),
        pytest.param({"usia": "0"}, "usia", "0", "age under 18", id="age-zero"),
        pytest.param({"usia": "25.5"}, "usia", "25.5", "age is not a whole number", id="age-fraction"),
        pytest.param({"usia": "dua puluh"}, "usia", "dua puluh", "age is not a whole number", id="age-text"),
        pytest.param({"usia": ""}, "usia", None, "age is missing", id="age-missing"),
        pytest.param(
            {"negara_penempatan": "Atlantis"},
            "negara_penempatan",
            "Atlantis",
            "not a known country name",
            id="destination-unknown",
        ),
        pytest.param(
            {"negara_penempatan": "Malaysya"},
            "negara_penempatan",
            "Malaysya",
            "not a known country name",
            id="destination-misspelt",
        ),
        pytest.param(
            {"negara_penempatan": "Lainnya"},
            "negara_penempatan",
            "Lainnya",
            "not a known country name",
            id="destination-rest-of-world",
        ),
        pytest.param(
            {"negara_penempatan": ""},
            "negara_penempatan",
            None,
            "destination country is missing",
            id="destination-missing",
        ),
        pytest.param(
            {"tanggal_penempatan": "2023-02-01"},
            "tanggal_penempatan",
            "2023-02-01",
            "outside the file's month 2023-01",
            id="date-next-month",
        ),
        pytest.param(
            {"tanggal_penempatan": "31/12/2022"},
            "tanggal_penempatan",
            "31/12/2022",
            "outside the file's month 2023-01",
            id="date-previous-month",
        ),
        pytest.param(
            {"tanggal_penempatan": "2023/01/15"},
            "tanggal_penempatan",
            "2023/01/15",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-unreadable",
        ),
        pytest.param(
            {"tanggal_penempatan": "31/02/2023"},
            "tanggal_penempatan",
            "31/02/2023",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-impossible",
        ),
        pytest.param(
            {"tanggal_penempatan": "15 Januari 2023"},
            "tanggal_penempatan",
            "15 Januari 2023",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-in-words",
        ),
        pytest.param(
            {"tanggal_penempatan": ""},
            "tanggal_penempatan",
            None,
            "placement date is missing",
            id="date-missing",
        ),
        pytest.param(
            {"kode_provinsi": "33", "provinsi_asal": "Jawa Timur"},
            "provinsi_asal",
            "Jawa Timur",
            "BPS province code means Jawa Tengah, the name says Jawa Timur",
            id="province-disagree",
        ),
        pytest.param(
            {"kode_provinsi": "99", "provinsi_asal": "Jawa Tengah"},
            "kode_provinsi",
            "99",
            "unknown BPS province code",
            id="province-code-unknown",
        ),
        pytest.param(
            {"kode_provinsi": "33", "provinsi_asal": "Atlantis Raya"},
            "provinsi_asal",
            "Atlantis Raya",
            "unknown province name",
            id="province-name-unknown",
        ),
        pytest.param(
            {"kode_provinsi": "", "provinsi_asal": "Atlantis Raya"},
            "provinsi_asal",
            "Atlantis Raya",
            "unknown province name",
            id="province-name-unknown-no-code",
        ),
        pytest.param(
            {"kode_provinsi": "", "provinsi_asal": ""},
            "provinsi_asal",
            None,
            "province of origin is missing",
            id="province-missing",
        ),
        pytest.param(
            {"jenis_kelamin": "X"}, "jenis_kelamin", "X", "sex is missing or not one of", id="sex-unknown"
        ),
        pytest.param({"jenis_kelamin": ""}, "jenis_kelamin", None, "sex is missing", id="sex-missing"),
        pytest.param(
            {"skema": "Kontrak"},
            "skema",
            "Kontrak",
            "placement scheme is missing or unknown",
            id="scheme-unknown",
        ),
        pytest.param(
            {"sektor": "Semi-formal"},
            "sektor",
            "Semi-formal",
            "sector is missing or not Formal",
            id="sector-unknown",
        ),
        pytest.param({"id_pmi": ""}, "id_pmi", None, "worker id (id_pmi) is missing", id="id-missing"),
    ],
)
def test_reject(tmp_path, changes, column_name, value, reason):
    validated = load_with_bad_row(tmp_path, **changes)
    assert_rejected(validated, 3, column_name, value, reason)


@pytest.mark.parametrize(
    ("code", "name", "reason"),
    [
        ("91", "Papua Barat", "Kemendagri province code means Papua, the name says Papua Barat"),
        ("92", "Papua", "Kemendagri province code means Papua Barat, the name says Papua"),
        ("33", "Jawa Timur", "Kemendagri province code means Jawa Tengah, the name says Jawa Timur"),
    ],
)
def test_reject_kemendagri_code_disagreeing_with_name(tmp_path, code, name, reason):
    validated = load_with_bad_row(
        tmp_path, HEADER_KEMENDAGRI, kode_provinsi_kemendagri=code, provinsi_asal=name
    )
    assert_rejected(validated, 3, "provinsi_asal", name, reason)


def test_reject_unknown_kemendagri_code(tmp_path):
    # 97 is a BPS code (Papua Pegunungan) but not a Kemendagri one.
    validated = load_with_bad_row(
        tmp_path, HEADER_KEMENDAGRI, kode_provinsi_kemendagri="97", provinsi_asal="Papua Pegunungan"
    )
    assert_rejected(validated, 3, "kode_provinsi_kemendagri", "97", "unknown Kemendagri province code")


def test_reject_keeps_the_column_name_as_delivered(tmp_path):
    header = [column.upper() for column in HEADER]
    validated = load_with_bad_row(tmp_path, header, usia="15")
    assert_rejected(validated, 3, "usia", "15", "age under 18")


def test_reject_duplicate_id_keeps_the_first_occurrence(tmp_path):
    rows = [
        record(id_pmi="PMI-7", usia="31"),  # line 2: first occurrence, accepted
        record(id_pmi="PMI-8"),  # line 3
        record(id_pmi="PMI-7", usia="44"),  # line 4: repeated, rejected
        record(id_pmi="PMI-9"),  # line 5
        record(id_pmi="PMI-7", usia="50"),
    ]  # line 6: repeated again, rejected
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.accepted.index.tolist() == [2, 3, 5]
    assert validated.accepted.loc[2, "age"] == 31
    rejects = reject_records(validated)
    assert [(r["line"], r["column_name"], r["value"]) for r in rejects] == [
        (4, "id_pmi", "PMI-7"),
        (6, "id_pmi", "PMI-7"),
    ]
    assert all("worker id (id_pmi) repeated within the file" in r["reason"] for r in rejects)
    assert validated.rejected_lines == 2


def test_row_with_several_problems_gives_one_reject_per_problem(tmp_path):
    bad = {"usia": "16", "jenis_kelamin": "X", "negara_penempatan": "Atlantis"}
    validated = load_with_bad_row(tmp_path, **bad)
    rejects = reject_records(validated)
    assert sorted((r["line"], r["column_name"], r["value"]) for r in rejects) == [
        (3, "jenis_kelamin", "X"),
        (3, "negara_penempatan", "Atlantis"),
        (3, "usia", "16"),
    ]
    assert validated.rejected_lines == 1


def test_unknown_province_code_is_not_reported_twice(tmp_path):
    validated = load_with_bad_row(tmp_path, kode_provinsi="99", provinsi_asal="")
    assert_rejected(validated, 3, "kode_provinsi", "99", "unknown BPS province code")
