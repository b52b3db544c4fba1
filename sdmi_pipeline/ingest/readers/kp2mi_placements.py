"""KP2MI record-level placement files (spec §2.1): `penempatan_pmi_YYYY_MM.csv`."""

import re
from pathlib import Path

import pandas as pd

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers.fields import (
    descriptive,
    month_in_name,
    parse_dates,
    require_columns,
    row_issues,
)
from sdmi_pipeline.ingest.readers.records import Derived, RecordFile, derive, of_column, read_records
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.normalise import map_labels
from sdmi_pipeline.reference.provinces import (
    province_codes_to_bps,
    province_name,
    province_names_to_code,
)

TABLE = "staging.kp2mi_placements"
FILE_NAME = re.compile(r"penempatan_pmi_(\d{4})_(\d{2})\.csv", re.IGNORECASE)
# The columns of spec §2.1, in its order; only the province code may be absent.
SPEC_COLUMNS = (
    "id_pmi",
    "tanggal_penempatan",
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "kode_provinsi",
    "provinsi_asal",
    "kabupaten_asal",
    "negara_penempatan",
    "jabatan",
    "sektor",
    "skema",
)
REQUIRED_COLUMNS = tuple(column for column in SPEC_COLUMNS if column != "kode_provinsi")
KEMENDAGRI_CODE = "kode_provinsi_kemendagri"
BPS_CODE = re.compile(r"^kode_provinsi(?!_kemendagri$)\w*$")  # spec §1: kode_provinsi* is BPS


def file_period(path: Path) -> str | None:
    """The month (YYYY-MM) a placement file covers, or None when its name does not say."""
    try:
        return str(file_month(path))
    except FileFormatError:
        return None


def file_month(path: Path) -> pd.Period:
    """The month a placement file covers, from its name."""
    return month_in_name(path, FILE_NAME, "penempatan_pmi_YYYY_MM.csv")


def _dates(raw: pd.Series, month: pd.Period) -> tuple[pd.Series, list[pd.DataFrame]]:
    dates, unreadable = parse_dates(raw, "placement_date", "placement date")
    outside = dates.notna() & (dates.dt.to_period("M") != month)
    issues = [
        unreadable,
        row_issues(outside, "placement_date", f"placement date outside the file's month {month}"),
    ]
    return dates.where(~outside), issues


def _ages(raw: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    numbers = pd.to_numeric(raw, errors="coerce")
    whole = numbers.notna() & (numbers % 1 == 0)
    issue = row_issues(raw.notna() & ~whole, "age", "age is not a whole number of years")
    return numbers.where(whole).astype("Int64"), issue


def _provinces(raw: pd.DataFrame) -> tuple[pd.Series, list[pd.DataFrame]]:
    """BPS province code from the code column (BPS or Kemendagri) and the name; both must agree."""
    by_name = province_names_to_code(raw["provinsi_asal"])
    issues = [row_issues(raw["provinsi_asal"].notna() & by_name.isna(), "province", "unknown province name")]
    code_columns = [c for c in raw.columns if c == KEMENDAGRI_CODE or BPS_CODE.match(c)]
    if not code_columns:
        return by_name, issues
    code_column = code_columns[0]
    kemendagri = code_column == KEMENDAGRI_CODE
    by_code = province_codes_to_bps(raw[code_column], kemendagri=kemendagri)
    system = "Kemendagri" if kemendagri else "BPS"
    issues.append(
        row_issues(
            raw[code_column].notna() & by_code.isna(),
            "province",
            f"unknown {system} province code",
            raw_column=code_column,
        )
    )
    disagree = by_code.notna() & by_name.notna() & (by_code != by_name)
    if disagree.any():
        reasons = pd.Series(
            [
                f"{system} province code means {province_name(code)}, the name says {province_name(name)}"
                for code, name in zip(by_code[disagree], by_name[disagree], strict=True)
            ],
            index=disagree[disagree].index,
        )
        issues.append(row_issues(disagree, "province", reasons))
    return by_code.fillna(by_name).where(~disagree), issues


def _province_inputs(columns: list[str]) -> tuple[str, ...]:
    """The delivered columns the province comes from: a code column (if any), then the name."""
    code_columns = [c for c in columns if c == KEMENDAGRI_CODE or BPS_CODE.match(c)]
    return (*code_columns[:1], "provinsi_asal")


def read_placement_file(path: Path, content: bytes | None = None) -> RecordFile:
    """Read one placement file into typed rows; problems become issues, not exceptions.

    Raises FileFormatError only when the file as a whole is unreadable (name, encoding,
    missing required column).
    """
    month = file_month(path)
    delivered = read_records(path, content, contract_for(TABLE))
    require_columns(delivered.header, REQUIRED_COLUMNS, path)
    known = set(REQUIRED_COLUMNS) | {KEMENDAGRI_CODE}
    header = delivered.header
    delivered.ignored_columns.extend(
        header[name] for name in header if name not in known and not BPS_CODE.match(name)
    )
    columns = {
        "id_pmi": "id_pmi",
        "placement_date": of_column("tanggal_penempatan", _dates, month),
        "sex": of_column("jenis_kelamin", map_labels, codes.SEX),
        "age": of_column("usia", _ages),
        "education": of_column("pendidikan", descriptive, codes.EDUCATION),
        "education_label": "pendidikan",
        "province": Derived(_province_inputs(list(delivered.header)), _provinces),
        "regency": "kabupaten_asal",
        "destination": of_column("negara_penempatan", countries_to_iso3),
        "destination_label": "negara_penempatan",
        "occupation": of_column("jabatan", descriptive, codes.OCCUPATION),
        "occupation_label": "jabatan",
        "sector": of_column("sektor", map_labels, codes.PMI_SECTOR),
        "scheme": of_column("skema", map_labels, codes.PMI_SCHEME),
    }
    return derive(delivered, columns)
