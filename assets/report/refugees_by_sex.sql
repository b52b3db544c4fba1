-- report.refugees_by_sex: refugees and asylum-seekers in Indonesia (REF_HOSTED, UNHCR) by
-- sex, per year (UNHCR population statistics) and per month (UNHCR Indonesia snapshot).
-- One row per period x sex; the total is the row `_T`, labelled Jumlah / Total, last in its
-- period. month is NULL on the rows of a whole year.
WITH hosted AS (
    SELECT * FROM indicators.observations
    WHERE indicator_id = 'REF_HOSTED' AND COLUMNS('^(counterpart_area|age|population_type|location)$') = '_T'
)
SELECT
    o.time_period AS period,
    CAST(left(o.time_period, 4) AS INTEGER) AS year,
    CASE WHEN o.freq = 'M' THEN CAST(right(o.time_period, 2) AS INTEGER) END AS month,
    o.sex AS sex,
    coalesce(l.label_id, t.label_id) AS sex_label_id,
    coalesce(l.label_en, t.label_en) AS sex_label_en,
    CAST(o.value AS BIGINT) AS refugees_and_asylum_seekers,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM hosted AS o
LEFT JOIN reference.codes AS l ON l.code_list = 'sex' AND l.code = o.sex
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = o.sex
JOIN reference.codes AS s ON s.code_list = 'obs_status'
    AND s.code = CASE WHEN o.value IS NULL AND o.obs_status <> 'C' THEN 'M' ELSE o.obs_status END
ORDER BY year, month NULLS FIRST, sex = '_T', refugees_and_asylum_seekers DESC, sex
