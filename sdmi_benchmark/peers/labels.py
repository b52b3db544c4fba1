"""The label tables both peers map with: label key → code, built from the project's reference lists."""

import pandas as pd

from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.countries import country_lookup
from sdmi_pipeline.reference.provinces import PROVINCES, province_name_lookup

# label_key in SQL: accents, case, punctuation and spacing do not count (reference/normalise.py).
SQL_LABEL_KEY = (
    "trim(regexp_replace(regexp_replace(lower(strip_accents({})), '[.,''’()\\-_/]+', ' ', 'g'), "
    "'\\s+', ' ', 'g'))"
)


def label_table() -> pd.DataFrame:
    """One row per (list, key, code): the lists sex, scheme, sector, education, occupation,
    country, province (name), bps (BPS code) and kemendagri (Kemendagri code)."""
    lists = {
        "sex": codes.SEX,
        "scheme": codes.PMI_SCHEME,
        "sector": codes.PMI_SECTOR,
        "education": codes.EDUCATION,
        "occupation": codes.OCCUPATION,
        "country": country_lookup(),
        "province": province_name_lookup(),
        "bps": {bps: bps for bps, _, _, _ in PROVINCES},
        "kemendagri": {kemendagri: bps for bps, _, _, kemendagri in PROVINCES},
    }
    return pd.DataFrame(
        [(name, key, code) for name, lookup in lists.items() for key, code in lookup.items()],
        columns=["list", "key", "code"],
    )


def age_group_table() -> pd.DataFrame:
    return pd.DataFrame(codes.AGE_GROUPS, columns=["age_group", "min_age", "max_age"])
