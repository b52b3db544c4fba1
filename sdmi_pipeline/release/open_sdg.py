"""Open SDG files: one data CSV and bilingual metadata per indicator (docs/release.md, Open SDG).

Layout under `out_dir` (the `open-sdg/` folder of a release), as Open SDG's data starter reads it:

    data/indicator_<id>.csv        Year, Series, Units, one column per disaggregation, OBS_STATUS, Value
    meta/<id>.md                   YAML front matter: every field, texts in English (the default)
    meta/en/<id>.md, meta/id/<id>.md   the translated fields in English and Indonesian
    translations/id/data.yml       Indonesian for every column name and value the CSVs use

SDG indicators keep their number (`10-7-4`, `17-3-2`); SDMI's own indicators are `sdmi-<code>`
(`sdmi-pmi-placed`), published as Open SDG standalone indicators.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from sdmi_pipeline.contracts.checks import BREAKDOWN_DIMENSIONS as DIMENSIONS
from sdmi_pipeline.contracts.checks import COUNT_UNITS
from sdmi_pipeline.reference.labels import Labels, create_dimension_labels, create_lookup
from sdmi_pipeline.release.carry import Carry, copy_query, writer_code
from sdmi_pipeline.release.figures import ILLUSTRATIVE_NOTE, OBSERVATIONS

NATIONAL_PREFIX = "sdmi-"
# SDMI_COVERAGE measures the warehouse, not migration: it is in the workbook and the portal only.
NOT_IN_OPEN_SDG = ("SDMI_COVERAGE",)
# Codes that mean "every value" or "does not apply": a blank cell in Open SDG.
TOTAL_CODES = ("_T", "_Z")
# Units, statuses and series (sources) are labelled from reference.codes (lists unit, obs_status,
# source); obs_status A (normal) is a blank OBS_STATUS, and the footnote explains these statuses.
FOOTNOTE_STATUSES = ("P", "B", "C")

# Column names (English, Indonesian): reference.codes list `dimension`, or for some families these.
FAMILY_COLUMN_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "PMI_": {
        "counterpart_area": ("Destination", "Negara penempatan"),
        "province": ("Province of origin", "Provinsi asal"),
    },
    "TKA_": {
        "counterpart_area": ("Nationality", "Kewarganegaraan"),
        "province": ("Province of work", "Provinsi tempat kerja"),
        "occupation": ("Position", "Jabatan"),
    },
    "REF_": {"counterpart_area": ("Country of origin", "Negara asal")},
    "REMIT_": {"counterpart_area": ("Host country", "Negara tempat bekerja")},
}
FIXED_NAMES = {"Units": "Satuan", "Series": "Seri", "OBS_STATUS": "Status observasi"}


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name: tuple[str, str]
    description: tuple[str, str]
    unit: str
    sdg_indicator: str | None
    source: str

    @property
    def open_sdg_id(self) -> str:
        if self.sdg_indicator:
            return self.sdg_indicator.replace(".", "-")
        return NATIONAL_PREFIX + self.indicator_id.lower().replace("_", "-")


def column_name(indicator_id: str, dimension: str, labels: Labels) -> tuple[str, str]:
    for prefix, names in FAMILY_COLUMN_NAMES.items():
        if indicator_id.startswith(prefix) and dimension in names:
            return names[dimension]
    label = labels.of("dimension", dimension)
    return label.en, label.id


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _capitalised(column: str) -> str:
    return f"upper({column}[1]) || {column}[2:]"


def indicators(public: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """The catalogue's indicators that have annual observations, SDG indicators first."""
    excluded = ", ".join(_quoted(i) for i in NOT_IN_OPEN_SDG)
    rows = public.execute(f"""
        SELECT indicator_id, name_en, name_id, description_en, description_id, unit, sdg_indicator, source
        FROM indicators.catalogue
        WHERE indicator_id IN (SELECT indicator_id FROM indicators.observations WHERE freq = 'A')
          AND indicator_id NOT IN ({excluded})
        ORDER BY sdg_indicator IS NULL, indicator_id
    """).fetchall()
    return [Indicator(r[0], (r[1], r[2]), (r[3], r[4]), r[5], r[6], r[7]) for r in rows]


