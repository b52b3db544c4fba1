"""Bank Indonesia's remittances from Indonesian migrant workers by host country (spec §2.6).

`bi/remitansi_pmi.xlsx`: a printed table (title rows, a header with `Negara` or `Country` and one
column per quarter, `Tw I 2023` or `Q1 2023`, perhaps a `Total` column, a closing `Total` row) in
USD million with a decimal point. The table must reconcile within ROUNDING_TOLERANCE, or it is
quarantined whole (see `printed_table`). Each host row becomes one row per quarter (long form);
every row of a host keeps the host's sheet row as its `line`.
"""

from decimal import Decimal
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.fields import row_issues
from sdmi_pipeline.ingest.readers.numbers import ENGLISH, no_issues
from sdmi_pipeline.ingest.readers.printed_table import read_printed_table
from sdmi_pipeline.reference.countries import countries_to_iso3
from sdmi_pipeline.reference.periods import quarter_period

HOST_HEADERS = {"Negara", "Country", "Negara Penempatan", "Host country"}
# Published totals are rounded: a total may differ from the sum of its printed addends by up to
# USD 1 million (BI prints USD million with one or two decimals; see docs/warehouse.md).
ROUNDING_TOLERANCE = Decimal(1)
HOST_LABEL = "host_label"  # the raw frame's key for the host column, whatever its printed header


def _repeated_hosts(hosts: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """An issue on every row whose host an earlier row of the table already gives."""
    repeated = hosts.notna() & hosts.duplicated(keep="first")
    first_line = {host: line for line, host in hosts[hosts.notna()][::-1].items()}
    reasons = pd.Series(
        {
            line: f'host country "{labels[line]}" ({hosts[line]}) is already on sheet row '
            f"{first_line[hosts[line]]}"
            for line in repeated[repeated].index
        },
        dtype="object",
    )
    return row_issues(repeated, "host", reasons, HOST_LABEL)


def _negative_values(values: pd.DataFrame, headers: dict[str, str]) -> list[pd.DataFrame]:
    """An issue on every negative value, naming its quarter column: inflows are not negative."""
    issues = []
    for quarter in values.columns:
        negative = values[quarter].map(lambda value: value is not None and value < 0).astype(bool)
        reason = f"{headers[quarter]}: a remittance inflow is not negative"
        issues.append(row_issues(negative, "value_usd_million", reason, quarter))
    return issues


def read_remittance_table(path: Path, content: bytes | None = None) -> ReadFile:
    """Read BI's remittance table into one row per host country and quarter.

    Raises FileFormatError (TableRejectedError listing the cells) when the table cannot be read
    or does not reconcile. An unknown country, a host given twice or a negative value rejects
    that host's row; the rest loads.
    """
    content = path.read_bytes() if content is None else content
    table = read_printed_table(
        path, content, HOST_HEADERS, quarter_period, ENGLISH, whole=False, tolerance=ROUNDING_TOLERANCE
    )
    labels = table.labels.map(lambda label: None if label is None else str(label).strip()).astype("string")
    hosts = countries_to_iso3(labels, allow_rest_of_world=True)
    raw = table.raw.copy()
    raw.columns = [HOST_LABEL, *table.values.columns]
    header = {HOST_LABEL: table.label_header} | table.headers

    long = table.values.rename_axis(columns="quarter").stack(future_stack=True).rename("value_usd_million")
    long = long.reset_index(level="quarter")
    rows = pd.DataFrame(
        {
            "quarter": long["quarter"].astype("string"),
            "host": hosts.reindex(long.index),
            "host_label": labels.reindex(long.index),
            "value_usd_million": long["value_usd_million"].astype("object"),
        },
        index=long.index,
    )
    issues = [_repeated_hosts(hosts, labels), *_negative_values(table.values, table.headers)]
    issues = pd.concat([issue for issue in issues if not issue.empty] or [no_issues()], ignore_index=True)
    return ReadFile(rows, raw, issues, table.ignored, None, None, header)  # a workbook: no text encoding
