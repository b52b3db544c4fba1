"""Kemnaker record-level foreign worker permit files (spec §2.3): `tka_YYYY.csv`."""

import re
from pathlib import Path

import pandas as pd

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers.fields import parse_dates, require_columns, row_issues
from sdmi_pipeline.ingest.readers.records import Derived, RecordFile, derive, of_column, read_records
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.normalise import map_labels
from sdmi_pipeline.reference.provinces import province_names_to_code

TABLE = "staging.kemnaker_permits"
FILE_NAME = re.compile(r"tka_(\d{4})\.csv", re.IGNORECASE)
SPEC_COLUMNS = (
    "no_notifikasi",
    "kewarganegaraan",
    "jenis_kelamin",
    "jabatan",
    "sektor",
    "kbli",
    "provinsi_kerja",
    "tanggal_mulai",
    "tanggal_akhir",
)
REQUIRED_COLUMNS = tuple(column for column in SPEC_COLUMNS if column != "kbli")


def file_year(path: Path) -> int:
    """The year a permit file covers, from its name."""
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise FileFormatError(f"{path}: name does not match tka_YYYY.csv")
    return int(match.group(1))


def _provinces(raw: pd.Series) -> pd.Series:
    """BPS code of a province name, or LP for `Lintas Provinsi`; NA when unknown."""
    return province_names_to_code(raw).fillna(map_labels(raw, codes.ACROSS_PROVINCES_LABELS))


def _kbli(raw: pd.Series) -> pd.Series:
    """KBLI code as text; a spreadsheet's `24202.0` is read as 24202."""
    return raw.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)


START = "start of validity (tanggal_mulai)"


def _end_dates(raw: pd.DataFrame) -> tuple[pd.Series, list[pd.DataFrame]]:
    """End of validity; an end before the start is an issue, and the end is then missing."""
    starts, _ = parse_dates(raw["tanggal_mulai"], "start_date", START)
    ends, end_issue = parse_dates(raw["tanggal_akhir"], "end_date", "end of validity (tanggal_akhir)")
    reversed_validity = starts.notna() & ends.notna() & (ends < starts)
    reason = "permit ends (tanggal_akhir) before it starts (tanggal_mulai)"
    return ends.where(~reversed_validity), [end_issue, row_issues(reversed_validity, "end_date", reason)]


def read_permit_file(path: Path, content: bytes | None = None) -> RecordFile:
    """Read one permit file into typed rows; problems become issues, not exceptions.

    Raises FileFormatError only when the file as a whole is unreadable (name, encoding,
    missing required column).
    """
    file_year(path)
    delivered = read_records(path, content, contract_for(TABLE))
    require_columns(delivered.header, REQUIRED_COLUMNS, path)
    delivered.ignored_columns.extend(
        written for name, written in delivered.header.items() if name not in SPEC_COLUMNS
    )
    columns = {
        "permit_id": "no_notifikasi",
        "nationality": of_column("kewarganegaraan", countries_to_iso3),
        "nationality_label": "kewarganegaraan",
        "sex": of_column("jenis_kelamin", map_labels, codes.SEX),
        "position": of_column("jabatan", map_labels, codes.TKA_POSITION),
        "sector": of_column("sektor", map_labels, codes.TKA_SECTOR),
        "kbli": of_column("kbli", _kbli) if "kbli" in delivered.header else None,
        "province": of_column("provinsi_kerja", _provinces),
        "province_label": "provinsi_kerja",
        "start_date": of_column("tanggal_mulai", parse_dates, "start_date", START),
        "end_date": Derived(("tanggal_mulai", "tanggal_akhir"), _end_dates),
    }
    return derive(delivered, columns)
