"""The breakdown report views, generated from one template and one parameter table.

`assets/report/_template/breakdown.sql.j2` is the SELECT of every view that breaks one indicator
family down by one dimension; `assets/report/_template/breakdowns.csv` lists the views (view,
family, dimension, column, labels, about, cross: the second dimension of a crossed view, as
`dimension:column:labels`). The build renders them (`generated`) beside the
hand-written views of assets/report/*.sql. `python -m sdmi_pipeline.warehouse.report_templates
<view>` prints the SQL of one view as the build runs it.
"""

import csv
import sys
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sdmi_pipeline.paths import SQL_ASSETS_DIR

TEMPLATE_DIR = SQL_ASSETS_DIR / "report" / "_template"
# Columns of indicators.observations that are not breakdown dimensions.
NOT_BREAKDOWN = ("indicator_id", "freq", "time_period", "ref_area", "value", "unit", "obs_status", "source",
                 "vintage")  # fmt: skip


@dataclass(frozen=True)
class Family:
    title: str
    periods: str
    indicators: tuple[str, ...]
    measures: tuple[tuple[str, str], ...]  # (column, indicator)
    women: bool = False  # the share of women beside each count (PMI_PLACED_F_SHARE)
    note: str = ""

    @property
    def headline(self) -> str:
        """The indicator whose period labels (indicators.figures) the view shows."""
        return self.indicators[0]


_PMI = dict(
    title="Indonesian migrant workers placed abroad",
    periods="per month and per year",
    indicators=("PMI_PLACED",),
    measures=(("placed", "PMI_PLACED"),),
)
FAMILIES = {
    "pmi": Family(**_PMI, women=True),
    "pmi_sex": Family(**_PMI),
    "pmi_cross": Family(**_PMI),
    "refugees": Family(
        title="refugees and asylum-seekers in Indonesia (REF_HOSTED, UNHCR)",
        periods="per year (UNHCR population statistics) and per month (UNHCR Indonesia snapshot)",
        indicators=("REF_HOSTED",),
        measures=(("refugees_and_asylum_seekers", "REF_HOSTED"),),
    ),
    "tka": Family(
        title="foreign worker permits starting in the period (TKA_NEW) and foreign workers holding a "
        "valid permit at its end (TKA_STOCK)",
        periods="per month and per year",
        indicators=("TKA_NEW", "TKA_STOCK"),
        measures=(("new_permits", "TKA_NEW"), ("permit_holders", "TKA_STOCK")),
        note="A cell the other indicator has but this one has not is 0: both count the same permit "
        "records. status is the least final of the two values.",
    ),
}


def _labels(kind: str, dimension: str, alias: str = "l", special: str = "t") -> tuple[list[str], str, str]:
    """The joins of a label source, and the Indonesian and English label expressions; `special` is the
    alias of the join on reference.codes list sdmx_special (the `_T` row's Jumlah / Total)."""
    l, t, code = alias, special, f"v.{dimension}"  # noqa: E741
    if kind.startswith("codes:"):
        join = f"LEFT JOIN reference.codes AS {l} ON {l}.code_list = '{kind[6:]}' AND {l}.code = {code}"
        return [join], f"coalesce({l}.label_id, {t}.label_id)", f"coalesce({l}.label_en, {t}.label_en)"
    if kind == "age_groups":
        join = f"LEFT JOIN reference.age_groups AS {l} ON {l}.age_group = {code}"
        return [join], f"coalesce({l}.label_id, {t}.label_id)", f"coalesce({l}.label_en, {t}.label_en)"
    if kind == "countries":
        join = f"LEFT JOIN reference.countries AS {l} ON {l}.iso3 = {code}"
        return [join], f"coalesce({l}.name_id, {t}.label_id)", f"coalesce({l}.name_en, {t}.label_en)"
    if kind in ("provinces", "tka_provinces"):
        joins = [f"LEFT JOIN reference.provinces AS {l} ON {l}.province_code = {code}"]
        if kind == "provinces":
            return joins, f"coalesce({l}.name_id, {t}.label_id)", f"coalesce({l}.name_en, {t}.label_en)"
        joins.append(
            f"LEFT JOIN reference.codes AS {l}p ON {l}p.code_list = 'tka_province' AND {l}p.code = {code}"
        )
        return (
            joins,
            f"coalesce({l}.name_id, {l}p.label_id, {t}.label_id)",
            f"coalesce({l}.name_en, {l}p.label_en, {t}.label_en)",
        )
    if kind == "as_delivered":  # the name as the source gives it (locations): no code list
        named = f"CASE WHEN {code} <> '_T' THEN {code} END"
        return [], f"coalesce({named}, {t}.label_id)", f"coalesce({named}, {t}.label_en)"
    raise ValueError(f"unknown label source {kind!r}")


def _cross(spec: str) -> dict | None:
    """The second dimension of a crossed view, from `dimension:column:labels` (empty: none)."""
    if not spec:
        return None
    dimension, column, labels = spec.split(":", 2)
    joins, label_id, label_en = _labels(labels, dimension, "l2", "t2")
    return {"dimension": dimension, "column": column, "about": column, "joins": joins,
            "label_id": label_id, "label_en": label_en}  # fmt: skip


def parameters() -> list[dict[str, str]]:
    with (TEMPLATE_DIR / "breakdowns.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def generated() -> dict[str, str]:
    """view → its SQL, as the template gives it."""
    template = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), undefined=StrictUndefined, keep_trailing_newline=True
    ).get_template("breakdown.sql.j2")
    views = {}
    for row in parameters():
        family = FAMILIES[row["family"]]
        joins, label_id, label_en = _labels(row["labels"], row["dimension"])
        views[row["view"]] = template.render(
            view=row["view"],
            family=_context(family),
            about=row["about"],
            dimension=row["dimension"],
            column=row["column"],
            joins=joins,
            label_id=label_id,
            label_en=label_en,
            not_breakdown=", ".join(NOT_BREAKDOWN),
            cross=_cross(row["cross"]),
        )
    return views


def _context(family: Family) -> dict:
    return {
        "title": family.title,
        "periods": family.periods,
        "indicators": ", ".join(f"'{i}'" for i in family.indicators),
        "measures": family.measures,
        "women": family.women,
        "note": family.note,
        "headline": family.headline,
    }


if __name__ == "__main__":
    views = generated()
    for name in sys.argv[1:] or list(views):
        print(views[name])
