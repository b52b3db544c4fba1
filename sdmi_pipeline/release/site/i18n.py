"""The portal's two languages: words, number and period formats (babel), and where each page lives.

Indonesian pages sit at the site root (`index.html`), English ones under `en/`, with the same file
names, so the switch between them is the same relative path one folder up or down.
"""

from dataclasses import dataclass

from babel.dates import get_month_names
from babel.numbers import format_decimal, format_percent

from sdmi_pipeline.release.figures import ILLUSTRATIVE_NOTE

# Decimals shown per unit of indicators.catalogue; a unit not listed shows one decimal.
UNIT_DECIMALS = {"persons": 0, "permits": 0, "percent": 1, "per 100,000": 2, "USD million": 1}
UNIT_NAMES = {
    "persons": ("persons", "orang"),
    "permits": ("permits", "izin"),
    "percent": ("percent", "persen"),
    "per 100,000": ("per 100,000 population", "per 100.000 penduduk"),
    "USD million": ("USD million", "juta USD"),
}


@dataclass(frozen=True)
class Language:
    code: str  # id | en
    locale: str  # babel locale
    folder: str  # "" for Indonesian (the site root), "en/" for English

    def number(self, value: float | None, unit: str | None = None, signed: bool = False) -> str:
        """`value` in this language's convention: `274.965`, `62,7 %` (id); `274,965`, `62.7%` (en)."""
        if value is None:
            return ""
        decimals = UNIT_DECIMALS.get(unit or "", 1)
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        pattern = f"+{digits};-{digits}" if signed else digits
        if unit == "percent":
            return self.percent(value, signed)
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, value: float, signed: bool = False) -> str:
        """A percentage (62.7 is 62.7 %), one decimal; Indonesian puts a no-break space before `%`."""
        sign = "\u00a0%" if self.code == "id" else "%"
        digits = f"#,##0.0{sign}"
        pattern = f"+{digits};-{digits}" if signed else digits
        return format_percent(value / 100, format=pattern, locale=self.locale)

    def month(self, number: int, width: str = "wide") -> str:
        return get_month_names(width, locale=self.locale)[number]

    def period(self, freq: str, time_period: str) -> str:
        """`2023-07` → `Juli 2023` / `July 2023`; `2022-Q4` → `Triwulan IV 2022` / `Q4 2022`."""
        if freq == "M":
            year, month = time_period.split("-")
            return f"{self.month(int(month))} {year}"
        if freq == "Q":
            year, quarter = time_period.split("-Q")
            roman = ("I", "II", "III", "IV")[int(quarter) - 1]
            return f"Triwulan {roman} {year}" if self.code == "id" else f"Q{quarter} {year}"
        return time_period

    def months_span(self, year: str, months: list[int]) -> str:
        """`Jan–Apr 2023`: the months a partial year holds."""
        first, last = self.month(months[0], "abbreviated"), self.month(months[-1], "abbreviated")
        return f"{first}–{last} {year}" if first != last else f"{first} {year}"

    def unit(self, unit: str) -> str:
        """The name of a unit of indicators.catalogue in this language."""
        return self.pick(*UNIT_NAMES.get(unit, (unit, unit)))

    def text(self, key: str) -> str:
        return WORDS[key][self.code]

    def pick(self, english: str | None, indonesian: str | None) -> str:
        """The text in this language, from a pair of columns (`*_en`, `*_id`)."""
        return (indonesian if self.code == "id" else english) or ""


INDONESIAN = Language("id", "id_ID", "")
ENGLISH = Language("en", "en_US", "en/")
LANGUAGES = (INDONESIAN, ENGLISH)

