-- report.pmi_placed_by_occupation: Indonesian migrant workers placed abroad by occupation group, per month
-- and per year, with the share of women beside each count and its own status (the share can be
-- withheld, C, while the count is published).
-- One row per period x occupation; the total is the row `_T`, labelled Jumlah / Total, last in its
-- period. month is NULL on the rows of a whole year.
WITH placed AS (
    SELECT * FROM indicators.observations
    WHERE indicator_id = 'PMI_PLACED' AND COLUMNS('^(counterpart_area|sex|age|province|education|sector|scheme)$') = '_T'
),
women AS (
    SELECT * FROM indicators.observations
    WHERE indicator_id = 'PMI_PLACED_F_SHARE' AND COLUMNS('^(counterpart_area|age|province|education|sector|scheme)$') = '_T'
)
SELECT
    o.time_period AS period,
    CAST(left(o.time_period, 4) AS INTEGER) AS year,
    CASE WHEN o.freq = 'M' THEN CAST(right(o.time_period, 2) AS INTEGER) END AS month,
    o.occupation AS occupation,
    coalesce(l.label_id, t.label_id) AS occupation_label_id,
    coalesce(l.label_en, t.label_en) AS occupation_label_en,
    CAST(o.value AS BIGINT) AS placed,
    round(w.value, k.decimals) AS women_percent,
    CASE WHEN w.value IS NULL AND w.obs_status IS DISTINCT FROM 'C' THEN 'M' ELSE w.obs_status END
        AS women_percent_status,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM placed AS o
LEFT JOIN women AS w USING (freq, time_period, occupation)
JOIN indicators.catalogue AS k ON k.indicator_id = 'PMI_PLACED_F_SHARE'
LEFT JOIN reference.codes AS l ON l.code_list = 'occupation' AND l.code = o.occupation
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = o.occupation
JOIN reference.codes AS s ON s.code_list = 'obs_status'
    AND s.code = CASE WHEN o.value IS NULL AND o.obs_status <> 'C' THEN 'M' ELSE o.obs_status END
ORDER BY year, month NULLS FIRST, occupation = '_T', placed DESC, occupation
