"""UNHCR Indonesia's monthly snapshot (spec §2.4): `snapshot_indonesia_YYYY_MM.csv`."""

import re
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.fields import month_in_name, require_columns, row_issues
from sdmi_pipeline.ingest.readers.numbers import nil_as_zero, whole_numbers
from sdmi_pipeline.ingest.readers.text import read_delimited
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.normalise import map_labels

FILE_NAME = re.compile(r"snapshot_indonesia_(\d{4})_(\d{2})\.csv", re.IGNORECASE)
COLUMNS = ("country_of_origin", "population_type", "sex", "age_group", "location", "count")


def file_month(path: Path) -> pd.Period:
    """The month a snapshot describes, from its name."""
    return month_in_name(path, FILE_NAME, "snapshot_indonesia_YYYY_MM.csv")


def read_snapshot_file(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one snapshot into typed rows; problems with a row become issues, not exceptions.

    Raises FileFormatError only when the file as a whole is unreadable (name, encoding,
    missing column).
    """
    month = file_month(path)
    text = read_delimited(path, content)
    raw = text.frame
    require_columns(raw, COLUMNS, path)
    ignored = [text.header[column] for column in raw.columns if column not in COLUMNS]
    counts, count_issues = whole_numbers(nil_as_zero(raw["count"]), "count")
    rows = pd.DataFrame(
        {
            "snapshot_month": pd.Series(str(month), index=raw.index, dtype="string"),
            "origin": countries_to_iso3(raw["country_of_origin"]),
            "origin_label": raw["country_of_origin"],
            "population_type": map_labels(raw["population_type"], codes.POPULATION_TYPE),
            "sex": map_labels(raw["sex"], codes.SEX),
            "age_group": map_labels(raw["age_group"], codes.REFUGEE_AGE_GROUP),
            "location": raw["location"],
            "count": counts,
        },
        index=raw.index,
    )
    issues = pd.concat([count_issues, _repeated_rows(rows)], ignore_index=True)
    header = text.header
    return ReadFile(rows, raw, issues, ignored, text.encoding, text.delimiter, header, text.unreadable)


KEY = ["origin", "population_type", "sex", "age_group", "location"]


def _repeated_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """An issue on every row whose origin, type, sex, age group and location an earlier row gives."""
    keys = rows[KEY].dropna()
    repeated = keys.duplicated(keep="first")
    first = keys.reset_index().groupby(KEY)["line"].min()
    reasons = pd.Series(
        {
            line: f"the same origin, population type, sex, age group and location as line "
            f"{first[tuple(key)]}: a row given twice would be counted twice"
            for line, key in keys[repeated].iterrows()
        },
        dtype="object",
    )
    return row_issues(repeated.reindex(rows.index, fill_value=False), "origin", reasons, "country_of_origin")
