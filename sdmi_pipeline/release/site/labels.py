"""Names of codes in both languages, from the public reference tables (countries, provinces, code lists).

Every reference table carries its names in both languages (`name_en`/`name_id`, `label_en`/`label_id`).
"""

import re

import duckdb

from sdmi_pipeline.release.site.i18n import Language

SPECIAL = {
    "_T": ("Total", "Jumlah"),
    "_O": ("Rest of the world", "Lainnya"),
    "_U": ("Not stated", "Tidak disebutkan"),
    "_Z": ("Not applicable", "Tidak berlaku"),
}
AGE_RANGE, AGE_OVER = re.compile(r"^Y(\d+)T(\d+)$"), re.compile(r"^Y_GE(\d+)$")


def age_label(code: str) -> str | None:
    """`Y18T24` → `18–24`, `Y_GE50` → `50+` (the same in both languages)."""
    if match := AGE_RANGE.match(code):
        return f"{match[1]}–{match[2]}"
    if match := AGE_OVER.match(code):
        return f"{match[1]}+"
    return None


class CodeLabels:
    """Every code's name in English and Indonesian."""

    def __init__(self, public: duckdb.DuckDBPyConnection):
        self.countries = {
            iso3: (en, id_)
            for iso3, en, id_ in public.execute(
                "SELECT iso3, name_en, name_id FROM reference.countries"
            ).fetchall()
        }
        self.provinces = {
            code: (en, id_)
            for code, en, id_ in public.execute(
                "SELECT province_code, name_en, name_id FROM reference.provinces"
            ).fetchall()
        }
        self.codes = {
            code: (en, id_)
            for code, en, id_ in public.execute(
                "SELECT code, label_en, label_id FROM reference.codes"
            ).fetchall()
        }

    def label(self, dimension: str, code: str, language: Language) -> str:
        """The name of a code of a dimension (`counterpart_area`, `province`, …) in a language."""
        if code in SPECIAL:
            pair = SPECIAL[code]
        elif dimension == "counterpart_area" and code in self.countries:
            pair = self.countries[code]
        elif dimension == "province" and code in self.provinces:
            pair = self.provinces[code]
        elif dimension == "age" and (age := age_label(code)):
            return age
        else:
            pair = self.codes.get(code, (code, code))
        return language.pick(*pair)
