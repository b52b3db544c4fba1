"""The GCM page: the 23 objectives, the SDMI indicators serving each, their latest value and progress.

Progress comes from indicators.gcm_progress, which reads indicators.figures: the latest annual
value, its period (a year to date names its months), and its comparison. Without a comparison
the page gives the warehouse's reason (reference.codes list comparison_reason); a change from a
provisional previous year is shown, marked provisional.
"""

import duckdb

from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site, cell


def write_gcm(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    rows = public.execute(
        """
        SELECT p.objective, p.objective_title_en, p.objective_title_id, p.indicator_id,
               p.indicator_name_en, p.indicator_name_id, p.unit,
               CASE WHEN $language = 'id' THEN p.latest_period_label_id ELSE p.latest_period_label_en END,
               p.latest_value, p.latest_obs_status, p.previous_year, p.previous_value,
               p.previous_obs_status, p.change,
               CASE WHEN $language = 'id' THEN r.label_id ELSE r.label_en END
        FROM indicators.gcm_progress AS p
        LEFT JOIN reference.codes AS r ON r.code_list = 'comparison_reason' AND r.code = p.comparison_reason
        ORDER BY p.objective, p.indicator_id NULLS FIRST
        """,
        {"language": language.code},
    ).fetchall()
    objectives: dict[int, dict] = {}
    for (objective, title_en, title_id, indicator_id, name_en, name_id, unit, latest_year, latest_value,
         latest_status, previous_year, previous_value, previous_status, change, reason) in rows:  # fmt: skip
        entry = objectives.setdefault(
            objective, {"number": objective, "title": language.pick(title_en, title_id), "indicators": []}
        )
        if indicator_id is None:
            continue
        if change is None:
            change_text = reason or "–"
        else:
            marked = " (P)" if previous_status == "P" else ""
            change_text = language.number(change, unit if unit != "percent" else None, signed=True) + marked
        entry["indicators"].append(
            {
                "id": indicator_id,
                "name": language.pick(name_en, name_id),
                "latest_year": latest_year,
                "latest": cell(language, latest_value, latest_status, unit),
                "latest_status": latest_status,
                "previous_year": previous_year or "–",
                "previous": "–"
                if previous_value is None
                else cell(language, previous_value, previous_status, unit),
                "change": change_text,
            }
        )
    site.page(language, "gcm.html", "gcm.html", "GCM", objectives=list(objectives.values()))
