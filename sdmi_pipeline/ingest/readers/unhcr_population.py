"""UNHCR population statistics API answers (spec §2.4): `population_(coa|coo)_IDN_YYYY.json`.

`coa` answers hold refugees in Indonesia by origin (`coa=IDN`, `coo_all=true`), `coo` answers
refugees from Indonesia by country of asylum (`coo=IDN`, `coa_all=true`). The answer is one page
object `{page, maxPages, total, items}` or a JSON list of them; the rows are the items, numbered
1, 2, … across the pages in page order (that number is the row's `line`). An item with `-` on the
varying side is UNHCR's total over that dimension (`_T`, see `unhcr_totals`).
"""

import re
from pathlib import Path
from typing import Any

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.json_answer import as_delivered, load_json
from sdmi_pipeline.ingest.readers.numbers import nil_as_zero, no_issues, row_issues, whole_numbers
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.readers.unhcr_totals import TOTAL, aggregate_issues
from sdmi_pipeline.reference.countries import countries_to_iso3, country_table

FILE_NAME = re.compile(r"population_(coa|coo)_IDN_(\d{4})\.json", re.IGNORECASE)
PAGE_KEYS = ("page", "maxPages", "total", "items")
# Item fields spec §2.4 names; `oip` (other people in need of international protection) is
# absent from older answers, `coa_name` is only a label.
REQUIRED_FIELDS = ("year", "coo_iso", "coo_name", "coa_iso", "refugees", "asylum_seekers")
COUNTS = ("refugees", "asylum_seekers", "oip")
AGGREGATED = "-"
INDONESIA = "IDN"
# The two sides of an answer: (contract column, ISO field, name field).
SIDES = {"coo": ("origin", "coo_iso", "coo_name"), "coa": ("asylum", "coa_iso", "coa_name")}


def file_answer(path: Path) -> tuple[str, int]:
    """The fixed side (`coa` or `coo`, always IDN) and the year of an answer, from its file name."""
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise FileFormatError(
            f"{path}: name does not match population_coa_IDN_YYYY.json or population_coo_IDN_YYYY.json"
        )
    return match.group(1).lower(), int(match.group(2))


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _pages(answer: Any, path: Path) -> list[dict[str, Any]]:
    """The pages in page order, after checking that they are complete and add up."""
    pages = answer if isinstance(answer, list) else [answer]
    if not pages:
        raise FileFormatError(f"{path}: an empty list, not the pages of an answer")
    for position, page in enumerate(pages, 1):
        where = f"list element {position}" if isinstance(answer, list) else "the answer"
        if not isinstance(page, dict):
            raise FileFormatError(f"{path}: {where} is not a page object {{page, maxPages, total, items}}")
        missing = [key for key in PAGE_KEYS if key not in page]
        if missing:
            raise FileFormatError(f"{path}: {where} is not a page object: {', '.join(missing)} missing")
        for key in ("page", "maxPages", "total"):
            if key == "total" and page[key] in ([], None):
                continue  # the live API answers `"total": []`: no count to check against
            if not _is_whole(page[key]) or page[key] < 0:
                raise FileFormatError(
                    f"{path}: {where}: {key} {as_delivered(page[key])!r} is not a whole number"
                )
        if not isinstance(page["items"], list):
            raise FileFormatError(f"{path}: {where}: items is not a list")
    for key in ("maxPages", "total"):
        values = sorted({str(page[key]) for page in pages})
        if len(values) > 1:
            raise FileFormatError(f"{path}: the pages disagree on {key}: {', '.join(map(str, values))}")
    max_pages, total = pages[0]["maxPages"], pages[0]["total"]
    last = max(max_pages, 1)  # an empty answer may say maxPages 0
    numbers = [page["page"] for page in pages]
    for number in sorted(set(numbers)):
        if numbers.count(number) > 1:
            raise FileFormatError(f"{path}: page {number} appears {numbers.count(number)} times")
        if not 1 <= number <= last:
            raise FileFormatError(f"{path}: page {number} is outside 1..{last} (maxPages {max_pages})")
    for number in range(1, last + 1):
        if number not in numbers:
            raise FileFormatError(f"{path}: page {number} of {last} is missing")
    items = sum(len(page["items"]) for page in pages)
    if _is_whole(total) and items != total:
        raise FileFormatError(f"{path}: the pages hold {items} items but total says {total}")
    return sorted(pages, key=lambda page: page["page"])


