"""Readable labels, in English and Indonesian, for the codes of `indicators.observations`.

`create_labels` builds a temporary table `release_labels(dimension, code, label_en, label_id)` in
the public connection from the names and labels of `reference.*` in both languages, with a few
fallbacks for codes that no reference list holds.
"""

import duckdb

from sdmi_pipeline.contracts.checks import BREAKDOWN_DIMENSIONS as DIMENSIONS

LABELS_TABLE = "release_labels"

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


def create_labels(public: duckdb.DuckDBPyConnection) -> str:
    """Create the labels table in `public` and return its name."""
    dimension_lists = (
        " UNION ALL ".join(
            f"SELECT '{dimension}' AS dimension, unnest([{', '.join(repr(n) for n in lists)}]) AS code_list"
            for dimension, lists in DIMENSION_LISTS.items()
        )
        + f" UNION ALL SELECT unnest({_DIMENSION_ARRAY}), 'sdmx_special'"
    )
    fallbacks = " UNION ALL ".join(
        f"SELECT '{dimension}', '{code}', '{en}', '{id_}'"
        for (dimension, code), (en, id_) in FALLBACK_LABELS.items()
    )
    # Priority: the reference label, then a fallback for codes no reference list holds.
    public.execute(f"""
        CREATE OR REPLACE TEMP TABLE {LABELS_TABLE} AS
        WITH code_labels AS (SELECT code_list, code, label_en, label_id FROM reference.codes),
        lists AS ({dimension_lists}),
        candidates AS (
            SELECT l.dimension, c.code, c.label_en, c.label_id, 0 AS priority
            FROM lists l JOIN code_labels c USING (code_list)
            UNION ALL
            SELECT d.dimension, f.code, f.label_en, f.label_id, 1
            FROM ({fallbacks}) AS f(dimension, code, label_en, label_id)
            JOIN (SELECT unnest({_DIMENSION_ARRAY}) AS dimension) d
              ON f.dimension IN ('*', d.dimension)
            UNION ALL SELECT 'counterpart_area', iso3, name_en, name_id, 0 FROM reference.countries
            UNION ALL SELECT 'province', province_code, name_en, name_id, 0 FROM reference.provinces
            UNION ALL SELECT 'age', age_group, label_en, label_id, 0 FROM reference.age_groups
        )
        SELECT DISTINCT ON (dimension, code) dimension, code, label_en, label_id
        FROM candidates ORDER BY dimension, code, priority
    """)
    return LABELS_TABLE
