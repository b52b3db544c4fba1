"""Every small code list of the warehouse, with a label in English and in Indonesian.

Published as `reference.codes` (code_list, code, label_en, label_id). Besides the lists the data
use, it holds the lists a reader meets in the report views: SDMX special codes, observation
status, frequency and month.
"""

import pandas as pd

from sdmi_pipeline.reference import codes

Labels = dict[str, tuple[str, str]]

SEX: Labels = {"M": ("Male", "Laki-laki"), "F": ("Female", "Perempuan")}
PMI_SCHEME: Labels = {
    "P2P": ("Through a placement company (P3MI)", "Melalui perusahaan penempatan (P3MI)"),
    "G2G": ("Government to government", "Antarpemerintah (G to G)"),
    "MANDIRI": ("Individual", "Perseorangan"),
    "UKPS": ("For the company's own interest", "Untuk kepentingan perusahaan sendiri (UKPS)"),
}
PMI_SECTOR: Labels = {"FORMAL": ("Formal", "Formal"), "INFORMAL": ("Informal", "Informal")}
TKA_PROVINCE: Labels = {codes.ACROSS_PROVINCES: ("Across provinces (several provinces)", "Lintas provinsi")}
# SDMX special codes. `_T` is the total row of every report view: `Jumlah / Total`.
SDMX_SPECIAL: Labels = {
    "_T": ("Total", "Jumlah"),
    "_Z": ("Not applicable", "Tidak berlaku"),
    "_O": ("Rest of the world", "Negara lainnya"),
    "_U": ("Not stated", "Tidak dinyatakan"),
}
# SDMX OBS_STATUS, as the report views spell it out; C and M appear in releases (disclosure
# control) and where a value is not available.
OBS_STATUS: Labels = {
    "A": ("Normal", "Normal"),
    "P": ("Provisional", "Angka sementara"),
    "E": ("Estimated", "Angka perkiraan"),
    "C": ("Confidential", "Dirahasiakan"),
    "M": ("Not available", "Tidak tersedia"),
}
FREQUENCY: Labels = {
    "A": ("Annual", "Tahunan"),
    "Q": ("Quarterly", "Triwulanan"),
    "M": ("Monthly", "Bulanan"),
}
# What a change in indicators.gcm_progress compares (column comparison).
GCM_COMPARISON: Labels = {
    "FULL_YEAR": (
        "Full year against the full year before",
        "Setahun penuh terhadap setahun penuh sebelumnya",
    ),
    "SAME_MONTHS": (
        "Provisional year against the same months of the year before",
        "Tahun sementara terhadap bulan yang sama tahun sebelumnya",
    ),
    "SAME_QUARTERS": (
        "Provisional year against the same quarters of the year before",
        "Tahun sementara terhadap triwulan yang sama tahun sebelumnya",
    ),
    "SAME_PERIOD": (
        "Month or quarter against the same one a year before",
        "Bulan atau triwulan terhadap yang sama setahun sebelumnya",
    ),
    "NONE": (
        "Not compared (see the reason)",
        "Tidak dibandingkan (lihat alasannya)",
    ),
}
# Why a figure is compared with nothing (indicators.figures, column comparison_reason).
COMPARISON_REASON: Labels = {
    "NO_PREVIOUS": (
        "No figure for the same period a year before",
        "Tidak ada angka periode yang sama setahun sebelumnya",
    ),
    "SERIES_BREAK": (
        "Series break: the source or method changed (e.g. printed tables to record-level files)",
        "Patahan seri: sumber atau metode berubah (mis. tabel cetak ke berkas tingkat catatan)",
    ),
    "LOWER_BOUND": (
        "Lower bound: the stock misses permits issued before the first year delivered",
        "Batas bawah: stok tidak mencakup izin yang terbit sebelum tahun pertama yang dikirim",
    ),
    "PREVIOUS_LOWER_BOUND": (
        "The year before is a lower bound (permits issued earlier missing)",
        "Tahun sebelumnya adalah batas bawah (izin yang terbit lebih awal tidak tercakup)",
    ),
    "RATE_YEAR_TO_DATE": (
        "A share or rate of an incomplete year is not compared",
        "Persentase atau rasio dari tahun yang belum lengkap tidak dibandingkan",
    ),
    "NO_SAME_MONTHS": (
        "The same months of the year before are not all available",
        "Bulan yang sama tahun sebelumnya tidak tersedia seluruhnya",
    ),
    "PROVISIONAL": (
        "A provisional figure without a like-for-like basis",
        "Angka sementara tanpa pembanding yang setara",
    ),
    "NOT_AVAILABLE": ("The figure is not available", "Angka tidak tersedia"),
}
MONTH: Labels = {
    f"{number:02d}": names
    for number, names in enumerate(
        [
            ("January", "Januari"),
            ("February", "Februari"),
            ("March", "Maret"),
            ("April", "April"),
            ("May", "Mei"),
            ("June", "Juni"),
            ("July", "Juli"),
            ("August", "Agustus"),
            ("September", "September"),
            ("October", "Oktober"),
            ("November", "November"),
            ("December", "Desember"),
        ],
        start=1,
    )
}

CODE_LISTS: dict[str, Labels] = {
    "sex": SEX,
    "pmi_scheme": PMI_SCHEME,
    "pmi_sector": PMI_SECTOR,
    "education": codes.EDUCATION_LABELS,
    "occupation": codes.OCCUPATION_LABELS,
    "tka_sector": codes.TKA_SECTOR_LABELS,
    "tka_position": codes.TKA_POSITION_LABELS,
    "tka_province": TKA_PROVINCE,
    "population_type": codes.POPULATION_TYPE_LABELS,
    "refugee_age_group": codes.REFUGEE_AGE_GROUP_LABELS,
    "mgi_level": codes.MGI_LEVEL_LABELS,
    "mgi_answer": codes.MGI_ANSWER_LABELS,
    "mgi_domain": codes.MGI_DOMAIN_LABELS,
    "sdmx_special": SDMX_SPECIAL,
    "obs_status": OBS_STATUS,
    "freq": FREQUENCY,
    "month": MONTH,
    "gcm_comparison": GCM_COMPARISON,
    "comparison_reason": COMPARISON_REASON,
}


def code_table() -> pd.DataFrame:
    """Every code list as (code_list, code, label_en, label_id)."""
    return pd.DataFrame(
        [(name, code, en, id_) for name, labels in CODE_LISTS.items() for code, (en, id_) in labels.items()],
        columns=["code_list", "code", "label_en", "label_id"],
    )


def age_group_table() -> pd.DataFrame:
    """The placement age groups with their bounds and labels."""
    rows = [(group, low, high, *_age_labels(low, high)) for group, low, high in codes.AGE_GROUPS]
    return pd.DataFrame(rows, columns=["age_group", "min_age", "max_age", "label_en", "label_id"])


def _age_labels(low: int, high: int) -> tuple[str, str]:
    if high >= 200:
        return f"{low} years and over", f"{low} tahun ke atas"
    return f"{low}-{high} years", f"{low}-{high} tahun"
