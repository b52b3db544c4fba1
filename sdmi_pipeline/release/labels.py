"""Readable labels, in English and Indonesian, for the codes of `indicators.observations`.

`create_labels` builds a temporary table `release_labels(dimension, code, label_en, label_id)` in
the public connection from `reference.*`. It reads `label_en` / `label_id` columns where the
reference tables have them; where a code list has one mixed label (`Male / Laki-laki`), only the
lists known to be written `English / Indonesia` are split, and the others keep the label in both.
"""

import duckdb

from sdmi_pipeline.checks import BREAKDOWN_DIMENSIONS as DIMENSIONS

LABELS_TABLE = "release_labels"

# Code lists of reference.codes whose one `label` is "English / Indonesian".
BILINGUAL_LISTS = ("sex", "pmi_scheme", "tka_sector", "tka_position", "population_type")

# The code lists each dimension draws on (codes never collide within a dimension).
DIMENSION_LISTS: dict[str, tuple[str, ...]] = {
    "sex": ("sex",),
    "education": ("education",),
    "sector": ("pmi_sector", "tka_sector"),
    "occupation": ("occupation", "tka_position"),
    "scheme": ("pmi_scheme",),
    "population_type": ("population_type",),
    "age": ("refugee_age_group",),
    "province": ("tka_province",),
}
_DIMENSION_ARRAY = "[" + ", ".join(f"'{dimension}'" for dimension in DIMENSIONS) + "]"
# Codes that mean "every value" or "does not apply": a blank cell in Open SDG.
TOTAL_CODES = ("_T", "_Z")
# Labels used when reference.codes has no `label_en` / `label_id` for the code ("*": every dimension).
FALLBACK_LABELS = {
    ("*", "_O"): ("Other countries", "Negara lainnya"),
    ("*", "_U"): ("Not stated", "Tidak diketahui"),
    ("*", "OTHER"): ("Other", "Lainnya"),
    ("province", "LP"): ("Several provinces (Lintas Provinsi)", "Lintas Provinsi"),
}


def _columns(public: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = public.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()
    return {row[0] for row in rows}


def _pair(columns: set[str], en: str, id_: str) -> str:
    """`label_en, label_id` when the table has them, else the fallback expressions under those names."""
    if {"label_en", "label_id"} <= columns:
        return "label_en, label_id"
    return f"{en} AS label_en, {id_} AS label_id"


def create_labels(public: duckdb.DuckDBPyConnection) -> str:
    """Create the labels table in `public` and return its name."""
    codes = _columns(public, "reference.codes")
    bilingual_codes = {"label_en", "label_id"} <= codes
    bilingual = ", ".join(f"'{name}'" for name in BILINGUAL_LISTS)
    split = f"code_list IN ({bilingual}) AND contains(label, ' / ')"
    code_pair = _pair(
        codes,
        f"CASE WHEN {split} THEN split_part(label, ' / ', 1) ELSE label END",
        f"""CASE WHEN {split} THEN split_part(label, ' / ', 2)
                 WHEN code_list = 'refugee_age_group'
                 THEN replace(replace(label, ' years and over', ' tahun ke atas'), ' years', ' tahun')
                 ELSE label END""",
    )
    dimension_lists = (
        " UNION ALL ".join(
            f"SELECT '{dimension}' AS dimension, unnest([{', '.join(repr(n) for n in lists)}]) AS code_list"
            for dimension, lists in DIMENSION_LISTS.items()
        )
        + f" UNION ALL SELECT unnest({_DIMENSION_ARRAY}), 'sdmx_special'"
    )
    countries = _pair(_columns(public, "reference.countries"), "name_en", "name_id")
    provinces = _pair(_columns(public, "reference.provinces"), "name", "name")
    fallbacks = " UNION ALL ".join(
        f"SELECT '{dimension}', '{code}', '{en}', '{id_}'"
        for (dimension, code), (en, id_) in FALLBACK_LABELS.items()
    )
    # Priority: a bilingual reference label, then a fallback, then a reference label in one language.
    public.execute(f"""
        CREATE OR REPLACE TEMP TABLE {LABELS_TABLE} AS
        WITH code_labels AS (SELECT code_list, code, {code_pair} FROM reference.codes),
        lists AS ({dimension_lists}),
        candidates AS (
            SELECT l.dimension, c.code, c.label_en, c.label_id, {0 if bilingual_codes else 2} AS priority
            FROM lists l JOIN code_labels c USING (code_list)
            UNION ALL
            SELECT d.dimension, f.code, f.label_en, f.label_id, 1
            FROM ({fallbacks}) AS f(dimension, code, label_en, label_id)
            JOIN (SELECT unnest({_DIMENSION_ARRAY}) AS dimension) d
              ON f.dimension IN ('*', d.dimension)
            UNION ALL SELECT 'counterpart_area', iso3, {countries}, 0 FROM reference.countries
            UNION ALL SELECT 'province', province_code, {provinces}, 0 FROM reference.provinces
            UNION ALL SELECT 'age', age_group,
                CASE WHEN max_age >= 200 THEN min_age || ' years and over'
                     ELSE min_age || '-' || max_age || ' years' END,
                CASE WHEN max_age >= 200 THEN min_age || ' tahun ke atas'
                     ELSE min_age || '-' || max_age || ' tahun' END, 0
            FROM reference.age_groups
        )
        SELECT DISTINCT ON (dimension, code) dimension, code, label_en, label_id
        FROM candidates ORDER BY dimension, code, priority
    """)
    return LABELS_TABLE
