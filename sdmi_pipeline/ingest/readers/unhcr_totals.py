"""Keys and totals of a UNHCR answer (spec §2.4): each key once, and `-` rows that agree.

An item with `-` on the varying side (`coo_iso` of a `coa=IDN` answer, `coa_iso` of a `coo=IDN`
answer) is UNHCR's aggregate over that dimension: the total of its year, code `_T`. Where the
answer also breaks the year down, the breakdown must add up to it, count by count; the total is
then never counted beside it (assets/core, assets/indicators). A key (year, country) given twice,
on one page or on two, is an error: adding both would count the same people twice.
"""

import pandas as pd

from sdmi_pipeline.ingest.readers.numbers import no_issues, row_issues

TOTAL = "_T"
COUNTS = ("refugees", "asylum_seekers", "oip")


def _named(code: str) -> str:
    return 'the total ("-")' if code == TOTAL else code


def repeated_keys(codes: pd.Series, years: pd.Series, column: str) -> pd.DataFrame:
    """An issue on every item whose year and country an earlier item already gives."""
    keys = pd.DataFrame({"year": years, "code": codes}).dropna()
    repeated = keys.duplicated(keep="first")
    first = keys.reset_index().groupby(["year", "code"])["line"].min()
    reasons = pd.Series(
        {
            line: f"{_named(code)} of {year} is already on line "
            f"{first[(year, code)]}: a key given twice would be counted twice"
            for line, (year, code) in keys[repeated].iterrows()
        },
        dtype="object",
    )
    return row_issues(repeated.reindex(codes.index, fill_value=False), column, reasons)


def totals_disagreeing(
    codes: pd.Series, years: pd.Series, counts: dict[str, pd.Series], what: str
) -> list[pd.DataFrame]:
    """An issue on a `-` row for each count its year's breakdown does not add up to."""
    frame = pd.DataFrame({"year": years, "code": codes, **counts})
    totals = frame[frame["code"] == TOTAL].drop_duplicates(["year"])
    breakdown = frame[frame["code"].notna() & (frame["code"] != TOTAL)]
    sums = breakdown.groupby("year")[list(counts)].sum(min_count=1)
    issues = []
    for field in counts:
        joined = totals[["year", field]].join(sums[field].rename("sum"), on="year")
        wrong = joined["sum"].notna() & joined[field].notna() & (joined["sum"] != joined[field])
        reasons = pd.Series(
            {
                line: f'{field}: the row aggregated over all {what} ("-") says {int(row[field]):,} but the '
                f"{what} of {row['year']} sum to {int(row['sum']):,}"
                for line, row in joined[wrong].iterrows()
            },
            dtype="object",
        )
        issues.append(row_issues(wrong.reindex(codes.index, fill_value=False), field, reasons))
    return issues


def aggregate_issues(
    codes: pd.Series, years: pd.Series, counts: dict[str, pd.Series], varying: str
) -> list[pd.DataFrame]:
    """Repeated keys and totals that disagree with their breakdown, on the varying side."""
    column, what = ("origin", "origins") if varying == "coo" else ("asylum", "countries of asylum")
    found = [repeated_keys(codes, years, column), *totals_disagreeing(codes, years, counts, what)]
    return [issue for issue in found if not issue.empty] or [no_issues()]
