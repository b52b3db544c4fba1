"""BPS WebAPI dynamic-table answers for population (spec §2.5): `penduduk_<var>_YYYY.json`.

A `list/model/data` answer lists the ids of its dimensions (`vervar` the regions, `var` the
variable, `turvar` the sexes, `tahun` the years, `turtahun` the periods within a year) and holds
the figures in `datacontent`, keyed by the five ids written together as strings. The key of every
combination is built from the id lists and matched exactly; an answer in which two combinations
give the same key is refused, because its figures cannot be told apart.
"""

import re
from itertools import product
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.json_answer import as_delivered, load_json
from sdmi_pipeline.ingest.readers.numbers import decimal_numbers, no_issues, row_issues
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference.normalise import label_key
from sdmi_pipeline.reference.provinces import province_name, province_names_to_code, province_table

FILE_NAME = re.compile(r"penduduk_(\d+)_(\d{4})\.json", re.IGNORECASE)
KEYS = ("var", "turvar", "labelvervar", "vervar", "tahun", "turtahun", "datacontent")
DIMENSIONS = ("vervar", "var", "turvar", "tahun", "turtahun")  # in the order of a datacontent key
NATIONAL = "9999"  # vervar INDONESIA, the national total
TOTAL = "_T"
TAHUN_BASE = 1900  # a tahun id is the year minus 1900
# Persons per unit of the variable, keyed by `label_key` of the unit.
UNITS = {"ribu jiwa": 1000, "ribu": 1000, "jiwa": 1}
SEXES = {"laki laki": "M", "perempuan": "F", "jumlah": TOTAL}
RAW_COLUMNS = (
    "datacontent_key",
    "datacontent_value",
    "vervar",
    "vervar_label",
    "turvar",
    "turvar_label",
    "tahun",
    "tahun_label",
    "turtahun",
)


class Entry(NamedTuple):
    """One id of a dimension list, as a string, with its label."""

    id: str
    label: str


class Combination(NamedTuple):
    vervar: Entry
    var: Entry
    turvar: Entry
    tahun: Entry
    turtahun: Entry

    def key(self) -> str:
        return "".join(entry.id for entry in self)

    def describe(self) -> str:
        """The ids with their labels; the variable, the same in every combination, by id only."""
        return " + ".join(
            f"{dimension} {entry.id}" + ("" if dimension == "var" else f" ({entry.label})")
            for dimension, entry in zip(DIMENSIONS, self, strict=True)
        )


def file_table(path: Path) -> tuple[str, int]:
    """The BPS variable id and the year of an answer, from its file name."""
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise FileFormatError(f"{path}: name does not match penduduk_<var>_YYYY.json")
    return match.group(1), int(match.group(2))


def _entries(answer: dict[str, Any], dimension: str, path: Path) -> list[Entry]:
    """A dimension's ids as strings (as the datacontent keys write them), each listed once."""
    listed = answer[dimension]
    if not isinstance(listed, list) or not listed:
        raise FileFormatError(f"{path}: {dimension} is not a non-empty list of {{val, label}}")
    entries = []
    for position, entry in enumerate(listed, 1):
        if not isinstance(entry, dict) or "val" not in entry or "label" not in entry:
            raise FileFormatError(f"{path}: {dimension} entry {position} is not an object {{val, label}}")
        value = entry["val"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or not re.fullmatch(r"\d+", str(value))
        ):
            raise FileFormatError(
                f"{path}: {dimension} entry {position}: val {as_delivered(value)!r} is not an id"
            )
        entries.append(Entry(str(value), str(entry["label"]).strip()))
    ids = [entry.id for entry in entries]
    repeated = sorted({id_ for id_ in ids if ids.count(id_) > 1})
    if repeated:
        raise FileFormatError(f"{path}: {dimension} id(s) listed more than once: {', '.join(repeated)}")
    return entries


