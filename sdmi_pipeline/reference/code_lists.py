"""Every small code list of the warehouse, with a label in English and in Indonesian.

Published as `reference.codes` (code_list, code, label_en, label_id, short_label, note_en, note_id,
sort_order). Besides the lists the data use, it holds the lists a reader meets in the outputs: SDMX
special codes, observation status, frequency, month, unit and source. The wording of every label
is decided here, once; `reference.labels` is the one lookup every output reads it through.
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
# control) and where a value is not available; B marks a break in a series.
OBS_STATUS: Labels = {
    "A": ("Normal", "Normal"),
    "P": ("Provisional", "Angka sementara"),
    "E": ("Estimated", "Angka perkiraan"),
    "B": ("Break in series", "Jeda deret waktu"),
    "C": ("Confidential", "Dirahasiakan"),
    "M": ("Not available", "Tidak tersedia"),
}
# What each status means, at length: the notes of the portal, the workbook and Open SDG. `C` has
# two forms (a small cell, or a cell hidden to protect another); the public tables do not say
# which, so the one note gives both.
OBS_STATUS_NOTES: Labels = {
    "A": (
        "normal: a final value from complete source data.",
        "normal: nilai final dari data sumber yang lengkap.",
    ),
    "P": (
        "provisional: an annual value from an incomplete year; it will change as months are added.",
        "sementara: nilai tahunan dari tahun yang belum lengkap; nilainya berubah bila bulan bertambah.",
    ),
    "E": (
        "estimated: a value computed from a model or a sample.",
        "perkiraan: nilai dari model atau sampel.",
    ),
    "B": (
        "break in series: the source or method changed; do not compare with earlier periods.",
        "jeda deret waktu: sumber atau metode berubah; jangan dibandingkan dengan periode sebelumnya.",
    ),
    "C": (
        "confidential: withheld by statistical disclosure control, either because the cell counts "
        "too few persons to publish, or to protect another small cell it would reveal.",
        "dirahasiakan: disembunyikan oleh pengendalian pengungkapan statistik, karena sel terlalu kecil "
        "untuk diterbitkan, atau untuk melindungi sel kecil lain yang dapat terungkap darinya.",
    ),
    "M": (
        "not available: the source gives no value for this period (shown as ..).",
        "tidak tersedia: sumber tidak memberikan nilai untuk periode ini (ditampilkan sebagai ..).",
    ),
}
# The two forms of a `C` cell, for when the public tables say which (today they do not: the
# `C` note of OBS_STATUS_NOTES gives both). A hook for disclosure control's own reason column.
CONFIDENTIAL_REASON: Labels = {
    "SMALL": (
        "confidential: the cell counts too few persons to publish.",
        "dirahasiakan: sel terlalu kecil untuk diterbitkan.",
    ),
    "PROTECTS": (
        "confidential: hidden to protect another small cell it would reveal.",
        "dirahasiakan: disembunyikan untuk melindungi sel kecil lain yang dapat terungkap darinya.",
    ),
}
# The SDMX special codes explained (the notes of the portal, the workbook and the dictionary).
SDMX_SPECIAL_NOTES: Labels = {
    "_T": ("the total over every value of the dimension.", "jumlah seluruh nilai dimensi tersebut."),
    "_Z": (
        "the dimension does not apply to this indicator.",
        "dimensi tersebut tidak berlaku untuk indikator ini.",
    ),
    "_O": ("every other country, together.", "semua negara lainnya, digabung."),
    "_U": ("the source does not state the value.", "sumber tidak menyebutkan nilainya."),
}
# Units of indicators.catalogue (the code is the catalogue's own unit text).
UNIT: Labels = {
    "persons": ("persons", "orang"),
    "permits": ("permits", "izin"),
    "percent": ("percent", "persen"),
    "per 100,000": ("per 100,000 population", "per 100.000 penduduk"),
    "USD million": ("USD million", "juta USD"),
    "indicators": ("indicators", "indikator"),
}
# Sources of indicators.observations (column source) that need words; others are proper names.
SOURCE: Labels = {
    "KP2MI": ("KP2MI placement records", "Data penempatan KP2MI"),
    "KP2MI (published table)": ("KP2MI published tables", "Tabel publikasi KP2MI"),
    "All sources": ("All sources", "Semua sumber"),
    "UNHCR, BPS": ("UNHCR and BPS", "UNHCR dan BPS"),
    "UNHCR Indonesia, BPS": ("UNHCR Indonesia and BPS", "UNHCR Indonesia dan BPS"),
    "Bank Indonesia, BPS": ("Bank Indonesia and BPS", "Bank Indonesia dan BPS"),
}
# The dimensions of indicators.observations, named as a column or a breakdown is named (Open SDG
# columns, portal breakdowns); an indicator family may name some more closely (Open SDG).
DIMENSION: Labels = {
    "counterpart_area": ("Country", "Negara"),
    "province": ("Province", "Provinsi"),
    "sex": ("Sex", "Jenis kelamin"),
    "age": ("Age group", "Kelompok umur"),
    "education": ("Education", "Pendidikan"),
    "sector": ("Sector", "Sektor"),
    "occupation": ("Occupation", "Jabatan"),
    "scheme": ("Placement scheme", "Skema penempatan"),
    "population_type": ("Population type", "Jenis populasi"),
    "location": ("Location", "Lokasi"),
}
# Indicators in a reader's order, by theme: the code is the indicator (indicators.catalogue), the
# label its theme; sort_order is the order of the portal's lists.
_THEMES = {
    "workers_abroad": ("Indonesian migrant workers abroad", "Pekerja Migran Indonesia di luar negeri"),
    "foreign_workers": ("Foreign workers in Indonesia", "Tenaga kerja asing di Indonesia"),
    "refugees": ("Refugees in Indonesia", "Pengungsi di Indonesia"),
    "remittances": ("Remittances", "Remitansi"),
    "governance": ("Migration governance", "Tata kelola migrasi"),
    "data": ("Migration data", "Data migrasi"),
}
INDICATOR_THEME: Labels = {
    indicator: _THEMES[theme]
    for indicator, theme in (
        ("PMI_PLACED", "workers_abroad"),
        ("PMI_PLACED_F_SHARE", "workers_abroad"),
        ("PMI_PLACED_INFORMAL_SHARE", "workers_abroad"),
        ("PMI_PLACED_G2G_SHARE", "workers_abroad"),
        ("TKA_NEW", "foreign_workers"),
        ("TKA_STOCK", "foreign_workers"),
        ("REF_HOSTED", "refugees"),
        ("REF_HOSTED_PER_100K", "refugees"),
        ("SM_POP_REFG_OR", "refugees"),
        ("REMIT_INFLOW", "remittances"),
        ("BX_TRF_PWKR", "remittances"),
        ("MGI_ASSESSMENT", "governance"),
        ("SDMI_COVERAGE", "data"),
    )
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
    "unit": UNIT,
    "source": SOURCE,
    "confidential_reason": CONFIDENTIAL_REASON,
    "indicator_theme": INDICATOR_THEME,
    "dimension": DIMENSION,
    "comparison_reason": COMPARISON_REASON,
}
NOTES: dict[str, Labels] = {"obs_status": OBS_STATUS_NOTES, "sdmx_special": SDMX_SPECIAL_NOTES}
COLUMNS = ["code_list", "code", "label_en", "label_id", "short_label", "note_en", "note_id", "sort_order"]


def code_table() -> pd.DataFrame:
    """Every code list as (code_list, code, labels, short label, notes, sort order), in list order."""
    rows = [
        (name, code, en, id_, SHORT_LABELS.get(name, {}).get(code), *_notes(name, code), order)
        for name, labels in CODE_LISTS.items()
        for order, (code, (en, id_)) in enumerate(labels.items(), start=1)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _notes(code_list: str, code: str) -> tuple[str | None, str | None]:
    return NOTES.get(code_list, {}).get(code, (None, None))


def age_group_table() -> pd.DataFrame:
    """The placement age groups with their bounds, labels and short label (`30–34`, for chart axes)."""
    rows = [
        (group, low, high, *_age_labels(low, high), short_age_label(low, high))
        for group, low, high in codes.AGE_GROUPS
    ]
    return pd.DataFrame(
        rows, columns=["age_group", "min_age", "max_age", "label_en", "label_id", "short_label"]
    )


def short_age_label(low: int, high: int) -> str:
    """`30–34`, `50+`: an age group on a chart axis, the same in both languages."""
    return f"{low}+" if high >= 200 else f"{low}\u2013{high}"


def _age_labels(low: int, high: int) -> tuple[str, str]:
    if high >= 200:
        return f"{low} years and over", f"{low} tahun ke atas"
    return f"{low}-{high} years", f"{low}-{high} tahun"


# Short labels (chart axes): the refugee age groups, in the form of the placement age groups.
SHORT_LABELS: dict[str, dict[str, str]] = {
    "refugee_age_group": {
        "Y0T4": short_age_label(0, 4),
        "Y5T11": short_age_label(5, 11),
        "Y12T17": short_age_label(12, 17),
        "Y18T59": short_age_label(18, 59),
        "Y_GE60": short_age_label(60, 200),
    }
}
