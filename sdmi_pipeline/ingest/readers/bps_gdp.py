"""GDP of Indonesia in current USD million (spec §2.6): `bps/pdb_usd.csv`, columns `tahun`, `pdb_usd_juta`.

Any text variant of spec §0 (UTF-8 with or without BOM or Windows-1252; `,` or `;`). A value with one
kind of separator is read in the convention its delimiter implies: a semicolon file is an
Indonesian-locale export (`1.319.100,22`, decimal comma), a comma file an English one
(`1319100.22`, decimal point). A value with both marks reads the same either way.
"""

from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.fields import require_columns
from sdmi_pipeline.ingest.readers.numbers import ENGLISH, INDONESIAN, printed_numbers, whole_numbers
from sdmi_pipeline.ingest.readers.text import read_delimited

COLUMNS = ("tahun", "pdb_usd_juta")


def read_gdp_file(path: Path, content: bytes | None = None) -> ReadFile:
    """Read the GDP file into one row per year; problems with a row become issues.

    Raises FileFormatError only when the file as a whole is unreadable (encoding, header,
    a missing column).
    """
    text = read_delimited(path, content)
    raw = text.frame
    require_columns(raw, COLUMNS, path)
    ignored = [text.header[column] for column in raw.columns if column not in COLUMNS]
    convention = INDONESIAN if text.delimiter == ";" else ENGLISH
    years, year_issues = whole_numbers(raw["tahun"], "year", "tahun", what="a year")
    gdp, gdp_issues = printed_numbers(raw["pdb_usd_juta"], "gdp_usd_million", convention, "pdb_usd_juta")
    rows = pd.DataFrame({"year": years, "gdp_usd_million": gdp}, index=raw.index)
    issues = pd.concat([year_issues, gdp_issues], ignore_index=True)
    return ReadFile(rows, raw, issues, ignored, text.encoding, text.delimiter, text.header, text.unreadable)