def _check_answer(answer: Any, path: Path, var: str) -> None:
    if not isinstance(answer, dict):
        raise FileFormatError(f"{path}: not a BPS WebAPI answer object")
    status = answer.get("status")
    if status != "OK":
        raise FileFormatError(f"{path}: status is {as_delivered(status)!r}, not OK")
    missing = [key for key in KEYS if key not in answer]
    if missing:
        raise FileFormatError(f"{path}: key(s) missing: {', '.join(missing)}")
    if not isinstance(answer["datacontent"], dict):
        raise FileFormatError(f"{path}: datacontent is not an object of key: value")
    listed = answer["var"]
    if not isinstance(listed, list) or len(listed) != 1:
        raise FileFormatError(f"{path}: var should list exactly one variable, the file name's {var}")


def _unit(answer: dict[str, Any], path: Path) -> tuple[str, int]:
    """The variable's unit as delivered and the persons it stands for."""
    unit = answer["var"][0].get("unit")
    if not isinstance(unit, str) or label_key(unit) not in UNITS:
        raise FileFormatError(
            f"{path}: unit {as_delivered(unit)!r} of var {answer['var'][0].get('val')} is not "
            "Ribu Jiwa, Ribu or Jiwa"
        )
    return unit, UNITS[label_key(unit)]


def _sexes(turvars: list[Entry], path: Path) -> dict[str, str]:
    """turvar id → sex code; each sex at most once."""
    sexes = {}
    for entry in turvars:
        sex = SEXES.get(label_key(entry.label))
        if sex is None:
            raise FileFormatError(
                f"{path}: turvar {entry.id} {entry.label!r} is not Laki-laki, Perempuan or Jumlah"
            )
        if sex in sexes.values():
            raise FileFormatError(f"{path}: two turvar entries mean {entry.label!r}")
        sexes[entry.id] = sex
    return sexes


def _years(tahuns: list[Entry], path: Path) -> dict[str, int]:
    """tahun id → year; the label is the year and the id the year minus 1900."""
    years = {}
    for entry in tahuns:
        if not re.fullmatch(r"\d{4}", entry.label) or int(entry.id) != int(entry.label) - TAHUN_BASE:
            raise FileFormatError(
                f"{path}: tahun {entry.id} {entry.label!r}: the label should be the year and the id "
                f"the year minus {TAHUN_BASE}"
            )
        years[entry.id] = int(entry.label)
    return years


def _combinations(
    answer: dict[str, Any], lists: dict[str, list[Entry]], path: Path
) -> dict[str, Combination]:
    """datacontent key → the combination of ids that writes it; refuses an ambiguous answer."""
    by_key: dict[str, Combination] = {}
    for entries in product(*(lists[dimension] for dimension in DIMENSIONS)):
        combination = Combination(*entries)
        key = combination.key()
        if key in by_key:
            raise FileFormatError(
                f"{path}: ambiguous answer: datacontent key {key} is written both by "
                f"{by_key[key].describe()} and by {combination.describe()}"
            )
        by_key[key] = combination
    return by_key


def _province(vervar: Entry) -> str | None:
    """BPS province code of a vervar id (code × 100), `_T` for 9999 INDONESIA; None otherwise."""
    if vervar.id == NATIONAL:
        return TOTAL
    code, remainder = divmod(int(vervar.id), 100)
    valid = set(province_table()["province_code"])
    return f"{code:02d}" if remainder == 0 and f"{code:02d}" in valid else None