class OpenSdgWriter:
    """Writes one indicator at a time and collects the Indonesian of every label it writes."""

    def __init__(
        self, public: duckdb.DuckDBPyConnection, out_dir: Path, vintage: str, carry: Carry | None = None
    ) -> None:
        self.public, self.out_dir, self.vintage, self.carry = public, out_dir, vintage, carry
        self.labels = create_dimension_labels(public)
        self.codes = create_lookup(public)
        self.reference = Labels(public)
        self.translations: dict[str, str] = dict(FIXED_NAMES)
        labelled = ("unit", "obs_status", "source")
        self.translations.update(
            public.execute(
                f"""SELECT DISTINCT {_capitalised("label_en")}, {_capitalised("label_id")}
                    FROM {self.codes} WHERE code_list IN {labelled}"""
            ).fetchall()
        )

    def disaggregations(self, indicator_id: str) -> tuple[list[str], bool]:
        """The dimensions that vary in the indicator's annual rows, and whether it has several sources."""
        counts = self.public.execute(
            f"""SELECT {", ".join(f"count(DISTINCT {d})" for d in DIMENSIONS)}, count(DISTINCT source)
                FROM indicators.observations WHERE indicator_id = ? AND freq = 'A'""",
            [indicator_id],
        ).fetchone()
        return [d for d, n in zip(DIMENSIONS, counts, strict=False) if n > 1], counts[-1] > 1

    def table_sql(
        self, indicator: Indicator, dimensions: list[str], several_sources: bool
    ) -> tuple[str, int]:
        """The SELECT of the indicator's CSV (English labels), and its number of years."""
        totals = ", ".join(_quoted(code) for code in TOTAL_CODES)
        columns = ['CAST(o.time_period AS INTEGER) AS "Year"']
        if several_sources:
            columns.append('coalesce(l_source.label_en, o.source) AS "Series"')
        columns.append(f'coalesce({_capitalised("l_unit.label_en")}, o.unit) AS "Units"')
        joins = [
            f"LEFT JOIN {self.codes} l_{code_list} ON l_{code_list}.code_list = '{code_list}' "
            f"AND l_{code_list}.code = o.{column}"
            for code_list, column in (("source", "source"), ("unit", "unit"), ("obs_status", "obs_status"))
        ]
        for dimension in dimensions:
            alias = f"l_{dimension}"
            joins.append(
                f"LEFT JOIN {self.labels} {alias} ON {alias}.dimension = '{dimension}' "
                f"AND {alias}.code = o.{dimension}"
            )
            name = column_name(indicator.indicator_id, dimension, self.reference)[0]
            columns.append(
                f"CASE WHEN o.{dimension} IN ({totals}) THEN NULL "
                f'ELSE coalesce({alias}.label_en, o.{dimension}) END AS "{name}"'
            )
        columns.append("CASE WHEN o.obs_status <> 'A' THEN l_obs_status.label_en END AS \"OBS_STATUS\"")
        decimals = 0 if indicator.unit in COUNT_UNITS else 2
        columns.append(
            "CASE WHEN o.value IS NULL THEN NULL ELSE "
            + (
                "CAST(CAST(round(o.value) AS BIGINT) AS VARCHAR)"
                if decimals == 0
                else f"CAST(round(o.value, {decimals}) AS VARCHAR)"
            )
            + ' END AS "Value"'
        )
        order = (
            ['"Year"']
            + (['"Series"'] if several_sources else [])
            + [f"o.{d} NOT IN ({totals}), o.{d}" for d in dimensions]
        )
        sql = f"""SELECT {", ".join(columns)} FROM {OBSERVATIONS} o {" ".join(joins)}
                  WHERE o.indicator_id = {_quoted(indicator.indicator_id)} AND o.freq = 'A'
                  ORDER BY {", ".join(order)}"""
        (years,) = self.public.execute(f'SELECT count(DISTINCT "Year") FROM ({sql})').fetchone()
        return sql, years

    def collect_translations(self, indicator: Indicator, dimensions: list[str]) -> None:
        """The Indonesian of the indicator's column names and of every label its CSV holds."""
        for dimension in dimensions:
            english, indonesian = column_name(indicator.indicator_id, dimension, self.reference)
            self.translations[english] = indonesian
            rows = self.public.execute(
                f"""SELECT DISTINCT l.label_en, l.label_id FROM {self.labels} l
                    JOIN indicators.observations o ON l.dimension = ? AND l.code = o.{dimension}
                    WHERE o.indicator_id = ? AND o.freq = 'A'""",
                [dimension, indicator.indicator_id],
            ).fetchall()
            self.translations.update(rows)

    def write_indicator(self, indicator: Indicator) -> None:
        dimensions, several_sources = self.disaggregations(indicator.indicator_id)
        sql, years = self.table_sql(indicator, dimensions, several_sources)
        self.check_one_value_per_combination(indicator, sql)
        path = self.out_dir / "data" / f"indicator_{indicator.open_sdg_id}.csv"
        code = writer_code("sdmi_pipeline.release.open_sdg")
        copy_query(self.carry, self.public, sql, path, "HEADER, DELIMITER ','", code)
        self.collect_translations(indicator, dimensions)
        self.write_metadata(indicator, years)

    def check_one_value_per_combination(self, indicator: Indicator, sql: str) -> None:
        columns = [d[0] for d in self.public.execute(f"SELECT * FROM ({sql}) LIMIT 0").description]
        keys = ", ".join(f'"{c}"' for c in columns if c not in ("Value", "OBS_STATUS"))
        repeated = self.public.execute(
            f"SELECT {keys}, count(*) FROM ({sql}) GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        if repeated:
            raise ValueError(
                f"Open SDG: {indicator.indicator_id} has {repeated[-1]} values for one combination "
                f"{dict(zip(columns, repeated[:-1], strict=False))}"
            )

    def write_metadata(self, indicator: Indicator, years: int) -> None:
        translated = [self.translated_fields(indicator, language) for language in (0, 1)]
        fields: dict[str, object] = {
            "sdmi_indicator_id": indicator.indicator_id,
            "sdmi_vintage": self.vintage,
            "sdmi_illustrative": bool(self.illustrative_note(indicator, 0)),
            "reporting_status": "complete",
            "published": True,
            "data_non_statistical": False,
            "graph_type": "line" if years > 1 else "bar",
            "source_active_1": True,
            "source_organisation_1": indicator.source,
        }
        if indicator.sdg_indicator:
            goal, target, _ = indicator.sdg_indicator.split(".")
            fields |= {
                "indicator_number": indicator.sdg_indicator,
                "sdg_goal": goal,
                "target_id": f"{goal}.{target}",
            }
        else:
            fields |= {"standalone": True, "permalink": f"/{indicator.open_sdg_id}/"}
        meta = self.out_dir / "meta"
        _write_front_matter(meta / f"{indicator.open_sdg_id}.md", fields | translated[0])
        for language, fields_in_language in zip(("en", "id"), translated, strict=True):
            _write_front_matter(meta / language / f"{indicator.open_sdg_id}.md", fields_in_language)

    def footnote(self, language: str) -> str:
        """What the statuses other than normal mean, from reference (`OBS_STATUS: provisional: …`)."""
        notes = [self.reference.of("obs_status", code).note(language) for code in FOOTNOTE_STATUSES]
        return "OBS_STATUS: " + " ".join(note or "" for note in notes)

    def translated_fields(self, indicator: Indicator, language: int) -> dict[str, object]:
        code = ("en", "id")[language]
        unit = self.reference.of("unit", indicator.unit).capitalised(code)
        return {
            "indicator_name": indicator.name[language],
            "graph_title": indicator.name[language],
            "indicator_definition": indicator.description[language],
            "national_indicator_description": indicator.description[language],
            "computation_units": unit,
            "source_periodicity_1": self.reference.label("freq", "A", code),
            "data_footnote": " ".join(
                [
                    *self.illustrative_note(indicator, language),
                    self.footnote(code),
                    *self.figure_notes(indicator, language),
                ]
            ),
        }

    def illustrative_note(self, indicator: Indicator, language: int) -> list[str]:
        """The release's illustrative warning, when the indicator's figures rest on generated samples."""
        (marked,) = self.public.execute(
            "SELECT coalesce(bool_or(illustrative), false) FROM indicators.figures WHERE indicator_id = ?",
            [indicator.indicator_id],
        ).fetchone()
        return [ILLUSTRATIVE_NOTE[("en", "id")[language]]] if marked else []

    def figure_notes(self, indicator: Indicator, language: int) -> list[str]:
        """What indicators.figures says of the indicator's years: a year to date's months, a series
        break, a lower bound (the reasons' words from the label lookup)."""
        code = ("en", "id")[language]
        label = f"period_label_{code}"
        rows = self.public.execute(
            f"""SELECT f.time_period, f.{label}, f.year_to_date, f.series_break, f.lower_bound
                FROM indicators.figures AS f
                WHERE f.indicator_id = ? AND f.freq = 'A'
                  AND (f.year_to_date OR f.series_break OR f.lower_bound)
                ORDER BY f.time_period""",
            [indicator.indicator_id],
        ).fetchall()
        year_to_date = ("year to date", "sejak awal tahun")[language]
        series_break = self.reference.of("comparison_reason", "SERIES_BREAK").in_sentence(code)
        lower_bound_text = self.reference.label("comparison_reason", "LOWER_BOUND", code)
        notes = []
        for year, period, to_date, broken, lower_bound in rows:
            said = [f"{period} ({year_to_date})"] if to_date else []
            said += [series_break] if broken else []
            said += [lower_bound_text] if lower_bound else []
            notes.append(f"{year}: {'; '.join(said)}.")
        return notes

    def write_translations(self) -> None:
        path = self.out_dir / "translations" / "id" / "data.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(dict(sorted(self.translations.items())), allow_unicode=True), "utf-8")


def _write_front_matter(path: Path, fields: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{body}---\n", encoding="utf-8")


def write_open_sdg(
    public: duckdb.DuckDBPyConnection, out_dir: Path, vintage: str, carry: Carry | None = None
) -> None:
    """Write the Open SDG data and metadata of every annual indicator into `out_dir`. With `carry`,
    a data CSV of unchanged rows is carried over; the metadata names the vintage and is written."""
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    writer = OpenSdgWriter(public, out_dir, vintage, carry)
    for indicator in indicators(public):
        writer.write_indicator(indicator)
    writer.write_translations()
