"""KP2MI published monthly tables (spec §2.2): `penempatan_menurut_<dimensi>_YYYY.xlsx`.

One workbook per dimension and year, laid out as printed (see `printed_table`): the dimension
down, one column per month of the file's year across, and a closing `Jumlah` / `Total` row.
The rows come out long: one per sheet row × month, with the label as printed, its reference code
and the count (None where the table prints "not available"). The closing row is kept with code
`_T`: it is the table's total even when one of its rows is rejected.

A label the code lists do not know rejects its sheet row (all months); so does a label whose
code an earlier row already gave. A table that does not reconcile is refused whole
(`TableRejectedError`), and a name that does not say the dimension and year is a file error.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.fields import row_issues
from sdmi_pipeline.ingest.readers.numbers import INDONESIAN
from sdmi_pipeline.ingest.readers.printed_table import PrintedTable, read_printed_table
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.normalise import map_labels
from sdmi_pipeline.reference.periods import month_period
from sdmi_pipeline.reference.provinces import province_names_to_code

FILE_NAME = re.compile(
    r"penempatan_menurut_(negara|provinsi|jenis_kelamin|sektor|skema)_(\d{4})\.xlsx", re.IGNORECASE
)
TEMPLATE = "penempatan_menurut_<negara|provinsi|jenis_kelamin|sektor|skema>_YYYY.xlsx"
TOTAL = "_T"
LABEL = "label"  # the raw column holding the printed label


@dataclass(frozen=True)
class Dimension:
    """A dimension KP2MI publishes a table by, and how its labels become reference codes."""

    name: str  # as in core.pmi_placements: destination, province, sex, sector, scheme
    what: str  # what a label names, for reasons
    headers: tuple[str, ...]  # the header cell naming the dimension, as tables print it
    to_codes: Callable[[pd.Series], pd.Series]
    known: str  # the labels accepted, for the reason of an unknown one


DIMENSIONS = {
    "negara": Dimension(
        "destination",
        "country",
        ("Negara Penempatan", "Negara", "Negara Tujuan", "Country", "Destination Country"),
        partial(countries_to_iso3, allow_rest_of_world=True),
        "an ISO 3166 country name in English or Indonesian, or Lainnya / Negara Lainnya / Others",
    ),
    "provinsi": Dimension(
        "province",
        "province",
        ("Provinsi", "Provinsi Asal", "Province", "Province of Origin"),
        province_names_to_code,
        "one of the 38 provinces or a name variant of spec 1 (DIY, NTB, Jatim ...)",
    ),
    "jenis_kelamin": Dimension(
        "sex",
        "sex",
        ("Jenis Kelamin", "Sex", "Gender"),
        partial(map_labels, lookup=codes.SEX),
        "Laki-laki / Perempuan, L / P, Male / Female",
    ),
    "sektor": Dimension(
        "sector",
        "sector",
        ("Sektor", "Sector"),
        partial(map_labels, lookup=codes.PMI_SECTOR),
        "Formal / Informal",
    ),
    "skema": Dimension(
        "scheme",
        "scheme",
        ("Skema", "Skema Penempatan", "Scheme", "Placement Scheme"),
        partial(map_labels, lookup=codes.PMI_SCHEME),
        "P to P / P3MI, G to G, Mandiri / Perseorangan, UKPS",
    ),
}


def file_dimension_and_year(path: Path) -> tuple[str, int]:
    """The dimension (as in the file name) and the year a published table covers."""
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise FileFormatError(f"{path}: name does not match {TEMPLATE}")
    return match.group(1).lower(), int(match.group(2))


def _label_codes(labels: pd.Series, dimension: Dimension) -> tuple[pd.Series, pd.DataFrame]:
    """Code of each printed label, and an issue for each row whose label is unknown or repeats a code."""
    text = labels.map(lambda label: None if label is None else str(label).strip() or None).astype("string")
    found = dimension.to_codes(text)
    unknown = found.isna()
    reasons = pd.Series(
        [
            f"row has counts but no {dimension.what}"
            if pd.isna(label)
            else f'unknown {dimension.what} "{label}" (expected {dimension.known})'
            for label in text
        ],
        index=labels.index,
        dtype="object",
    )
    first_line = pd.Series(found.index, index=found.index).groupby(found).transform("min")
    repeated = found.notna() & (first_line != found.index)
    reasons[repeated] = [
        f'{dimension.what} "{label}" is {code}, already given by sheet row {int(first)}'
        for label, code, first in zip(text[repeated], found[repeated], first_line[repeated], strict=True)
    ]
    issues = row_issues(unknown | repeated, "code", reasons, raw_column=LABEL)
    return found.mask(repeated), issues


def _negative_counts(table: PrintedTable) -> pd.DataFrame:
    """One issue per negative count, naming its month column."""
    issues = [
        row_issues(
            table.values[month].map(lambda count: count is not None and count < 0),
            "count",
            f"count in {table.headers[month]} is negative",
            raw_column=month,
        )
        for month in table.values.columns
    ]
    return pd.concat(issues, ignore_index=True)


def _long(
    table: PrintedTable, codes_by_line: pd.Series, dimension: Dimension, labels: pd.Series
) -> pd.DataFrame:
    """One row per sheet row × month, the closing row last with code `_T`."""
    wide = table.values.copy()
    wide.loc[table.total_line] = pd.Series(table.totals)
    frame = (
        wide.rename_axis(columns="month").stack(future_stack=True).rename("count").reset_index(level="month")
    )
    counts = frame["count"].map(lambda count: None if count is None else int(count)).astype("Int64")
    return pd.DataFrame(
        {
            "sheet": pd.Series(table.sheet, index=frame.index, dtype="string"),
            "dimension": pd.Series(dimension.name, index=frame.index, dtype="string"),
            "label": labels.reindex(frame.index).astype("string"),
            "code": codes_by_line.reindex(frame.index).astype("string"),
            "month": frame["month"].astype("string"),
            "count": counts,
        },
        index=frame.index,
    )


def read_published_table(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one published table into long rows; an unknown label is an issue of its row.

    Raises FileFormatError (TableRejectedError for cells) when the file cannot be read whole.
    """
    content = path.read_bytes() if content is None else content
    name, year = file_dimension_and_year(path)
    dimension = DIMENSIONS[name]
    table = read_printed_table(
        path, content, set(dimension.headers), partial(month_period, year=year), INDONESIAN, whole=True
    )
    codes_by_line, label_issues = _label_codes(table.labels, dimension)
    labels = table.labels.map(lambda label: None if label is None else str(label).strip())
    labels.loc[table.total_line] = table.total_label
    codes_by_line.loc[table.total_line] = TOTAL
    rows = _long(table, codes_by_line, dimension, labels)
    issues = pd.concat([label_issues, _negative_counts(table)], ignore_index=True)
    header = {LABEL: table.label_header} | table.headers
    return ReadFile(rows, _as_delivered(table), issues, table.ignored, None, None, header)


def _as_delivered(table: PrintedTable) -> pd.DataFrame:
    """Cells as delivered by sheet row, columns `label` and the months; the closing row as read."""
    names = {table.label_header: LABEL} | {printed: month for month, printed in table.headers.items()}
    raw = table.raw.rename(columns=names)
    closing = pd.DataFrame(
        [{LABEL: table.total_label} | {month: str(total) for month, total in table.totals.items()}],
        index=pd.Index([table.total_line], name="line"),
    )
    return pd.concat([raw, closing])