def read_population_table(path: Path, content: bytes | None = None) -> ReadFile:
    """Read one BPS population answer into typed rows, one per datacontent key.

    Raises FileFormatError when the answer as a whole is unusable: its name, its JSON, its status,
    a missing key, another variable than the file name's, an unknown unit or sex label, a tahun
    that is not year − 1900, or two combinations of ids writing the same datacontent key.
    """
    var, year = file_table(path)
    answer, encoding = load_json(path, content)
    _check_answer(answer, path, var)
    lists = {dimension: _entries(answer, dimension, path) for dimension in DIMENSIONS}
    if lists["var"][0].id != var:
        raise FileFormatError(f"{path}: the answer is for var {lists['var'][0].id}, the file name says {var}")
    if len(lists["turtahun"]) != 1:
        ids = ", ".join(entry.id for entry in lists["turtahun"])
        raise FileFormatError(f"{path}: turtahun should list one period (the year), not {ids}")
    unit, persons = _unit(answer, path)
    sexes = _sexes(lists["turvar"], path)
    years = _years(lists["tahun"], path)
    by_key = _combinations(answer, lists, path)

    datacontent = answer["datacontent"]
    index = pd.RangeIndex(1, len(datacontent) + 1, name="line")
    found = [by_key.get(key) for key in datacontent]
    raw = pd.DataFrame(
        {
            "datacontent_key": list(datacontent),
            "datacontent_value": [as_delivered(value) for value in datacontent.values()],
            "vervar": [c.vervar.id if c else None for c in found],
            "vervar_label": [c.vervar.label if c else None for c in found],
            "turvar": [c.turvar.id if c else None for c in found],
            "turvar_label": [c.turvar.label if c else None for c in found],
            "tahun": [c.tahun.id if c else None for c in found],
            "tahun_label": [c.tahun.label if c else None for c in found],
            "turtahun": [c.turtahun.id if c else None for c in found],
        },
        index=index,
        dtype="string",
    )
    matched = pd.Series([c is not None for c in found], index=index)
    provinces = pd.Series([_province(c.vervar) if c else None for c in found], index=index, dtype="string")
    named = province_names_to_code(raw["vervar_label"])
    not_province = matched & provinces.isna()
    disagree = provinces.notna() & (provinces != TOTAL) & named.notna() & (named != provinces)
    row_years = pd.Series([years[c.tahun.id] if c else None for c in found], index=index, dtype="Int64")
    other_year = row_years.notna() & (row_years != year)
    values, value_issues = decimal_numbers(
        pd.Series(list(datacontent.values()), index=index, dtype="object"), "population", "datacontent_value"
    )
    issues = [
        row_issues(
            ~matched,
            "data_key",
            "datacontent key " + raw["datacontent_key"] + " matches no combination of the answer's "
            "vervar, var, turvar, tahun and turtahun ids",
            "datacontent_key",
        ),
        row_issues(
            not_province,
            "province",
            "vervar " + raw["vervar"] + " (" + raw["vervar_label"] + ") is neither a province "
            f"(BPS code × 100) nor {NATIONAL} INDONESIA",
            "vervar",
        ),
        row_issues(
            disagree,
            "province",
            pd.Series(
                {
                    line: f"vervar {raw.at[line, 'vervar']} is {province_name(provinces[line])}, "
                    f"its label says {province_name(named[line])}"
                    for line in disagree[disagree].index
                },
                dtype="object",
            ),
            "vervar_label",
        ),
        row_issues(
            other_year,
            "year",
            "year " + raw["tahun_label"] + f" is not the file's year {year}",
            "tahun_label",
        ),
        value_issues,
    ]
    rows = pd.DataFrame(
        {
            "data_key": raw["datacontent_key"],
            "var_id": pd.Series(var, index=index, dtype="string"),
            "year": row_years,
            "province": provinces.where(~disagree),
            "province_label": raw["vervar_label"],
            "sex": pd.Series([sexes[c.turvar.id] if c else None for c in found], index=index, dtype="string"),
            "population": pd.Series(
                [None if value is None else float(value * persons) for value in values],
                index=index,
                dtype="Float64",
            ),
            "unit_label": pd.Series(unit, index=index, dtype="string"),
        },
        index=index,
    )
    issues = pd.concat([issue for issue in issues if not issue.empty] or [no_issues()], ignore_index=True)
    return ReadFile(rows, raw, issues, [], encoding, None, {column: column for column in RAW_COLUMNS})
