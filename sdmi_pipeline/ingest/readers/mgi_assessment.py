"""MGI assessments (spec §2.7): `mgi_<nasional|lokal>_<IDN|province code>_<year>.csv|.xlsx`.

One file is one assessment: the national one (area IDN) or a province's local one (area its BPS
code). A CSV is read like every delimited delivery (§0); a workbook from the first sheet that
holds the header row, every value as text, other sheets (notes) ignored and reported.
"""

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.fields import require_columns, row_issues
from sdmi_pipeline.ingest.readers.text import FileFormatError, read_delimited
from sdmi_pipeline.ingest.readers.xlsx_table import read_xlsx_table
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.normalise import map_labels
from sdmi_pipeline.reference.provinces import province_table

FILE_NAME = re.compile(r"mgi_([^_]+)_([^_]+)_(\d{4})\.(csv|xlsx)", re.IGNORECASE)
FILE_TEMPLATE = "mgi_<nasional|lokal>_<IDN|BPS province code>_<year>.csv or .xlsx"
NATIONAL_AREA = "IDN"
FIRST_YEAR = 2015  # the MGI began in 2015; an earlier year in a name is a typing error
COLUMNS = ("indikator_id", "domain", "pertanyaan", "jawaban", "justifikasi", "sumber", "sorotan")
HIGHLIGHTED, NOT_HIGHLIGHTED = "1", "0"
WHOLE_NUMBER = re.compile(r"\d{1,3}")  # longer digit strings are no domain number either


@dataclass(frozen=True)
class Assessment:
    """What a file name says: the assessment's level, area and year, and the file format."""

    level: str  # NATIONAL | LOCAL
    area: str  # IDN or a BPS province code
    year: int
    file_format: str  # csv | xlsx


def assessment_of(path: Path) -> Assessment:
    """The assessment a file holds, from its name; a name outside the spec is a FileFormatError."""
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise FileFormatError(f"{path}: name does not match {FILE_TEMPLATE}")
    written_level, area, year, file_format = match.groups()
    level = codes.MGI_LEVEL.get(written_level.lower())
    if level is None:
        raise FileFormatError(f"{path}: level {written_level!r} in the name is neither nasional nor lokal")
    if level == "NATIONAL" and area.upper() != NATIONAL_AREA:
        raise FileFormatError(f"{path}: a national (nasional) assessment's area is IDN, not {area!r}")
    if level == "LOCAL" and area not in set(province_table()["province_code"]):
        raise FileFormatError(
            f"{path}: {area!r} is not a BPS province code; a local (lokal) assessment names its "
            "province by its two-digit BPS code (33 Jawa Tengah)"
        )
    if int(year) < FIRST_YEAR:
        raise FileFormatError(f"{path}: year {year} in the name is before the MGI began ({FIRST_YEAR})")
    return Assessment(level, area.upper(), int(year), file_format.lower())


def _domains(raw: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Domain number from `1`-`6` or the domain's English or Indonesian name.

    A whole number outside 1-6 is kept, so that the contract rejects it as outside 1-6.
    """
    numbered = raw.str.fullmatch(WHOLE_NUMBER.pattern).fillna(False).astype(bool)
    by_number = pd.to_numeric(raw.where(numbered), errors="coerce")
    by_name = pd.to_numeric(map_labels(raw.where(~numbered), codes.MGI_DOMAIN_NAMES), errors="coerce")
    domains = by_number.fillna(by_name).astype("Int64")
    unknown = raw.notna() & domains.isna()
    issue = row_issues(unknown, "domain", "domain is neither 1-6 nor a domain name (English or Indonesian)")
    return domains, issue


def _answers(raw: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    answers = map_labels(raw, codes.MGI_ANSWER)
    reason = "answer (jawaban) is not Ya/Tidak/Sebagian or Yes/No/Partially"
    return answers, row_issues(raw.notna() & answers.isna(), "answer", reason)


def _highlighted(raw: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """`1` highlighted; `0` or empty not."""
    readable = raw.isna() | raw.isin([HIGHLIGHTED, NOT_HIGHLIGHTED])
    highlighted = (raw == HIGHLIGHTED).fillna(False).astype("boolean").where(readable)
    issue = row_issues(~readable, "highlighted", "highlight (sorotan) is neither 1, 0 nor empty")
    return highlighted, issue


def _repeated_indicators(raw: pd.Series) -> pd.DataFrame:
    """Every occurrence of an indicator that appears more than once: which answer holds is unknown."""
    present = raw.dropna()
    repeated = present[present.duplicated(keep=False)]
    lines = {key: ", ".join(map(str, group.index)) for key, group in repeated.groupby(repeated)}
    reason = "indicator (indikator_id) repeated within the assessment, on lines {}"
    reasons = pd.Series([reason.format(lines[key]) for key in repeated], index=repeated.index, dtype="object")
    return row_issues(pd.Series(raw.index.isin(repeated.index), index=raw.index), "indicator_id", reasons)


@dataclass(frozen=True)
class Delivered:
    """A file's table as text, whatever its format."""

    frame: pd.DataFrame  # one string column per header, indexed by line (CSV) or row (xlsx)
    header: dict[str, str]  # normalised column name → as written
    ignored_sheets: list[str]
    encoding: str  # the text encoding, or `xlsx`
    delimiter: str | None  # None for a workbook
    unreadable: pd.DataFrame | None = None  # lines of a CSV that are no record (see readers.lines)


def _delivered(path: Path, content: bytes, file_format: str) -> Delivered:
    if file_format == "csv":
        text = read_delimited(path, content)
        return Delivered(text.frame, text.header, [], text.encoding, text.delimiter, text.unreadable)
    table = read_xlsx_table(path, content, COLUMNS)
    return Delivered(table.frame, table.header, table.ignored_sheets, "xlsx", None)


def read_mgi_file(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one assessment into typed rows; problems with a row become issues, not exceptions.

    Raises FileFormatError only when the file as a whole is unreadable (name, encoding, no
    header row, missing column).
    """
    assessment = assessment_of(path)
    content = path.read_bytes() if content is None else content
    delivered = _delivered(path, content, assessment.file_format)
    raw = delivered.frame
    require_columns(raw, COLUMNS, path)
    ignored = [delivered.header[c] for c in raw.columns if c not in COLUMNS] + delivered.ignored_sheets

    domains, domain_issue = _domains(raw["domain"])
    answers, answer_issue = _answers(raw["jawaban"])
    highlighted, highlight_issue = _highlighted(raw["sorotan"])
    rows = pd.DataFrame(
        {
            "assessment_level": pd.Series(assessment.level, index=raw.index, dtype="string"),
            "area": pd.Series(assessment.area, index=raw.index, dtype="string"),
            "year": pd.Series(assessment.year, index=raw.index, dtype="Int64"),
            "indicator_id": raw["indikator_id"],
            "domain": domains,
            "domain_label": raw["domain"],
            "question": raw["pertanyaan"],
            "answer": answers,
            "answer_label": raw["jawaban"],
            "justification": raw["justifikasi"],
            "source": raw["sumber"],
            "highlighted": highlighted,
        },
        index=raw.index,
    )
    issues = pd.concat(
        [_repeated_indicators(raw["indikator_id"]), domain_issue, answer_issue, highlight_issue],
        ignore_index=True,
    )
    read = ReadFile(rows, raw, issues, ignored, delivered.encoding, delivered.delimiter, delivered.header)
    return read if delivered.unreadable is None else replace(read, unreadable=delivered.unreadable)