def _items(pages: list[dict[str, Any]], path: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """The items in order and the page of each; every item must carry the required fields."""
    items, page_of = [], []
    for page in pages:
        for position, item in enumerate(page["items"], 1):
            line = len(items) + 1
            where = f"page {page['page']} item {position} (line {line})"
            if not isinstance(item, dict):
                raise FileFormatError(f"{path}: {where} is not an object")
            missing = [field for field in REQUIRED_FIELDS if field not in item]
            if missing:
                raise FileFormatError(f"{path}: {where}: required field(s) absent: {', '.join(missing)}")
            items.append(item)
            page_of.append(page["page"])
    return items, page_of


def _countries(raw: pd.DataFrame, side: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """ISO3 of one side (the ISO field when it is an ISO 3166-1 code, else the name), the
    lines where it is `-` (aggregated) and the lines where it is unknown."""
    _, iso_field, name_field = SIDES[side]
    iso = raw[iso_field].str.strip().str.upper()
    by_code = iso.where(iso.isin(set(country_table()["iso3"])))
    names = (
        raw[name_field] if name_field in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
    )
    resolved = by_code.fillna(countries_to_iso3(names)).astype("string")
    aggregated = (iso == AGGREGATED).fillna(False)
    resolved = resolved.where(~aggregated)
    unknown = resolved.isna() & ~aggregated & (raw[iso_field].notna() | names.notna())
    return resolved, aggregated, unknown


def _unknown_reasons(raw: pd.DataFrame, side: str, unknown: pd.Series) -> pd.Series:
    _, iso_field, name_field = SIDES[side]
    names = raw[name_field] if name_field in raw.columns else pd.Series(pd.NA, index=raw.index)
    return pd.Series(
        {
            line: f"unknown country: {iso_field} {_quoted(raw.at[line, iso_field])} is no ISO 3166-1 code "
            f"and {name_field} {_quoted(names[line])} no known country name"
            for line in unknown[unknown].index
        },
        dtype="object",
    )


def _quoted(value: Any) -> str:
    return "empty" if pd.isna(value) else f'"{value}"'


def read_population_answer(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one population answer into typed rows; problems with an item become issues.

    Raises FileFormatError when the answer as a whole is unreadable: its name, its JSON, its
    pages (missing, repeated, not adding up to `total`) or an item without a required field.
    """
    fixed, year = file_answer(path)
    varying = "coa" if fixed == "coo" else "coo"
    answer, encoding = load_json(path, content)
    items, page_of = _items(_pages(answer, path), path)
    index = pd.RangeIndex(1, len(items) + 1, name="line")
    # Every required field is in every item; an empty answer still gets their columns.
    columns = list(dict.fromkeys([*(field for item in items for field in item), *REQUIRED_FIELDS]))
    delivered = pd.DataFrame(
        {
            field: pd.Series([item.get(field) for item in items], index=index, dtype="object")
            for field in columns
        },
        index=index,
    )
    raw = delivered.map(as_delivered).astype("string")
    absent = pd.Series(None, index=index, dtype="object")

    issues = []
    counts = {}
    for field in COUNTS:
        counts[field], issue = whole_numbers(nil_as_zero(delivered.get(field, absent)), field)
        issues.append(issue)
    years, year_issue = whole_numbers(delivered["year"], "year", what="a year")
    other_year = years.notna() & (years != year)
    issues += [
        year_issue,
        row_issues(other_year, "year", "year " + years.astype("string") + f" is not the file's year {year}"),
    ]

    # The varying side: `-` is a row aggregated over that dimension: its total (`_T`).
    column, iso_field, _ = SIDES[varying]
    codes, aggregated, unknown = _countries(raw, varying)
    codes = codes.mask(aggregated, TOTAL)
    issues.append(row_issues(unknown, column, _unknown_reasons(raw, varying, unknown), iso_field))
    issues += aggregate_issues(codes, years, counts, varying)
    sides = {column: codes}
    # The fixed side is Indonesia, as the file name's query says.
    column, iso_field, _ = SIDES[fixed]
    codes, _, _ = _countries(raw, fixed)
    not_indonesia = codes.ne(INDONESIA).fillna(True)
    reasons = (
        f'{iso_field} "'
        + raw[iso_field].fillna("")
        + f'" is not {INDONESIA}: this answer is for {fixed}={INDONESIA}'
    )
    issues.append(row_issues(not_indonesia, column, reasons, iso_field))
    sides[column] = codes.where(~not_indonesia)

    rows = pd.DataFrame(
        {
            "page": pd.Series(page_of, index=index, dtype="Int64"),
            "query": pd.Series(f"{fixed}={INDONESIA}", index=index, dtype="string"),
            "year": years,
            "origin": sides["origin"],
            "origin_label": raw["coo_name"],
            "asylum": sides["asylum"],
            "asylum_label": raw.get("coa_name", pd.Series(pd.NA, index=index, dtype="string")),
            **counts,
        },
        index=index,
    )
    issues = pd.concat([issue for issue in issues if not issue.empty] or [no_issues()], ignore_index=True)
    return ReadFile(rows, raw, issues, [], encoding, None, {column: column for column in columns})
