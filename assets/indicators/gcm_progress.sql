-- indicators.gcm_progress: progress per GCM objective. For each indicator mapped to the objective
-- (indicators.gcm_indicator_map), its latest annual figure and its comparison, read from
-- indicators.figures (computed there once; see that table for the rules):
--   FULL_YEAR     both years final: the annual values.
--   SAME_MONTHS   the latest year is a year to date, set against the same months (quarters) of the
--   / SAME_QUARTERS  year before, listed in compared_periods.
--   NONE          no change, for the reason in comparison_reason (a series break, a lower bound,
--                 a provisional rate, no previous year...). Never NULL where there is a value.
-- change = latest - previous, in the indicator's unit (percentage points for a percent).
-- change_percent = change / previous x 100, except for an indicator in percent and when the previous
-- value is 0.
-- Every objective is listed: one without a mapped indicator has one row with indicator_id NULL, and
-- a mapped indicator without data has its values NULL.
WITH progress AS (
    SELECT
        f.indicator_id,
        CAST(f.time_period AS INTEGER) AS year,
        f.value AS latest_value,
        f.obs_status AS latest_obs_status,
        f.period_label_en,
        f.period_label_id,
        f.comparison,
        f.comparison_reason,
        CASE WHEN f.comparison IN ('SAME_MONTHS', 'SAME_QUARTERS') THEN f.period_parts END AS compared_periods,
        f.previous_value,
        f.previous_obs_status,
        f.change,
        f.change_percent
    FROM indicators.figures AS f
    WHERE f.freq = 'A'
    QUALIFY f.time_period = max(f.time_period) OVER (PARTITION BY f.indicator_id)
)
SELECT
    g.objective,
    g.title_en AS objective_title_en,
    g.title_id AS objective_title_id,
    m.indicator_id,
    c.name_en AS indicator_name_en,
    c.name_id AS indicator_name_id,
    c.unit,
    p.year AS latest_year,
    p.period_label_en AS latest_period_label_en,
    p.period_label_id AS latest_period_label_id,
    p.latest_value,
    p.latest_obs_status,
    p.year - 1 AS previous_year,
    p.previous_value,
    p.previous_obs_status,
    p.comparison,
    p.comparison_reason,
    p.compared_periods,
    p.change,
    p.change_percent
FROM indicators.gcm_objectives AS g
LEFT JOIN indicators.gcm_indicator_map AS m USING (objective)
LEFT JOIN indicators.catalogue AS c USING (indicator_id)
LEFT JOIN progress AS p USING (indicator_id)
ORDER BY g.objective, m.indicator_id
