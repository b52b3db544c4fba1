"""Month and quarter labels as publications print them (spec §0), as SDMX periods.

Months: Indonesian or English, full or short (`Januari`, `Jan`, `Agt`, `Oct`), optionally with
the year (`Maret 2023`, `Mar-23`); a cell Excel turned into a date also counts. Quarters:
`Tw I 2023` … `Tw IV 2023` or `Q1 2023` … `Q4 2023` (any case, spacing, a dot after `Tw`).
"""

import re
from datetime import date, datetime

from sdmi_pipeline.reference.normalise import label_key

MONTH_NAMES = {
    1: ("januari", "jan", "january"),
    2: ("februari", "feb", "february", "pebruari", "peb"),
    3: ("maret", "mar", "march"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "jun", "june"),
    7: ("juli", "jul", "july"),
    8: ("agustus", "agu", "agt", "ags", "aug", "august"),
    9: ("september", "sep", "sept"),
    10: ("oktober", "okt", "oct", "october"),
    11: ("november", "nov", "nop", "nopember"),
    12: ("desember", "des", "dec", "december"),
}
MONTHS = {name: number for number, names in MONTH_NAMES.items() for name in names}
ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_MONTH_LABEL = re.compile(r"([a-z]+)(?: (\d{4}|\d{2}))?")
_QUARTER_LABEL = re.compile(r"(?:(?:tw|triwulan|trw) (i|ii|iii|iv)|q ?([1-4])) (\d{4})")


class PeriodLabelError(ValueError):
    """A header that should name a month or quarter and does not, with the reason."""


def month_period(label: object, year: int | None = None) -> str:
    """`YYYY-MM` of a month header; `year` is the table's year when the header has none.

    Raises PeriodLabelError when the header names no month, or a year other than `year`.
    """
    if isinstance(label, datetime | date):
        found = f"{label.year:04d}-{label.month:02d}"
        if year is not None and label.year != year:
            raise PeriodLabelError(f'"{label:%Y-%m}" is not a month of {year}')
        return found
    match = _MONTH_LABEL.fullmatch(label_key(str(label)))
    month = MONTHS.get(match.group(1)) if match else None
    if month is None:
        raise PeriodLabelError(
            f'"{label}" is not a month name '
            "(Indonesian or English, full or short: Januari/Jan … Desember/Des)"
        )
    written = match.group(2)
    if written is None and year is None:
        raise PeriodLabelError(f'"{label}" names a month without its year')
    label_year = year if written is None else int(written) + (2000 if len(written) == 2 else 0)
    if year is not None and label_year != year:
        raise PeriodLabelError(f'"{label}" is not a month of {year}')
    return f"{label_year:04d}-{month:02d}"


def quarter_period(label: object) -> str:
    """`YYYY-Qn` of a quarter header (`Tw I 2023`, `Q1 2023`); PeriodLabelError otherwise."""
    match = _QUARTER_LABEL.fullmatch(label_key(str(label)))
    if not match:
        raise PeriodLabelError(f'"{label}" is not a quarter (Tw I 2023 … Tw IV 2023, or Q1 2023 … Q4 2023)')
    roman, digit, year = match.groups()
    quarter = ROMAN_QUARTERS[roman] if roman else int(digit)
    return f"{year}-Q{quarter}"
