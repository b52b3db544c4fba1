"""The GCM page: the 23 objectives, the SDMI indicators serving each, their latest value and progress.

Progress comes from indicators.gcm_progress (latest annual value against the year before). A
change whose latest year is provisional compares part of a year with a whole one, so the page
says it is not comparable instead of showing it; a change from a provisional previous year is
shown, marked provisional.
"""

import duckdb

from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site, cell


def write_gcm(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    rows = public.execute(
        """
        SELECT objective, objective_title_en, objective_title_id, indicator_id, indicator_name_en,
               indicator_name_id, unit, latest_year, latest_value, latest_obs_status, previous_year,
               previous_value, previous_obs_status, change
        FROM indicators.gcm_progress ORDER BY objective, indicator_id NULLS FIRST
        """
    ).fetchall()
    objectives: dict[int, dict] = {}
    for (objective, title_en, title_id, indicator_id, name_en, name_id, unit, latest_year, latest_value,
         latest_status, previous_year, previous_value, previous_status, change) in rows:  # fmt: skip
        entry = objectives.setdefault(
            objective, {"number": objective, "title": language.pick(title_en, title_id), "indicators": []}
        )
        if indicator_id is None:
            continue
        if latest_status == "P" and change is not None:
            change_text = language.text("not_comparable_p")
        elif change is None:
            change_text = "–"
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
                "previous": cell(language, previous_value, previous_status, unit) if previous_year else "–",
                "change": change_text,
            }
        )
    site.page(language, "gcm.html", "gcm.html", "GCM", objectives=list(objectives.values()))
