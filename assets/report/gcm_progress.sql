-- report.gcm_progress: the Global Compact for Migration objectives with the indicators that
-- inform them and their progress: the latest annual value, the value it is compared with, and the
-- change, like with like (comparison and, without one, its reason spelled out; a year to date
-- names its months in latest_period_label_*). Values rounded to the catalogue's decimals. An
-- objective without an indicator has one row with indicator NULL.
SELECT
    p.objective,
    p.objective_title_id AS objective_label_id,
    p.objective_title_en AS objective_label_en,
    p.indicator_id AS indicator,
    p.indicator_name_id AS indicator_label_id,
    p.indicator_name_en AS indicator_label_en,
    p.unit,
    p.latest_year,
    p.latest_period_label_id,
    p.latest_period_label_en,
    round(p.latest_value, k.decimals) AS latest_value,
    ls.label_id AS latest_status_label_id,
    ls.label_en AS latest_status_label_en,
    p.previous_year,
    round(p.previous_value, k.decimals) AS previous_value,
    p.comparison,
    c.label_id AS comparison_label_id,
    c.label_en AS comparison_label_en,
    p.comparison_reason,
    r.label_id AS comparison_reason_label_id,
    r.label_en AS comparison_reason_label_en,
    p.compared_periods,
    round(p.change, k.decimals) AS change,
    round(p.change_percent, 1) AS change_percent
FROM indicators.gcm_progress AS p
LEFT JOIN indicators.catalogue AS k ON k.indicator_id = p.indicator_id
LEFT JOIN reference.codes AS ls ON ls.code_list = 'obs_status' AND ls.code = p.latest_obs_status
LEFT JOIN reference.codes AS c ON c.code_list = 'gcm_comparison' AND c.code = p.comparison
LEFT JOIN reference.codes AS r ON r.code_list = 'comparison_reason' AND r.code = p.comparison_reason
ORDER BY p.objective, p.indicator_id
