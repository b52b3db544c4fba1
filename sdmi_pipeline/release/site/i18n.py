"""The portal's two languages: words, number and period formats (babel), and where each page lives.

Indonesian pages sit at the site root (`index.html`), English ones under `en/`, with the same file
names, so the switch between them is the same relative path one folder up or down.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from babel.dates import format_datetime, get_month_names
from babel.numbers import format_decimal, format_percent

from sdmi_pipeline.release.figures import ILLUSTRATIVE_NOTE

# Decimals shown per unit of indicators.catalogue; a unit not listed shows one decimal.
# (Unit names are labels: reference.codes, code list `unit`.)
UNIT_DECIMALS = {"persons": 0, "permits": 0, "percent": 1, "per 100,000": 2, "USD million": 1}
# A release's name as a person reads it: `3 Desember 2026, 21.06 UTC` / `3 December 2026, 21:06 UTC`.
RELEASE_FORMATS = {"id": "d MMMM y, HH.mm 'UTC'", "en": "d MMMM y, HH:mm 'UTC'"}


@dataclass(frozen=True)
class Language:
    code: str  # id | en
    locale: str  # babel locale
    folder: str  # "" for Indonesian (the site root), "en/" for English

    def number(
        self, value: float | None, unit: str | None = None, signed: bool = False, decimals: int | None = None
    ) -> str:
        """`value` in this language's convention: `274.965`, `62,7 %` (id); `274,965`, `62.7%` (en).

        `decimals` is the indicator's (indicators.catalogue), as the report views round; else the unit's."""
        if value is None:
            return ""
        if decimals is None:
            decimals = UNIT_DECIMALS.get(unit or "", 1)
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        pattern = f"+{digits};-{digits}" if signed else digits
        if unit == "percent":
            return self.percent(value, signed, decimals)
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, value: float, signed: bool = False, decimals: int = 1) -> str:
        """A percentage (62.7 is 62.7 %), one decimal unless told; Indonesian puts a no-break space first."""
        sign = "\u00a0%" if self.code == "id" else "%"
        digits = "#,##0" + ("." + "0" * decimals if decimals else "") + sign
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

    def release_name(self, vintage: str) -> str:
        """The vintage `20261203T210625Z` as a date and time; a vintage of another form is kept."""
        try:
            written = datetime.strptime(vintage, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return vintage
        return format_datetime(written, RELEASE_FORMATS[self.code], tzinfo=UTC, locale=self.locale)

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
    "coverage_of": {"id": "Cakupan SDMI", "en": "SDMI coverage"},
    "coverage_text": {
        "id": "sel sumber × tahun × disagregasi yang diharapkan terisi data pada",
        "en": "of expected source × year × disaggregation cells hold data in",
    },
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
    "mgi_title": {
        "id": "Indikator Tata Kelola Migrasi (MGI)",
        "en": "Migration Governance Indicators (MGI)",
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
    "mgi_rounding": {
        "id": "Persentase jawaban dibulatkan ke satu desimal, sehingga jumlahnya per domain bisa "
        "99,9 atau 100,1.",
        "en": "Shares of answers are rounded to one decimal, so a domain's shares may add up to "
        "99.9 or 100.1.",
    },
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
        "id": "Semua yang dikirim rilis ini: setiap tabel publik, setiap tabel laporan (lembar buku kerja "
        "Excel) dengan kolomnya, dan setiap daftar kode dengan label dan arti setiap kode.",
        "en": "Everything this release ships: every public table, every report table (the sheets of the "
        "Excel workbook) with its columns, and every code list with each code's label and meaning.",
    },
    "meaning": {"id": "Arti", "en": "Meaning"},
    "table": {"id": "Tabel", "en": "Table"},
    "column": {"id": "Kolom", "en": "Column"},
    "type": {"id": "Tipe", "en": "Type"},
    "description": {"id": "Deskripsi", "en": "Description"},
    "code_lists": {"id": "Daftar kode", "en": "Code lists"},
    "code": {"id": "Kode", "en": "Code"},
    "label": {"id": "Label", "en": "Label"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "skip": {"id": "Langsung ke isi", "en": "Skip to content"},
}
