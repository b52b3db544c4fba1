"""Kemnaker record-level foreign worker permit files (spec §2.3): `tka_YYYY.csv`."""

import re
from pathlib import Path

import pandas as pd

from sdmi_pipeline.readers import ReadFile
from sdmi_pipeline.readers.fields import parse_dates, require_columns, row_issues
from sdmi_pipeline.readers.text import FileFormatError, read_delimited
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.normalise import map_labels
from sdmi_pipeline.reference.provinces import province_names_to_code

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


def _kbli(raw: pd.DataFrame) -> pd.Series:
    """KBLI code as text; a spreadsheet's `24202.0` is read as 24202."""
    if "kbli" not in raw.columns:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return raw["kbli"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)


def read_permit_file(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one permit file into typed rows; problems become issues, not exceptions.

    Raises FileFormatError only when the file as a whole is unreadable (name, encoding,
    missing required column).
    """
    file_year(path)
    text = read_delimited(path, content)
    raw = text.frame
    require_columns(raw, REQUIRED_COLUMNS, path)
    ignored = [text.header[c] for c in raw.columns if c not in SPEC_COLUMNS]

    starts, start_issue = parse_dates(raw["tanggal_mulai"], "start_date", "start of validity (tanggal_mulai)")
    ends, end_issue = parse_dates(raw["tanggal_akhir"], "end_date", "end of validity (tanggal_akhir)")
    reversed_validity = starts.notna() & ends.notna() & (ends < starts)
    rows = pd.DataFrame(
        {
            "permit_id": raw["no_notifikasi"].astype("string").str.strip(),
            "nationality": countries_to_iso3(raw["kewarganegaraan"]),
            "nationality_label": raw["kewarganegaraan"],
            "sex": map_labels(raw["jenis_kelamin"], codes.SEX),
            "position": map_labels(raw["jabatan"], codes.TKA_POSITION),
            "sector": map_labels(raw["sektor"], codes.TKA_SECTOR),
            "kbli": _kbli(raw),
            "province": _provinces(raw["provinsi_kerja"]),
            "province_label": raw["provinsi_kerja"],
            "start_date": starts,
            "end_date": ends.where(~reversed_validity),
        },
        index=raw.index,
    )
    issues = pd.concat(
        [
            start_issue,
            end_issue,
            row_issues(
                reversed_validity,
                "end_date",
                "permit ends (tanggal_akhir) before it starts (tanggal_mulai)",
            ),
        ],
        ignore_index=True,
    )
    return ReadFile(rows, raw, issues, ignored, text.encoding, text.delimiter, text.header, text.unreadable)