# Every fixed word of the portal, in both languages.
WORDS: dict[str, dict[str, str]] = {
    "site_title": {
        "id": "Portal Satu Data Migrasi Internasional",
        "en": "One International Migration Data portal",
    },
    "home": {"id": "Beranda", "en": "Home"},
    "indicators": {"id": "Indikator", "en": "Indicators"},
    "gcm": {"id": "GCM", "en": "GCM"},
    "mgi": {"id": "MGI", "en": "MGI"},
    "coverage": {"id": "Cakupan", "en": "Coverage"},
    "dictionary": {"id": "Kamus data", "en": "Data dictionary"},
    "other_language": {"id": "English", "en": "Bahasa Indonesia"},
    "release": {"id": "Rilis", "en": "Release"},
    "headlines": {"id": "Angka utama periode terakhir", "en": "Headline figures of the latest period"},
    "change_vs": {"id": "dibanding", "en": "against"},
    "no_comparable": {"id": "tidak ada periode pembanding", "en": "no comparable period"},
    "no_comparable_rate": {
        "id": "tidak dibandingkan: tahun belum lengkap",
        "en": "not compared: the year is incomplete",
    },
    "percentage_points": {"id": "poin", "en": "points"},
    "provisional": {"id": "sementara", "en": "provisional"},
    "final": {"id": "final", "en": "final"},
    "source": {"id": "Sumber", "en": "Source"},
    "status": {"id": "Status", "en": "Status"},
    "period": {"id": "Periode", "en": "Period"},
    "value": {"id": "Nilai", "en": "Value"},
    "unit": {"id": "Satuan", "en": "Unit"},
    "definition": {"id": "Definisi", "en": "Definition"},
    "gcm_objectives": {"id": "Tujuan GCM", "en": "GCM objectives"},
    "sdg_target": {"id": "Indikator SDG", "en": "SDG indicator"},
    "time_series": {"id": "Deret waktu", "en": "Time series"},
    "breakdown": {"id": "Rincian", "en": "Breakdown"},
    "data_table": {"id": "Tabel data", "en": "Data table"},
    "downloads": {"id": "Unduhan", "en": "Downloads"},
    "download_csv": {"id": "CSV indikator ini", "en": "CSV of this indicator"},
    "download_sdmx": {"id": "SDMX-CSV (dataflow {flow})", "en": "SDMX-CSV (dataflow {flow})"},
    "download_xlsx": {"id": "Buku kerja Excel rilis", "en": "Excel workbook of the release"},
    "footnotes": {"id": "Catatan", "en": "Notes"},
    "note_p": {
        "id": "P: sementara (nilai tahunan dari tahun yang belum lengkap).",
        "en": "P: provisional (an annual value from an incomplete year).",
    },
    "note_c": {
        "id": "C: dirahasiakan (pengendalian pengungkapan statistik; sel terlalu kecil untuk diterbitkan).",
        "en": "C: confidential (statistical disclosure control; the cell is too small to publish).",
    },
    "note_na": {
        "id": "..: tidak tersedia (sumber tidak memberikan nilai untuk periode ini).",
        "en": "..: not available (the source gives no value for this period).",
    },
    "coverage_of": {"id": "Cakupan SDMI", "en": "SDMI coverage"},
    "coverage_text": {
        "id": "sel sumber × tahun × disagregasi yang diharapkan terisi data pada",
        "en": "of expected source × year × disaggregation cells hold data in",
    },
    "total": {"id": "Jumlah", "en": "Total"},
    "other": {"id": "Lainnya", "en": "Rest of the world"},
    "not_stated": {"id": "Tidak disebutkan", "en": "Not stated"},
    "top": {"id": "Teratas", "en": "Top"},
    "chart_alt_series": {
        "id": "Grafik garis {name}, {first} sampai {last}; "
        "nilai terakhir {value} ({period}). Tabel di bawahnya.",
        "en": "Line chart of {name}, {first} to {last}; latest value {value} ({period}). Table below.",
    },
    "chart_alt_bars": {
        "id": "Grafik batang {name} menurut {by}, {period}; tertinggi {top} ({value}). Tabel di sampingnya.",
        "en": "Bar chart of {name} by {by}, {period}; highest {top} ({value}). Table beside it.",
    },
    "objective": {"id": "Tujuan", "en": "Objective"},
    "latest": {"id": "Terakhir", "en": "Latest"},
    "previous": {"id": "Sebelumnya", "en": "Previous"},
    "change": {"id": "Perubahan", "en": "Change"},
    "no_data_yet": {"id": "Belum ada data SDMI", "en": "No SDMI data yet"},
    "gcm_intro": {
        "id": "23 tujuan Global Compact for Migration, indikator SDMI yang melayani setiap tujuan, "
        "nilai tahunan terakhir dan perubahannya dari tahun sebelumnya.",
        "en": "The 23 objectives of the Global Compact for Migration, the SDMI indicators that serve "
        "each, their latest annual value and its change from the year before.",
    },
    "not_comparable_p": {
        "id": "tidak sebanding (tahun belum lengkap)",
        "en": "not comparable (incomplete year)",
    },
    "mgi_intro": {
        "id": "Asesmen Indikator Tata Kelola Migrasi (MGI): jawaban ya, sebagian, tidak per domain.",
        "en": "Migration Governance Indicators (MGI) assessments: yes, partially and no answers by domain.",
    },
    "illustrative": {
        "id": "Ilustratif: asesmen ini adalah contoh, bukan hasil resmi MGI.",
        "en": "Illustrative: this assessment is a sample, not an official MGI result.",
    },
    "illustrative_release": ILLUSTRATIVE_NOTE,
    "illustrative_figure": {"id": "ilustratif", "en": "illustrative"},
    "domain": {"id": "Domain", "en": "Domain"},
    "area": {"id": "Wilayah", "en": "Area"},
    "yes": {"id": "Ya", "en": "Yes"},
    "partially": {"id": "Sebagian", "en": "Partially"},
    "no": {"id": "Tidak", "en": "No"},
    "answer": {"id": "Jawaban", "en": "Answer"},
    "question": {"id": "Pertanyaan", "en": "Question"},
    "highlighted": {"id": "Indikator yang disorot", "en": "Highlighted indicators"},
    "share_answers": {"id": "Persentase jawaban", "en": "Share of answers"},
    "coverage_intro": {
        "id": "Cakupan gudang data SDMI (tujuan GCM 1): persentase sel yang diharapkan yang terisi data, "
        "per sumber dan tahun. Sel kosong disebutkan di tabel.",
        "en": "Coverage of the SDMI warehouse (GCM objective 1): the share of expected cells that hold "
        "data, by source and year. The missing cells are named in the table.",
    },
    "year": {"id": "Tahun", "en": "Year"},
    "cells": {"id": "Sel terisi / diharapkan", "en": "Cells with data / expected"},
    "missing_cells": {"id": "Sel tanpa data", "en": "Cells without data"},
    "dictionary_intro": {
        "id": "Setiap tabel publik, kolom dan daftar kode rilis ini, dari kontrak di schemas/.",
        "en": "Every public table, column and code list of this release, from the contracts in schemas/.",
    },
    "table": {"id": "Tabel", "en": "Table"},
    "column": {"id": "Kolom", "en": "Column"},
    "type": {"id": "Tipe", "en": "Type"},
    "description": {"id": "Deskripsi", "en": "Description"},
    "code_lists": {"id": "Daftar kode", "en": "Code lists"},
    "code": {"id": "Kode", "en": "Code"},
    "label": {"id": "Label", "en": "Label"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "skip": {"id": "Langsung ke isi", "en": "Skip to content"},
    "by_counterpart_area": {"id": "negara", "en": "country"},
    "by_province": {"id": "provinsi", "en": "province"},
    "by_sex": {"id": "jenis kelamin", "en": "sex"},
    "by_age": {"id": "kelompok umur", "en": "age group"},
    "by_population_type": {"id": "jenis populasi", "en": "population type"},
    "by_source": {"id": "sumber", "en": "source"},
}
