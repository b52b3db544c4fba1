"""The one label lookup: every code's words, keyed by (code list, code), over the `reference` tables.

`LOOKUP_SQL` stacks `reference.codes` with the countries, provinces and placement age groups as
lists of their own (`country`, `province`, `age_group`). A column of `indicators.observations`
draws on the lists of `DIMENSION_LISTS`, then on `sdmx_special` (`_T`, `_Z`, `_O`, `_U`): its own
list wins, so codes of two lists never meet in one dimension (`M` is male in `sex`, monthly in
`freq`). Every output (portal, charts, Excel, Open SDG, SDMX) reads labels through this module.
"""

from dataclasses import dataclass

import duckdb

LOOKUP_SQL = """
SELECT code_list, code, label_en, label_id, short_label, note_en, note_id, sort_order FROM reference.codes
UNION ALL SELECT 'country', iso3, name_en, name_id, NULL, NULL, NULL, NULL FROM reference.countries
UNION ALL SELECT 'province', province_code, name_en, name_id, NULL, NULL, NULL, NULL FROM reference.provinces
UNION ALL SELECT 'age_group', age_group, label_en, label_id, short_label, NULL, NULL, min_age
          FROM reference.age_groups
"""
SPECIAL_LIST = "sdmx_special"
LIST_SPAN = 100_000  # sort orders of one list stay below this
# Dimensions whose codes have an order of their own (age groups): shown in that order, not by value.
ORDERED_DIMENSIONS = ("age",)
# The lists each dimension of the observations draws on, its own first (codes never collide within).
DIMENSION_LISTS: dict[str, tuple[str, ...]] = {
    "counterpart_area": ("country",),
    "sex": ("sex",),
    "age": ("age_group", "refugee_age_group"),
    "province": ("province", "tka_province"),
    "education": ("education",),
    "sector": ("pmi_sector", "tka_sector"),
    "occupation": ("occupation", "tka_position"),
    "scheme": ("pmi_scheme",),
    "population_type": ("population_type",),
    "location": (),
}


def dimension_lookup_sql() -> str:
    """SQL: (dimension, code, label_en, label_id, short_label, sort_order), a row per code of a dimension."""
    lists = " UNION ALL ".join(
        f"SELECT '{dimension}' AS dimension, '{code_list}' AS code_list, {rank} AS rank"
        for dimension, code_lists in DIMENSION_LISTS.items()
        for rank, code_list in enumerate((*code_lists, SPECIAL_LIST))
    )
    # A dimension's order: its own lists first, in their order; then the special codes.
    return f"""
        SELECT d.dimension, l.code, l.label_en, l.label_id, l.short_label,
               d.rank * {LIST_SPAN} + coalesce(l.sort_order, 0) AS sort_order
        FROM ({lists}) AS d JOIN ({LOOKUP_SQL}) AS l USING (code_list)
        QUALIFY row_number() OVER (PARTITION BY d.dimension, l.code ORDER BY d.rank) = 1
    """


def create_lookup(connection: duckdb.DuckDBPyConnection, name: str = "code_labels") -> str:
    """A temporary table of `LOOKUP_SQL` in `connection`, for joins by (code_list, code); returns its name."""
    connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {LOOKUP_SQL}")
    return name


def create_dimension_labels(connection: duckdb.DuckDBPyConnection, name: str = "dimension_labels") -> str:
    """A temporary table of `dimension_lookup_sql()` in `connection`, for joins; returns its name."""
    connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {dimension_lookup_sql()}")
    return name


@dataclass(frozen=True)
class Label:
    en: str
    id: str
    short: str | None = None
    note_en: str | None = None
    note_id: str | None = None
    order: int | None = None

    def pick(self, language: str) -> str:
        """The label in a language (`en` or `id`)."""
        return self.id if language == "id" else self.en

    def in_sentence(self, language: str) -> str:
        """The label inside a sentence, its first letter small (`by age group`, `menurut kelompok umur`)."""
        text = self.pick(language)
        return text[:1].lower() + text[1:]

    def capitalised(self, language: str) -> str:
        """The label with a capital first letter (a column value: `Persons`, `Orang`)."""
        text = self.pick(language)
        return text[:1].upper() + text[1:]

    def short_or_label(self, language: str) -> str:
        """The short form when there is one (chart axes), else the label."""
        return self.short or self.pick(language)

    def note(self, language: str) -> str | None:
        return self.note_id if language == "id" else self.note_en


class Labels:
    """Every label of `reference`, read once from a connection: by (code list, code) or by dimension."""

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self.lists: dict[tuple[str, str], Label] = {
            (code_list, code): Label(*rest)
            for code_list, code, *rest in connection.execute(LOOKUP_SQL).fetchall()
        }
        self.dimensions: dict[tuple[str, str], Label] = {
            (dimension, code): Label(en, id_, short, order=order)
            for dimension, code, en, id_, short, order in connection.execute(
                dimension_lookup_sql()
            ).fetchall()
        }

    def of(self, code_list: str, code: str) -> Label:
        """The label of a code of a list; a code no list holds is its own label (a proper name)."""
        return self.lists.get((code_list, code)) or Label(code, code)

    def label(self, code_list: str, code: str, language: str) -> str:
        return self.of(code_list, code).pick(language)

    def of_dimension(self, dimension: str, code: str) -> Label:
        """The label of a code of a column of the observations (`sex`, `age`, `counterpart_area`, …)."""
        return self.dimensions.get((dimension, code)) or Label(code, code)

    def codes(self, code_list: str) -> list[tuple[str, Label]]:
        """Every code of a list with its label, in the list's order."""
        found = [(code, label) for (name, code), label in self.lists.items() if name == code_list]
        return sorted(found, key=lambda item: (item[1].order is None, item[1].order or 0, item[0]))
